"""The content calendar: a month of scheduled and published posts of both kinds, in the tenant's timezone."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.content.kinds import KINDS, PLATFORM_LABELS, Kind
from portal.content.service import row_by_ref, today_local
from portal.db import get_session
from portal.formatting import tenant_zone
from portal.models import Channel
from portal.tenancy import current_tenant


@dataclass(frozen=True)
class CalendarEntry:
    """A scheduled or published post on a day of the calendar."""

    kind: str  # "blog" or "social"
    ref_id: str
    title: str
    status: str
    when: dt.datetime
    local: dt.datetime
    channel: str | None


@dataclass(frozen=True)
class Month:
    """A month of the calendar in the tenant's timezone: its weeks (Monday first) and entries by day."""

    first: dt.date
    weeks: list[list[dt.date]]
    entries: dict[dt.date, list[CalendarEntry]]

    @property
    def before(self) -> dt.date:
        """The first of the month before."""
        return (self.first - dt.timedelta(days=1)).replace(day=1)

    @property
    def after(self) -> dt.date:
        """The first of the month after."""
        return _next_month(self.first)

    @property
    def count(self) -> int:
        """How many posts the month holds."""
        return sum(len(day) for day in self.entries.values())


def parse_month(value: str | None) -> tuple[dt.date, bool]:
    """``YYYY-MM`` as the first of that month; garbage → the current month in the tenant's timezone and
    False (so the page can say the month was not understood)."""
    if value:
        with contextlib.suppress(ValueError):  # not a YYYY-MM: fall through to the current month
            first = dt.datetime.strptime(value, "%Y-%m").date()
            if 2000 <= first.year <= 2100:
                return first, True
    return today_local().replace(day=1), not value


def month_bounds(first: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants where the tenant's local month starts and the next one starts."""
    zone = tenant_zone()
    following = _next_month(first)
    start = dt.datetime.combine(first, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(following, dt.time(), tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def calendar(first: dt.date, channel_ref: str | None, kind_name: str | None) -> Month:
    """The month starting ``first`` (tenant's timezone): scheduled and published posts (of the kind named
    ``kind_name``, or both), by local day. A post's moment is its published_on when published, else its
    scheduled_on.
    """
    start, end = month_bounds(first)
    zone = tenant_zone()
    channel = row_by_ref(Channel, channel_ref)
    entries: list[CalendarEntry] = []
    for kind in KINDS:
        if kind_name not in (None, kind.name):
            continue
        model = kind.post_model
        when = func.coalesce(model.published_on, model.scheduled_on)
        statement = (
            select(model)
            .where(model.tenant_id == current_tenant.id, when >= start, when < end)
            .options(joinedload(model.channel))
        )
        if channel is not None:
            statement = statement.where(model.channel_id == channel.id)
        for post in get_session().scalars(statement):
            moment = post.published_on or post.scheduled_on
            title, where = _title_and_channel(kind, post)
            entries.append(
                CalendarEntry(
                    kind.name, post.ref_id, title, post.status, moment, moment.astimezone(zone), where
                )
            )
    by_day: dict[dt.date, list[CalendarEntry]] = {}
    for entry in sorted(entries, key=lambda e: (e.when, e.ref_id)):
        by_day.setdefault(entry.local.date(), []).append(entry)
    return Month(first, _weeks(first), by_day)


def _title_and_channel(kind: Kind, post: Any) -> tuple[str, str | None]:
    """What a calendar entry says of a post, and where it goes out (a social post's platform at least)."""
    channel = post.channel.name if post.channel else None
    if kind.has_platforms:
        label = PLATFORM_LABELS[post.platform]
        return f"{label}: {post.caption[:60]}", channel or label
    return post.title, channel


def _weeks(first: dt.date) -> list[list[dt.date]]:
    start = first - dt.timedelta(days=first.weekday())
    following = _next_month(first)
    weeks = []
    day = start
    while day < following:
        weeks.append([day + dt.timedelta(days=i) for i in range(7)])
        day += dt.timedelta(days=7)
    return weeks


def _next_month(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1)
