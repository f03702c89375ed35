"""Reading the plan: goals, deliverables and their months, activities and the agents' runs and calls.

Every list is one statement per page (keyset, 25 rows) with what it shows loaded alongside, so a page's
number of statements does not grow with the data. Nothing here writes; tasks.py and strategies.py do.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from sqlalchemy import Date, Select, and_, bindparam, cast, exists, func, literal, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from portal.db import get_session
from portal.formatting import tenant_zone
from portal.models import (
    Activity,
    ActivityRun,
    Deliverable,
    DeliverablePeriod,
    Goal,
    LlmCall,
    ToolCall,
)
from portal.models.execution import ACTIVITY_STATUSES, ACTIVITY_TYPES, EXECUTORS
from portal.planning.paging import Page, as_int, as_text, as_time, keyset
from portal.stores import StoreUnavailable, get_stores
from portal.stores.documents import TOOL_CALL_LOGS, find_by_id, parse_object_id, unavailable_on_failure
from portal.stores.markdown import render_json
from portal.tenancy import TENANT_ID, current_tenant

security_log = logging.getLogger("portal.security")

# A payload bigger than this is not rendered in the page; the full JSON is offered as a download.
PAYLOAD_LIMIT = 1024 * 1024
FAR_FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


# -- months in the tenant's timezone --------------------------------------------------------------------


def month_start(month: str | None = None) -> dt.date:
    """The first day of ``YYYY-MM`` (or of this month in the tenant's timezone when absent or garbled)."""
    if month:
        try:
            first = dt.datetime.strptime(month, "%Y-%m").date()
        except ValueError:
            first = None
        if first is not None and 2000 <= first.year <= 2200:  # far-off years are typos, and overflow dates
            return first
    return dt.datetime.now(tenant_zone()).date().replace(day=1)


def next_month(first: dt.date) -> dt.date:
    """The first day of the month after ``first``."""
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def previous_month(first: dt.date) -> dt.date:
    """The first day of the month before ``first``."""
    return (first - dt.timedelta(days=1)).replace(day=1)


def month_bounds(first: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month starting at ``first`` as UTC instants [start, end), in the tenant's timezone."""
    zone = tenant_zone()
    start = dt.datetime.combine(first, dt.time(), zone)
    end = dt.datetime.combine(next_month(first), dt.time(), zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


# -- goals -----------------------------------------------------------------------------------------------


def list_goals(archived: bool, cursor: str | None) -> Page:
    """Live goals (or the archived ones), with their strategy and deliverables, 25 a page."""
    statement = (
        select(Goal)
        .where(Goal.tenant_id == current_tenant.id, Goal.deleted_on.is_(None))
        .where(Goal.status == "archived" if archived else Goal.status != "archived")
        .options(joinedload(Goal.strategy), selectinload(Goal.deliverables))
    )
    return keyset(
        statement,
        Goal.created_on,
        Goal.ref_id,
        cursor,
        as_time,
        key_of=lambda g: g.created_on,
        ref_of=lambda g: g.ref_id,
    )


def goal_progress(goal: Goal) -> dict[str, Any]:
    """Baseline → current against target as numbers for a bar: the share of the way covered (0–100)."""
    baseline, current, target = goal.baseline_value, goal.current_value, goal.target_numeric_value
    share = None
    if baseline is not None and current is not None and target is not None and target != baseline:
        share = max(0, min(100, round(float((current - baseline) / (target - baseline)) * 100)))
    return {"baseline": baseline, "current": current, "target": target, "share": share}


# -- deliverables and periods ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthRow:
    """A deliverable's period in the month overview."""

    deliverable: Deliverable
    period: DeliverablePeriod | None


def this_month(first: dt.date, cursor: str | None) -> Page:
    """The live deliverables planned in the month, each with its period, by title, 25 a page."""
    statement = (
        select(Deliverable, DeliverablePeriod)
        .join(
            DeliverablePeriod,
            (DeliverablePeriod.tenant_id == Deliverable.tenant_id)
            & (DeliverablePeriod.deliverable_id == Deliverable.id)
            & (DeliverablePeriod.period_start == first),
        )
        .where(Deliverable.tenant_id == current_tenant.id, Deliverable.deleted_on.is_(None))
        .options(joinedload(Deliverable.goal))
    )
    page = keyset(
        statement,
        Deliverable.title,
        Deliverable.ref_id,
        cursor,
        as_text,
        key_of=lambda row: row[0].title,
        ref_of=lambda row: row[0].ref_id,
    )
    return Page([MonthRow(d, p) for d, p in page.rows], page.next_cursor)


# A period is on target once it delivered its target, whatever its status says (a month in progress can be).
ON_TARGET = DeliverablePeriod.delivered_count >= DeliverablePeriod.target_count


def month_totals(first: dt.date) -> dict[str, int]:
    """Target and delivered pieces across all deliverables in the month, periods on target and missed."""
    row = (
        get_session()
        .execute(
            select(
                func.coalesce(func.sum(DeliverablePeriod.target_count), 0),
                func.coalesce(func.sum(DeliverablePeriod.delivered_count), 0),
                func.count(),
                func.count().filter(ON_TARGET),
                func.count().filter(DeliverablePeriod.status == "missed"),
            ).where(DeliverablePeriod.tenant_id == current_tenant.id, DeliverablePeriod.period_start == first)
        )
        .one()
    )
    return dict(zip(("target", "delivered", "periods", "on_target", "missed"), row, strict=True))


def periods_of(deliverable: Deliverable, cursor: str | None) -> Page:
    """A deliverable's months, newest first, 25 a page."""
    statement = select(DeliverablePeriod).where(
        DeliverablePeriod.tenant_id == deliverable.tenant_id,
        DeliverablePeriod.deliverable_id == deliverable.id,
    )
    return keyset(
        statement,
        DeliverablePeriod.period_start,
        DeliverablePeriod.ref_id,
        cursor,
        lambda v: dt.date.fromisoformat(v),
        descending=True,
        key_of=lambda p: p.period_start,
        ref_of=lambda p: p.ref_id,
    )


def period_bar(period: DeliverablePeriod) -> dict[str, Any]:
    """Delivered against target for one month's small bar: a 0–100 step of 5 and the tone of its status."""
    target = period.target_count or 0
    share = 100 if target == 0 else min(100, round(period.delivered_count * 100 / target))
    tone = {"delivered": "done", "missed": "problem", "in_progress": "agency"}.get(period.status, "neutral")
    return {"share": share, "step": round(share / 5) * 5, "tone": tone}


# -- activities ------------------------------------------------------------------------------------------


@dataclass
class Filters:
    """The activity filters of a list: status, type, executor (each optional, validated)."""

    status: str | None = None
    type: str | None = None
    executor: str | None = None

    @classmethod
    def parse(cls, args: Any) -> Filters:
        """Take the known values from query arguments and ignore anything else."""
        status, kind, executor = args.get("status"), args.get("type"), args.get("executor")
        return cls(
            status if status in ACTIVITY_STATUSES else None,
            kind if kind in ACTIVITY_TYPES else None,
            executor if executor in EXECUTORS else None,
        )

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return bool(self.status or self.type or self.executor)

    def args(self) -> dict[str, str]:
        """The set filters as query arguments."""
        return {
            k: v for k, v in (("status", self.status), ("type", self.type), ("executor", self.executor)) if v
        }


@dataclass
class Node:
    """An activity of the tree and its children."""

    activity: Activity
    children: list[Node] = field(default_factory=list)
    depth: int = 0


def _scoped(statement, period: DeliverablePeriod | None, first: dt.date | None, filters: Filters):
    statement = statement.where(Activity.tenant_id == current_tenant.id)
    if period is not None:
        statement = statement.where(Activity.deliverable_period_id == period.id)
    elif first is not None:
        start, end = month_bounds(first)
        statement = statement.where(Activity.due_on >= start, Activity.due_on < end)
    if filters.status:
        statement = statement.where(Activity.status == filters.status)
    if filters.type:
        statement = statement.where(Activity.type == filters.type)
    if filters.executor:
        statement = statement.where(Activity.executor == filters.executor)
    return statement


def _loaded(statement):
    return statement.options(joinedload(Activity.assignee), joinedload(Activity.period))


_PARENT = aliased(Activity, name="parent")


def _root_in(period: DeliverablePeriod | None, first: dt.date | None):
    """A root of the list: an activity without a parent, or whose parent the list does not show (a social
    post's calendar in another deliverable's period), so every activity of the period or month is listed."""
    if period is not None:
        inside = _PARENT.deliverable_period_id == period.id
    else:
        start, end = month_bounds(first)
        inside = and_(_PARENT.due_on >= start, _PARENT.due_on < end)
    parent_listed = exists().where(
        _PARENT.tenant_id == Activity.tenant_id, _PARENT.id == Activity.parent_activity_id, inside
    )
    return or_(Activity.parent_activity_id.is_(None), ~parent_listed)


def activity_tree(
    period: DeliverablePeriod | None, first: dt.date | None, filters: Filters, cursor: str | None
) -> tuple[Page, list[Node]]:
    """A page of activities as a tree: 25 top-level activities and all their descendants (two statements).

    With a filter set the list is flat (a child may match where its parent does not).
    """
    statement = _loaded(_scoped(select(Activity), period, first, filters))
    if not filters.active:
        statement = statement.where(_root_in(period, first))
    if period is not None:
        # A period's few activities, on the (tenant, period) index whatever the values: prepared, so
        # PostgreSQL plans it once per connection instead of at every page (planning cost 3× running it).
        statement = statement.execution_options(prepare=True)
    due = func.coalesce(Activity.due_on, literal(FAR_FUTURE))
    page = keyset(
        statement,
        due,
        Activity.ref_id,
        cursor,
        as_time,
        key_of=lambda a: a.due_on or FAR_FUTURE,
        ref_of=lambda a: a.ref_id,
    )
    nodes = [Node(a) for a in page.rows]
    if filters.active or not nodes:
        return page, nodes
    values = {TENANT_ID.key: current_tenant.id, "roots": [a.id for a in page.rows]}
    if period is not None:
        values["period_id"] = period.id
    descendants = get_session().scalars(_descendants_statement(period is not None), values).unique()
    by_parent: dict[Any, list[Activity]] = defaultdict(list)
    for child in descendants:
        by_parent[child.parent_activity_id].append(child)

    def attach(node: Node) -> None:
        for child in by_parent.get(node.activity.id, []):
            kid = Node(child, depth=node.depth + 1)
            node.children.append(kid)
            attach(kid)

    for node in nodes:
        attach(node)
    return page, nodes


@functools.cache
def _descendants_statement(in_period: bool) -> Select:
    # Every descendant of the roots, in one recursive statement. Built once, the tenant and the roots bound
    # at each run: building and hashing it (a recursive CTE and two loaders) cost more than running it.
    # A period's page keeps to the period's activities: a child in another period is listed there.
    same_period = (Activity.deliverable_period_id == bindparam("period_id"),) if in_period else ()
    tree = (
        select(Activity.id)
        .where(
            Activity.tenant_id == TENANT_ID,
            Activity.parent_activity_id.in_(bindparam("roots", expanding=True)),
            *same_period,
        )
        .cte("tree", recursive=True)
    )
    tree = tree.union_all(
        select(Activity.id).where(
            Activity.tenant_id == TENANT_ID, Activity.parent_activity_id == tree.c.id, *same_period
        )
    )
    # Prepared: its plan (equality on the tenant, the roots and the parents' index) does not depend on the
    # values; see portal.db.make_engine.
    return (
        _loaded(select(Activity).where(Activity.tenant_id == TENANT_ID, Activity.id.in_(select(tree.c.id))))
        .order_by(func.coalesce(Activity.due_on, literal(FAR_FUTURE)), Activity.ref_id)
        .execution_options(prepare=True)
    )


def flatten(nodes: list[Node]) -> list[Node]:
    """The tree in display order (parents before their children)."""
    out: list[Node] = []
    for node in nodes:
        out.append(node)
        out += flatten(node.children)
    return out


@dataclass(frozen=True)
class CalendarDay:
    """One day of the month grid: up to four activities due that day and how many there are in all."""

    day: dt.date
    in_month: bool
    activities: list[Activity]
    total: int


PER_DAY = 4


def calendar(period: DeliverablePeriod | None, first: dt.date, filters: Filters) -> list[list[CalendarDay]]:
    """The month as weeks of days (Monday first), each with the first few activities due (one statement)."""
    zone = tenant_zone().key
    day = cast(func.timezone(zone, Activity.due_on), Date).label("day")
    ranked = (
        _scoped(
            select(
                Activity.id,
                day,
                func.row_number()
                .over(partition_by=day, order_by=(Activity.due_on, Activity.ref_id))
                .label("n"),
                func.count().over(partition_by=day).label("total"),
            ),
            period,
            None,
            filters,
        )
        .where(Activity.due_on.is_not(None))
        .where(
            *(
                c
                for c in [Activity.due_on >= month_bounds(first)[0], Activity.due_on < month_bounds(first)[1]]
            )
        )
        .subquery()
    )
    rows = (
        get_session()
        .execute(
            _loaded(select(Activity, ranked.c.day, ranked.c.total))
            .join(ranked, (Activity.id == ranked.c.id) & (Activity.tenant_id == current_tenant.id))
            .where(ranked.c.n <= PER_DAY)
            .order_by(ranked.c.day, ranked.c.n)
        )
        .unique()
    )
    by_day: dict[dt.date, list[Activity]] = defaultdict(list)
    totals: dict[dt.date, int] = {}
    for activity, when, total in rows:
        by_day[when].append(activity)
        totals[when] = total
    start = first - dt.timedelta(days=first.weekday())
    end = next_month(first)
    weeks: list[list[CalendarDay]] = []
    current = start
    while current < end:
        week = []
        for _ in range(7):
            week.append(
                CalendarDay(
                    current, current.month == first.month, by_day.get(current, []), totals.get(current, 0)
                )
            )
            current += dt.timedelta(days=1)
        weeks.append(week)
    return weeks


def activity_context(activity: Activity) -> dict[str, Any]:
    """The activity's parent and its first 50 children, for its page (one statement)."""
    related = (Activity.parent_activity_id == activity.id) | (Activity.id == activity.parent_activity_id)
    rows = get_session().scalars(
        select(Activity)
        .where(Activity.tenant_id == activity.tenant_id, related)
        .order_by(Activity.created_on, Activity.id)
        .limit(51)
        .execution_options(prepare=True)
    )
    parent, children = None, []
    for row in rows:
        if row.id == activity.parent_activity_id:
            parent = row
        elif len(children) < 50:
            children.append(row)
    return {"parent": parent, "children": children}


# -- runs and calls --------------------------------------------------------------------------------------


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
    # Built once, the tenant and the activity bound at each run (building the five sums cost more CPU than
    # PostgreSQL's work for them). Per-run sums as correlated subqueries: 25 runs a page, each summed on the
    # (tenant, run) index.
    def of_run(model):
        return (model.tenant_id == ActivityRun.tenant_id) & (model.activity_run_id == ActivityRun.id)

    def summed(column, model, *where):
        return (
            select(func.coalesce(func.sum(column), 0))
            .where(of_run(model), *where)
            .correlate(ActivityRun)
            .scalar_subquery()
        )

    return (
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
        .execution_options(prepare=True)
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


def llm_calls_of(run: ActivityRun, cursor: str | None) -> Page:
    """The run's model calls in order (without cost_usd), 25 a page."""
    statement = select(*LLM_COLUMNS).where(
        LlmCall.tenant_id == run.tenant_id, LlmCall.activity_run_id == run.id
    )
    return keyset(
        statement,
        LlmCall.created_on,
        LlmCall.ref_id,
        cursor,
        as_time,
        key_of=lambda r: r.created_on,
        ref_of=lambda r: r.ref_id,
    )


def tool_calls_of(run: ActivityRun, cursor: str | None) -> Page:
    """The run's tool calls in order, 25 a page."""
    statement = select(ToolCall).where(
        ToolCall.tenant_id == run.tenant_id, ToolCall.activity_run_id == run.id
    )
    return keyset(
        statement,
        ToolCall.created_on,
        ToolCall.ref_id,
        cursor,
        as_time,
        key_of=lambda r: r.created_on,
        ref_of=lambda r: r.ref_id,
    )


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
