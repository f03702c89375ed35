"""Figures for the dashboard, every one from a SQL aggregate, all in ONE statement.

Each chart's numbers are a GROUP BY; the parts are joined with UNION ALL into rows of
``(series, a, b, n, m)`` so the page runs the same single statement however many leads, campaigns or
billing events the tenant has. Only the series the user's role sees are asked for.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from flask_login import current_user
from sqlalchemy import (
    CompoundSelect,
    Date,
    Numeric,
    Select,
    String,
    Text,
    and_,
    bindparam,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)

from portal.approvals.service import decidable_kinds, waiting_subquery
from portal.db import get_session
from portal.formatting import tenant_zone
from portal.leads import report
from portal.models import (
    AdCampaign,
    BillingEvent,
    Deliverable,
    DeliverablePeriod,
    Lead,
    LeadDayCount,
    LeadStatusCount,
)
from portal.models.leads import LEAD_SOURCES, LEAD_STATUSES
from portal.tenancy import TENANT_ID, USER_ID, current_tenant

WEEKS = 12
CREDIT_MONTHS = 6
TOP_CAMPAIGNS = 8
OPEN_LEAD_STATUSES = ("new", "contacted", "qualified")
LAUNCHED = ("active", "paused", "completed", "client_approved")
# Which parts of the dashboard each role sees (counts only for viewers: nothing names a lead; a rep sees
# their own leads and the pool they may claim, not the tenant's). "waiting" is added for whoever decides
# something (approvals.decidable_kinds): a role that decides nothing is never asked to approve.
ROLE_SECTIONS = {
    "owner": {"leads", "funnel", "campaigns", "deliverables", "credits"},
    "admin": {"leads", "funnel", "campaigns", "deliverables", "credits"},
    "marketer": {"leads", "funnel", "campaigns", "deliverables", "credits"},
    "sales_manager": {"leads", "funnel", "pool"},
    "sales_rep": {"queue", "pool"},
    "viewer": {"leads", "funnel", "campaigns", "deliverables"},
}


@dataclass(frozen=True)
class Summary:
    """The numbers on the dashboard's cards."""

    leads_total: int
    leads_new: int
    leads_unassigned: int


@dataclass
class Dashboard:
    """Everything the dashboard shows for the signed-in user's role."""

    sections: set[str]
    summary: Summary
    weeks: list[dt.date]
    leads_by_week: dict[str, list[int]]  # source → count per week
    funnel: dict[str, int]
    campaigns: list[tuple[str, Decimal, int]]  # (name, spent, conversions)
    deliverables: list[tuple[str, int, int]]  # (type, delivered, target) this month
    credit_months: list[tuple[dt.date, int]]  # (month, credits used)
    credits_used_this_month: int
    credit_allocation: int
    waiting: dict[str, int]  # kind of approvals.KIND_LABELS → items waiting for the user's decision
    queue: dict[str, int] = field(default_factory=dict)  # the rep's own open leads by status
    pool: int = 0  # unassigned open leads

    @property
    def waiting_total(self) -> int:
        """Everything waiting for the user's decision (the approvals inbox's count)."""
        return sum(self.waiting.values())


def _row(series: str, a, b, n, m=None) -> list:
    return [
        literal(series).label("series"),
        cast(a, String).label("a"),
        cast(b, String).label("b") if b is not None else cast(null(), String).label("b"),
        cast(n, Numeric).label("n"),
        cast(m, Numeric).label("m") if m is not None else cast(null(), Numeric).label("m"),
    ]


def _this_month(today: dt.date) -> dt.date:
    return today.replace(day=1)


def _month_back(month: dt.date, count: int) -> dt.date:
    year, index = divmod(month.year * 12 + month.month - 1 - count, 12)
    return dt.date(year, index + 1, 1)


def build(now: dt.datetime | None = None) -> Dashboard:
    """The dashboard of the signed-in user, from one statement."""
    tenant = current_tenant
    kinds = decidable_kinds()
    sections = ROLE_SECTIONS.get(current_user.role, set()) | ({"waiting"} if kinds else set())
    today = (now or dt.datetime.now(dt.UTC)).astimezone(tenant_zone()).date()
    week0 = today - dt.timedelta(days=today.weekday() + 7 * (WEEKS - 1))
    month0 = _this_month(today)
    credit_start = _month_back(month0, CREDIT_MONTHS - 1)
    params = {
        TENANT_ID.key: tenant.id,
        USER_ID.key: current_user.id,
        "zone": tenant.timezone,
        "week0": week0,
        "month0": month0,
        "credit_start": credit_start,
    }
    rows = get_session().execute(_statement(frozenset(sections), kinds), params).all()
    return _assemble(rows, sections, kinds, week0, credit_start, month0, tenant.monthly_credit_allocation)


