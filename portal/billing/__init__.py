"""Billing (owner, admin): invoices, payments and the credit ledger; read-only."""
