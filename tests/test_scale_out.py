"""The scale-out plan covers every table in the catalogue, and the schema is what Citus needs."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import create_engine, text

from portal.localpg import ROOT


def test_the_plan_distributes_every_table_of_the_catalogue(app, database_urls):
    output = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "scale_out.py")], capture_output=True, text=True, check=True
    ).stdout
    engine = create_engine(database_urls[1])
    with engine.connect() as connection:
        tables = (
            connection.execute(
                text(
                    "SELECT CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END"
                    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE c.relkind = 'r' AND n.nspname IN ('public', 'portal') AND c.relname <> 'alembic_version'"
                )
            )
            .scalars()
            .all()
        )
    engine.dispose()
    assert len(tables) >= 31
    for table in tables:
        column = "id" if table == "tenants" else "tenant_id"
        assert f"create_distributed_table('{table}', '{column}'" in output, table
    assert output.index("create_distributed_table('tenants'") < output.index(
        "create_distributed_table('users'"
    )
    assert 'sh.shardCollection("portal.activity_outputs", { tenantId: 1, _id: 1 })' in output
    assert "RATELIMIT_STORAGE_URI" in output
