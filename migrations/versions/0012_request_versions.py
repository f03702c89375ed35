"""Blog and social requests get a version, so a save from a page opened before another's is refused.

Editing a request in two tabs let the second save silently overwrite the first; the edit form now carries
the version it was loaded at and the UPDATE matches only that version (RLS is unchanged: a new column).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TABLES = ("blog_requests", "social_media_requests")


def upgrade():
    """Apply this revision."""
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade():
    """Revert this revision."""
    for table in TABLES:
        op.drop_column(table, "version")
