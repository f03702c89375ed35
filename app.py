"""Entry point for the flask command: ``flask --app app run`` (see the Makefile)."""

from portal import create_app

app = create_app()
