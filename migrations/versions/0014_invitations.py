"""Invitations to join a team: ``portal.invitations``, forced under RLS, and the token's tenant look-up.

The acceptance page opens from an e-mailed link with nobody signed in, so its one look-up of a tenant by
token goes through ``invitation_tenant``, a SECURITY DEFINER function owned by ``portal_auth`` like
``auth_lookup`` and ``lead_form_tenant``, which may read only the token hash and tenant of the table.
(A tenant hint in the link would have to be the tenant's uuid: a ref_id cannot be resolved under RLS,
and URLs carry no internal uuid.)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 10:00:00
"""

import sqlalchemy as sa
from alembic import op

from portal.rls import disable_rls, enable_rls

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _user_key(column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        ["users.tenant_id", "users.id"],
        name=op.f(f"fk_invitations_tenant_id_{column}_users"),
    )


def upgrade():
    """Apply this revision."""
    op.create_table(
        "invitations",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("invited_by", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_on", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sent_on", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("revoked_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "role IN ('owner', 'admin', 'marketer', 'sales_manager', 'sales_rep', 'viewer')",
            name=op.f("ck_invitations_role"),
        ),
        sa.CheckConstraint("email = lower(email)", name=op.f("ck_invitations_email_lower")),
        _user_key("created_by"),
        _user_key("invited_by"),
        _user_key("revoked_by"),
        _user_key("user_id"),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_invitations_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_invitations_tenant_id_ref_id")),
        schema="portal",
    )
    op.create_index("ix_invitations_token", "invitations", ["token_hash"], unique=False, schema="portal")
    op.create_index(
        "ux_invitations_open_email",
        "invitations",
        ["tenant_id", "email"],
        unique=True,
        schema="portal",
        postgresql_where=sa.text("accepted_on IS NULL AND revoked_on IS NULL"),
    )
    enable_rls(op, "portal.invitations")

    op.execute("GRANT SELECT (tenant_id, token_hash) ON portal.invitations TO portal_auth")
    op.execute("CREATE POLICY invitation_lookup ON portal.invitations FOR SELECT TO portal_auth USING (true)")
    # The parameter is p_token, not token_hash: a parameter named like a column would match every row.
    op.execute(
        """
        CREATE FUNCTION public.invitation_tenant(p_token text)
        RETURNS uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
        AS $$
          SELECT i.tenant_id
          FROM portal.invitations i
          WHERE i.token_hash = pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(p_token, 'UTF8')), 'hex')
          LIMIT 1
        $$
        """
    )
    # Privileges first, while we still own it; then the hand-over, exactly as for auth_lookup (0002).
    op.execute("REVOKE ALL ON FUNCTION public.invitation_tenant(text) FROM PUBLIC")
    op.execute("GRANT EXECUTE ON FUNCTION public.invitation_tenant(text) TO portal_app")
    op.execute("GRANT portal_auth TO CURRENT_USER")
    op.execute("GRANT CREATE ON SCHEMA public TO portal_auth")
    op.execute("ALTER FUNCTION public.invitation_tenant(text) OWNER TO portal_auth")
    op.execute("REVOKE CREATE ON SCHEMA public FROM portal_auth")
    op.execute("REVOKE portal_auth FROM CURRENT_USER")


def downgrade():
    """Revert this revision."""
    op.execute("DROP FUNCTION IF EXISTS public.invitation_tenant(text)")
    op.execute("DROP POLICY IF EXISTS invitation_lookup ON portal.invitations")
    op.execute("REVOKE ALL ON portal.invitations FROM portal_auth")
    disable_rls(op, "portal.invitations")
    op.drop_index("ux_invitations_open_email", table_name="invitations", schema="portal")
    op.drop_index("ix_invitations_token", table_name="invitations", schema="portal")
    op.drop_table("invitations", schema="portal")
