"""Lead counts per status, assigned or not, kept by the writes: the dashboard stops counting every lead.

Three statement-level triggers on ``leads`` (INSERT, UPDATE, DELETE; PostgreSQL allows one event per
trigger with transition tables) hand their old and new rows to one function, which adds up the change per
(tenant, status, unassigned) and applies it with one INSERT … ON CONFLICT in key order. Per statement,
not per row: a bulk assignment of 500 leads is one small upsert, and two statements that touch the same
counts lock them in the same order, so they wait for each other instead of deadlocking. A DELETE only
decrements counts that exist (deleting a tenant cascades to its leads after its counts are gone). An update that
moves no lead between counts (a note's last_activity_on) changes nothing. The function runs as the
writer, so Row Level Security applies to the counts too.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 03:00:00
"""

import sqlalchemy as sa
from alembic import op

from portal.rls import disable_rls, enable_rls

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLE = "portal.lead_status_counts"

SYNC = r"""
CREATE FUNCTION portal.lead_status_counts_sync() RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO portal.lead_status_counts AS c (tenant_id, status, unassigned, n)
    SELECT tenant_id, status, assigned_to IS NULL, count(*) FROM new_leads WHERE deleted_on IS NULL
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (tenant_id, status, unassigned) DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSIF TG_OP = 'DELETE' THEN
    -- Only ever a decrement of a count that exists; when the tenant itself is being deleted its counts
    -- are already gone (cascade), and nothing is written back.
    UPDATE portal.lead_status_counts AS c SET n = c.n - gone.n
    FROM (
      SELECT tenant_id, status, assigned_to IS NULL AS unassigned, count(*) AS n FROM old_leads
      WHERE deleted_on IS NULL GROUP BY 1, 2, 3
    ) AS gone
    WHERE c.tenant_id = gone.tenant_id AND c.status = gone.status AND c.unassigned = gone.unassigned;
  ELSE
    INSERT INTO portal.lead_status_counts AS c (tenant_id, status, unassigned, n)
    SELECT tenant_id, status, unassigned, sum(d) FROM (
      SELECT tenant_id, status, assigned_to IS NULL AS unassigned, 1 AS d FROM new_leads
      WHERE deleted_on IS NULL
      UNION ALL
      SELECT tenant_id, status, assigned_to IS NULL, -1 FROM old_leads WHERE deleted_on IS NULL
    ) AS moves
    GROUP BY 1, 2, 3 HAVING sum(d) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (tenant_id, status, unassigned) DO UPDATE SET n = c.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END
$$
"""

TRIGGERS = (
    ("lead_status_counts_insert", "INSERT", "REFERENCING NEW TABLE AS new_leads"),
    ("lead_status_counts_update", "UPDATE", "REFERENCING OLD TABLE AS old_leads NEW TABLE AS new_leads"),
    ("lead_status_counts_delete", "DELETE", "REFERENCING OLD TABLE AS old_leads"),
)

BACKFILL = """
INSERT INTO portal.lead_status_counts (tenant_id, status, unassigned, n)
SELECT tenant_id, status, assigned_to IS NULL, count(*) FROM public.leads WHERE deleted_on IS NULL
GROUP BY 1, 2, 3
"""


def upgrade():
    """Apply this revision."""
    op.create_table(
        "lead_status_counts",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("unassigned", sa.Boolean(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_lead_status_counts_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "status", "unassigned", name=op.f("pk_lead_status_counts")),
        schema="portal",
    )
    enable_rls(op, TABLE)
    op.execute(SYNC)
    for name, event, referencing in TRIGGERS:
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON public.leads {referencing} "
            "FOR EACH STATEMENT EXECUTE FUNCTION portal.lead_status_counts_sync()"
        )
    # The counts of the leads that exist already. FORCE binds the owner too, so lift it for this only.
    op.execute("ALTER TABLE public.leads NO FORCE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {TABLE} NO FORCE ROW LEVEL SECURITY")
    op.execute(BACKFILL)
    op.execute(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE public.leads FORCE ROW LEVEL SECURITY")


def downgrade():
    """Revert this revision."""
    for name, _, _ in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON public.leads")
    op.execute("DROP FUNCTION IF EXISTS portal.lead_status_counts_sync()")
    disable_rls(op, TABLE)
    op.drop_table("lead_status_counts", schema="portal")
