"""The production entry point: ``gunicorn wsgi:app`` (PORTAL_ENV defaults to production)."""

from portal import create_app

app = create_app()
