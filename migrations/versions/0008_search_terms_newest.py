"""Search terms carry their lead's creation time: the newest matches of a search are found from the terms'
key alone, and only the page's 25 leads are read.

A common word ("smith": 3,300 of acme's 100,000 leads at full size) made the default-sorted search read
every matching lead to keep the newest 25. ``lead_created_on`` is written by the terms' trigger (now also
on a change of ``leads.created_on``) and carried in the primary key's index (``INCLUDE``), so the list
sorts the matching (lead, created_on) pairs from an index-only scan and joins just the page's leads. The
old ``created_on`` column (when a term row was written) was never read and goes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 04:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLE = "portal.lead_search_terms"

# As 0004's, plus lead_created_on; a change of created_on alone only moves the terms' copy of it.
SEARCH_TERMS_SYNC = r"""
CREATE OR REPLACE FUNCTION portal.lead_search_terms_sync() RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.search_text IS NOT DISTINCT FROM OLD.search_text THEN
      IF NEW.created_on IS DISTINCT FROM OLD.created_on THEN
        UPDATE portal.lead_search_terms SET lead_created_on = NEW.created_on
        WHERE tenant_id = NEW.tenant_id AND lead_id = NEW.id;
      END IF;
      RETURN NEW;
    END IF;
    DELETE FROM portal.lead_search_terms WHERE tenant_id = NEW.tenant_id AND lead_id = NEW.id;
  END IF;
  INSERT INTO portal.lead_search_terms (tenant_id, term, lead_id, lead_created_on)
  SELECT DISTINCT NEW.tenant_id, left(w, 100), NEW.id, NEW.created_on
  FROM (
    SELECT pg_catalog.regexp_split_to_table(coalesce(NEW.search_text, ''), '\s+') AS w
    UNION
    SELECT pg_catalog.regexp_split_to_table(coalesce(NEW.search_text, ''), '[^[:alnum:]]+')
  ) AS words
  WHERE w <> ''
  ON CONFLICT DO NOTHING;
  RETURN NEW;
END
$$
"""

# 0004's function, for the downgrade.
PREVIOUS_SYNC = r"""
CREATE OR REPLACE FUNCTION portal.lead_search_terms_sync() RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.search_text IS NOT DISTINCT FROM OLD.search_text THEN
      RETURN NEW;
    END IF;
    DELETE FROM portal.lead_search_terms WHERE tenant_id = NEW.tenant_id AND lead_id = NEW.id;
  END IF;
  INSERT INTO portal.lead_search_terms (tenant_id, term, lead_id)
  SELECT DISTINCT NEW.tenant_id, left(w, 100), NEW.id
  FROM (
    SELECT pg_catalog.regexp_split_to_table(coalesce(NEW.search_text, ''), '\s+') AS w
    UNION
    SELECT pg_catalog.regexp_split_to_table(coalesce(NEW.search_text, ''), '[^[:alnum:]]+')
  ) AS words
  WHERE w <> ''
  ON CONFLICT DO NOTHING;
  RETURN NEW;
END
$$
"""

# Every lead's terms at once (bench/generate.py fills its leads' terms with this after loading them).
BACKFILL_TERMS = r"""
INSERT INTO portal.lead_search_terms (tenant_id, term, lead_id, lead_created_on)
SELECT DISTINCT l.tenant_id, left(words.w, 100), l.id, l.created_on
FROM public.leads l
CROSS JOIN LATERAL (
  SELECT regexp_split_to_table(coalesce(l.search_text, ''), '\s+') AS w
  UNION
  SELECT regexp_split_to_table(coalesce(l.search_text, ''), '[^[:alnum:]]+')
) AS words
WHERE words.w <> ''
ON CONFLICT DO NOTHING
"""

TRIGGER = (
    "CREATE TRIGGER lead_search_terms AFTER INSERT OR UPDATE OF {columns} ON public.leads "
    "FOR EACH ROW EXECUTE FUNCTION portal.lead_search_terms_sync()"
)


def upgrade():
    """Apply this revision."""
    op.add_column(
        "lead_search_terms", sa.Column("lead_created_on", sa.DateTime(timezone=True)), schema="portal"
    )
    # The existing terms' times. FORCE binds the owner too, so lift it for this only.
    for table in ("public.leads", TABLE):
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(
        f"UPDATE {TABLE} AS t SET lead_created_on = l.created_on FROM public.leads AS l "
        "WHERE l.tenant_id = t.tenant_id AND l.id = t.lead_id"
    )
    for table in ("public.leads", TABLE):
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.alter_column("lead_search_terms", "lead_created_on", nullable=False, schema="portal")
    op.drop_column("lead_search_terms", "created_on", schema="portal")
    op.execute(
        f"ALTER TABLE {TABLE} DROP CONSTRAINT pk_lead_search_terms, "
        "ADD CONSTRAINT pk_lead_search_terms PRIMARY KEY (tenant_id, term, lead_id) INCLUDE (lead_created_on)"
    )
    op.execute(SEARCH_TERMS_SYNC)
    op.execute("DROP TRIGGER lead_search_terms ON public.leads")
    op.execute(TRIGGER.format(columns="search_text, created_on"))


def downgrade():
    """Revert this revision (0004's trigger function and columns)."""
    op.execute("DROP TRIGGER lead_search_terms ON public.leads")
    op.execute(TRIGGER.format(columns="search_text"))
    op.execute(PREVIOUS_SYNC)
    op.execute(
        f"ALTER TABLE {TABLE} DROP CONSTRAINT pk_lead_search_terms, "
        "ADD CONSTRAINT pk_lead_search_terms PRIMARY KEY (tenant_id, term, lead_id)"
    )
    op.add_column(
        "lead_search_terms",
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        schema="portal",
    )
    op.drop_column("lead_search_terms", "lead_created_on", schema="portal")
