"""New leads per day (in the tenant's timezone) and source, kept by the writes: the dashboard's weeks chart
stops reading twelve weeks of leads.

Same shape as 0006: three statement-level triggers on ``leads`` add up each statement's change per
(tenant, local day of ``created_on``, source) and apply it with one upsert in key order; a DELETE only
decrements counts that exist. The day is the tenant's (``tenants.timezone``), so a fourth trigger rebuilds a
tenant's days when its timezone changes (it runs as the writer, under the tenant's own Row Level Security
context, like every change to a tenant's settings).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 04:00:00
"""

import sqlalchemy as sa
from alembic import op

from portal.rls import disable_rls, enable_rls

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLE = "portal.lead_day_counts"

# A lead's day: its creation instant read in its tenant's timezone.
DAY = "(l.created_on AT TIME ZONE t.timezone)::date"

SYNC = rf"""
CREATE FUNCTION portal.lead_day_counts_sync() RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO portal.lead_day_counts AS c (tenant_id, day, source, n)
    SELECT l.tenant_id, {DAY}, l.source, count(*)
    FROM new_leads AS l JOIN public.tenants AS t ON t.id = l.tenant_id
    WHERE l.deleted_on IS NULL
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (tenant_id, day, source) DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSIF TG_OP = 'DELETE' THEN
    -- Only ever a decrement of a count that exists (a deleted tenant's counts are already gone).
    UPDATE portal.lead_day_counts AS c SET n = c.n - gone.n
    FROM (
      SELECT l.tenant_id, {DAY} AS day, l.source, count(*) AS n
      FROM old_leads AS l JOIN public.tenants AS t ON t.id = l.tenant_id
      WHERE l.deleted_on IS NULL GROUP BY 1, 2, 3
    ) AS gone
    WHERE c.tenant_id = gone.tenant_id AND c.day = gone.day AND c.source = gone.source;
  ELSE
    INSERT INTO portal.lead_day_counts AS c (tenant_id, day, source, n)
    SELECT moves.tenant_id, moves.day, moves.source, sum(moves.d) FROM (
      SELECT l.tenant_id, {DAY} AS day, l.source, 1 AS d
      FROM new_leads AS l JOIN public.tenants AS t ON t.id = l.tenant_id WHERE l.deleted_on IS NULL
      UNION ALL
      SELECT l.tenant_id, {DAY}, l.source, -1
      FROM old_leads AS l JOIN public.tenants AS t ON t.id = l.tenant_id WHERE l.deleted_on IS NULL
    ) AS moves
    GROUP BY 1, 2, 3 HAVING sum(moves.d) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (tenant_id, day, source) DO UPDATE SET n = c.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END
$$
"""

REZONE = rf"""
CREATE FUNCTION portal.lead_day_counts_rezone() RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
BEGIN
  DELETE FROM portal.lead_day_counts WHERE tenant_id = NEW.id;
  INSERT INTO portal.lead_day_counts (tenant_id, day, source, n)
  SELECT l.tenant_id, {DAY}, l.source, count(*)
  FROM public.leads AS l JOIN public.tenants AS t ON t.id = l.tenant_id
  WHERE l.tenant_id = NEW.id AND l.deleted_on IS NULL
  GROUP BY 1, 2, 3;
  RETURN NULL;
END
$$
"""

TRIGGERS = (
    ("lead_day_counts_insert", "INSERT", "REFERENCING NEW TABLE AS new_leads"),
    ("lead_day_counts_update", "UPDATE", "REFERENCING OLD TABLE AS old_leads NEW TABLE AS new_leads"),
    ("lead_day_counts_delete", "DELETE", "REFERENCING OLD TABLE AS old_leads"),
)

BACKFILL = f"""
INSERT INTO portal.lead_day_counts (tenant_id, day, source, n)
SELECT l.tenant_id, {DAY}, l.source, count(*)
FROM public.leads AS l JOIN public.tenants AS t ON t.id = l.tenant_id
WHERE l.deleted_on IS NULL
GROUP BY 1, 2, 3
"""


def upgrade():
    """Apply this revision."""
    op.create_table(
        "lead_day_counts",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_lead_day_counts_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "day", "source", name=op.f("pk_lead_day_counts")),
        schema="portal",
    )
    enable_rls(op, TABLE)
    op.execute(SYNC)
    op.execute(REZONE)
    for name, event, referencing in TRIGGERS:
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON public.leads {referencing} "
            "FOR EACH STATEMENT EXECUTE FUNCTION portal.lead_day_counts_sync()"
        )
    op.execute(
        "CREATE TRIGGER lead_day_counts_rezone AFTER UPDATE OF timezone ON public.tenants FOR EACH ROW "
        "WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone) EXECUTE FUNCTION portal.lead_day_counts_rezone()"
    )
    # The days of the leads that exist already. FORCE binds the owner too, so lift it for this only.
    lifted = ("public.tenants", "public.leads", TABLE)
    for table in lifted:
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(BACKFILL)
    for table in lifted:
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


def downgrade():
    """Revert this revision."""
    op.execute("DROP TRIGGER IF EXISTS lead_day_counts_rezone ON public.tenants")
    for name, _, _ in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON public.leads")
    op.execute("DROP FUNCTION IF EXISTS portal.lead_day_counts_rezone()")
    op.execute("DROP FUNCTION IF EXISTS portal.lead_day_counts_sync()")
    disable_rls(op, TABLE)
    op.drop_table("lead_day_counts", schema="portal")
