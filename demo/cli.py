"""``flask seed-demo``: registered only by the development entry point (app.py), never by wsgi.py."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from demo import SeedError, is_seeded, seed_demo
from portal.db import database
from portal.stores import documents, get_stores


@click.command("seed-demo")
@with_appcontext
@click.option("--reset", is_flag=True, help="Delete the demo tenants first and seed them again.")
@click.option(
    "--if-empty", is_flag=True, help="Do nothing (and succeed) when the demo data is already there."
)
def seed_demo_command(reset: bool, if_empty: bool) -> None:
    """Fill three demo tenants (Acme, Northwind, Initech) with realistic data in every table."""
    if if_empty and not reset and is_seeded(database().new_session):
        click.echo("Demo data already present.")
        return
    stores = get_stores()
    documents.ensure_indexes(stores.documents)
    try:
        summary = seed_demo(database().new_session, stores, current_app.config["DEMO_PASSWORD"], reset=reset)
    except SeedError as error:
        raise click.ClickException(f"{error} Use --reset to seed again.") from error
    click.echo(str(summary))


def init_app(app: Flask) -> None:
    """Add ``seed-demo`` to the app's ``flask`` commands."""
    app.cli.add_command(seed_demo_command)
