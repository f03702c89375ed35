"""The flask commands an operator runs."""

from __future__ import annotations

from sqlalchemy import text

from demo.cli import seed_demo_command
from tests.conftest import PortalClient


def test_seed_demo_refuses_to_run_twice_and_if_empty_succeeds(app, db_connection):
    runner = app.test_cli_runner()
    again = runner.invoke(seed_demo_command)
    assert again.exit_code != 0 and "--reset" in again.output
    quiet = runner.invoke(seed_demo_command, ["--if-empty"])
    assert quiet.exit_code == 0 and "already present" in quiet.output


def test_create_tenant_and_user_then_the_owner_signs_in(app, db_connection):
    runner = app.test_cli_runner()
    created = runner.invoke(
        args=[
            "create-tenant",
            "--name",
            "Globex",
            "--slug",
            "globex",
            "--owner-email",
            "Hank@Globex.test",
            "--owner-name",
            "Hank Scorpio",
            "--timezone",
            "Europe/Paris",
            "--currency",
            "EUR",
        ]
    )
    assert created.exit_code == 0, created.output
    password = created.output.rsplit(": ", 1)[1].strip()
    frank = ["create-user", "--colleague", "hank@globex.test", "--email", "frank@globex.test"]
    user = runner.invoke(args=[*frank, "--name", "Frank", "--role", "marketer"])
    assert user.exit_code == 0, user.output
    twice = runner.invoke(args=[*frank, "--name", "F", "--role", "viewer"])
    assert twice.exit_code != 0 and "already has an account" in twice.output
    tenant_of_frank = db_connection.execute(
        text("SELECT tenant_id FROM auth_lookup('frank@globex.test')")
    ).scalar()
    tenant_of_hank = db_connection.execute(
        text("SELECT tenant_id FROM auth_lookup('hank@globex.test')")
    ).scalar()
    assert tenant_of_frank == tenant_of_hank
    client: PortalClient = app.test_client()
    assert client.login("hank@globex.test", password).status_code == 302
