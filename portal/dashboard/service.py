"""Figures for the dashboard, every one from a SQL aggregate, all in ONE statement.

Each chart's numbers are a GROUP BY; the parts are joined with UNION ALL into rows of
``(series, a, b, n, m)`` so the page runs the same single statement however many leads, campaigns or
billing events the tenant has. Only the series the user's role sees are asked for.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from flask_login import current_user

from portal.approvals.service import decidable_kinds
from portal.formatting import tenant_zone
from portal.hot.dashboard import OPEN_LEAD_STATUSES, union
from portal.leads import report
from portal.models.leads import LEAD_SOURCES, LEAD_STATUSES
from portal.tenancy import TENANT_ID, USER_ID, current_tenant

WEEKS = 12
CREDIT_MONTHS = 6
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
    rows = union(frozenset(sections), kinds).run(params).all()
    return _assemble(rows, sections, kinds, week0, credit_start, month0, tenant.monthly_credit_allocation)


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
