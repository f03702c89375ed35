"""Activities (the pieces of work that fill a deliverable's month) and their runs by agents."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import TenantOwned, Updated, check_in, children, parent
from portal.models.planning import DELIVERABLE_TYPES

ACTIVITY_STATUSES = (
    "pending",
    "queued",
    "in_progress",
    "awaiting_approval",
    "done",
    "failed",
    "cancelled",
    "blocked",
)
EXECUTORS = ("agent", "human")
RUN_STATUSES = ("queued", "running", "succeeded", "failed")
ACTIVITY_TYPES = (
    *DELIVERABLE_TYPES,
    "strategy",
    "context_file",
    "backlink_research",
    "search_term_review",
    "ad_optimization",
)


class Activity(TenantOwned, Updated):
    """A unit of work by an agent or a person; its output is a MongoDB ``activity_outputs`` document."""

    __tablename__ = "activities"
    __parents__ = {
        "deliverable_period_id": "deliverable_periods",
        "goal_id": "goals",
        "parent_activity_id": "activities",
        "assignee_user_id": "users",
    }
    __extra_args__ = (
        check_in("status", ACTIVITY_STATUSES),
        check_in("type", ACTIVITY_TYPES),
        check_in("executor", EXECUTORS),
        Index("ix_activities_tenant_period", "tenant_id", "deliverable_period_id"),
        Index("ix_activities_tenant_assignee", "tenant_id", "assignee_user_id", "status"),
        Index("ix_activities_tenant_parent", "tenant_id", "parent_activity_id"),
        Index("ix_activities_tenant_due", "tenant_id", "due_on"),
    )

    deliverable_period_id: Mapped[uuid.UUID | None]
    goal_id: Mapped[uuid.UUID | None]
    parent_activity_id: Mapped[uuid.UUID | None]
    assignee_user_id: Mapped[uuid.UUID | None]
    title: Mapped[str]
    type: Mapped[str]
    executor: Mapped[str] = mapped_column(server_default="agent")
    status: Mapped[str] = mapped_column(server_default="pending")
    due_on: Mapped[dt.datetime | None]
    completed_on: Mapped[dt.datetime | None]
    blocked_note: Mapped[str | None]
    output_ref: Mapped[str | None] = mapped_column(String(24))

    period = parent("Activity", "deliverable_period_id", "DeliverablePeriod")
    goal = parent("Activity", "goal_id", "Goal")
    assignee = parent("Activity", "assignee_user_id", "User")
    runs = children("Activity", "ActivityRun", "activity_id", order_by="ActivityRun.attempt")


class ActivityRun(TenantOwned, Updated):
    """One attempt of an agent at an activity: what it reserved and consumed in credits."""

    __tablename__ = "activity_runs"
    __parents__ = {"activity_id": "activities", "session_id": "sessions"}
    __extra_args__ = (
        check_in("status", RUN_STATUSES),
        Index("ix_activity_runs_tenant_activity", "tenant_id", "activity_id"),
        Index("ix_activity_runs_tenant_started", "tenant_id", "started_on"),
        # The credit banner on every page sums what open runs hold this month: only these few, not the
        # month's finished runs (a busy tenant has hundreds).
        Index(
            "ix_activity_runs_open",
            "tenant_id",
            "started_on",
            postgresql_include=["credits_reserved"],
            postgresql_where=text("status IN ('queued', 'running')"),
        ),
    )

    activity_id: Mapped[uuid.UUID]
    session_id: Mapped[uuid.UUID | None]
    attempt: Mapped[int] = mapped_column(server_default="1")
    status: Mapped[str] = mapped_column(server_default="queued")
    started_on: Mapped[dt.datetime | None]
    finished_on: Mapped[dt.datetime | None]
    error: Mapped[str | None]
    credits_reserved: Mapped[int] = mapped_column(server_default="0")
    credits_consumed: Mapped[int] = mapped_column(server_default="0")

    activity = parent("ActivityRun", "activity_id", "Activity")
    session = parent("ActivityRun", "session_id", "AgentSession")
