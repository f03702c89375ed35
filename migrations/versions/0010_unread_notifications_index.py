"""The bell's unread count reads only unread notifications: a partial index on (tenant_id, user_id).

The count runs with the sidebar's on every page. On (tenant_id, user_id, created_on) it read every
notification the user ever had to find the unread ones; with 20,000 notifications (2,000 unread) the
sidebar statement took 4.1 ms instead of 0.7. The count also stops at the sidebar's cap (99+).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 07:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    """Apply this revision."""
    op.create_index(
        "ix_notifications_unread",
        "notifications",
        ["tenant_id", "user_id"],
        unique=False,
        schema="portal",
        postgresql_where=sa.text("read_on IS NULL"),
    )


def downgrade():
    """Revert this revision."""
    op.drop_index("ix_notifications_unread", table_name="notifications", schema="portal")
