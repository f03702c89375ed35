"""The dashboard's covering index: leads per week and source answered from the index alone.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 01:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    """Apply this revision."""
    op.create_index(
        "ix_leads_tenant_live_created",
        "leads",
        ["tenant_id", "created_on"],
        unique=False,
        postgresql_include=["source"],
        postgresql_where=sa.text("deleted_on IS NULL"),
    )


def downgrade():
    """Revert this revision."""
    op.drop_index(
        "ix_leads_tenant_live_created",
        table_name="leads",
        postgresql_include=["source"],
        postgresql_where=sa.text("deleted_on IS NULL"),
    )
