"""Paid campaigns and the tenant's review of them: keywords, search terms and recommended changes."""
