"""Drop 0005's covering index: since 0007 the dashboard's weeks chart reads the kept day counts, and no
statement uses the index any more (checked with EXPLAIN on the dashboard, the lead list in both created
orders, date filters and the lead report); it only cost every write to ``leads``.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 05:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    """Apply this revision."""
    op.drop_index(
        "ix_leads_tenant_live_created",
        table_name="leads",
        postgresql_include=["source"],
        postgresql_where=sa.text("deleted_on IS NULL"),
    )


def downgrade():
    """Revert this revision."""
    op.create_index(
        "ix_leads_tenant_live_created",
        "leads",
        ["tenant_id", "created_on"],
        unique=False,
        postgresql_include=["source"],
        postgresql_where=sa.text("deleted_on IS NULL"),
    )
