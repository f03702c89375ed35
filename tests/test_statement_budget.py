"""The statement budget: every main page runs the same number of SQL statements for a small and a grown
tenant, and at most 8 (issue 10, "Statement budget").

The pages are found by walking ``app.url_map``: every GET route without parameters, plus the detail pages
with the demo tenant's ids. Each is rendered signed in as the owner (and the leads pages also as a rep),
once on the demo data and once after a few hundred rows were added to every list the pages show (copies
of the tenant's own rows, inside the test's rolled-back transaction).
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from portal.db import Base
from portal.ids import new_ulid
from tests.conftest import signed_in
from tests.queries import count_statements
from tests.routes import build, ref_of, routes

BUDGET = 8
GROWTH = 300
# Tables whose rows fill the lists and timelines of the main pages; each grows by GROWTH rows.
GROWN_TABLES = (
    "leads",
    "lead_activities",
    "activities",
    "activity_runs",
    "llm_calls",
    "tool_calls",
    "blog_posts",
    "blog_requests",
    "social_posts",
    "social_media_requests",
    "billing_events",
    "backlinks",
    "ad_keywords",
    "search_term_reports",
    "audit_events",
    "notifications",
)
# Not pages: downloads, fragments from the content stores, health probes, sign-in and the brand stylesheet.
NOT_PAGES = ("static", "auth.login", "health.healthz", "health.readyz", "dashboard.brand_css")
NOT_PAGE_PREFIXES = ("refs.",)
NOT_PAGE_SUFFIXES = (".csv", ".json", "/original", "/document", "/certificate", "/image", "/payload")


def _pages(app) -> list:
    """The GET routes that are pages (see NOT_PAGES)."""
    found = []
    for route in routes(app):
        rule = route.rule.rule
        if route.method != "GET" or route.endpoint in NOT_PAGES:
            continue
        if route.endpoint.startswith(NOT_PAGE_PREFIXES) or rule.endswith(NOT_PAGE_SUFFIXES):
            continue
        if any(not name.endswith("_ref") for name in route.rule.arguments):
            continue
        found.append(route)
    return found


def _copyable_columns(table) -> list[str]:
    """Columns copied as they are: everything but the keys a copy must not share."""
    return [column.name for column in table.columns if column.name not in ("id", "ref_id")]


def _unique_text_columns(table) -> set[str]:
    """Text columns in a unique constraint or index besides tenant_id (a copy gets a suffix there)."""
    names: set[str] = set()
    constraints = [c for c in table.constraints if c.__class__.__name__ == "UniqueConstraint"]
    indexes = [i for i in table.indexes if i.unique]
    for item in (*constraints, *indexes):
        for column in item.columns:
            if column.name not in ("tenant_id", "ref_id", "id") and column.type.python_type is str:
                names.add(column.name)
    return names


def _grow(session: Session, count: int) -> dict[str, int]:
    """Add `count` copies of the tenant's own rows to each of GROWN_TABLES; returns rows added per table.

    Copies keep their parents (so every foreign key holds) and get fresh ids; tables the tenant has no
    rows in yet stay empty.
    """
    tables = {table.name: table for table in Base.metadata.sorted_tables}
    added: dict[str, int] = {}
    for name in GROWN_TABLES:
        table = tables.get(name)
        if table is None:
            continue
        unique_text = _unique_text_columns(table)
        # Rows without a value in a unique text column copy as they are (e.g. billing events without an
        # invoice number); a suffix could break a column's format check.
        query = select(table).where(*(table.c[column].is_(None) for column in unique_text)).limit(50)
        rows = (
            session.execute(query).mappings().all()
            or session.execute(select(table).limit(50)).mappings().all()
        )
        if not rows:
            continue
        columns = _copyable_columns(table)
        copies = []
        for i in range(count):
            row = dict(rows[i % len(rows)])
            copy = {column: row[column] for column in columns}
            for column in unique_text:
                if copy.get(column) is not None:
                    copy[column] = f"{copy[column]}-copy{i}"
            copy["id"] = uuid.uuid4()
            if "ref_id" in table.columns:
                copy["ref_id"] = new_ulid()
            copies.append(copy)
        session.execute(table.insert(), copies)
        added[name] = count
    session.flush()
    return added


def _measure(app, client, urls: list[tuple[str, str]]) -> dict[str, tuple[int, int, list[str]]]:
    """{label: (status, statement count, statements)} for each (label, url)."""
    engine = app.extensions["db"].engine
    measured = {}
    for label, url in urls:
        with count_statements(engine) as statements:
            response = client.get(url)
        measured[label] = (response.status_code, len(statements), list(statements))
    return measured


@pytest.fixture
def page_urls(app, tenant_session):
    """(label, url, signed-in e-mail) of every main page, with acme's ids in the detail pages."""
    session = tenant_session("acme")
    urls = []
    for route in _pages(app):
        url = build(app, route, lambda name: ref_of(session, name))
        urls.append((f"owner {route.rule.rule}", url, "owner@acme.test"))
        if route.endpoint.startswith("leads."):
            urls.append((f"rep {route.rule.rule}", url, "rep1@acme.test"))
    session.close()  # its savepoint must not outlive the test's other sessions
    return urls


def test_every_page_runs_the_same_few_statements_however_much_data(
    app, db_connection, tenant_session, page_urls
):
    clients = {email: signed_in(app, email) for email in {email for _, _, email in page_urls}}

    def measure_all():
        result = {}
        for email, client in clients.items():
            result.update(
                _measure(app, client, [(label, url) for label, url, who in page_urls if who == email])
            )
        return result

    small = measure_all()
    session = tenant_session("acme")
    added = _grow(session, GROWTH)
    grown_leads = session.execute(text("SELECT count(*) FROM leads")).scalar_one()
    session.commit()
    assert {
        "leads",
        "lead_activities",
        "activities",
        "blog_posts",
        "social_posts",
        "billing_events",
    } <= added.keys(), added
    assert grown_leads >= GROWTH
    grown = measure_all()

    problems: list[str] = []
    details: list[str] = []
    for label, (status, few, _) in small.items():
        grown_status, many, grown_statements = grown[label]
        assert status == grown_status, f"{label}: {status} with the demo data, {grown_status} when grown"
        if status != 200:
            continue  # a redirect (e.g. a wizard already finished) renders no page to count
        if few != many or many > BUDGET:
            problems.append(f"{label}: {few} → {many} statements")
            details.append(f"{label}:\n    " + "\n    ".join(grown_statements))
    rendered = [label for label, (status, _, _) in small.items() if status == 200]
    assert len(rendered) >= 20, f"too few pages rendered: {rendered}"
    assert not problems, "pages over the statement budget or growing with the data:\n" + "\n".join(
        problems + details
    )


def test_the_walk_finds_the_pages_the_benchmark_measures(app):
    endpoints = {route.endpoint for route in _pages(app)}
    assert {"dashboard.index", "leads.index", "leads.detail", "content.blog_post"} <= endpoints
    assert not any(endpoint.startswith("refs.") for endpoint in endpoints)
    assert "health.readyz" not in endpoints
