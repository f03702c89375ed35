"""Paid campaigns, their keywords, search terms with the agents' labels, and recommended changes."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Index, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Reviewed, TenantOwned, Updated, check_in, check_range, parent

AD_PLATFORMS = ("google_ads", "meta_ads", "linkedin_ads")
CAMPAIGN_GOALS = ("awareness", "traffic", "leads", "sales")
CAMPAIGN_STATUSES = (
    "draft",
    "dm_review",
    "dm_approved",
    "client_review",
    "client_approved",
    "active",
    "paused",
    "completed",
    "archived",
)
KEYWORD_KINDS = ("positive", "negative")
MATCH_TYPES = ("exact", "phrase", "broad")
KEYWORD_SOURCES = ("manual", "search_term_classification")
KEYWORD_STATUSES = ("active", "paused", "pending_push", "removed")
TERM_LABELS = ("add_as_keyword", "add_as_negative", "watch", "irrelevant")
CLASSIFICATION_STATUSES = ("pending", "reviewed", "pushed", "skipped")
RECOMMENDATION_KINDS = (
    "add_negative_keyword",
    "raise_bid",
    "lower_bid",
    "pause_keyword",
    "shift_budget",
    "other",
)
RECOMMENDATION_STATUSES = ("client_review", "approved", "rejected", "applied")


class AdCampaign(TenantOwned, Updated):
    """A campaign on an ad platform; the tenant approves it in ``client_review``."""

    __tablename__ = "ad_campaigns"
    __parents__ = {"channel_id": "channels", "client_decided_by": "users"}
    __extra_args__ = (
        check_in("platform", AD_PLATFORMS),
        check_in("goal", CAMPAIGN_GOALS),
        check_in("status", CAMPAIGN_STATUSES),
        CheckConstraint("budget >= 0 AND spent >= 0", name="money"),
        Index("ix_ad_campaigns_tenant_status", "tenant_id", "status"),
    )

    channel_id: Mapped[uuid.UUID | None]
    name: Mapped[str]
    platform: Mapped[str]
    goal: Mapped[str]
    status: Mapped[str] = mapped_column(server_default="draft")
    budget: Mapped[Decimal] = mapped_column(server_default="0")
    spent: Mapped[Decimal] = mapped_column(server_default="0")
    currency: Mapped[str] = mapped_column(String(3), server_default="INR")
    start_date: Mapped[dt.date | None]
    end_date: Mapped[dt.date | None]
    external_campaign_id: Mapped[str | None]
    impressions: Mapped[int] = mapped_column(server_default="0")
    clicks: Mapped[int] = mapped_column(server_default="0")
    conversions: Mapped[int] = mapped_column(server_default="0")
    client_decision_note: Mapped[str | None]
    client_decided_by: Mapped[uuid.UUID | None]
    client_decided_on: Mapped[dt.datetime | None]

    channel = parent("AdCampaign", "channel_id", "Channel")


class AdKeyword(TenantOwned, Updated):
    """A positive or negative keyword of a campaign, with its metrics."""

    __tablename__ = "ad_keywords"
    __parents__ = {"channel_id": "channels", "ad_campaign_id": ("ad_campaigns", "CASCADE")}
    __extra_args__ = (
        check_in("kind", KEYWORD_KINDS),
        check_in("match_type", MATCH_TYPES),
        check_in("source", KEYWORD_SOURCES),
        check_in("status", KEYWORD_STATUSES),
        check_range("quality_score", 1, 10),
        Index("ix_ad_keywords_tenant_campaign", "tenant_id", "ad_campaign_id"),
    )

    channel_id: Mapped[uuid.UUID | None]
    ad_campaign_id: Mapped[uuid.UUID]
    text: Mapped[str]
    kind: Mapped[str] = mapped_column(server_default="positive")
    match_type: Mapped[str] = mapped_column(server_default="phrase")
    source: Mapped[str] = mapped_column(server_default="manual")
    status: Mapped[str] = mapped_column(server_default="active")
    max_cpc: Mapped[Decimal | None]
    impressions: Mapped[int] = mapped_column(server_default="0")
    clicks: Mapped[int] = mapped_column(server_default="0")
    conversions: Mapped[int] = mapped_column(server_default="0")
    cost: Mapped[Decimal] = mapped_column(server_default="0")
    quality_score: Mapped[int | None]


class SearchTermReport(TenantOwned):
    """What people searched before an ad showed, per campaign and day (synced daily)."""

    __tablename__ = "search_term_reports"
    __parents__ = {"channel_id": "channels", "ad_campaign_id": ("ad_campaigns", "CASCADE")}
    __extra_args__ = (
        check_in("match_type", MATCH_TYPES),
        Index(
            "ux_search_term_reports_day",
            "tenant_id",
            "ad_campaign_id",
            "search_term",
            "sync_date",
            unique=True,
        ),
        Index("ix_search_term_reports_tenant_date", "tenant_id", "ad_campaign_id", "sync_date"),
    )

    channel_id: Mapped[uuid.UUID | None]
    ad_campaign_id: Mapped[uuid.UUID]
    search_term: Mapped[str]
    match_type: Mapped[str]
    sync_date: Mapped[dt.date]
    impressions: Mapped[int] = mapped_column(server_default="0")
    clicks: Mapped[int] = mapped_column(server_default="0")
    cost: Mapped[Decimal] = mapped_column(server_default="0")
    conversions: Mapped[int] = mapped_column(server_default="0")

    campaign = parent("SearchTermReport", "ad_campaign_id", "AdCampaign")


class SearchTermClassification(TenantOwned, Updated, Reviewed):
    """An agent's label for a search term, and the human decision that confirms or overrides it."""

    __tablename__ = "search_term_classifications"
    __parents__ = {
        "search_term_report_id": ("search_term_reports", "CASCADE"),
        "activity_id": "activities",
    }
    __extra_args__ = (
        check_in("ai_classification", TERM_LABELS),
        CheckConstraint(
            "decision IS NULL OR decision IN ('add_as_keyword', 'add_as_negative', 'watch', 'irrelevant')",
            name="decision",
        ),
        check_in("status", CLASSIFICATION_STATUSES),
        CheckConstraint("confidence BETWEEN 0 AND 1", name="confidence"),
        Index("ix_search_term_classifications_tenant_report", "tenant_id", "search_term_report_id"),
        Index("ix_search_term_classifications_tenant_status", "tenant_id", "status"),
    )

    search_term_report_id: Mapped[uuid.UUID]
    activity_id: Mapped[uuid.UUID | None]
    ai_classification: Mapped[str]
    ai_rationale: Mapped[str | None]
    confidence: Mapped[Decimal] = mapped_column(Numeric(4, 3))
    decision: Mapped[str | None]
    status: Mapped[str] = mapped_column(server_default="pending")
    pushed_on: Mapped[dt.datetime | None]

    report = parent("SearchTermClassification", "search_term_report_id", "SearchTermReport")


