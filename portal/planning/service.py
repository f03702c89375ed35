"""Reading the plan: goals, deliverables and their months (activities: activities.py, their runs
and calls: runs.py).

Every list is one statement per page (keyset, 25 rows) with what it shows loaded alongside, so a page's
number of statements does not grow with the data. Nothing here writes; tasks.py and strategies.py do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.db import get_session
from portal.formatting import tenant_zone
from portal.models import Deliverable, DeliverablePeriod, Goal
from portal.planning.paging import Page, as_text, as_time, keyset
from portal.tenancy import current_tenant

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
