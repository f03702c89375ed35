"""An activity's agent runs and their calls (model and tool), and the tool calls' logged payloads.

Lists are keyset pages of 25 with what they show loaded alongside; payloads come from MongoDB, checked to
be the tenant's, and render as an escaped JSON tree (or a download when large). Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlalchemy import Select, bindparam, func, literal, select
from sqlalchemy.orm import joinedload

from portal.hot.policy import prepared
from portal.models import Activity, ActivityRun, LlmCall, ToolCall
from portal.planning.paging import Page, as_int, as_time, keyset
from portal.stores import StoreUnavailable, get_stores
from portal.stores.documents import TOOL_CALL_LOGS, find_by_id, parse_object_id, unavailable_on_failure
from portal.stores.markdown import render_json
from portal.tenancy import TENANT_ID, current_tenant

security_log = logging.getLogger("portal.security")

# A payload bigger than this is not rendered in the page; the full JSON is offered as a download.
PAYLOAD_LIMIT = 1024 * 1024


@dataclass(frozen=True)
class RunRow:
    """A run with its session and its calls summed (tokens, latency, tool calls)."""

    run: ActivityRun
    llm_calls: int
    prompt_tokens: int
    completion_tokens: int
    tool_calls: int
    failed_tools: int

    @property
    def duration(self) -> dt.timedelta | None:
        """How long the run took (None while running)."""
        if self.run.started_on and self.run.finished_on:
            return self.run.finished_on - self.run.started_on
        return None


def runs_of(activity: Activity, cursor: str | None) -> Page:
    """The activity's runs by attempt, each with its session and per-run sums of calls (one statement)."""
    page = keyset(
        _runs_statement(),
        ActivityRun.attempt,
        ActivityRun.ref_id,
        cursor,
        as_int,
        key_of=lambda row: row[0].attempt,
        ref_of=lambda row: row[0].ref_id,
        params={TENANT_ID.key: activity.tenant_id, "activity_id": activity.id},
    )
    return Page([RunRow(*row) for row in page.rows], page.next_cursor)


@functools.cache
def _runs_statement() -> Select:
    # Built once, values bound at each run (its building outweighs its run); per-run sums on (tenant, run).
    def of_run(model):
        return (model.tenant_id == ActivityRun.tenant_id) & (model.activity_run_id == ActivityRun.id)

    def summed(column, model, *where):
        return (
            select(func.coalesce(func.sum(column), 0))
            .where(of_run(model), *where)
            .correlate(ActivityRun)
            .scalar_subquery()
        )

    return prepared(
        select(
            ActivityRun,
            summed(literal(1), LlmCall),
            summed(LlmCall.prompt_tokens, LlmCall),
            summed(LlmCall.completion_tokens, LlmCall),
            summed(literal(1), ToolCall),
            summed(literal(1), ToolCall, ToolCall.status == "failed"),
        )
        .where(ActivityRun.tenant_id == TENANT_ID, ActivityRun.activity_id == bindparam("activity_id"))
        .options(joinedload(ActivityRun.session))
    )


# The columns of llm_calls a tenant may see: cost_usd is the agency's and never leaves the database.
LLM_COLUMNS = (
    LlmCall.ref_id,
    LlmCall.provider,
    LlmCall.model,
    LlmCall.prompt_tokens,
    LlmCall.completion_tokens,
    LlmCall.latency_ms,
    LlmCall.created_on,
)


def _in_order(statement: Select, model: type, cursor: str | None) -> Page:
    """A page of a run's calls (``model`` is LlmCall or ToolCall) in the order they were made."""
    return keyset(
        statement,
        model.created_on,
        model.ref_id,
        cursor,
        as_time,
        key_of=lambda r: r.created_on,
        ref_of=lambda r: r.ref_id,
    )


def llm_calls_of(run: ActivityRun, cursor: str | None) -> Page:
    """The run's model calls in order (without cost_usd), 25 a page."""
    statement = select(*LLM_COLUMNS).where(
        LlmCall.tenant_id == run.tenant_id, LlmCall.activity_run_id == run.id
    )
    return _in_order(statement, LlmCall, cursor)


def tool_calls_of(run: ActivityRun, cursor: str | None) -> Page:
    """The run's tool calls in order, 25 a page."""
    statement = select(ToolCall).where(
        ToolCall.tenant_id == run.tenant_id, ToolCall.activity_run_id == run.id
    )
    return _in_order(statement, ToolCall, cursor)


@dataclass(frozen=True)
class Payload:
    """A tool call's logged request and response: state found/missing/unavailable/refused."""

    state: str
    html: Markup | None = None
    size: int = 0
    truncated: bool = False
    text: str | None = None


def _payload_document(tool_call: ToolCall) -> dict[str, Any] | Payload:
    oid = parse_object_id(tool_call.log_ref)
    if oid is None:
        return Payload("missing")
    try:
        with unavailable_on_failure():
            document = find_by_id(get_stores().documents, TOOL_CALL_LOGS, oid)
    except StoreUnavailable:
        return Payload("unavailable")
    if document is None or document.get("deletedOn") is not None:
        return Payload("missing")
    if document.get("tenantId") != current_tenant.ref_id:
        security_log.warning(
            "content refused: tool call log of another tenant (tenant=%s id=%s)", current_tenant.ref_id, oid
        )
        return Payload("refused")
    return document


def payload_json(tool_call: ToolCall) -> Payload:
    """The tool call's full request and response as JSON text (for download)."""
    document = _payload_document(tool_call)
    if isinstance(document, Payload):
        return document
    text = json.dumps(
        {"request": document.get("request"), "response": document.get("response")},
        indent=2,
        ensure_ascii=False,
        default=str,
    )
    return Payload("found", size=len(text.encode()), text=text)


def payload(tool_call: ToolCall) -> Payload:
    """The payload as an escaped, collapsible JSON tree; over 1 MB, only a note and a download link."""
    found = payload_json(tool_call)
    if found.state != "found":
        return found
    if found.size > PAYLOAD_LIMIT:
        return Payload("found", size=found.size, truncated=True, text=found.text[:2000])
    return Payload("found", html=render_json(found.text), size=found.size)
