"""Notifications by e-mail and a daily digest, and reminders: each user's choice per kind of notification,
the notifications waiting for a digest, the digests sent (one per user and day) and the reminders sent (one
per user, kind and item), in schema ``portal``, each forced under RLS like web_sessions.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 22:00:00
"""

import sqlalchemy as sa
from alembic import op

from portal.rls import disable_rls, enable_rls

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

TABLES = ("notification_preferences", "digest_items", "digests", "reminders_sent")
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
    table = "notification_preferences"
    op.create_table(
        table,
        *_base(table),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("choice", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "choice IN ('bell', 'email', 'digest')", name=op.f("ck_notification_preferences_choice")
        ),
        schema="portal",
    )
    op.create_index(
        "ux_notification_preferences_kind",
        table,
        ["tenant_id", "user_id", "kind"],
        unique=True,
        schema="portal",
    )
    table = "digest_items"
    op.create_table(
        table,
        *_base(table),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("digest_day", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id", "notification_id"],
            ["portal.notifications.tenant_id", "portal.notifications.id"],
            name=op.f(f"fk_{table}_tenant_id_notification_id_notifications"),
            ondelete="CASCADE",
        ),
        schema="portal",
    )
    op.create_index(
        "ux_digest_items_notification", table, ["tenant_id", "notification_id"], unique=True, schema="portal"
    )
    op.create_index(
        "ix_digest_items_waiting",
        table,
        ["tenant_id", "user_id"],
        schema="portal",
        postgresql_where=sa.text("digest_day IS NULL"),
    )
    table = "digests"
    op.create_table(table, *_base(table), sa.Column("day", sa.Date(), nullable=False), schema="portal")
    op.create_index(
        "ux_digests_user_day", table, ["tenant_id", "user_id", "day"], unique=True, schema="portal"
    )
    table = "reminders_sent"
    op.create_table(
        table,
        *_base(table),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("item_ref", sa.Text(), nullable=False),
        schema="portal",
    )
    op.create_index(
        "ux_reminders_sent_item",
        table,
        ["tenant_id", "user_id", "kind", "item_ref"],
        unique=True,
        schema="portal",
    )
    for name in TABLES:
        enable_rls(op, f"portal.{name}")


def downgrade():
    """Revert this revision."""
    for name in reversed(TABLES):
        disable_rls(op, f"portal.{name}")
        op.drop_table(name, schema="portal")
