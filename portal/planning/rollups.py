"""Roll-ups of the agents' work: runs, tokens and credits per activity, deliverable, goal and month.

Each roll-up is one GROUP BY statement. Tokens are summed per run first (a subquery), so joining runs to
their many model calls never counts a run's credits twice.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, bindparam, func, select

from portal.db import get_session
from portal.formatting import tenant_zone
from portal.hot.policy import prepared
from portal.models import Activity, ActivityRun, Deliverable, DeliverablePeriod, LlmCall
from portal.planning.service import month_bounds
from portal.tenancy import TENANT_ID, current_tenant


@dataclass(frozen=True)
class Rollup:
    """What the runs of a group took: runs (and failed ones), tokens in and out, credits."""

    runs: int = 0
    failed: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    credits_reserved: int = 0
    credits_consumed: int = 0

    @property
    def tokens(self) -> int:
        """Tokens in and out together."""
        return self.prompt_tokens + self.completion_tokens


EMPTY = Rollup()


def _month_key() -> ColumnElement:
    """The run's month (first day) in the tenant's timezone (bound as ``zone``)."""
    local = func.timezone(bindparam("zone", type_=Text()), ActivityRun.started_on)
    return func.date(func.date_trunc("month", local))


def _key(by: str) -> ColumnElement:
    return {
        "activity": ActivityRun.activity_id,
        "deliverable": DeliverablePeriod.deliverable_id,
        "goal": func.coalesce(Activity.goal_id, Deliverable.goal_id),
        "month": _month_key(),
    }[by]


def rollup(
    by: str,
    keys: list[Any] | None = None,
    since: dt.date | None = None,
    month: dt.date | None = None,
    deliverable_id: Any = None,
) -> dict[Any, Rollup]:
    """Sums per ``by`` ("activity", "deliverable", "goal" or "month"), optionally only for ``keys`` (ids,
    or first days of months), runs started from the month ``since`` or in the ``month``, and the runs of
    one deliverable; one statement."""
    if keys is not None and not keys:
        return {}
    params: dict[str, Any] = {TENANT_ID.key: current_tenant.id, "zone": tenant_zone().key}
    if keys is not None:
        params["keys"] = keys
    # On started_on itself (the months' bounds in the tenant's zone), so the (tenant, started_on) index
    # bounds the scan instead of computing every run's local month.
    if since is not None:
        params["since_start"] = month_bounds(since)[0]
    if month is not None:
        params["month_start"], params["month_end"] = month_bounds(month)
    if deliverable_id is not None:
        params["deliverable_id"] = deliverable_id
    statement = _statement(
        by, keys is not None, since is not None, month is not None, deliverable_id is not None
    )
    return {row[0]: Rollup(*(int(v) for v in row[1:])) for row in get_session().execute(statement, params)}


@functools.cache
def _statement(by: str, keyed: bool, since: bool, month: bool, one_deliverable: bool) -> Select:
    # Built once per shape, values bound at each run: its building outweighs PostgreSQL's work for it.
    key = _key(by)
    runs = select(
        ActivityRun.id,
        key.label("key"),
        ActivityRun.status,
        ActivityRun.credits_reserved,
        ActivityRun.credits_consumed,
    ).where(ActivityRun.tenant_id == TENANT_ID)
    if by in ("deliverable", "goal") or one_deliverable:
        runs = (
            runs.join(
                Activity,
                (Activity.tenant_id == ActivityRun.tenant_id) & (Activity.id == ActivityRun.activity_id),
            )
            .outerjoin(
                DeliverablePeriod,
                (DeliverablePeriod.tenant_id == Activity.tenant_id)
                & (DeliverablePeriod.id == Activity.deliverable_period_id),
            )
            .outerjoin(
                Deliverable,
                (Deliverable.tenant_id == DeliverablePeriod.tenant_id)
                & (Deliverable.id == DeliverablePeriod.deliverable_id),
            )
        )
    if keyed:
        runs = runs.where(key.in_(bindparam("keys", expanding=True)))
    if since:
        runs = runs.where(ActivityRun.started_on >= bindparam("since_start"))
    if month:
        runs = runs.where(
            ActivityRun.started_on >= bindparam("month_start"),
            ActivityRun.started_on < bindparam("month_end"),
        )
    if one_deliverable:
        runs = runs.where(DeliverablePeriod.deliverable_id == bindparam("deliverable_id"))
    runs = runs.cte("runs")
    # Tokens of the selected runs only, summed per run before the join (a run has many calls).
    tokens = (
        select(
            LlmCall.activity_run_id.label("run_id"),
            func.sum(LlmCall.prompt_tokens).label("prompt"),
            func.sum(LlmCall.completion_tokens).label("completion"),
        )
        .where(LlmCall.tenant_id == TENANT_ID, LlmCall.activity_run_id.in_(select(runs.c.id)))
        .group_by(LlmCall.activity_run_id)
        .subquery()
    )
    # The (tenant, key) indexes and the runs' (tenant, run) index whatever the values: planned once.
    return prepared(
        select(
            runs.c.key,
            func.count(runs.c.id),
            func.count().filter(runs.c.status == "failed"),
            func.coalesce(func.sum(tokens.c.prompt), 0),
            func.coalesce(func.sum(tokens.c.completion), 0),
            func.coalesce(func.sum(runs.c.credits_reserved), 0),
            func.coalesce(func.sum(runs.c.credits_consumed), 0),
        )
        .outerjoin(tokens, tokens.c.run_id == runs.c.id)
        .group_by(runs.c.key)
    )
