"""Initial schema: the 31 tables of docs/SCHEMA.md with composite tenant keys, and portal.web_sessions.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 22:58:54.574372
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    """Apply this revision."""
    # The portal's own tables (sessions, …) live beside the platform's 31, in a schema of their own.
    op.execute("CREATE SCHEMA IF NOT EXISTS portal")
    op.create_table(
        "tenants",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("slug", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="onboarding", nullable=False),
        sa.Column("plan", sa.Text(), server_default="pro", nullable=False),
        sa.Column("timezone", sa.Text(), server_default="UTC", nullable=False),
        sa.Column("currency", sa.String(length=3), server_default="INR", nullable=False),
        sa.Column("brand_color", sa.String(length=7), server_default="#4f46e5", nullable=False),
        sa.Column("contract_accepted_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("onboarding_completed_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("monthly_credit_allocation", sa.Integer(), server_default="50", nullable=False),
        sa.Column("lead_assignment_mode", sa.Text(), server_default="manual", nullable=False),
        sa.Column("first_contact_sla_hours", sa.Integer(), server_default="24", nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("brand_color ~ '^#[0-9a-fA-F]{6}$'", name=op.f("ck_tenants_brand_color")),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_tenants_currency")),
        sa.CheckConstraint(
            "lead_assignment_mode IN ('manual', 'round_robin', 'capacity')",
            name=op.f("ck_tenants_lead_assignment_mode"),
        ),
        sa.CheckConstraint("plan IN ('free', 'pro', 'agency', 'enterprise')", name=op.f("ck_tenants_plan")),
        sa.CheckConstraint(
            "status IN ('onboarding', 'trialing', 'active', 'suspended', 'cancelled')",
            name=op.f("ck_tenants_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenants")),
        sa.UniqueConstraint("ref_id", name=op.f("uq_tenants_ref_id")),
        sa.UniqueConstraint("slug", name=op.f("uq_tenants_slug")),
    )
    op.create_table(
        "users",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("session_version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("must_change_password", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("last_login_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("deleted_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "role IN ('owner', 'admin', 'marketer', 'sales_manager', 'sales_rep', 'viewer')",
            name=op.f("ck_users_role"),
        ),
        sa.CheckConstraint("email = lower(email)", name=op.f("ck_users_email_lower")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_users_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "deleted_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_users_tenant_id_deleted_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_users_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_users_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_users")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_users_tenant_id_ref_id")),
    )
    op.create_index("ix_users_tenant_role", "users", ["tenant_id", "role", "is_active"], unique=False)
    op.create_index("ux_users_email", "users", ["email"], unique=True)
    op.create_table(
        "activity_templates",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("source_template_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "steps",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("deleted_on", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_activity_templates_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "deleted_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_activity_templates_tenant_id_deleted_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "source_template_id"],
            ["activity_templates.tenant_id", "activity_templates.id"],
            name=op.f("fk_activity_templates_tenant_id_source_template_id_activity_templates"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_activity_templates_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_activity_templates_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_activity_templates")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_activity_templates_tenant_id_ref_id")),
    )
    op.create_table(
        "agent_configs",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("agent_name", sa.Text(), nullable=False),
        sa.Column("adapter", sa.Text(), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column(
            "settings",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("deleted_on", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_agent_configs_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "deleted_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_agent_configs_tenant_id_deleted_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_agent_configs_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_agent_configs_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_agent_configs")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_agent_configs_tenant_id_ref_id")),
    )
    op.create_table(
        "billing_events",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), server_default="INR", nullable=False),
        sa.Column("credits", sa.Integer(), nullable=True),
        sa.Column("credit_balance_after", sa.Integer(), nullable=True),
        sa.Column("invoice_number", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), server_default="paid", nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("external_ref", sa.Text(), nullable=True),
        sa.Column("occurred_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_billing_events_currency")),
        sa.CheckConstraint(
            "invoice_number IS NULL OR invoice_number ~ '^INV-[0-9]{4}-[0-9]{2}-[0-9]{4}$'",
            name=op.f("ck_billing_events_invoice"),
        ),
        sa.CheckConstraint(
            "kind IN ('subscription_charge', 'invoice', 'payment', 'credit_allocation', 'credit_consumed', 'credit_released', 'credit_topup', 'refund', 'adjustment')",
            name=op.f("ck_billing_events_kind"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'paid', 'overdue', 'void')", name=op.f("ck_billing_events_status")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_billing_events_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_billing_events_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_billing_events_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_billing_events")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_billing_events_tenant_id_ref_id")),
    )
    op.create_index(
        "ix_billing_events_tenant_occurred", "billing_events", ["tenant_id", "occurred_on"], unique=False
    )
    op.create_index(
        "ux_billing_events_invoice", "billing_events", ["tenant_id", "invoice_number"], unique=True
    )
    op.create_table(
        "channels",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), server_default="disconnected", nullable=False),
        sa.Column("connected_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("deleted_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('connected', 'disconnected', 'error')", name=op.f("ck_channels_status")
        ),
        sa.CheckConstraint(
            "type IN ('website', 'blog', 'wordpress', 'google_analytics', 'google_search_console', 'google_ads', 'meta_ads', 'facebook', 'instagram', 'linkedin', 'x', 'google_business_profile', 'email')",
            name=op.f("ck_channels_type"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_channels_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "deleted_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_channels_tenant_id_deleted_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_channels_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_channels_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_channels")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_channels_tenant_id_ref_id")),
    )
    op.create_table(
        "contracts",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("contract_ref_id", sa.String(length=26), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="sent", nullable=False),
        sa.Column("pdf_s3_key", sa.Text(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("sent_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("accepted_by", sa.Uuid(), nullable=True),
        sa.Column("accepted_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_ip", sa.Text(), nullable=True),
        sa.Column("accepted_user_agent", sa.Text(), nullable=True),
        sa.Column("accepted_name", sa.Text(), nullable=True),
        sa.Column("accepted_sha256", sa.String(length=64), nullable=True),
        sa.Column("consent_text", sa.Text(), nullable=True),
        sa.Column("declined_by", sa.Uuid(), nullable=True),
        sa.Column("declined_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("declined_reason", sa.Text(), nullable=True),
        sa.Column("superseded_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("pdf_sha256 ~ '^[0-9a-f]{64}$'", name=op.f("ck_contracts_pdf_sha256")),
        sa.CheckConstraint(
            "status IN ('sent', 'accepted', 'declined', 'superseded')", name=op.f("ck_contracts_status")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "accepted_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_contracts_tenant_id_accepted_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_contracts_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "declined_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_contracts_tenant_id_declined_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_contracts_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_contracts_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_contracts")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_contracts_tenant_id_ref_id")),
    )
    op.create_index(
        "ux_contracts_live",
        "contracts",
        ["tenant_id"],
        unique=True,
        postgresql_where=sa.text("status IN ('sent', 'accepted')"),
    )
    op.create_table(
        "onboarding_runs",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("status", sa.Text(), server_default="in_progress", nullable=False),
        sa.Column(
            "inputs",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("current_step", sa.Text(), nullable=True),
        sa.Column("context_file_id", sa.String(length=24), nullable=True),
        sa.Column("research_id", sa.String(length=24), nullable=True),
        sa.Column("started_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("completed_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.Uuid(), nullable=True),
        sa.Column("reviewed_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_notes", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('in_progress', 'awaiting_review', 'approved', 'revision_requested')",
            name=op.f("ck_onboarding_runs_status"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_onboarding_runs_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "reviewed_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_onboarding_runs_tenant_id_reviewed_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_onboarding_runs_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_onboarding_runs_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_onboarding_runs")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_onboarding_runs_tenant_id_ref_id")),
    )
    op.create_table(
        "web_sessions",
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
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("ip", sa.Text(), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column("last_seen_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_on", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_web_sessions_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "user_id"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_web_sessions_tenant_id_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_web_sessions_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_web_sessions_tenant_id_ref_id")),
        schema="portal",
    )
    op.create_index(
        "ix_web_sessions_user", "web_sessions", ["tenant_id", "user_id"], unique=False, schema="portal"
    )
    op.create_index(
        "ux_web_sessions_token", "web_sessions", ["tenant_id", "token_hash"], unique=True, schema="portal"
    )
    op.create_table(
        "recurring_task_templates",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("source_template_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("activity_type", sa.Text(), nullable=False),
        sa.Column("schedule", sa.Text(), nullable=False),
        sa.Column(
            "variables",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("deleted_on", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_recurring_task_templates_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "deleted_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_recurring_task_templates_tenant_id_deleted_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "source_template_id"],
            ["recurring_task_templates.tenant_id", "recurring_task_templates.id"],
            name=op.f("fk_recurring_task_templates_tenant_id_source_template_id_recurring_task_templates"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_recurring_task_templates_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_recurring_task_templates_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_recurring_task_templates")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_recurring_task_templates_tenant_id_ref_id")),
    )
    op.create_table(
        "strategies",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), server_default="draft", nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("content_ref", sa.String(length=24), nullable=True),
        sa.Column("approved_by", sa.Uuid(), nullable=True),
        sa.Column("approved_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejected_by", sa.Uuid(), nullable=True),
        sa.Column("rejected_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejection_note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'pending_review', 'approved', 'rejected', 'archived')",
            name=op.f("ck_strategies_status"),
        ),
        sa.CheckConstraint("period_end > period_start", name=op.f("ck_strategies_period")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "approved_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_strategies_tenant_id_approved_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_strategies_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_strategies_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_strategies_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_strategies")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_strategies_tenant_id_ref_id")),
    )
    op.create_index("ix_strategies_tenant_version", "strategies", ["tenant_id", "version"], unique=False)
    op.create_index(
        "ux_strategies_approved",
        "strategies",
        ["tenant_id"],
        unique=True,
        postgresql_where=sa.text("status = 'approved'"),
    )
    op.create_table(
        "ad_campaigns",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("platform", sa.Text(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="draft", nullable=False),
        sa.Column("budget", sa.Numeric(precision=12, scale=2), server_default="0", nullable=False),
        sa.Column("spent", sa.Numeric(precision=12, scale=2), server_default="0", nullable=False),
        sa.Column("currency", sa.String(length=3), server_default="INR", nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("external_campaign_id", sa.Text(), nullable=True),
        sa.Column("impressions", sa.Integer(), server_default="0", nullable=False),
        sa.Column("clicks", sa.Integer(), server_default="0", nullable=False),
        sa.Column("conversions", sa.Integer(), server_default="0", nullable=False),
        sa.Column("client_decision_note", sa.Text(), nullable=True),
        sa.Column("client_decided_by", sa.Uuid(), nullable=True),
        sa.Column("client_decided_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "goal IN ('awareness', 'traffic', 'leads', 'sales')", name=op.f("ck_ad_campaigns_goal")
        ),
        sa.CheckConstraint(
            "platform IN ('google_ads', 'meta_ads', 'linkedin_ads')", name=op.f("ck_ad_campaigns_platform")
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'dm_review', 'dm_approved', 'client_review', 'client_approved', 'active', 'paused', 'completed', 'archived')",
            name=op.f("ck_ad_campaigns_status"),
        ),
        sa.CheckConstraint("budget >= 0 AND spent >= 0", name=op.f("ck_ad_campaigns_money")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "channel_id"],
            ["channels.tenant_id", "channels.id"],
            name=op.f("fk_ad_campaigns_tenant_id_channel_id_channels"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "client_decided_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_ad_campaigns_tenant_id_client_decided_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_ad_campaigns_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_ad_campaigns_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_ad_campaigns_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_ad_campaigns")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_ad_campaigns_tenant_id_ref_id")),
    )
    op.create_index("ix_ad_campaigns_tenant_status", "ad_campaigns", ["tenant_id", "status"], unique=False)
    op.create_table(
        "channel_scores",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("scored_on", sa.Date(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=True),
        sa.Column(
            "metrics",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("score BETWEEN 0 AND 100", name=op.f("ck_channel_scores_score_range")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "channel_id"],
            ["channels.tenant_id", "channels.id"],
            name=op.f("fk_channel_scores_tenant_id_channel_id_channels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_channel_scores_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_channel_scores_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_channel_scores")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_channel_scores_tenant_id_ref_id")),
    )
    op.create_index(
        "ux_channel_scores_day", "channel_scores", ["tenant_id", "channel_id", "scored_on"], unique=True
    )
    op.create_table(
        "goals",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("strategy_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("metric", sa.Text(), nullable=False),
        sa.Column("metric_type", sa.Text(), nullable=False),
        sa.Column("target_value", sa.Text(), nullable=False),
        sa.Column("target_numeric_value", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("baseline_value", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("current_value", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("timeframe_months", sa.Integer(), server_default="6", nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.Text(), server_default="active", nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("deleted_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "metric_type IN ('GSC_CLICKS', 'GSC_IMPRESSIONS', 'GA_SESSIONS', 'GA_CONVERSIONS', 'GOOGLE_ADS_CONVERSIONS', 'META_ADS_LEADS', 'QUALIFIED_LEADS', 'SOCIAL_FOLLOWERS', 'BACKLINKS', 'KEYWORD_RANKINGS')",
            name=op.f("ck_goals_metric_type"),
        ),
        sa.CheckConstraint(
            "status IN ('active', 'achieved', 'missed', 'archived')", name=op.f("ck_goals_status")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_goals_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "deleted_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_goals_tenant_id_deleted_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "strategy_id"],
            ["strategies.tenant_id", "strategies.id"],
            name=op.f("fk_goals_tenant_id_strategy_id_strategies"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_goals_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_goals_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_goals")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_goals_tenant_id_ref_id")),
    )
    op.create_index("ix_goals_tenant_strategy", "goals", ["tenant_id", "strategy_id"], unique=False)
    op.create_table(
        "ad_keywords",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=True),
        sa.Column("ad_campaign_id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), server_default="positive", nullable=False),
        sa.Column("match_type", sa.Text(), server_default="phrase", nullable=False),
        sa.Column("source", sa.Text(), server_default="manual", nullable=False),
        sa.Column("status", sa.Text(), server_default="active", nullable=False),
        sa.Column("max_cpc", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("impressions", sa.Integer(), server_default="0", nullable=False),
        sa.Column("clicks", sa.Integer(), server_default="0", nullable=False),
        sa.Column("conversions", sa.Integer(), server_default="0", nullable=False),
        sa.Column("cost", sa.Numeric(precision=12, scale=2), server_default="0", nullable=False),
        sa.Column("quality_score", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('positive', 'negative')", name=op.f("ck_ad_keywords_kind")),
        sa.CheckConstraint(
            "match_type IN ('exact', 'phrase', 'broad')", name=op.f("ck_ad_keywords_match_type")
        ),
        sa.CheckConstraint(
            "source IN ('manual', 'search_term_classification')", name=op.f("ck_ad_keywords_source")
        ),
        sa.CheckConstraint(
            "status IN ('active', 'paused', 'pending_push', 'removed')", name=op.f("ck_ad_keywords_status")
        ),
        sa.CheckConstraint("quality_score BETWEEN 1 AND 10", name=op.f("ck_ad_keywords_quality_score_range")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "ad_campaign_id"],
            ["ad_campaigns.tenant_id", "ad_campaigns.id"],
            name=op.f("fk_ad_keywords_tenant_id_ad_campaign_id_ad_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "channel_id"],
            ["channels.tenant_id", "channels.id"],
            name=op.f("fk_ad_keywords_tenant_id_channel_id_channels"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_ad_keywords_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_ad_keywords_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_ad_keywords_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_ad_keywords")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_ad_keywords_tenant_id_ref_id")),
    )
    op.create_index(
        "ix_ad_keywords_tenant_campaign", "ad_keywords", ["tenant_id", "ad_campaign_id"], unique=False
    )
    op.create_table(
        "deliverables",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("goal_id", sa.Uuid(), nullable=False),
        sa.Column("strategy_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("monthly_volume", sa.Integer(), nullable=False),
        sa.Column("credits_per_unit", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), server_default="generating", nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("deleted_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('generating', 'in_review', 'needs_approval', 'approved', 'published')",
            name=op.f("ck_deliverables_status"),
        ),
        sa.CheckConstraint(
            "type IN ('blog_post', 'social_post', 'gbp_post', 'content_brief', 'keyword_cluster', 'social_calendar', 'email_newsletter', 'landing_page', 'google_ads_copy', 'meta_ads_copy', 'monthly_report', 'backlinks')",
            name=op.f("ck_deliverables_type"),
        ),
        sa.CheckConstraint("monthly_volume >= 0", name=op.f("ck_deliverables_monthly_volume")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_deliverables_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "deleted_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_deliverables_tenant_id_deleted_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "goal_id"],
            ["goals.tenant_id", "goals.id"],
            name=op.f("fk_deliverables_tenant_id_goal_id_goals"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "strategy_id"],
            ["strategies.tenant_id", "strategies.id"],
            name=op.f("fk_deliverables_tenant_id_strategy_id_strategies"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_deliverables_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_deliverables_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_deliverables")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_deliverables_tenant_id_ref_id")),
    )
    op.create_index("ix_deliverables_tenant_goal", "deliverables", ["tenant_id", "goal_id"], unique=False)
    op.create_index(
        "ix_deliverables_tenant_strategy", "deliverables", ["tenant_id", "strategy_id"], unique=False
    )
    op.create_table(
        "leads",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_channel_id", sa.Uuid(), nullable=True),
        sa.Column("source_campaign_id", sa.Uuid(), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("utm_source", sa.Text(), nullable=True),
        sa.Column("utm_medium", sa.Text(), nullable=True),
        sa.Column("utm_campaign", sa.Text(), nullable=True),
        sa.Column("first_name", sa.Text(), nullable=True),
        sa.Column("last_name", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("phone_digits", sa.Text(), nullable=True),
        sa.Column("company", sa.Text(), nullable=True),
        sa.Column("job_title", sa.Text(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), server_default="new", nullable=False),
        sa.Column("disqualification_reason", sa.Text(), nullable=True),
        sa.Column("score_total", sa.Integer(), server_default="0", nullable=False),
        sa.Column("score_band", sa.String(length=8), server_default="cold", nullable=False),
        sa.Column("assigned_to", sa.Uuid(), nullable=True),
        sa.Column("assigned_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_contacted_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_activity_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("estimated_value", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column(
            "enrichment_data",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("deleted_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("score_band IN ('cold', 'warm', 'hot')", name=op.f("ck_leads_score_band")),
        sa.CheckConstraint(
            "source IN ('website_form', 'facebook_lead_ad', 'google_lead_form', 'manual', 'import', 'other')",
            name=op.f("ck_leads_source"),
        ),
        sa.CheckConstraint(
            "status IN ('new', 'contacted', 'qualified', 'disqualified', 'converted')",
            name=op.f("ck_leads_status"),
        ),
        sa.CheckConstraint("score_total BETWEEN 0 AND 100", name=op.f("ck_leads_score_total_range")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "assigned_to"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_leads_tenant_id_assigned_to_users"),
            ondelete="SET NULL (assigned_to)",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_leads_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "deleted_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_leads_tenant_id_deleted_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "source_campaign_id"],
            ["ad_campaigns.tenant_id", "ad_campaigns.id"],
            name=op.f("fk_leads_tenant_id_source_campaign_id_ad_campaigns"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "source_channel_id"],
            ["channels.tenant_id", "channels.id"],
            name=op.f("fk_leads_tenant_id_source_channel_id_channels"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_leads_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_leads_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_leads")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_leads_tenant_id_ref_id")),
    )
    op.create_index(
        "ix_leads_tenant_assigned", "leads", ["tenant_id", "assigned_to", "created_on"], unique=False
    )
    op.create_index("ix_leads_tenant_created", "leads", ["tenant_id", "created_on"], unique=False)
    op.create_index("ix_leads_tenant_email", "leads", ["tenant_id", "email"], unique=False)
    op.create_index("ix_leads_tenant_phone", "leads", ["tenant_id", "phone_digits"], unique=False)
    op.create_index(
        "ix_leads_tenant_score", "leads", ["tenant_id", "score_total", "created_on"], unique=False
    )
    op.create_index(
        "ix_leads_tenant_search",
        "leads",
        ["tenant_id", "search_text"],
        unique=False,
        postgresql_ops={"search_text": "text_pattern_ops"},
    )
    op.create_index(
        "ix_leads_tenant_status_created", "leads", ["tenant_id", "status", "created_on"], unique=False
    )
    op.create_table(
        "search_term_reports",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=True),
        sa.Column("ad_campaign_id", sa.Uuid(), nullable=False),
        sa.Column("search_term", sa.Text(), nullable=False),
        sa.Column("match_type", sa.Text(), nullable=False),
        sa.Column("sync_date", sa.Date(), nullable=False),
        sa.Column("impressions", sa.Integer(), server_default="0", nullable=False),
        sa.Column("clicks", sa.Integer(), server_default="0", nullable=False),
        sa.Column("cost", sa.Numeric(precision=12, scale=2), server_default="0", nullable=False),
        sa.Column("conversions", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "match_type IN ('exact', 'phrase', 'broad')", name=op.f("ck_search_term_reports_match_type")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "ad_campaign_id"],
            ["ad_campaigns.tenant_id", "ad_campaigns.id"],
            name=op.f("fk_search_term_reports_tenant_id_ad_campaign_id_ad_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "channel_id"],
            ["channels.tenant_id", "channels.id"],
            name=op.f("fk_search_term_reports_tenant_id_channel_id_channels"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_search_term_reports_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_search_term_reports_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_search_term_reports")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_search_term_reports_tenant_id_ref_id")),
    )
    op.create_index(
        "ix_search_term_reports_tenant_date",
        "search_term_reports",
        ["tenant_id", "ad_campaign_id", "sync_date"],
        unique=False,
    )
    op.create_index(
        "ux_search_term_reports_day",
        "search_term_reports",
        ["tenant_id", "ad_campaign_id", "search_term", "sync_date"],
        unique=True,
    )
    op.create_table(
        "sessions",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("goal_id", sa.Uuid(), nullable=True),
        sa.Column("agent_name", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="active", nullable=False),
        sa.Column("started_on", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('active', 'ended', 'expired')", name=op.f("ck_sessions_status")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_sessions_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "goal_id"],
            ["goals.tenant_id", "goals.id"],
            name=op.f("fk_sessions_tenant_id_goal_id_goals"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_sessions_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_sessions_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_sessions")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_sessions_tenant_id_ref_id")),
    )
    op.create_index("ix_sessions_tenant_goal", "sessions", ["tenant_id", "goal_id"], unique=False)
    op.create_table(
        "deliverable_periods",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("deliverable_id", sa.Uuid(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("target_count", sa.Integer(), nullable=False),
        sa.Column("delivered_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("status", sa.Text(), server_default="upcoming", nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('upcoming', 'in_progress', 'delivered', 'missed')",
            name=op.f("ck_deliverable_periods_status"),
        ),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_deliverable_periods_period")),
        sa.CheckConstraint(
            "target_count >= 0 AND delivered_count >= 0", name=op.f("ck_deliverable_periods_counts")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_deliverable_periods_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "deliverable_id"],
            ["deliverables.tenant_id", "deliverables.id"],
            name=op.f("fk_deliverable_periods_tenant_id_deliverable_id_deliverables"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_deliverable_periods_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_deliverable_periods_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_deliverable_periods")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_deliverable_periods_tenant_id_ref_id")),
    )
    op.create_index(
        "ix_deliverable_periods_tenant_start",
        "deliverable_periods",
        ["tenant_id", "period_start"],
        unique=False,
    )
    op.create_index(
        "ux_deliverable_periods_month",
        "deliverable_periods",
        ["tenant_id", "deliverable_id", "period_start"],
        unique=True,
    )
    op.create_table(
        "lead_activities",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("lead_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("actor_type", sa.Text(), server_default="human", nullable=False),
        sa.Column("actor_id", sa.Text(), nullable=True),
        sa.Column(
            "metadata",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "actor_type IN ('human', 'agent', 'system')", name=op.f("ck_lead_activities_actor_type")
        ),
        sa.CheckConstraint(
            "type IN ('note', 'call', 'email_sent', 'email_received', 'meeting', 'status_change', 'assignment', 'enrichment', 'score_updated')",
            name=op.f("ck_lead_activities_type"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_lead_activities_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "lead_id"],
            ["leads.tenant_id", "leads.id"],
            name=op.f("fk_lead_activities_tenant_id_lead_id_leads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_lead_activities_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_lead_activities")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_lead_activities_tenant_id_ref_id")),
    )
    op.create_index(
        "ix_lead_activities_tenant_lead",
        "lead_activities",
        ["tenant_id", "lead_id", "created_on"],
        unique=False,
    )
    op.create_table(
        "activities",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("deliverable_period_id", sa.Uuid(), nullable=True),
        sa.Column("goal_id", sa.Uuid(), nullable=True),
        sa.Column("parent_activity_id", sa.Uuid(), nullable=True),
        sa.Column("assignee_user_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("executor", sa.Text(), server_default="agent", nullable=False),
        sa.Column("status", sa.Text(), server_default="pending", nullable=False),
        sa.Column("due_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("blocked_note", sa.Text(), nullable=True),
        sa.Column("output_ref", sa.String(length=24), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("executor IN ('agent', 'human')", name=op.f("ck_activities_executor")),
        sa.CheckConstraint(
            "status IN ('pending', 'queued', 'in_progress', 'awaiting_approval', 'done', 'failed', 'cancelled', 'blocked')",
            name=op.f("ck_activities_status"),
        ),
        sa.CheckConstraint(
            "type IN ('blog_post', 'social_post', 'gbp_post', 'content_brief', 'keyword_cluster', 'social_calendar', 'email_newsletter', 'landing_page', 'google_ads_copy', 'meta_ads_copy', 'monthly_report', 'backlinks', 'strategy', 'context_file', 'backlink_research', 'search_term_review', 'ad_optimization')",
            name=op.f("ck_activities_type"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "assignee_user_id"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_activities_tenant_id_assignee_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_activities_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "deliverable_period_id"],
            ["deliverable_periods.tenant_id", "deliverable_periods.id"],
            name=op.f("fk_activities_tenant_id_deliverable_period_id_deliverable_periods"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "goal_id"],
            ["goals.tenant_id", "goals.id"],
            name=op.f("fk_activities_tenant_id_goal_id_goals"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "parent_activity_id"],
            ["activities.tenant_id", "activities.id"],
            name=op.f("fk_activities_tenant_id_parent_activity_id_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_activities_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_activities_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_activities")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_activities_tenant_id_ref_id")),
    )
    op.create_index(
        "ix_activities_tenant_assignee",
        "activities",
        ["tenant_id", "assignee_user_id", "status"],
        unique=False,
    )
    op.create_index("ix_activities_tenant_due", "activities", ["tenant_id", "due_on"], unique=False)
    op.create_index(
        "ix_activities_tenant_parent", "activities", ["tenant_id", "parent_activity_id"], unique=False
    )
    op.create_index(
        "ix_activities_tenant_period", "activities", ["tenant_id", "deliverable_period_id"], unique=False
    )
    op.create_table(
        "activity_runs",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=True),
        sa.Column("attempt", sa.Integer(), server_default="1", nullable=False),
        sa.Column("status", sa.Text(), server_default="queued", nullable=False),
        sa.Column("started_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("credits_reserved", sa.Integer(), server_default="0", nullable=False),
        sa.Column("credits_consumed", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'succeeded', 'failed')", name=op.f("ck_activity_runs_status")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "activity_id"],
            ["activities.tenant_id", "activities.id"],
            name=op.f("fk_activity_runs_tenant_id_activity_id_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_activity_runs_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "session_id"],
            ["sessions.tenant_id", "sessions.id"],
            name=op.f("fk_activity_runs_tenant_id_session_id_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_activity_runs_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_activity_runs_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_activity_runs")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_activity_runs_tenant_id_ref_id")),
    )
    op.create_index(
        "ix_activity_runs_tenant_activity", "activity_runs", ["tenant_id", "activity_id"], unique=False
    )
    op.create_index(
        "ix_activity_runs_tenant_started", "activity_runs", ["tenant_id", "started_on"], unique=False
    )
    op.create_table(
        "ad_optimization_recommendations",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=True),
        sa.Column("ad_campaign_id", sa.Uuid(), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=True),
        sa.Column("expected_impact", sa.Text(), nullable=True),
        sa.Column(
            "payload",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("status", sa.Text(), server_default="client_review", nullable=False),
        sa.Column("reviewed_by", sa.Uuid(), nullable=True),
        sa.Column("reviewed_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("applied_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('add_negative_keyword', 'raise_bid', 'lower_bid', 'pause_keyword', 'shift_budget', 'other')",
            name=op.f("ck_ad_optimization_recommendations_kind"),
        ),
        sa.CheckConstraint(
            "status IN ('client_review', 'approved', 'rejected', 'applied')",
            name=op.f("ck_ad_optimization_recommendations_status"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "activity_id"],
            ["activities.tenant_id", "activities.id"],
            name=op.f("fk_ad_optimization_recommendations_tenant_id_activity_id_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "ad_campaign_id"],
            ["ad_campaigns.tenant_id", "ad_campaigns.id"],
            name=op.f("fk_ad_optimization_recommendations_tenant_id_ad_campaign_id_ad_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "channel_id"],
            ["channels.tenant_id", "channels.id"],
            name=op.f("fk_ad_optimization_recommendations_tenant_id_channel_id_channels"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_ad_optimization_recommendations_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "reviewed_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_ad_optimization_recommendations_tenant_id_reviewed_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_ad_optimization_recommendations_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_ad_optimization_recommendations_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_ad_optimization_recommendations")),
        sa.UniqueConstraint(
            "tenant_id", "ref_id", name=op.f("uq_ad_optimization_recommendations_tenant_id_ref_id")
        ),
    )
    op.create_index(
        "ix_ad_optimization_recommendations_tenant_status",
        "ad_optimization_recommendations",
        ["tenant_id", "status", "created_on"],
        unique=False,
    )
    op.create_table(
        "backlinks",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=True),
        sa.Column("deliverable_id", sa.Uuid(), nullable=True),
        sa.Column("source_type", sa.Text(), nullable=False),
        sa.Column("source_domain", sa.Text(), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("target_url", sa.Text(), nullable=False),
        sa.Column("anchor_text", sa.Text(), nullable=True),
        sa.Column("domain_rating", sa.Integer(), nullable=True),
        sa.Column("link_type", sa.Text(), server_default="dofollow", nullable=False),
        sa.Column("relevance_score", sa.Integer(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column(
            "steps",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("is_live", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("is_indexed", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("published_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_checked_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "link_type IN ('dofollow', 'nofollow', 'ugc', 'sponsored')", name=op.f("ck_backlinks_link_type")
        ),
        sa.CheckConstraint(
            "source_type IN ('outreach', 'directory_opportunity', 'competitor_gap')",
            name=op.f("ck_backlinks_source_type"),
        ),
        sa.CheckConstraint(
            "status IN ('prospecting', 'outreach_sent', 'agreed', 'published', 'opportunity', 'in_progress', 'completed', 'lost')",
            name=op.f("ck_backlinks_status"),
        ),
        sa.CheckConstraint("domain_rating BETWEEN 0 AND 100", name=op.f("ck_backlinks_domain_rating_range")),
        sa.CheckConstraint(
            "relevance_score BETWEEN 1 AND 10", name=op.f("ck_backlinks_relevance_score_range")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "activity_id"],
            ["activities.tenant_id", "activities.id"],
            name=op.f("fk_backlinks_tenant_id_activity_id_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_backlinks_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "deliverable_id"],
            ["deliverables.tenant_id", "deliverables.id"],
            name=op.f("fk_backlinks_tenant_id_deliverable_id_deliverables"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_backlinks_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_backlinks_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_backlinks")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_backlinks_tenant_id_ref_id")),
    )
    op.create_index(
        "ix_backlinks_tenant_status", "backlinks", ["tenant_id", "status", "created_on"], unique=False
    )
    op.create_table(
        "blog_requests",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("deliverable_id", sa.Uuid(), nullable=True),
        sa.Column("activity_id", sa.Uuid(), nullable=True),
        sa.Column("target_channel_id", sa.Uuid(), nullable=True),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column(
            "keywords", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'::text[]"), nullable=False
        ),
        sa.Column("brief", sa.Text(), nullable=True),
        sa.Column("target_audience", sa.Text(), nullable=True),
        sa.Column("tone", sa.Text(), nullable=True),
        sa.Column("target_word_count", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.Text(), server_default="submitted", nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("deleted_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('submitted', 'approved', 'rejected', 'in_progress', 'completed', 'withdrawn')",
            name=op.f("ck_blog_requests_status"),
        ),
        sa.CheckConstraint(
            "target_word_count IS NULL OR target_word_count BETWEEN 100 AND 20000",
            name=op.f("ck_blog_requests_word_count"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "activity_id"],
            ["activities.tenant_id", "activities.id"],
            name=op.f("fk_blog_requests_tenant_id_activity_id_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_blog_requests_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "deleted_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_blog_requests_tenant_id_deleted_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "deliverable_id"],
            ["deliverables.tenant_id", "deliverables.id"],
            name=op.f("fk_blog_requests_tenant_id_deliverable_id_deliverables"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "requested_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_blog_requests_tenant_id_requested_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "target_channel_id"],
            ["channels.tenant_id", "channels.id"],
            name=op.f("fk_blog_requests_tenant_id_target_channel_id_channels"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_blog_requests_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_blog_requests_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_blog_requests")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_blog_requests_tenant_id_ref_id")),
    )
    op.create_index(
        "ix_blog_requests_tenant_status", "blog_requests", ["tenant_id", "status", "created_on"], unique=False
    )
    op.create_table(
        "search_term_classifications",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("search_term_report_id", sa.Uuid(), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=True),
        sa.Column("ai_classification", sa.Text(), nullable=False),
        sa.Column("ai_rationale", sa.Text(), nullable=True),
        sa.Column("confidence", sa.Numeric(precision=4, scale=3), nullable=False),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), server_default="pending", nullable=False),
        sa.Column("reviewed_by", sa.Uuid(), nullable=True),
        sa.Column("reviewed_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pushed_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "ai_classification IN ('add_as_keyword', 'add_as_negative', 'watch', 'irrelevant')",
            name=op.f("ck_search_term_classifications_ai_classification"),
        ),
        sa.CheckConstraint(
            "decision IS NULL OR decision IN ('add_as_keyword', 'add_as_negative', 'watch', 'irrelevant')",
            name=op.f("ck_search_term_classifications_decision"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'reviewed', 'pushed', 'skipped')",
            name=op.f("ck_search_term_classifications_status"),
        ),
        sa.CheckConstraint(
            "confidence BETWEEN 0 AND 1", name=op.f("ck_search_term_classifications_confidence")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "activity_id"],
            ["activities.tenant_id", "activities.id"],
            name=op.f("fk_search_term_classifications_tenant_id_activity_id_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_search_term_classifications_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "reviewed_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_search_term_classifications_tenant_id_reviewed_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "search_term_report_id"],
            ["search_term_reports.tenant_id", "search_term_reports.id"],
            name=op.f("fk_search_term_classifications_tenant_id_search_term_report_id_search_term_reports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_search_term_classifications_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_search_term_classifications_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_search_term_classifications")),
        sa.UniqueConstraint(
            "tenant_id", "ref_id", name=op.f("uq_search_term_classifications_tenant_id_ref_id")
        ),
    )
    op.create_index(
        "ix_search_term_classifications_tenant_report",
        "search_term_classifications",
        ["tenant_id", "search_term_report_id"],
        unique=False,
    )
    op.create_index(
        "ix_search_term_classifications_tenant_status",
        "search_term_classifications",
        ["tenant_id", "status"],
        unique=False,
    )
    op.create_table(
        "social_media_requests",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("deliverable_id", sa.Uuid(), nullable=True),
        sa.Column("activity_id", sa.Uuid(), nullable=True),
        sa.Column(
            "platforms", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'::text[]"), nullable=False
        ),
        sa.Column("brief", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.Text(), server_default="submitted", nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("deleted_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('submitted', 'approved', 'rejected', 'in_progress', 'completed', 'withdrawn')",
            name=op.f("ck_social_media_requests_status"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "activity_id"],
            ["activities.tenant_id", "activities.id"],
            name=op.f("fk_social_media_requests_tenant_id_activity_id_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_social_media_requests_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "deleted_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_social_media_requests_tenant_id_deleted_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "deliverable_id"],
            ["deliverables.tenant_id", "deliverables.id"],
            name=op.f("fk_social_media_requests_tenant_id_deliverable_id_deliverables"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "requested_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_social_media_requests_tenant_id_requested_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_social_media_requests_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_social_media_requests_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_social_media_requests")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_social_media_requests_tenant_id_ref_id")),
    )
    op.create_index(
        "ix_social_media_requests_tenant_status",
        "social_media_requests",
        ["tenant_id", "status", "created_on"],
        unique=False,
    )
    op.create_table(
        "blog_posts",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("blog_request_id", sa.Uuid(), nullable=True),
        sa.Column("channel_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("slug", sa.Text(), nullable=False),
        sa.Column("target_keyword", sa.Text(), nullable=True),
        sa.Column("meta_title", sa.Text(), nullable=True),
        sa.Column("meta_description", sa.Text(), nullable=True),
        sa.Column("word_count", sa.Integer(), nullable=True),
        sa.Column("status", sa.Text(), server_default="dm_review", nullable=False),
        sa.Column("content_ref", sa.String(length=24), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("dm_approved_by", sa.Uuid(), nullable=True),
        sa.Column("dm_approved_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("client_approved_by", sa.Uuid(), nullable=True),
        sa.Column("client_approved_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("client_rejection_note", sa.Text(), nullable=True),
        sa.Column("scheduled_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_url", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('dm_review', 'client_review', 'client_approved', 'rejected', 'published')",
            name=op.f("ck_blog_posts_status"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "blog_request_id"],
            ["blog_requests.tenant_id", "blog_requests.id"],
            name=op.f("fk_blog_posts_tenant_id_blog_request_id_blog_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "channel_id"],
            ["channels.tenant_id", "channels.id"],
            name=op.f("fk_blog_posts_tenant_id_channel_id_channels"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "client_approved_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_blog_posts_tenant_id_client_approved_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_blog_posts_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "dm_approved_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_blog_posts_tenant_id_dm_approved_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_blog_posts_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_blog_posts_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_blog_posts")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_blog_posts_tenant_id_ref_id")),
    )
    op.create_index(
        "ix_blog_posts_tenant_published", "blog_posts", ["tenant_id", "published_on"], unique=False
    )
    op.create_index(
        "ix_blog_posts_tenant_request", "blog_posts", ["tenant_id", "blog_request_id"], unique=False
    )
    op.create_index(
        "ix_blog_posts_tenant_status", "blog_posts", ["tenant_id", "status", "created_on"], unique=False
    )
    op.create_table(
        "llm_calls",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("activity_run_id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.Text(), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), server_default="0", nullable=False),
        sa.Column("completion_tokens", sa.Integer(), server_default="0", nullable=False),
        sa.Column("cost_usd", sa.Numeric(precision=12, scale=6), server_default="0", nullable=False),
        sa.Column("latency_ms", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "activity_run_id"],
            ["activity_runs.tenant_id", "activity_runs.id"],
            name=op.f("fk_llm_calls_tenant_id_activity_run_id_activity_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_llm_calls_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_llm_calls_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_llm_calls")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_llm_calls_tenant_id_ref_id")),
    )
    op.create_index("ix_llm_calls_tenant_run", "llm_calls", ["tenant_id", "activity_run_id"], unique=False)
    op.create_table(
        "social_posts",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("social_media_request_id", sa.Uuid(), nullable=True),
        sa.Column("channel_id", sa.Uuid(), nullable=True),
        sa.Column("platform", sa.Text(), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column(
            "hashtags", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'::text[]"), nullable=False
        ),
        sa.Column("cta", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), server_default="dm_review", nullable=False),
        sa.Column("content_ref", sa.String(length=24), nullable=True),
        sa.Column("image_s3_key", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("client_approved_by", sa.Uuid(), nullable=True),
        sa.Column("client_approved_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("client_rejection_note", sa.Text(), nullable=True),
        sa.Column("scheduled_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("post_url", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "platform IN ('linkedin', 'x', 'facebook', 'instagram')", name=op.f("ck_social_posts_platform")
        ),
        sa.CheckConstraint(
            "status IN ('dm_review', 'dm_approved', 'design_pending', 'client_review', 'client_approved', 'rejected', 'scheduled', 'published')",
            name=op.f("ck_social_posts_status"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "channel_id"],
            ["channels.tenant_id", "channels.id"],
            name=op.f("fk_social_posts_tenant_id_channel_id_channels"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "client_approved_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_social_posts_tenant_id_client_approved_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_social_posts_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "social_media_request_id"],
            ["social_media_requests.tenant_id", "social_media_requests.id"],
            name=op.f("fk_social_posts_tenant_id_social_media_request_id_social_media_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "updated_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_social_posts_tenant_id_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_social_posts_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_social_posts")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_social_posts_tenant_id_ref_id")),
    )
    op.create_index(
        "ix_social_posts_tenant_scheduled", "social_posts", ["tenant_id", "scheduled_on"], unique=False
    )
    op.create_index(
        "ix_social_posts_tenant_status", "social_posts", ["tenant_id", "status", "created_on"], unique=False
    )
    op.create_table(
        "tool_calls",
        sa.Column(
            "tenant_id",
            sa.Uuid(),
            server_default=sa.text("(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("ref_id", sa.String(length=26), nullable=False),
        sa.Column("activity_run_id", sa.Uuid(), nullable=False),
        sa.Column("tool_name", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), server_default="0", nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("log_ref", sa.String(length=24), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("status IN ('succeeded', 'failed')", name=op.f("ck_tool_calls_status")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "activity_run_id"],
            ["activity_runs.tenant_id", "activity_runs.id"],
            name=op.f("fk_tool_calls_tenant_id_activity_run_id_activity_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_tool_calls_tenant_id_created_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_tool_calls_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_tool_calls")),
        sa.UniqueConstraint("tenant_id", "ref_id", name=op.f("uq_tool_calls_tenant_id_ref_id")),
    )
    op.create_index("ix_tool_calls_tenant_run", "tool_calls", ["tenant_id", "activity_run_id"], unique=False)


def downgrade():
    """Revert this revision."""
    op.drop_index("ix_tool_calls_tenant_run", table_name="tool_calls")
    op.drop_table("tool_calls")
    op.drop_index("ix_social_posts_tenant_status", table_name="social_posts")
    op.drop_index("ix_social_posts_tenant_scheduled", table_name="social_posts")
    op.drop_table("social_posts")
    op.drop_index("ix_llm_calls_tenant_run", table_name="llm_calls")
    op.drop_table("llm_calls")
    op.drop_index("ix_blog_posts_tenant_status", table_name="blog_posts")
    op.drop_index("ix_blog_posts_tenant_request", table_name="blog_posts")
    op.drop_index("ix_blog_posts_tenant_published", table_name="blog_posts")
    op.drop_table("blog_posts")
    op.drop_index("ix_social_media_requests_tenant_status", table_name="social_media_requests")
    op.drop_table("social_media_requests")
    op.drop_index("ix_search_term_classifications_tenant_status", table_name="search_term_classifications")
    op.drop_index("ix_search_term_classifications_tenant_report", table_name="search_term_classifications")
    op.drop_table("search_term_classifications")
    op.drop_index("ix_blog_requests_tenant_status", table_name="blog_requests")
    op.drop_table("blog_requests")
    op.drop_index("ix_backlinks_tenant_status", table_name="backlinks")
    op.drop_table("backlinks")
    op.drop_index(
        "ix_ad_optimization_recommendations_tenant_status", table_name="ad_optimization_recommendations"
    )
    op.drop_table("ad_optimization_recommendations")
    op.drop_index("ix_activity_runs_tenant_started", table_name="activity_runs")
    op.drop_index("ix_activity_runs_tenant_activity", table_name="activity_runs")
    op.drop_table("activity_runs")
    op.drop_index("ix_activities_tenant_period", table_name="activities")
    op.drop_index("ix_activities_tenant_parent", table_name="activities")
    op.drop_index("ix_activities_tenant_due", table_name="activities")
    op.drop_index("ix_activities_tenant_assignee", table_name="activities")
    op.drop_table("activities")
    op.drop_index("ix_lead_activities_tenant_lead", table_name="lead_activities")
    op.drop_table("lead_activities")
    op.drop_index("ux_deliverable_periods_month", table_name="deliverable_periods")
    op.drop_index("ix_deliverable_periods_tenant_start", table_name="deliverable_periods")
    op.drop_table("deliverable_periods")
    op.drop_index("ix_sessions_tenant_goal", table_name="sessions")
    op.drop_table("sessions")
    op.drop_index("ux_search_term_reports_day", table_name="search_term_reports")
    op.drop_index("ix_search_term_reports_tenant_date", table_name="search_term_reports")
    op.drop_table("search_term_reports")
    op.drop_index("ix_leads_tenant_status_created", table_name="leads")
    op.drop_index(
        "ix_leads_tenant_search", table_name="leads", postgresql_ops={"search_text": "text_pattern_ops"}
    )
    op.drop_index("ix_leads_tenant_score", table_name="leads")
    op.drop_index("ix_leads_tenant_phone", table_name="leads")
    op.drop_index("ix_leads_tenant_email", table_name="leads")
    op.drop_index("ix_leads_tenant_created", table_name="leads")
    op.drop_index("ix_leads_tenant_assigned", table_name="leads")
    op.drop_table("leads")
    op.drop_index("ix_deliverables_tenant_strategy", table_name="deliverables")
    op.drop_index("ix_deliverables_tenant_goal", table_name="deliverables")
    op.drop_table("deliverables")
    op.drop_index("ix_ad_keywords_tenant_campaign", table_name="ad_keywords")
    op.drop_table("ad_keywords")
    op.drop_index("ix_goals_tenant_strategy", table_name="goals")
    op.drop_table("goals")
    op.drop_index("ux_channel_scores_day", table_name="channel_scores")
    op.drop_table("channel_scores")
    op.drop_index("ix_ad_campaigns_tenant_status", table_name="ad_campaigns")
    op.drop_table("ad_campaigns")
    op.drop_index(
        "ux_strategies_approved", table_name="strategies", postgresql_where=sa.text("status = 'approved'")
    )
    op.drop_index("ix_strategies_tenant_version", table_name="strategies")
    op.drop_table("strategies")
    op.drop_table("recurring_task_templates")
    op.drop_index("ux_web_sessions_token", table_name="web_sessions", schema="portal")
    op.drop_index("ix_web_sessions_user", table_name="web_sessions", schema="portal")
    op.drop_table("web_sessions", schema="portal")
    op.drop_table("onboarding_runs")
    op.drop_index(
        "ux_contracts_live",
        table_name="contracts",
        postgresql_where=sa.text("status IN ('sent', 'accepted')"),
    )
    op.drop_table("contracts")
    op.drop_table("channels")
    op.drop_index("ux_billing_events_invoice", table_name="billing_events")
    op.drop_index("ix_billing_events_tenant_occurred", table_name="billing_events")
    op.drop_table("billing_events")
    op.drop_table("agent_configs")
    op.drop_table("activity_templates")
    op.drop_index("ux_users_email", table_name="users")
    op.drop_index("ix_users_tenant_role", table_name="users")
    op.drop_table("users")
    op.drop_table("tenants")
    op.execute("DROP SCHEMA IF EXISTS portal")
