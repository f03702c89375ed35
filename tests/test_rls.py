"""Wall three, on its own: PostgreSQL's Row Level Security seen through raw SQL as the app role."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, ProgrammingError

from portal.db import Base
from tests.conftest import tenant_ids

TENANT_TABLES = [t.fullname for t in Base.metadata.sorted_tables if "tenant_id" in t.c]


def _set(connection, tenant) -> None:
    connection.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant or "")})


def test_no_tenant_set_reads_nothing_anywhere(app, db_connection):
    _set(db_connection, None)
    counts = {t: db_connection.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TENANT_TABLES}
    assert set(counts.values()) == {0}
    assert db_connection.execute(text("SELECT count(*) FROM tenants")).scalar() == 0


@pytest.mark.parametrize("table", TENANT_TABLES)
def test_tenant_a_never_sees_tenant_b(app, db_connection, table):
    ids = tenant_ids(app)
    _set(db_connection, ids["acme"])
    seen = db_connection.execute(text(f"SELECT DISTINCT tenant_id FROM {table}")).scalars().all()
    assert set(seen) <= {ids["acme"]}
    _set(db_connection, ids["northwind"])
    northwind_rows = db_connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
    _set(db_connection, ids["acme"])
    changed = db_connection.execute(
        text(f"UPDATE {table} SET tenant_id = tenant_id WHERE tenant_id = :t"), {"t": ids["northwind"]}
    ).rowcount
    assert changed == 0
    if table in ("users", "leads", "blog_posts"):
        assert northwind_rows > 0  # the demo has rows there, so "0 seen" above is meaningful


def test_writing_a_row_for_another_tenant_is_refused(app, db_connection):
    ids = tenant_ids(app)
    _set(db_connection, ids["acme"])
    with pytest.raises(ProgrammingError) as refused:
        db_connection.execute(
            text("INSERT INTO channels (tenant_id, ref_id, type, name) VALUES (:t, :r, 'website', 'x')"),
            {"t": ids["northwind"], "r": "01JZZZZZZZZZZZZZZZZZZZZZZZ"},
        )
    assert refused.value.orig.sqlstate == "42501"


def test_a_child_cannot_point_at_another_tenants_parent(app, db_connection):
    """Wall two, on its own: composite foreign keys, even as an owner-less role with both tenants' ids."""
    ids = tenant_ids(app)
    _set(db_connection, ids["northwind"])
    northwind_goal = db_connection.execute(text("SELECT id, strategy_id FROM goals LIMIT 1")).one()
    _set(db_connection, ids["acme"])
    with pytest.raises(IntegrityError) as refused:
        db_connection.execute(
            text(
                "INSERT INTO deliverables (ref_id, goal_id, strategy_id, title, type, monthly_volume, credits_per_unit)"
                " VALUES (:r, :g, :s, 'Cross-tenant', 'blog_post', 1, 2)"
            ),
            {"r": "01JZZZZZZZZZZZZZZZZZZZZZZY", "g": northwind_goal.id, "s": northwind_goal.strategy_id},
        )
    assert refused.value.orig.sqlstate == "23503"


def test_server_default_takes_the_transactions_tenant(app, db_connection):
    ids = tenant_ids(app)
    _set(db_connection, ids["initech"])
    tenant = db_connection.execute(
        text("INSERT INTO channels (ref_id, type, name) VALUES (:r, 'blog', 'Blog') RETURNING tenant_id"),
        {"r": "01JZZZZZZZZZZZZZZZZZZZZZZX"},
    ).scalar()
    assert tenant == ids["initech"]
    assert uuid.UUID(str(tenant))
