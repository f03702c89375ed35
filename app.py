"""Entry point for the flask command: ``flask --app app run`` (see the Makefile), with ``seed-demo``."""

import demo.cli
from portal import create_app

app = create_app()
# The demo's command is the development entry point's alone: wsgi.py (production) never loads demo.
demo.cli.init_app(app)