class AdOptimizationRecommendation(TenantOwned, Updated, Reviewed):
    """A change an agent recommends on a campaign; nothing is applied without the tenant's approval."""

    __tablename__ = "ad_optimization_recommendations"
    __parents__ = {
        "channel_id": "channels",
        "ad_campaign_id": ("ad_campaigns", "CASCADE"),
        "activity_id": "activities",
    }
    __extra_args__ = (
        check_in("kind", RECOMMENDATION_KINDS),
        check_in("status", RECOMMENDATION_STATUSES),
        Index("ix_ad_optimization_recommendations_tenant_status", "tenant_id", "status", "created_on"),
    )

    channel_id: Mapped[uuid.UUID | None]
    ad_campaign_id: Mapped[uuid.UUID]
    activity_id: Mapped[uuid.UUID | None]
    kind: Mapped[str]
    title: Mapped[str]
    rationale: Mapped[str | None]
    expected_impact: Mapped[str | None]
    payload: Mapped[dict[str, Any]] = mapped_column(server_default=text("'{}'::jsonb"))
    status: Mapped[str] = mapped_column(server_default="client_review")
    review_note: Mapped[str | None]
    applied_on: Mapped[dt.datetime | None]

    campaign = parent("AdOptimizationRecommendation", "ad_campaign_id", "AdCampaign")
