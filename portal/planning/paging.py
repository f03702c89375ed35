"""Keyset pagination for the planning pages: 25 rows, ordered by one key and the ref_id as tie-breaker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_

from portal.db import get_session

PAGE_SIZE = 25


@dataclass(frozen=True)
class Page:
    """One page of rows and the cursor of the next page (None on the last)."""

    rows: list[Any]
    next_cursor: str | None


def as_int(value: str) -> int:
    """Parse an integer cursor key."""
    return int(value)


def as_text(value: str) -> str:
    """A text cursor key, as is."""
    return value


def as_time(value: str) -> dt.datetime:
    """Parse a timestamp cursor key."""
    return dt.datetime.fromisoformat(value)


def _decode(cursor: str | None, parse: Callable[[str], Any]) -> tuple[Any, str] | None:
    """``<key>~<ref_id>`` as a tuple; None when absent or garbled (the list then starts over)."""
    if not cursor or "~" not in cursor:
        return None
    key, _, ref = cursor.rpartition("~")
    try:
        return parse(key), ref
    except (ValueError, TypeError):
        return None


def _encode(value: Any, ref: str) -> str:
    key = value.isoformat() if isinstance(value, dt.datetime | dt.date) else str(value)
    return f"{key}~{ref}"


def keyset(
    statement: Select,
    key: ColumnElement,
    ref: ColumnElement,
    cursor: str | None,
    parse: Callable[[str], Any],
    *,
    descending: bool = False,
    key_of: Callable[[Any], Any],
    ref_of: Callable[[Any], str],
    size: int = PAGE_SIZE,
    params: dict[str, Any] | None = None,
) -> Page:
    """Run ``statement`` as one page after ``cursor``, ordered by (key, ref) ascending or descending.

    ``key`` must not be NULL (wrap nullable columns in coalesce); ``key_of``/``ref_of`` read them back from
    a row; ``params`` are the values of a statement built once with bound parameters. One statement; one
    extra row tells whether a next page exists.
    """
    after = _decode(cursor, parse)
    if after is not None:
        value, last_ref = after
        if descending:
            statement = statement.where(or_(key < value, and_(key == value, ref < last_ref)))
        else:
            statement = statement.where(or_(key > value, and_(key == value, ref > last_ref)))
    order = (key.desc(), ref.desc()) if descending else (key.asc(), ref.asc())
    rows = list(get_session().execute(statement.order_by(*order).limit(size + 1), params).unique())
    rows = [row[0] if len(row) == 1 else row for row in rows]
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = _encode(key_of(rows[-1]), ref_of(rows[-1]))
    return Page(rows, next_cursor)
