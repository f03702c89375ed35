"""``flask`` commands: create-tenant, create-user, and the queue's worker and jobs (portal/jobs/cli.py).

seed-demo is the demo package's (demo/cli.py); mail-sink is the mail package's.
"""

from __future__ import annotations

import secrets
import uuid

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import text

from portal.auth.passwords import hash_password
from portal.db import database
from portal.jobs.cli import COMMANDS as JOB_COMMANDS
from portal.models import Tenant, User
from portal.tenancy import ROLE_LABELS


@click.command("create-tenant")
@with_appcontext
@click.option("--name", required=True)
@click.option("--slug", required=True)
@click.option("--owner-email", required=True)
@click.option("--owner-name", required=True)
@click.option("--timezone", default="UTC", show_default=True)
@click.option("--currency", default="INR", show_default=True)
def create_tenant_command(
    name: str, slug: str, owner_email: str, owner_name: str, timezone: str, currency: str
) -> None:
    """Create a tenant in onboarding with its owner; prints the owner's one-time password."""
    tenant_id = uuid.uuid4()
    session = database().new_session(tenant_id)
    if session.execute(text("SELECT 1 FROM auth_lookup(:e)"), {"e": owner_email.lower()}).first():
        raise click.ClickException("That e-mail address already has an account.")
    password = secrets.token_urlsafe(12)
    session.add(Tenant(id=tenant_id, name=name, slug=slug, timezone=timezone, currency=currency))
    session.flush()
    session.add(
        User(
            tenant_id=tenant_id,
            full_name=owner_name,
            email=owner_email.lower(),
            role="owner",
            password_hash=hash_password(password),
            must_change_password=True,
        )
    )
    session.commit()
    click.echo(f"Tenant {name} created. Owner {owner_email} one-time password: {password}")


@click.command("create-user")
@with_appcontext
@click.option(
    "--colleague", required=True, help="E-mail of someone already in the tenant (RLS hides tenants)."
)
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--role", type=click.Choice(list(ROLE_LABELS)), required=True)
def create_user_command(colleague: str, email: str, full_name: str, role: str) -> None:
    """Add a user to a colleague's tenant; prints a one-time password to change at first sign-in."""
    lookup = database().new_session()
    tenant_id = lookup.execute(text("SELECT tenant_id FROM auth_lookup(:e)"), {"e": colleague}).scalar()
    taken = lookup.execute(text("SELECT 1 FROM auth_lookup(:e)"), {"e": email}).first()
    lookup.close()
    if tenant_id is None:
        raise click.ClickException("No account has the colleague's e-mail address.")
    if taken:
        raise click.ClickException("That e-mail address already has an account.")
    session = database().new_session(tenant_id)
    password = secrets.token_urlsafe(12)
    session.add(
        User(
            tenant_id=tenant_id,
            full_name=full_name,
            email=email.lower(),
            role=role,
            password_hash=hash_password(password),
            must_change_password=True,
        )
    )
    session.commit()
    click.echo(f"User {email} ({role}) one-time password: {password}")


def init_app(app: Flask) -> None:
    """Register the commands on ``flask``."""
    for command in (create_tenant_command, create_user_command, *JOB_COMMANDS):
        app.cli.add_command(command)
