"""The team page: the tenant's users, their roles, and the role matrix."""
