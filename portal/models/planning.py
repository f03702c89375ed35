"""The six-month strategy, its goals, the deliverables that serve them and each deliverable's months."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import SoftDeleted, TenantOwned, Updated, check_in, children, parent

STRATEGY_STATUSES = ("draft", "pending_review", "approved", "rejected", "archived")
GOAL_STATUSES = ("active", "achieved", "missed", "archived")
METRIC_TYPES = (
    "GSC_CLICKS",
    "GSC_IMPRESSIONS",
    "GA_SESSIONS",
    "GA_CONVERSIONS",
    "GOOGLE_ADS_CONVERSIONS",
    "META_ADS_LEADS",
    "QUALIFIED_LEADS",
    "SOCIAL_FOLLOWERS",
    "BACKLINKS",
    "KEYWORD_RANKINGS",
)
DELIVERABLE_TYPES = (
    "blog_post",
    "social_post",
    "gbp_post",
    "content_brief",
    "keyword_cluster",
    "social_calendar",
    "email_newsletter",
    "landing_page",
    "google_ads_copy",
    "meta_ads_copy",
    "monthly_report",
    "backlinks",
)
DELIVERABLE_STATUSES = ("generating", "in_review", "needs_approval", "approved", "published")
PERIOD_STATUSES = ("upcoming", "in_progress", "delivered", "missed")


class Strategy(TenantOwned, Updated):
    """A version of the six-month strategy; its Markdown body lives in MongoDB ``strategies_content``."""

    __tablename__ = "strategies"
    __parents__ = {"approved_by": "users"}
    __extra_args__ = (
        check_in("status", STRATEGY_STATUSES),
        CheckConstraint("period_end > period_start", name="period"),
        Index(
            "ux_strategies_approved", "tenant_id", unique=True, postgresql_where=text("status = 'approved'")
        ),
        Index("ix_strategies_tenant_version", "tenant_id", "version"),
    )

    version: Mapped[int]
    title: Mapped[str]
    summary: Mapped[str | None]
    status: Mapped[str] = mapped_column(server_default="draft")
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    content_ref: Mapped[str | None] = mapped_column(String(24))
    approved_by: Mapped[uuid.UUID | None]
    approved_on: Mapped[dt.datetime | None]
    rejected_by: Mapped[uuid.UUID | None]
    rejected_on: Mapped[dt.datetime | None]
    rejection_note: Mapped[str | None]

    approver = parent("Strategy", "approved_by", "User")
    goals = children("Strategy", "Goal", "strategy_id")


class Goal(TenantOwned, Updated, SoftDeleted):
    """A SMART goal of a strategy: baseline → current against a target."""

    __tablename__ = "goals"
    __parents__ = {"strategy_id": "strategies"}
    __extra_args__ = (
        check_in("status", GOAL_STATUSES),
        check_in("metric_type", METRIC_TYPES),
        Index("ix_goals_tenant_strategy", "tenant_id", "strategy_id"),
    )

    strategy_id: Mapped[uuid.UUID]
    title: Mapped[str]
    metric: Mapped[str]
    metric_type: Mapped[str]
    target_value: Mapped[str]
    target_numeric_value: Mapped[Decimal | None]
    baseline_value: Mapped[Decimal | None]
    current_value: Mapped[Decimal | None]
    unit: Mapped[str | None]
    timeframe_months: Mapped[int] = mapped_column(server_default="6")
    due_date: Mapped[dt.date | None]
    status: Mapped[str] = mapped_column(server_default="active")

    strategy = parent("Goal", "strategy_id", "Strategy")
    deliverables = children("Goal", "Deliverable", "goal_id")


class Deliverable(TenantOwned, Updated, SoftDeleted):
    """A kind of work promised each month towards a goal (e.g. four blog posts a month)."""

    __tablename__ = "deliverables"
    __parents__ = {"goal_id": "goals", "strategy_id": "strategies"}
    __extra_args__ = (
        check_in("type", DELIVERABLE_TYPES),
        check_in("status", DELIVERABLE_STATUSES),
        CheckConstraint("monthly_volume >= 0", name="monthly_volume"),
        Index("ix_deliverables_tenant_goal", "tenant_id", "goal_id"),
        Index("ix_deliverables_tenant_strategy", "tenant_id", "strategy_id"),
    )

    goal_id: Mapped[uuid.UUID]
    strategy_id: Mapped[uuid.UUID]
    title: Mapped[str]
    type: Mapped[str]
    monthly_volume: Mapped[int]
    credits_per_unit: Mapped[int]
    status: Mapped[str] = mapped_column(server_default="generating")

    goal = parent("Deliverable", "goal_id", "Goal")
    strategy = parent("Deliverable", "strategy_id", "Strategy")
    periods = children(
        "Deliverable", "DeliverablePeriod", "deliverable_id", order_by="DeliverablePeriod.period_start"
    )


class DeliverablePeriod(TenantOwned, Updated):
    """One month of a deliverable: how many pieces were due and how many arrived."""

    __tablename__ = "deliverable_periods"
    __parents__ = {"deliverable_id": "deliverables"}
    __extra_args__ = (
        check_in("status", PERIOD_STATUSES),
        CheckConstraint("period_end >= period_start", name="period"),
        CheckConstraint("target_count >= 0 AND delivered_count >= 0", name="counts"),
        Index("ux_deliverable_periods_month", "tenant_id", "deliverable_id", "period_start", unique=True),
        Index("ix_deliverable_periods_tenant_start", "tenant_id", "period_start"),
    )

    deliverable_id: Mapped[uuid.UUID]
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    target_count: Mapped[int]
    delivered_count: Mapped[int] = mapped_column(server_default="0")
    status: Mapped[str] = mapped_column(server_default="upcoming")

    deliverable = parent("DeliverablePeriod", "deliverable_id", "Deliverable")