@functools.cache
def _statement(sections: frozenset[str], kinds: tuple[str, ...]) -> CompoundSelect:
    # Built once per set of sections and kinds decided, the tenant, user, zone and dates bound at each run: building these
    # ten GROUP BYs and hashing them for SQLAlchemy's cache took more CPU than the rest of the page.
    tenant_id, user_id = TENANT_ID, USER_ID
    week0, month0 = bindparam("week0", type_=Date()), bindparam("month0", type_=Date())
    zone = bindparam("zone", type_=Text())
    live_lead = and_(Lead.tenant_id == tenant_id, Lead.deleted_on.is_(None))

    parts: list[Select] = []
    # the tenant's leads by status (the funnel, whose sum and "new" are the cards' totals) and the
    # unassigned. Lead numbers come from the counts the writes keep (portal.lead_status_counts: a dozen
    # rows), not from counting every lead.
    counted = LeadStatusCount
    parts.append(
        select(*_row("funnel", counted.status, None, func.sum(counted.n)))
        .where(counted.tenant_id == tenant_id)
        .group_by(counted.status)
    )
    parts.append(
        select(*_row("total", literal("unassigned"), None, func.coalesce(func.sum(counted.n), 0))).where(
            counted.tenant_id == tenant_id,
            counted.unassigned.is_(True),
            counted.status.in_(OPEN_LEAD_STATUSES),
        )
    )
    if kinds:
        # what waits for the user by kind: the approvals inbox's items, counted by its own definition
        waiting = waiting_subquery(tenant_id, kinds)
        parts.append(select(*_row("waiting", waiting.c.kind, None, func.count())).group_by(waiting.c.kind))
    if "leads" in sections:
        # New leads per day and source in the tenant's zone, kept by the writes (portal.lead_day_counts:
        # 84 days × a few sources), summed into weeks numbered from 1.
        days = LeadDayCount
        week = (days.day - week0) // 7 + 1
        parts.append(
            select(*_row("week", week, days.source, func.sum(days.n)))
            .where(days.tenant_id == tenant_id, days.day >= week0)
            .group_by(week, days.source)
        )
    if "queue" in sections:
        parts.append(
            select(*_row("queue", Lead.status, None, func.count()))
            .where(live_lead, Lead.assigned_to == user_id, Lead.status.in_(OPEN_LEAD_STATUSES))
            .group_by(Lead.status)
        )
    if "campaigns" in sections:
        top = (
            select(AdCampaign.name, AdCampaign.spent, AdCampaign.conversions)
            .where(AdCampaign.tenant_id == tenant_id, AdCampaign.status.in_(LAUNCHED))
            .order_by(AdCampaign.spent.desc(), AdCampaign.name)
            .limit(TOP_CAMPAIGNS)
            .subquery()
        )
        parts.append(select(*_row("campaign", top.c.name, None, top.c.spent, top.c.conversions)))
    if "deliverables" in sections:
        parts.append(
            select(
                *_row(
                    "deliverable",
                    Deliverable.type,
                    None,
                    func.sum(DeliverablePeriod.delivered_count),
                    func.sum(DeliverablePeriod.target_count),
                )
            )
            .join(
                Deliverable,
                and_(
                    Deliverable.tenant_id == DeliverablePeriod.tenant_id,
                    Deliverable.id == DeliverablePeriod.deliverable_id,
                ),
            )
            .where(
                DeliverablePeriod.tenant_id == tenant_id,
                DeliverablePeriod.period_start == month0,
                Deliverable.deleted_on.is_(None),
            )
            .group_by(Deliverable.type)
        )
    if "credits" in sections:
        billed = func.date_trunc("month", func.timezone(zone, BillingEvent.occurred_on))
        parts.append(
            select(*_row("credits", func.date(billed), None, -func.sum(BillingEvent.credits)))
            .where(
                BillingEvent.tenant_id == tenant_id,
                BillingEvent.kind.in_(("credit_consumed", "credit_released")),
                func.timezone(zone, BillingEvent.occurred_on) >= bindparam("credit_start", type_=Date()),
            )
            .group_by(billed)
        )
    # Prepared (see portal.db.make_engine): its plan does not depend on the values — equality on the
    # tenant, the user and small kept tables, and date bounds on (tenant, date) indexes — and planning
    # the ten parts took PostgreSQL about as long as running them.
    return union_all(*parts).execution_options(prepare=True)


def _assemble(rows, sections, kinds, week0, credit_start, month0, allocation) -> Dashboard:
    weeks = [week0 + dt.timedelta(weeks=i) for i in range(WEEKS)]
    months = [_month_back(month0, CREDIT_MONTHS - 1 - i) for i in range(CREDIT_MONTHS)]
    totals: dict[str, int] = {}
    waiting = dict.fromkeys(kinds, 0)
    by_week: dict[str, list[int]] = defaultdict(lambda: [0] * WEEKS)
    funnel = dict.fromkeys(LEAD_STATUSES, 0)
    queue = dict.fromkeys(OPEN_LEAD_STATUSES, 0)
    campaigns, deliverables = [], []
    credits = dict.fromkeys(months, 0)
    for series, a, b, n, m in rows:
        if series == "total":
            totals[a] = int(n)
        elif series == "waiting":
            waiting[a] = int(n)
        elif series == "week":
            index = int(a) - 1  # the statement numbers the weeks from 1
            if 0 <= index < WEEKS:
                by_week[b][index] += int(n)
        elif series == "funnel":
            funnel[a] = int(n)
        elif series == "queue":
            queue[a] = int(n)
        elif series == "campaign":
            campaigns.append((a, n, int(m)))
        elif series == "deliverable":
            deliverables.append((a, int(n), int(m)))
        elif series == "credits":
            credits[dt.date.fromisoformat(a)] = int(n)
    campaigns.sort(key=lambda c: (-c[1], c[0]))
    deliverables.sort()
    summary = Summary(
        sum(funnel.values()),
        funnel["new"],
        totals.get("unassigned", 0),
    )
    return Dashboard(
        sections=sections,
        summary=summary,
        weeks=weeks,
        leads_by_week={source: by_week[source] for source in LEAD_SOURCES if source in by_week},
        funnel=report.funnel(funnel),
        campaigns=campaigns,
        deliverables=deliverables,
        credit_months=list(credits.items()),
        credits_used_this_month=credits[month0],
        credit_allocation=allocation,
        waiting=waiting,
        queue=queue,
        pool=totals.get("unassigned", 0),
    )
