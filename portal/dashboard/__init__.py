"""The dashboard: what the tenant's numbers are today."""
