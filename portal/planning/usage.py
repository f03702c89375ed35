"""Credits this month: what the tenant was given, what the agents used, and the banner at 80 % and 100 %.

Definitions (one source for every figure, the credit ledger in ``billing_events``, in the tenant's month):

- **allocation** = the plan's ``tenants.monthly_credit_allocation`` + the ``credit_topup`` credits of the
  month;
- **used** = −(sum of ``credit_consumed`` and ``credit_released`` credits of the month): the ledger debits
  a run's credits when it starts and gives them back when it fails, so this is what runs kept;
- **reserved** = the part of *used* held by runs still queued or running (their ``credits_reserved``);
- **consumed** = used − reserved; **remaining** = allocation − used (never below zero);
- **percent** = used / allocation, rounded down. At 80 % a warning shows on every page; at 100 % a notice
  says new work is paused until the month rolls over or credits are topped up.

The per-type breakdown comes from the month's runs (consumed, or reserved while running), by activity type.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from flask import g, url_for
from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import SQLAlchemyError

from portal.db import FixedStatement, get_session
from portal.models import Activity, ActivityRun, BillingEvent
from portal.navigation import Banner
from portal.planning.service import month_bounds, month_start
from portal.tenancy import TENANT_ID, can, current_tenant

log = logging.getLogger(__name__)

WARNING_AT = 80
PAUSED_AT = 100
LEDGER_USE = ("credit_consumed", "credit_released")


@dataclass(frozen=True)
class Usage:
    """The month's credit figures (see the module's definitions)."""

    month: dt.date
    plan_allocation: int
    topups: int
    used: int
    reserved: int

    @property
    def allocation(self) -> int:
        """The plan's credits plus the month's top-ups."""
        return self.plan_allocation + self.topups

    @property
    def consumed(self) -> int:
        """Credits kept by finished runs."""
        return max(self.used - self.reserved, 0)

    @property
    def remaining(self) -> int:
        """What new work can still spend this month."""
        return max(self.allocation - self.used, 0)

    @property
    def percent(self) -> int:
        """Share of the allocation used, in whole percent (100 when there is no allocation but use)."""
        if self.allocation <= 0:
            return 100 if self.used > 0 else 0
        return self.used * 100 // self.allocation

    @property
    def state(self) -> str:
        """ "ok", "warning" (≥ 80 %) or "paused" (≥ 100 %)."""
        if self.percent >= PAUSED_AT:
            return "paused"
        return "warning" if self.percent >= WARNING_AT else "ok"


def _figures_statement():
    start, end = bindparam("month_start"), bindparam("month_end")
    reserved = (
        select(func.coalesce(func.sum(ActivityRun.credits_reserved), 0))
        .where(
            ActivityRun.tenant_id == TENANT_ID,
            ActivityRun.status.in_(("queued", "running")),
            ActivityRun.started_on >= start,
            ActivityRun.started_on < end,
        )
        .scalar_subquery()
    )
    return select(
        func.coalesce(func.sum(BillingEvent.credits).filter(BillingEvent.kind == "credit_topup"), 0),
        func.coalesce(-func.sum(BillingEvent.credits).filter(BillingEvent.kind.in_(LEDGER_USE)), 0),
        reserved,
    ).where(
        BillingEvent.tenant_id == TENANT_ID,
        BillingEvent.occurred_on >= start,
        BillingEvent.occurred_on < end,
        BillingEvent.kind.in_(("credit_topup", *LEDGER_USE)),
    )


# Built and compiled once: the banner runs it on every page, where building it cost as much as running it.
_FIGURES = FixedStatement(_figures_statement())


def _figures(first: dt.date) -> tuple[int, int, int]:
    """(top-ups, used, reserved) of the month: one statement on the (tenant, occurred_on) and (tenant,
    started_on) indexes, kept for the request so the banner and the page share it."""
    cached = g.setdefault("planning_usage", {})
    if first in cached:
        return cached[first]
    start, end = month_bounds(first)
    topups, used, held = _FIGURES.run(
        {TENANT_ID.key: current_tenant.id, "month_start": start, "month_end": end}
    ).one()
    cached[first] = (int(topups), int(used), int(held))
    return cached[first]


def month_usage(first: dt.date | None = None) -> Usage:
    """The credit figures of the month starting ``first`` (default: this month)."""
    first = first or month_start()
    topups, used, reserved = _figures(first)
    return Usage(first, current_tenant.monthly_credit_allocation or 0, topups, used, min(reserved, used))


def by_type(first: dt.date | None = None) -> list[tuple[str, int, int]]:
    """(activity type, credits consumed, credits reserved) of the month's runs, biggest first."""
    start, end = month_bounds(first or month_start())
    running = ActivityRun.status.in_(("queued", "running"))
    consumed = func.coalesce(func.sum(ActivityRun.credits_consumed).filter(~running), 0)
    reserved = func.coalesce(func.sum(ActivityRun.credits_reserved).filter(running), 0)
    rows = get_session().execute(
        select(Activity.type, consumed, reserved)
        .join(
            Activity, (Activity.tenant_id == ActivityRun.tenant_id) & (Activity.id == ActivityRun.activity_id)
        )
        .where(
            ActivityRun.tenant_id == current_tenant.id,
            ActivityRun.started_on >= start,
            ActivityRun.started_on < end,
        )
        .group_by(Activity.type)
        .order_by((consumed + reserved).desc(), Activity.type)
    )
    return [(kind, int(c), int(r)) for kind, c, r in rows]


def usage_banner() -> Banner | None:
    """The banner across every page at 80 % (warning) and 100 % (new work paused); one statement."""
    if g.get("tenant") is None:
        return None
    try:
        usage = month_usage()
    except SQLAlchemyError:  # a banner is never worth an error page (e.g. while PostgreSQL is away)
        log.warning("credit banner skipped: the usage query failed", exc_info=True)
        return None
    if usage.state == "ok":
        return None
    url = url_for("planning.usage") if can("planning.view") else None
    if usage.state == "paused":
        return Banner(
            "danger",
            "You have used all of this month's credits: new work is paused until the month rolls over "
            "or credits are topped up.",
            url,
            "See usage",
        )
    return Banner("warning", f"You have used {usage.percent} % of this month's credits.", url, "See usage")
