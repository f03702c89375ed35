"""The dashboard's figures as ONE statement: a UNION ALL of GROUP BYs into rows (series, a, b, n, m).

Built once per shape (the sections a role sees and the kinds it decides), its values bound at each run;
its plan depends on none of them (equality on the tenant, the user and small kept tables, date bounds on
(tenant, date) indexes), so it runs prepared on its generic plan.
"""

from __future__ import annotations

import functools

from sqlalchemy import (
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

from portal.approvals.service import waiting_subquery
from portal.hot.fixed import FixedStatement
from portal.models import (
    AdCampaign,
    BillingEvent,
    Deliverable,
    DeliverablePeriod,
    Lead,
    LeadDayCount,
    LeadStatusCount,
)
from portal.tenancy import TENANT_ID, USER_ID

TOP_CAMPAIGNS = 8
OPEN_LEAD_STATUSES = ("new", "contacted", "qualified")
LAUNCHED = ("active", "paused", "completed", "client_approved")


def _row(series: str, a, b, n, m=None) -> list:
    return [
        literal(series).label("series"),
        cast(a, String).label("a"),
        cast(b, String).label("b") if b is not None else cast(null(), String).label("b"),
        cast(n, Numeric).label("n"),
        cast(m, Numeric).label("m") if m is not None else cast(null(), Numeric).label("m"),
    ]


@functools.cache
def union(sections: frozenset[str], kinds: tuple[str, ...]) -> FixedStatement:
    """The dashboard's one statement for these sections and decidable kinds, rows (series, a, b, n, m);
    run with TENANT_ID, USER_ID, zone (the tenant's time zone), week0, month0 and credit_start."""
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
    return FixedStatement(union_all(*parts))
