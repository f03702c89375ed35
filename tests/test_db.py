"""How requests end their transactions: reads COMMIT (keeping psycopg's prepared statements), writes that
were not committed roll back."""

from __future__ import annotations

from sqlalchemy import select, text, update

from portal.db import _read_only
from portal.models import Lead
from tests.conftest import build_app, signed_in, tenant_ids


def test_pages_that_only_read_keep_their_prepared_statements_between_requests(app):
    # An app of its own: one pooled connection serves every request, as it would for one busy worker.
    fresh = build_app(dict(app.config))
    client = signed_in(fresh, "viewer@acme.test")
    try:
        for _ in range(7):
            assert client.get("/").status_code == 200
        with fresh.extensions["db"].engine.connect() as connection:
            prepared = (
                connection.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
            )
    finally:
        client.post("/logout")
        fresh.extensions["db"].engine.dispose()
    # psycopg prepares a statement at its fifth execution and forgets them all on ROLLBACK.
    assert any("set_config('app.tenant_id'" in statement for statement in prepared), prepared


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
