"""The leads area's tables: search terms (kept by a trigger), CSV imports, web-form tokens (schema portal).

The web form posts without a signed-in user, so its one look-up of a tenant by token goes through
``lead_form_tenant``, a SECURITY DEFINER function owned by ``portal_auth`` (like ``auth_lookup``), which may
read only the token hash, tenant and revocation of ``portal.lead_web_forms``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 23:40:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from portal.rls import disable_rls, enable_rls

TABLES = ("portal.lead_search_terms", "portal.lead_imports", "portal.lead_web_forms")

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Each word of search_text, and each run of letters and digits (so "smith" is found in "j.smith@x.com"),
# cut to 100 characters; the trigger runs as the writer (no SECURITY DEFINER), so RLS applies to it too.
SEARCH_TERMS_SYNC = r"""
CREATE FUNCTION portal.lead_search_terms_sync() RETURNS trigger
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

BACKFILL_TERMS = r"""
INSERT INTO portal.lead_search_terms (tenant_id, term, lead_id)
SELECT DISTINCT l.tenant_id, left(words.w, 100), l.id
FROM public.leads l
CROSS JOIN LATERAL (
  SELECT regexp_split_to_table(coalesce(l.search_text, ''), '\s+') AS w
  UNION
  SELECT regexp_split_to_table(coalesce(l.search_text, ''), '[^[:alnum:]]+')
) AS words
WHERE words.w <> ''
ON CONFLICT DO NOTHING
"""


def upgrade():
    """Apply this revision."""
    op.create_table(
        "lead_imports",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="mapping", nullable=False),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column(
            "header",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "mapping",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("total_rows", sa.Integer(), server_default="0", nullable=False),
        sa.Column("processed_rows", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "errors",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("finished_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "status IN ('mapping', 'queued', 'processing', 'rejected', 'done')",
            name=op.f("ck_lead_imports_status"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_lead_imports_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_lead_imports_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_lead_imports")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_lead_imports_tenant_id_ref_id")),
        schema="portal",
    )
    op.create_index(
        "ix_lead_imports_tenant_created",
        "lead_imports",
        ["tenant_id", "created_on"],
        unique=False,
        schema="portal",
    )
    op.create_table(
        "lead_web_forms",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("revoked_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_lead_web_forms_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_lead_web_forms_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_lead_web_forms")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_lead_web_forms_tenant_id_ref_id")),
        schema="portal",
    )
    op.create_index(
        "ix_lead_web_forms_token", "lead_web_forms", ["token_hash"], unique=False, schema="portal"
    )
    op.create_table(
        "lead_search_terms",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("term", sa.Text(collation="C"), nullable=False),
        sa.Column("lead_id", sa.Uuid(), nullable=False),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "lead_id"],
            ["leads.tenant_id", "leads.id"],
            name=op.f("fk_lead_search_terms_tenant_id_lead_id_leads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_lead_search_terms_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "term", "lead_id", name=op.f("pk_lead_search_terms")),
        schema="portal",
    )
    op.create_index(
        "ix_lead_search_terms_lead",
        "lead_search_terms",
        ["tenant_id", "lead_id"],
        unique=False,
        schema="portal",
    )

    op.create_index(
        "ix_leads_tenant_waiting",
        "leads",
        ["tenant_id", "status", "assigned_to"],
        unique=False,
        postgresql_where=sa.text("deleted_on IS NULL"),
    )
    for table in TABLES:
        enable_rls(op, table)

    op.execute(SEARCH_TERMS_SYNC)
    op.execute(
        "CREATE TRIGGER lead_search_terms AFTER INSERT OR UPDATE OF search_text ON public.leads "
        "FOR EACH ROW EXECUTE FUNCTION portal.lead_search_terms_sync()"
    )
    # Terms for the leads that exist already. FORCE binds the owner too, so lift it for this statement only.
    op.execute("ALTER TABLE public.leads NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE portal.lead_search_terms NO FORCE ROW LEVEL SECURITY")
    op.execute(BACKFILL_TERMS)
    op.execute("ALTER TABLE portal.lead_search_terms FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE public.leads FORCE ROW LEVEL SECURITY")

    op.execute("GRANT USAGE ON SCHEMA portal TO portal_auth")
    op.execute("GRANT SELECT (tenant_id, token_hash, revoked_on) ON portal.lead_web_forms TO portal_auth")
    op.execute(
        "CREATE POLICY lead_form_lookup ON portal.lead_web_forms FOR SELECT TO portal_auth USING (true)"
    )
    # The parameter is p_token, not token_hash: a parameter named like a column would match every row.
    op.execute(
        """
        CREATE FUNCTION public.lead_form_tenant(p_token text)
        RETURNS uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
        AS $$
          SELECT f.tenant_id
          FROM portal.lead_web_forms f
          WHERE f.token_hash = pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(p_token, 'UTF8')), 'hex')
            AND f.revoked_on IS NULL
          LIMIT 1
        $$
        """
    )
    # Privileges first, while we still own it; then the hand-over, exactly as for auth_lookup (0002).
    op.execute("REVOKE ALL ON FUNCTION public.lead_form_tenant(text) FROM PUBLIC")
    op.execute("GRANT EXECUTE ON FUNCTION public.lead_form_tenant(text) TO portal_app")
    op.execute("GRANT portal_auth TO CURRENT_USER")
    op.execute("GRANT CREATE ON SCHEMA public TO portal_auth")
    op.execute("ALTER FUNCTION public.lead_form_tenant(text) OWNER TO portal_auth")
    op.execute("REVOKE CREATE ON SCHEMA public FROM portal_auth")
    op.execute("REVOKE portal_auth FROM CURRENT_USER")


def downgrade():
    """Revert this revision."""
    op.execute("DROP FUNCTION IF EXISTS public.lead_form_tenant(text)")
    op.execute("DROP POLICY IF EXISTS lead_form_lookup ON portal.lead_web_forms")
    op.execute("REVOKE ALL ON portal.lead_web_forms FROM portal_auth")
    op.execute("REVOKE USAGE ON SCHEMA portal FROM portal_auth")
    op.execute("DROP TRIGGER IF EXISTS lead_search_terms ON public.leads")
    op.execute("DROP FUNCTION IF EXISTS portal.lead_search_terms_sync()")
    for table in TABLES:
        disable_rls(op, table)
    op.drop_index(
        "ix_leads_tenant_waiting", table_name="leads", postgresql_where=sa.text("deleted_on IS NULL")
    )
    op.drop_index("ix_lead_search_terms_lead", table_name="lead_search_terms", schema="portal")
    op.drop_table("lead_search_terms", schema="portal")
    op.drop_index("ix_lead_web_forms_token", table_name="lead_web_forms", schema="portal")
    op.drop_table("lead_web_forms", schema="portal")
    op.drop_index("ix_lead_imports_tenant_created", table_name="lead_imports", schema="portal")
    op.drop_table("lead_imports", schema="portal")
