"""Leads and their timeline."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import SoftDeleted, TenantOwned, Updated, check_in, check_range, parent

LEAD_SOURCES = ("website_form", "facebook_lead_ad", "google_lead_form", "manual", "import", "other")
LEAD_STATUSES = ("new", "contacted", "qualified", "disqualified", "converted")
SCORE_BANDS = ("cold", "warm", "hot")
LEAD_ACTIVITY_TYPES = (
    "note",
    "call",
    "email_sent",
    "email_received",
    "meeting",
    "status_change",
    "assignment",
    "enrichment",
    "score_updated",
)
ACTOR_TYPES = ("human", "agent", "system")


class Lead(TenantOwned, Updated, SoftDeleted):
    """A prospective customer of the tenant. ``version`` is an optimistic lock: the loser of a race learns."""

    __tablename__ = "leads"
    __parents__ = {
        "source_channel_id": "channels",
        "source_campaign_id": "ad_campaigns",
        "assigned_to": ("users", "SET NULL (assigned_to)"),
    }
    __extra_args__ = (
        check_in("source", LEAD_SOURCES),
        check_in("status", LEAD_STATUSES),
        check_in("score_band", SCORE_BANDS),
        check_range("score_total", 0, 100),
        Index("ix_leads_tenant_status_created", "tenant_id", "status", "created_on"),
        Index("ix_leads_tenant_assigned", "tenant_id", "assigned_to", "created_on"),
        Index("ix_leads_tenant_score", "tenant_id", "score_total", "created_on"),
        Index("ix_leads_tenant_created", "tenant_id", "created_on"),
        Index("ix_leads_tenant_email", "tenant_id", "email"),
        Index("ix_leads_tenant_phone", "tenant_id", "phone_digits"),
        # Search under RLS: equality/prefix on a normalised column the app writes (see docs/TENANCY.md).
        Index(
            "ix_leads_tenant_search",
            "tenant_id",
            "search_text",
            postgresql_ops={"search_text": "text_pattern_ops"},
        ),
        # The sidebar's count of new leads waiting, on every page, comes from this index without the rows.
        Index(
            "ix_leads_tenant_waiting",
            "tenant_id",
            "status",
            "assigned_to",
            postgresql_where=text("deleted_on IS NULL"),
        ),
    )

    source: Mapped[str]
    source_channel_id: Mapped[uuid.UUID | None]
    source_campaign_id: Mapped[uuid.UUID | None]
    source_url: Mapped[str | None]
    utm_source: Mapped[str | None]
    utm_medium: Mapped[str | None]
    utm_campaign: Mapped[str | None]
    first_name: Mapped[str | None]
    last_name: Mapped[str | None]
    email: Mapped[str | None]
    phone: Mapped[str | None]
    phone_digits: Mapped[str | None]
    company: Mapped[str | None]
    job_title: Mapped[str | None]
    message: Mapped[str | None]
    search_text: Mapped[str | None]
    status: Mapped[str] = mapped_column(server_default="new")
    disqualification_reason: Mapped[str | None]
    score_total: Mapped[int] = mapped_column(server_default="0")
    score_band: Mapped[str] = mapped_column(String(8), server_default="cold")
    assigned_to: Mapped[uuid.UUID | None]
    assigned_on: Mapped[dt.datetime | None]
    first_contacted_on: Mapped[dt.datetime | None]
    last_activity_on: Mapped[dt.datetime | None]
    estimated_value: Mapped[Decimal | None]
    enrichment_data: Mapped[dict[str, Any]] = mapped_column(server_default=text("'{}'::jsonb"))
    version: Mapped[int] = mapped_column(server_default="1")

    assignee = parent("Lead", "assigned_to", "User")
    source_channel = parent("Lead", "source_channel_id", "Channel")
    source_campaign = parent("Lead", "source_campaign_id", "AdCampaign")

    __mapper_args__ = {"allow_partial_pks": False, "version_id_col": version}


class LeadActivity(TenantOwned):
    """An entry of a lead's timeline: a note, a call, a status change, an assignment, …"""

    __tablename__ = "lead_activities"
    __parents__ = {"lead_id": ("leads", "CASCADE")}
    __extra_args__ = (
        check_in("type", LEAD_ACTIVITY_TYPES),
        check_in("actor_type", ACTOR_TYPES),
        Index("ix_lead_activities_tenant_lead", "tenant_id", "lead_id", "created_on"),
    )

    lead_id: Mapped[uuid.UUID]
    type: Mapped[str]
    description: Mapped[str | None]
    actor_type: Mapped[str] = mapped_column(server_default="human")
    actor_id: Mapped[str | None]
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", server_default=text("'{}'::jsonb"))

    lead = parent("LeadActivity", "lead_id", "Lead")
