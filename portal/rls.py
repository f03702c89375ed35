"""Row Level Security DDL, used by the migrations so every tenant table gets the same wall."""

from __future__ import annotations

CURRENT_TENANT_SQL = "nullif(current_setting('app.tenant_id', true), '')::uuid"


def enable_rls(op, table: str, column: str = "tenant_id") -> None:
    """ENABLE and FORCE RLS on a table with the one tenant policy, for reads (USING) and writes (WITH CHECK)."""
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {table} "
        f"USING ({column} = {CURRENT_TENANT_SQL}) WITH CHECK ({column} = {CURRENT_TENANT_SQL})"
    )


def disable_rls(op, table: str) -> None:
    """Undo enable_rls."""
    op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
