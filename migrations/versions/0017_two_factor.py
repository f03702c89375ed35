"""Two-factor sign-in: the users' TOTP secrets, recovery codes and remembered devices, and the tenants'
sign-in policy (``require_two_factor``), in schema ``portal``, each forced under RLS like web_sessions.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08 12:00:00
"""

import sqlalchemy as sa
from alembic import op

from portal.rls import disable_rls, enable_rls

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

TABLES = ("two_factor_secrets", "recovery_codes", "remembered_devices", "sign_in_policies")
CURRENT_TENANT = sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid")


def _base(table: str) -> list:
    """tenant_id, id and ref_id first, created_by/created_on, and the keys every tenant table has."""
    return [
        sa.Column("tenant_id", sa.Uuid(), server_default=CURRENT_TENANT, nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f(f"fk_{table}_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f(f"uq_{table}_tenant_id_ref_id")),
    ]


def _user(table: str) -> list:
    """The user the row belongs to, deleted with them."""
    return [
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "user_id"],
            ["users.tenant_id", "users.id"],
            name=op.f(f"fk_{table}_tenant_id_user_id_users"),
            ondelete="CASCADE",
        ),
    ]


def upgrade():
    """Apply this revision."""
    table = "two_factor_secrets"
    op.create_table(
        table,
        *_base(table),
        *_user(table),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("enabled_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_counter", sa.BigInteger(), nullable=True),
        schema="portal",
    )
    op.create_index(
        "ux_two_factor_secrets_user", table, ["tenant_id", "user_id"], unique=True, schema="portal"
    )
    table = "recovery_codes"
    op.create_table(
        table,
        *_base(table),
        *_user(table),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_on", sa.DateTime(timezone=True), nullable=True),
        schema="portal",
    )
    op.create_index(
        "ux_recovery_codes_code", table, ["tenant_id", "user_id", "code_hash"], unique=True, schema="portal"
    )
    table = "remembered_devices"
    op.create_table(
        table,
        *_base(table),
        *_user(table),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column("ip", sa.Text(), nullable=True),
        sa.Column("last_used_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_on", sa.DateTime(timezone=True), nullable=False),
        schema="portal",
    )
    op.create_index(
        "ux_remembered_devices_token", table, ["tenant_id", "token_hash"], unique=True, schema="portal"
    )
    op.create_index("ix_remembered_devices_user", table, ["tenant_id", "user_id"], schema="portal")
    table = "sign_in_policies"
    op.create_table(
        table,
        *_base(table),
        sa.Column("require_two_factor", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f(f"fk_{table}_tenant_id_updated_by_users"),
        ),
        schema="portal",
    )
    op.create_index("ux_sign_in_policies_tenant", table, ["tenant_id"], unique=True, schema="portal")
    for name in TABLES:
        enable_rls(op, f"portal.{name}")


def downgrade():
    """Revert this revision."""
    for name in reversed(TABLES):
        disable_rls(op, f"portal.{name}")
        op.drop_table(name, schema="portal")
