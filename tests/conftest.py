"""Test fixtures: a real PostgreSQL the tests start themselves, a fresh database per test session, the demo
data seeded once, and one rolled-back outer transaction per test (the app's sessions use savepoints in it).

The test client sends the CSRF token as htmx does (a header), so tests go through the real CSRF check;
``client.post(..., csrf=False)`` sends none.
"""

from __future__ import annotations

import html
import os
import re
import socket
import uuid
from collections.abc import Iterator

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import create_app, localpg
from portal.auth import passwords
from portal.db import make_sessionmaker
from portal.extensions import limiter
from portal.models import Tenant, User

TEST_CLUSTER = localpg.ROOT / "var" / "postgres-test"
passwords.use_test_profile()
PASSWORD = "portal-demo"
TENANTS = ("acme", "northwind", "initech")


@pytest.fixture(scope="session")
def database_urls() -> Iterator[tuple[str, str]]:
    """(app URL, owner URL) of a fresh, empty database in the test cluster, dropped at the end."""
    localpg.start(TEST_CLUSTER, fast=True)
    name = f"portal_test_{os.getpid()}"
    localpg.create_database(name, TEST_CLUSTER)
    yield localpg.urls(TEST_CLUSTER, name)
    localpg.drop_database(name, TEST_CLUSTER)


def app_config(database_urls: tuple[str, str], var: str) -> dict:
    """Settings of a test app on the test database, with stores in a temporary folder."""
    app_url, owner_url = database_urls
    return {
        "PORTAL_ENV": "test",
        "TESTING": True,
        "DATABASE_URL": app_url,
        "MIGRATION_DATABASE_URL": owner_url,
        "DOCUMENT_STORE_PATH": f"{var}/documents",
        "OBJECT_STORE_PATH": f"{var}/objects",
        "MONGODB_URI": None,
        "S3_BUCKET": None,
        "LOGIN_LIMIT_PER_IP": "10000 per minute",
        "LOGIN_LIMIT_PER_ACCOUNT": "10000 per minute",
        "LOGIN_LIMIT_PER_ACCOUNT_AND_IP": "10000 per minute",
        "LOG_LEVEL": "WARNING",
    }


def build_app(config: dict) -> Flask:
    """A portal app for tests, whose test client sends CSRF headers (see PortalClient)."""
    app = create_app(config)
    app.test_client_class = PortalClient
    return app


@pytest.fixture(scope="session")
def app(database_urls, tmp_path_factory) -> Flask:
    """The portal on the migrated test database, seeded with the demo tenants (committed once)."""
    from demo import seed_demo

    app = build_app(app_config(database_urls, str(tmp_path_factory.mktemp("var"))))
    with app.app_context():
        flask_migrate.upgrade()
        seed_demo(app.extensions["db"].new_session, app.extensions["stores"], PASSWORD)
    return app


@pytest.fixture
def db_connection(app) -> Iterator:
    """One outer transaction for the test; every app session joins it with savepoints; rolled back after."""
    database = app.extensions["db"]
    connection = database.engine.connect()
    outer = connection.begin()
    original = database.sessionmaker
    database.sessionmaker = make_sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    limiter.reset()
    try:
        yield connection
    finally:
        database.sessionmaker = original
        outer.rollback()
        connection.close()


def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released): the address of a dead service."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dead_document_store(app, database_urls, tmp_path, db_connection) -> Flask:
    """An app whose MongoDB answers nobody (500 ms time-outs), its sessions in the test's transaction."""
    dead = build_app(
        app_config(database_urls, str(tmp_path))
        | {
            "MONGODB_URI": f"mongodb://127.0.0.1:{closed_port()}/?directConnection=true",
            "MONGODB_TIMEOUT_MS": 500,
        }
    )
    dead.extensions["db"].sessionmaker = app.extensions["db"].sessionmaker
    return dead


@pytest.fixture
def client(app, db_connection) -> PortalClient:
    """A test client inside the test's transaction."""
    return app.test_client()


@pytest.fixture
def tenant_session(app, db_connection):
    """``tenant_session(slug)``: a session in the test's transaction with that demo tenant set (RLS)."""
    opened: list[Session] = []

    def open_for(slug: str | None) -> Session:
        session = app.extensions["db"].new_session(tenant_ids(app)[slug] if slug else None)
        opened.append(session)
        return session

    yield open_for
    for session in opened:
        session.close()


_TENANT_IDS: dict[str, uuid.UUID] = {}


def tenant_ids(app) -> dict[str, uuid.UUID]:
    """The demo tenants' ids by slug (found through their owners, as sign-in would)."""
    if not _TENANT_IDS:
        from sqlalchemy import text

        with app.extensions["db"].engine.connect() as connection:
            for slug in TENANTS:
                _TENANT_IDS[slug] = connection.execute(
                    text("SELECT tenant_id FROM auth_lookup(:e)"), {"e": f"owner@{slug}.test"}
                ).scalar_one()
    return _TENANT_IDS


def user_of(session: Session, email: str) -> User:
    """A demo user by e-mail (the session must have the user's tenant set)."""
    return session.scalars(select(User).where(User.email == email)).one()


def tenant_of(session: Session) -> Tenant:
    """The tenant the session is set to."""
    return session.scalars(select(Tenant)).one()


class PortalClient(FlaskClient):
    """A test client that sends the CSRF token like htmx does, and signs in by the real form."""

    def _csrf_token(self) -> str:
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", uuid.uuid4().hex)
        return URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token").dumps(raw)

    def open(self, *args, csrf: bool = True, **kwargs):
        """Like FlaskClient.open, adding the X-CSRFToken header to unsafe methods unless csrf=False."""
        method = (kwargs.get("method") or "GET").upper()
        if csrf and method not in ("GET", "HEAD", "OPTIONS"):
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRFToken", self._csrf_token())
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)

    def login(self, email: str, password: str = PASSWORD):
        """Sign in through the real form; returns the response (302 on success)."""
        return self.post("/login", data={"email": email, "password": password})


def signed_in(app, email: str) -> PortalClient:
    """A new client signed in as email (asserting the sign-in worked)."""
    client = app.test_client()
    response = client.login(email)
    assert response.status_code == 302, f"sign-in as {email} failed: {response.status_code}"
    return client


def change_password(client, current: str, new: str):
    """Post the change-password form as the client's user (the new one typed twice); the response."""
    return client.post(
        "/account/password",
        data={"current_password": current, "new_password": new, "confirm_password": new},
    )


def text_of(response) -> str:
    """The response's HTML with tags removed and white space folded, for asserting what a user reads."""
    page = response.get_data(as_text=True)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).strip())
