"""The load benchmark's yardstick: the Fortunes app must do what TechEmpower's test specifies, and no more."""

from __future__ import annotations

import html
from collections.abc import Iterator

import psycopg
import pytest
from flask import Flask

from bench import reference

ADDED = "Additional fortune added at request time."


@pytest.fixture
def fortunes(database_urls) -> Iterator[Flask]:
    """The Fortunes app on the test database, its table filled as the load benchmark fills it (and dropped
    after: the schema tests expect the portal's tables only)."""
    app_url, owner_url = database_urls
    owner = owner_url.replace("+psycopg", "")
    with psycopg.connect(owner, autocommit=True) as connection:
        reference.install(connection)
    app = reference.make_fortunes(app_url)
    yield app
    app.extensions["fortunes_engine"].dispose()
    with psycopg.connect(owner, autocommit=True) as connection:
        connection.execute("DROP TABLE fortune")


def test_fortunes_lists_every_fortune_sorted_and_escaped_with_one_added_per_request(fortunes):
    client = fortunes.test_client()
    first, second = client.get("/"), client.get("/")
    assert first.status_code == 200 and first.text == second.text  # the added fortune is not stored
    rows = [line for line in first.text.splitlines() if line.startswith("<tr><td>")]
    messages = [html.unescape(row.split("</td><td>", 1)[1].removesuffix("</td></tr>")) for row in rows]
    assert messages == sorted((*reference.FORTUNES, ADDED))
    assert "<script>" not in first.text and "&lt;script&gt;" in first.text


def test_fortunes_compiles_its_template_once(fortunes, monkeypatch):
    compiled = []
    original = fortunes.jinja_env.compile
    monkeypatch.setattr(
        fortunes.jinja_env, "compile", lambda *a, **k: compiled.append(1) or original(*a, **k)
    )
    client = fortunes.test_client()
    for _ in range(3):
        assert client.get("/").status_code == 200
    # TechEmpower's Flask test renders a template loaded by name; compiling it per request cost 1.0 ms.
    assert len(compiled) == 1
