"""Onboarding: the wizard that follows the contract, and the tenant's review of the client context file."""
