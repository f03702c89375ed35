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
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.exc import SQLAlchemyError

from portal.db import get_session
from portal.models import Activity, ActivityRun, BillingEvent
from portal.navigation import Banner, layout_counts, register_count
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


def _figure_parts() -> dict[str, Select]:
    """The month's (top-ups, used, reserved) as three scalar SELECTs on the (tenant, occurred_on) index and
    the open runs' partial index, the month's bounds bound as month_start / month_end."""
    start, end = bindparam("month_start"), bindparam("month_end")
    month = (
        BillingEvent.tenant_id == TENANT_ID,
        BillingEvent.occurred_on >= start,
        BillingEvent.occurred_on < end,
    )
    return {
        "credits.topups": select(func.coalesce(func.sum(BillingEvent.credits), 0)).where(
            *month, BillingEvent.kind == "credit_topup"
        ),
        "credits.used": select(func.coalesce(-func.sum(BillingEvent.credits), 0)).where(
            *month, BillingEvent.kind.in_(LEDGER_USE)
        ),
        "credits.reserved": select(func.coalesce(func.sum(ActivityRun.credits_reserved), 0)).where(
            ActivityRun.tenant_id == TENANT_ID,
            ActivityRun.status.in_(("queued", "running")),
            ActivityRun.started_on >= start,
            ActivityRun.started_on < end,
        ),
    }


# Another month's figures (the usage pages'); this month's come with the sidebar's counts (register_figures).
_FIGURES = select(*(part.scalar_subquery() for part in _figure_parts().values()))


def _month_values(first: dt.date) -> dict[str, dt.datetime]:
    start, end = month_bounds(first)
    return {"month_start": start, "month_end": end}


def register_figures() -> None:
    """Count this month's figures with the sidebar's counts (one statement on every page; the banner's)."""
    for key, part in _figure_parts().items():
        register_count(key, lambda part=part: part, lambda: _month_values(month_start()))


def _figures(first: dt.date) -> tuple[int, int, int]:
    """(top-ups, used, reserved) of the month, kept for the request so the banner and the page share them:
    this month's from the layout's counts, another month's from one statement."""
    cached = g.setdefault("planning_usage", {})
    if first not in cached:
        if first == month_start():
            counts = layout_counts()
            row = (counts["credits.topups"], counts["credits.used"], counts["credits.reserved"])
        else:
            values = {TENANT_ID.key: current_tenant.id, **_month_values(first)}
            row = get_session().execute(_FIGURES, values).one()
        cached[first] = tuple(int(value) for value in row)
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
