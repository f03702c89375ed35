"""How requests end their transactions — reads COMMIT (keeping psycopg's prepared statements), writes that
were not committed roll back — and which statements are prepared."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select, text, update
from sqlalchemy.orm import Session

from portal.db import _read_only, get_session, set_tenant
from portal.hot.fixed import FixedStatement
from portal.models import Lead, User
from portal.tenancy import TENANT_ID
from tests.conftest import build_app, signed_in, tenant_ids


def test_every_pages_fixed_statements_stay_prepared_and_nothing_else_is(app):
    # An app of its own: one pooled connection serves every request, as it would for one busy worker.
    fresh = build_app(dict(app.config))
    client = signed_in(fresh, "manager@acme.test")
    try:
        for _ in range(7):
            assert client.get("/leads/?q=sharma").status_code == 200
        with fresh.extensions["db"].engine.connect() as connection:
            prepared = (
                connection.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
            )
    finally:
        client.post("/logout")
        fresh.extensions["db"].engine.dispose()
    # Reads end with COMMIT (psycopg forgets prepared statements on ROLLBACK), so they survive requests.
    assert any("set_config('app.tenant_id'" in statement for statement in prepared), prepared
    assert any("count(*)" in statement for statement in prepared), prepared  # the sidebar's counts
    # The search is planned for its words every time: a generic plan once took 24 s.
    assert not any("lead_search_terms" in statement for statement in prepared), prepared


def test_a_transaction_that_wrote_or_holds_changes_is_not_read_only(app):
    database = app.extensions["db"]
    session = database.new_session(tenant_ids(app)["acme"])
    try:
        lead = session.scalars(select(Lead).limit(1)).one()
        assert _read_only(session)
        lead.company = "Changed in memory only"
        assert not _read_only(session)  # a commit would flush it
        session.rollback()
        session.scalars(select(Lead).limit(1)).one()
        assert _read_only(session)
        session.execute(update(Lead).where(Lead.id == lead.id).values(company=lead.company))
        assert not _read_only(session)
    finally:
        session.rollback()
        session.close()


def test_a_fixed_statement_reads_what_the_session_reads_and_refuses_writes(app):
    counted = (
        select(Lead.status, func.count())
        .where(Lead.tenant_id == TENANT_ID, Lead.status.in_(("new", "contacted")))
        .group_by(Lead.status)
        .order_by(Lead.status)
    )
    fixed = FixedStatement(counted)
    acme = tenant_ids(app)["acme"]
    with app.app_context():
        set_tenant(acme)
        expected = get_session().execute(counted, {TENANT_ID.key: acme}).all()
        assert fixed.run({TENANT_ID.key: acme}).all() == expected != []
        assert fixed.run({TENANT_ID.key: acme}).all() == expected  # the second run uses the compiled SQL
    with pytest.raises(TypeError):
        FixedStatement(update(Lead).values(company="x"))


def test_a_results_columns_are_described_as_psycopg_describes_them(app):
    engine = app.extensions["db"].engine
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT 1 AS n, 'x'::text AS word")
        first = cursor.description
        cursor.execute("SELECT now() AS at")
        # Read only now, after the cursor moved on: still the first result's columns.
        assert [(c.name, c.type_code) for c in first] == [("n", 23), ("word", 25)]
        assert len(first) == 2 and first[-1].name == "word"
        assert [c.name for c in cursor.description] == ["at"]
        cursor.execute("SET LOCAL work_mem = '8MB'")
        assert cursor.description is None
    finally:
        raw.rollback()
        raw.close()
    with engine.connect() as connection:
        # A statement SQLAlchemy has not seen before reads its columns' names from the description.
        assert list(connection.exec_driver_sql("SELECT 2 AS two, 3 AS three").mappings()) == [
            {"two": 2, "three": 3}
        ]


def test_only_the_apps_own_sessions_tell_postgresql_a_tenant(app):
    database = app.extensions["db"]
    statements: list[str] = []

    def seen(conn, cursor, statement, *_) -> None:
        statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", seen)
    try:
        with Session(database.engine) as other:  # a session of another factory: a script's, a library's
            other.scalar(text("SELECT 1"))
        others = list(statements)
        statements.clear()
        with database.new_session(tenant_ids(app)["acme"]) as ours:
            ours.scalar(text("SELECT 1"))
    finally:
        event.remove(database.engine, "before_cursor_execute", seen)
    assert others == ["SELECT 1"]
    assert "set_config('app.tenant_id'" in statements[0] and statements[1:] == ["SELECT 1"]


def test_the_test_transactions_sessions_see_only_their_tenant(tenant_session):
    session = tenant_session("northwind")
    assert {user.email.split("@")[1] for user in session.scalars(select(User))} == {"northwind.test"}
