"""The plan's activity views: the activities of a month or a deliverable period as a tree (parents with
their descendants) or a calendar, filtered; and one activity's context (its parent and children).

Each view is a fixed number of statements whatever the data; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, Select, and_, bindparam, cast, exists, func, literal, or_, select
from sqlalchemy.orm import aliased, joinedload

from portal.db import get_session
from portal.formatting import tenant_zone
from portal.hot.policy import prepared
from portal.models import Activity, DeliverablePeriod
from portal.models.execution import ACTIVITY_STATUSES, ACTIVITY_TYPES, EXECUTORS
from portal.planning.paging import Page, as_time, keyset
from portal.planning.service import FAR_FUTURE, month_bounds, next_month
from portal.tenancy import TENANT_ID, current_tenant


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
        # A period's few activities, on the (tenant, period) index whatever the values: planned once.
        statement = prepared(statement)
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
    # Every descendant of the roots, in one recursive statement, built once (its building outweighs its run).
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
    # Equality on the tenant, the roots and the parents' index: no value changes its plan.
    return prepared(
        _loaded(
            select(Activity).where(Activity.tenant_id == TENANT_ID, Activity.id.in_(select(tree.c.id)))
        ).order_by(func.coalesce(Activity.due_on, literal(FAR_FUTURE)), Activity.ref_id)
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
        prepared(
            select(Activity)
            .where(Activity.tenant_id == activity.tenant_id, related)
            .order_by(Activity.created_on, Activity.id)
            .limit(51)
        )
    )
    parent, children = None, []
    for row in rows:
        if row.id == activity.parent_activity_id:
            parent = row
        elif len(children) < 50:
            children.append(row)
    return {"parent": parent, "children": children}
