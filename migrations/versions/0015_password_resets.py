"""Password resets by e-mail: ``portal.password_resets`` and the look-up of a link's tenant.

A reset link carries only its random token, and the person opening it is signed out, so there is no
tenant yet. Its one look-up across tenants goes through ``password_reset_tenant``, a SECURITY DEFINER
function owned by ``portal_auth`` (like ``auth_lookup`` and ``lead_form_tenant``), which may read only the
token hash and tenant of ``portal.password_resets`` and answers only to the token itself; the row is then
read under RLS with that tenant set.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 10:00:00
"""

import sqlalchemy as sa
from alembic import op

from portal.rls import disable_rls, enable_rls

TABLE = "portal.password_resets"

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    """Apply this revision."""
    op.create_table(
        "password_resets",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_on", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("requested_ip", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_password_resets_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "user_id"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_password_resets_tenant_id_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_password_resets_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_password_resets")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_password_resets_tenant_id_ref_id")),
        schema="portal",
    )
    op.create_index(
        "ix_password_resets_token", "password_resets", ["token_hash"], unique=False, schema="portal"
    )
    op.create_index(
        "ix_password_resets_user", "password_resets", ["tenant_id", "user_id"], unique=False, schema="portal"
    )
    enable_rls(op, TABLE)

    op.execute("GRANT USAGE ON SCHEMA portal TO portal_auth")
    op.execute(f"GRANT SELECT (tenant_id, token_hash) ON {TABLE} TO portal_auth")
    op.execute(f"CREATE POLICY password_reset_lookup ON {TABLE} FOR SELECT TO portal_auth USING (true)")
    # The parameter is p_token, not token_hash: a parameter named like a column would match every row.
    # Expired and used rows answer too, so the page can say which; the token alone is the secret.
    op.execute(
        """
        CREATE FUNCTION public.password_reset_tenant(p_token text)
        RETURNS uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
        AS $$
          SELECT r.tenant_id
          FROM portal.password_resets r
          WHERE r.token_hash = pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(p_token, 'UTF8')), 'hex')
          LIMIT 1
        $$
        """
    )
    # Privileges first, while we still own it; then the hand-over, exactly as for auth_lookup (0002).
    op.execute("REVOKE ALL ON FUNCTION public.password_reset_tenant(text) FROM PUBLIC")
    op.execute("GRANT EXECUTE ON FUNCTION public.password_reset_tenant(text) TO portal_app")
    op.execute("GRANT portal_auth TO CURRENT_USER")
    op.execute("GRANT CREATE ON SCHEMA public TO portal_auth")
    op.execute("ALTER FUNCTION public.password_reset_tenant(text) OWNER TO portal_auth")
    op.execute("REVOKE CREATE ON SCHEMA public FROM portal_auth")
    op.execute("REVOKE portal_auth FROM CURRENT_USER")


def downgrade():
    """Revert this revision."""
    op.execute("DROP FUNCTION IF EXISTS public.password_reset_tenant(text)")
    op.execute(f"DROP POLICY IF EXISTS password_reset_lookup ON {TABLE}")
    op.execute(f"REVOKE ALL ON {TABLE} FROM portal_auth")
    disable_rls(op, TABLE)
    op.drop_index("ix_password_resets_user", table_name="password_resets", schema="portal")
    op.drop_index("ix_password_resets_token", table_name="password_resets", schema="portal")
    op.drop_table("password_resets", schema="portal")
