"""Content fragments: any MongoDB/S3 content a PostgreSQL row points at, rendered for the page that shows it."""
