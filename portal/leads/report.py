"""The sales report: per rep, open leads, converted and disqualified in a period, the median time to first
contact; the queue of leads past the tenant's first-contact deadline, oldest first; and the lead funnel
(defined here for every page that shows it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, or_, select, tuple_
from sqlalchemy.orm import joinedload

from portal.db import get_session
from portal.formatting import tenant_zone
from portal.leads.decisions import OPEN_STATUSES
from portal.leads.listing import PAGE_SIZE, decode_cursor, encode_cursor
from portal.models import Lead, LeadActivity, User
from portal.tenancy import current_tenant


@dataclass
class Period:
    """A range of days in the tenant's timezone, [start, end] inclusive."""

    start: dt.date
    end: dt.date
    notices: list[str] = field(default_factory=list)

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as [from, to) timestamps."""
        zone = tenant_zone()
        return (
            dt.datetime.combine(self.start, dt.time(), zone),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), zone),
        )


def parse_period(args: Any) -> Period:
    """The period from ?from=&to= (default: the last 30 days); bad dates are ignored with a notice."""
    today = dt.datetime.now(tenant_zone()).date()
    notices = []
    dates = {}
    for name, default in (("from", today - dt.timedelta(days=29)), ("to", today)):
        raw = args.get(name) or ""
        try:
            dates[name] = dt.date.fromisoformat(raw) if raw else default
        except ValueError:
            notices.append(f"Ignored the {name} date “{raw[:40]}”: use YYYY-MM-DD.")
            dates[name] = default
    if dates["from"] > dates["to"]:
        notices.append("The period ended before it started; showing it the right way round.")
        dates["from"], dates["to"] = dates["to"], dates["from"]
    return Period(dates["from"], dates["to"], notices)


# The stages of a sale in order; disqualified leads leave the funnel at whatever stage they had reached.
FUNNEL_STAGES = ("received", "contacted", "qualified", "converted")
# The furthest stage each status shows a lead reached (a converted lead was contacted and qualified).
_REACHED = {"new": 0, "disqualified": 0, "contacted": 1, "qualified": 2, "converted": 3}


def funnel(by_status: dict[str, int]) -> dict[str, int]:
    """The lead funnel from live leads per status: how many leads reached at least each stage.

    So every stage counts the leads of the stages after it, and the funnel never widens: received ≥
    contacted ≥ qualified ≥ converted.
    """
    return {
        stage: sum(n for status, n in by_status.items() if _REACHED.get(status, 0) >= depth)
        for depth, stage in enumerate(FUNNEL_STAGES)
    }


@dataclass
class RepRow:
    """One rep's line of the report."""

    name: str
    ref_id: str
    active: bool
    open: int = 0
    converted: int = 0
    disqualified: int = 0
    median_first_contact_hours: float | None = None
    overdue: int = 0


def overdue_clause(deadline: dt.datetime):
    """The one definition of an overdue lead: open, never contacted, and created before the deadline."""
    return and_(Lead.status.in_(OPEN_STATUSES), Lead.first_contacted_on.is_(None), Lead.created_on < deadline)


def _deadline() -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(hours=current_tenant.first_contact_sla_hours)


def per_rep(period: Period) -> list[RepRow]:
    """Every rep (and the pool) with their figures, in four statements whatever the data."""
    session = get_session()
    tenant_id = current_tenant.id
    start, end = period.bounds
    live = and_(Lead.tenant_id == tenant_id, Lead.deleted_on.is_(None))
    reps = session.execute(
        select(User.id, User.ref_id, User.full_name, User.is_active, User.deleted_on)
        .where(
            User.tenant_id == tenant_id,
            # the reps, and anyone else leads are assigned to (a manager working some themselves)
            or_(
                User.role == "sales_rep",
                User.id.in_(select(Lead.assigned_to).where(live, Lead.assigned_to.is_not(None))),
            ),
        )
        .order_by(User.is_active.desc(), User.full_name)
    ).all()
    rows: dict[Any, RepRow] = {
        r.id: RepRow(r.full_name, r.ref_id, r.is_active and r.deleted_on is None) for r in reps
    }
    rows[None] = RepRow("Unassigned pool", "", True)
    for assignee, open_count, overdue in session.execute(
        select(
            Lead.assigned_to,
            func.count().filter(Lead.status.in_(OPEN_STATUSES)),
            func.count().filter(overdue_clause(_deadline())),
        )
        .where(live)
        .group_by(Lead.assigned_to)
    ):
        row = rows.setdefault(assignee, RepRow("Someone no longer on the team", "", False))
        row.open, row.overdue = open_count, overdue
    to_status = LeadActivity.metadata_["toStatus"].astext
    for assignee, converted, disqualified in session.execute(
        select(
            Lead.assigned_to,
            func.count().filter(to_status == "converted"),
            func.count().filter(to_status == "disqualified"),
        )
        .join(LeadActivity, and_(LeadActivity.tenant_id == Lead.tenant_id, LeadActivity.lead_id == Lead.id))
        .where(
            live,
            LeadActivity.type == "status_change",
            LeadActivity.created_on >= start,
            LeadActivity.created_on < end,
        )
        .group_by(Lead.assigned_to)
    ):
        row = rows.setdefault(assignee, RepRow("Someone no longer on the team", "", False))
        row.converted, row.disqualified = converted, disqualified
    hours = func.extract("epoch", Lead.first_contacted_on - Lead.created_on) / 3600
    for assignee, median in session.execute(
        select(Lead.assigned_to, func.percentile_cont(0.5).within_group(hours))
        .where(live, Lead.first_contacted_on.is_not(None), Lead.created_on >= start, Lead.created_on < end)
        .group_by(Lead.assigned_to)
    ):
        row = rows.setdefault(assignee, RepRow("Someone no longer on the team", "", False))
        row.median_first_contact_hours = float(median) if median is not None else None
    return [row for row in rows.values() if row.active or row.open or row.converted or row.disqualified]


@dataclass
class Queue:
    """A page of the overdue queue."""

    leads: list[Lead]
    next_cursor: str | None


def overdue(cursor: str = "") -> Queue:
    """Open leads nobody has contacted within the deadline, oldest first, 25 a page by keyset."""
    statement = (
        select(Lead)
        .where(
            Lead.tenant_id == current_tenant.id,
            Lead.deleted_on.is_(None),
            overdue_clause(_deadline()),
        )
        .options(joinedload(Lead.assignee))
        .order_by(Lead.created_on, Lead.id)
        .limit(PAGE_SIZE + 1)
    )
    position = decode_cursor(cursor) if cursor else None
    if position is not None:
        statement = statement.where(tuple_(Lead.created_on, Lead.id) > tuple_(*position))
    leads = list(get_session().scalars(statement))
    next_cursor = (
        encode_cursor(leads[PAGE_SIZE - 1].created_on, leads[PAGE_SIZE - 1].id)
        if len(leads) > PAGE_SIZE
        else None
    )
    return Queue(leads[:PAGE_SIZE], next_cursor)
