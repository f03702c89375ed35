"""Tenants, their users, the contract they accept and the onboarding run that follows."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base
from portal.ids import new_ulid
from portal.models.base import Reviewed, SoftDeleted, TenantOwned, Updated, check_in, parent

TENANT_STATUSES = ("onboarding", "trialing", "active", "suspended", "cancelled")
PLANS = ("free", "pro", "agency", "enterprise")
ASSIGNMENT_MODES = ("manual", "round_robin", "capacity")
ROLES = ("owner", "admin", "marketer", "sales_manager", "sales_rep", "viewer")
CONTRACT_STATUSES = ("sent", "accepted", "declined", "superseded")
ONBOARDING_STATUSES = ("in_progress", "awaiting_review", "approved", "revision_requested")


class Tenant(Base):
    """A customer of the agency. Not tenant-owned itself: its RLS policy compares ``id``."""

    __tablename__ = "tenants"
    __table_args__ = (
        check_in("status", TENANT_STATUSES),
        check_in("plan", PLANS),
        check_in("lead_assignment_mode", ASSIGNMENT_MODES),
        CheckConstraint("brand_color ~ '^#[0-9a-fA-F]{6}$'", name="brand_color"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=uuid.uuid4, server_default=func.gen_random_uuid()
    )
    ref_id: Mapped[str] = mapped_column(String(26), unique=True, default=new_ulid)
    name: Mapped[str]
    slug: Mapped[str] = mapped_column(unique=True)
    status: Mapped[str] = mapped_column(server_default="onboarding")
    plan: Mapped[str] = mapped_column(server_default="pro")
    timezone: Mapped[str] = mapped_column(server_default="UTC")
    currency: Mapped[str] = mapped_column(String(3), server_default="INR")
    brand_color: Mapped[str] = mapped_column(String(7), server_default="#4f46e5")
    contract_accepted_on: Mapped[dt.datetime | None]
    onboarding_completed_on: Mapped[dt.datetime | None]
    monthly_credit_allocation: Mapped[int] = mapped_column(server_default="50")
    lead_assignment_mode: Mapped[str] = mapped_column(server_default="manual")
    first_contact_sla_hours: Mapped[int] = mapped_column(server_default="24")
    created_by: Mapped[uuid.UUID | None]
    created_on: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    updated_by: Mapped[uuid.UUID | None]
    updated_on: Mapped[dt.datetime | None] = mapped_column(onupdate=func.now())


class User(TenantOwned, Updated, SoftDeleted, UserMixin):
    """A person of the tenant who signs in. E-mail is unique across tenants (sign-in has no tenant)."""

    __tablename__ = "users"
    __extra_args__ = (
        check_in("role", ROLES),
        CheckConstraint("email = lower(email)", name="email_lower"),
        Index("ux_users_email", "email", unique=True),
        Index("ix_users_tenant_role", "tenant_id", "role", "is_active"),
    )

    full_name: Mapped[str]
    email: Mapped[str]
    role: Mapped[str]
    password_hash: Mapped[str]
    is_active: Mapped[bool] = mapped_column(server_default=text("true"))
    session_version: Mapped[int] = mapped_column(server_default="1")
    must_change_password: Mapped[bool] = mapped_column(server_default=text("false"))
    last_login_on: Mapped[dt.datetime | None]
    phone: Mapped[str | None]

    def get_id(self) -> str:
        """Flask-Login's id for the session: the internal uuid (never shown in a URL)."""
        return str(self.id)


class Contract(TenantOwned, Updated):
    """A version of the service contract sent to the tenant, and the evidence of its acceptance."""

    __tablename__ = "contracts"
    __parents__ = {"accepted_by": "users", "declined_by": "users"}
    __extra_args__ = (
        check_in("status", CONTRACT_STATUSES),
        CheckConstraint("pdf_sha256 ~ '^[0-9a-f]{64}$'", name="pdf_sha256"),
        # One live contract at a time: a new version supersedes the old one.
        Index(
            "ux_contracts_live",
            "tenant_id",
            unique=True,
            postgresql_where=text("status IN ('sent', 'accepted')"),
        ),
    )

    contract_ref_id: Mapped[str] = mapped_column(String(26), default=new_ulid)
    template_version: Mapped[int]
    title: Mapped[str]
    status: Mapped[str] = mapped_column(server_default="sent")
    pdf_s3_key: Mapped[str]
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    sent_on: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    accepted_by: Mapped[uuid.UUID | None]
    accepted_on: Mapped[dt.datetime | None]
    accepted_ip: Mapped[str | None]
    accepted_user_agent: Mapped[str | None]
    accepted_name: Mapped[str | None]
    accepted_sha256: Mapped[str | None] = mapped_column(String(64))
    consent_text: Mapped[str | None]
    declined_by: Mapped[uuid.UUID | None]
    declined_on: Mapped[dt.datetime | None]
    declined_reason: Mapped[str | None]
    superseded_on: Mapped[dt.datetime | None]

    accepter = parent("Contract", "accepted_by", "User")
    decliner = parent("Contract", "declined_by", "User")


class OnboardingRun(TenantOwned, Updated, Reviewed):
    """One pass of the onboarding wizard, the context file it produced and the tenant's review of it."""

    __tablename__ = "onboarding_runs"
    __extra_args__ = (check_in("status", ONBOARDING_STATUSES),)

    status: Mapped[str] = mapped_column(server_default="in_progress")
    inputs: Mapped[dict[str, Any]] = mapped_column(server_default=text("'{}'::jsonb"))
    current_step: Mapped[str | None]
    context_file_id: Mapped[str | None] = mapped_column(String(24))
    research_id: Mapped[str | None] = mapped_column(String(24))
    started_on: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    completed_on: Mapped[dt.datetime | None]
    review_notes: Mapped[str | None]
