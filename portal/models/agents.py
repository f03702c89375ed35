"""The agents' side: working sessions, model and tool calls, and what is configured to run."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Index, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import SoftDeleted, TenantOwned, Updated, check_in, parent

SESSION_STATUSES = ("active", "ended", "expired")
TOOL_CALL_STATUSES = ("succeeded", "failed")


class AgentSession(TenantOwned, Updated):
    """An agent's working session towards a goal (table ``sessions``)."""

    __tablename__ = "sessions"
    __parents__ = {"goal_id": "goals"}
    __extra_args__ = (
        check_in("status", SESSION_STATUSES),
        Index("ix_sessions_tenant_goal", "tenant_id", "goal_id"),
    )

    goal_id: Mapped[uuid.UUID | None]
    agent_name: Mapped[str]
    status: Mapped[str] = mapped_column(server_default="active")
    started_on: Mapped[dt.datetime]
    ended_on: Mapped[dt.datetime | None]
    expires_on: Mapped[dt.datetime | None]

    goal = parent("AgentSession", "goal_id", "Goal")


class LlmCall(TenantOwned):
    """One model call of a run. ``cost_usd`` is the agency's and is never shown to tenants."""

    __tablename__ = "llm_calls"
    __parents__ = {"activity_run_id": "activity_runs"}
    __extra_args__ = (Index("ix_llm_calls_tenant_run", "tenant_id", "activity_run_id"),)

    activity_run_id: Mapped[uuid.UUID]
    provider: Mapped[str]
    model: Mapped[str]
    prompt_tokens: Mapped[int] = mapped_column(server_default="0")
    completion_tokens: Mapped[int] = mapped_column(server_default="0")
    cost_usd: Mapped[Decimal] = mapped_column(Numeric(12, 6), server_default="0")
    latency_ms: Mapped[int] = mapped_column(server_default="0")


class ToolCall(TenantOwned):
    """One tool call of a run; the full payloads are in MongoDB ``tool_call_logs``."""

    __tablename__ = "tool_calls"
    __parents__ = {"activity_run_id": "activity_runs"}
    __extra_args__ = (
        check_in("status", TOOL_CALL_STATUSES),
        Index("ix_tool_calls_tenant_run", "tenant_id", "activity_run_id"),
    )

    activity_run_id: Mapped[uuid.UUID]
    tool_name: Mapped[str]
    status: Mapped[str]
    duration_ms: Mapped[int] = mapped_column(server_default="0")
    summary: Mapped[str | None]
    log_ref: Mapped[str | None] = mapped_column(String(24))


class AgentConfig(TenantOwned, Updated, SoftDeleted):
    """Which agent runs for the tenant, through which adapter and model."""

    __tablename__ = "agent_configs"

    agent_name: Mapped[str]
    adapter: Mapped[str]
    model: Mapped[str]
    enabled: Mapped[bool] = mapped_column(server_default=text("true"))
    settings: Mapped[dict[str, Any]] = mapped_column(server_default=text("'{}'::jsonb"))


class ActivityTemplate(TenantOwned, Updated, SoftDeleted):
    """A recipe of steps for an activity type, possibly derived from another template."""

    __tablename__ = "activity_templates"
    __parents__ = {"source_template_id": "activity_templates"}

    source_template_id: Mapped[uuid.UUID | None]
    name: Mapped[str]
    type: Mapped[str]
    description: Mapped[str | None]
    steps: Mapped[list[Any]] = mapped_column(server_default=text("'[]'::jsonb"))

    source = parent("ActivityTemplate", "source_template_id", "ActivityTemplate")


class RecurringTaskTemplate(TenantOwned, Updated, SoftDeleted):
    """Work that recurs on a schedule (an RRULE), possibly derived from another template."""

    __tablename__ = "recurring_task_templates"
    __parents__ = {"source_template_id": "recurring_task_templates"}

    source_template_id: Mapped[uuid.UUID | None]
    name: Mapped[str]
    activity_type: Mapped[str]
    schedule: Mapped[str]
    variables: Mapped[dict[str, Any]] = mapped_column(server_default=text("'{}'::jsonb"))
    enabled: Mapped[bool] = mapped_column(server_default=text("true"))

    source = parent("RecurringTaskTemplate", "source_template_id", "RecurringTaskTemplate")
