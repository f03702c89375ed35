"""Blog and social content: requests, the tenant's review of posts, the calendar and backlinks."""
