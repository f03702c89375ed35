"""The e-mail outbox keeps an HTML part, and a failed sending is retried later instead of lost.

``html_body`` is the message's HTML alternative (the plain text stays in ``body``); ``attempts`` and
``next_try_on`` let the worker leave a row pending after an SMTP refusal or time-out and try it again
with backoff. RLS is unchanged (new columns on an existing tenant table).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    """Apply this revision."""
    op.add_column("outbox_emails", sa.Column("html_body", sa.Text(), nullable=True), schema="portal")
    op.add_column(
        "outbox_emails",
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        schema="portal",
    )
    op.add_column(
        "outbox_emails", sa.Column("next_try_on", sa.DateTime(timezone=True), nullable=True), schema="portal"
    )


def downgrade():
    """Revert this revision."""
    for column in ("next_try_on", "attempts", "html_body"):
        op.drop_column("outbox_emails", column, schema="portal")
