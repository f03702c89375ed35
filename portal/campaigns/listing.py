"""Shared by the campaigns, channels and billing pages: date ranges from the query string and keyset
pagination (25 rows, an opaque cursor of the last row's sort key)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

PAGE_SIZE = 25
MAX_RANGE_DAYS = 731  # two years, counting a leap day


class RangeError(ValueError):
    """A date range the pages refuse; the message says why, for the user."""


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of days; either end may be open."""

    start: dt.date | None
    end: dt.date | None

    @property
    def is_set(self) -> bool:
        """Whether the user asked for a range at all."""
        return self.start is not None or self.end is not None


def _day(value: str | None, label: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as error:
        raise RangeError(f"The {label} date is not a date (use YYYY-MM-DD).") from error


def parse_range(start: str | None, end: str | None, default_days: int | None = None) -> DateRange:
    """The range ?from=&to= asks for; reversed or longer than two years is refused with a message.

    With default_days and no dates given, the last default_days days up to today.
    """
    first, last = _day(start, "from"), _day(end, "to")
    if first is None and last is None and default_days:
        last = dt.date.today()
        first = last - dt.timedelta(days=default_days - 1)
    if first and last and first > last:
        raise RangeError("The range is reversed: the from date is after the to date.")
    # an open end runs to today (an open start is bounded by the data), so it counts towards the limit
    if first and ((last or dt.date.today()) - first).days >= MAX_RANGE_DAYS:
        raise RangeError("The range is longer than two years; choose a shorter one.")
    return DateRange(first, last)


def requested_range(args, default_days: int | None = None) -> tuple[DateRange | None, str | None]:
    """The range a query string's from= and to= ask for (see parse_range), or None and why it is refused."""
    try:
        return parse_range(args.get("from"), args.get("to"), default_days), None
    except RangeError as refused:
        return None, str(refused)


def encode_cursor(*key: Any) -> str:
    """An opaque cursor for the sort key of the last row shown (dates and datetimes as ISO text)."""
    values = [v.isoformat() if isinstance(v, dt.date | dt.datetime) else v for v in key]
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, *types: type) -> tuple | None:
    """The sort key in a cursor, converted to types (None for a missing or tampered cursor: first page)."""
    if not cursor:
        return None
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(types):
            return None
        return tuple(_convert(value, kind) for value, kind in zip(raw, types, strict=True))
    except (ValueError, TypeError):
        return None


def _convert(value: Any, kind: type) -> Any:
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if not isinstance(value, kind):
        raise TypeError(f"cursor value {value!r} is not {kind.__name__}")
    return value


@dataclass(frozen=True)
class Page:
    """One page of rows and the cursor of the next page (None on the last)."""

    rows: list
    next_cursor: str | None


def page_of(rows: list, key) -> Page:
    """Cut a fetched PAGE_SIZE + 1 rows to a page; key(row) gives the sort key of a row for the cursor."""
    if len(rows) > PAGE_SIZE:
        rows = rows[:PAGE_SIZE]
        return Page(rows, encode_cursor(*key(rows[-1])))
    return Page(rows, None)
