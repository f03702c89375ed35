"""Keyset pagination for the content lists: newest first by (created_on, ref_id), 25 rows a page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_

PAGE_SIZE = 25


@dataclass(frozen=True)
class Page:
    """One page of rows and the cursor of the next (older) page, if any."""

    rows: list[Any]
    next_cursor: str | None


def parse_cursor(cursor: str | None) -> tuple[dt.datetime, str] | None:
    """A cursor ``<iso time>~<ref_id>`` as a tuple; None when absent or garbled (then the list starts over)."""
    if not cursor or "~" not in cursor:
        return None
    when, _, ref = cursor.partition("~")
    try:
        return dt.datetime.fromisoformat(when), ref[:26]
    except ValueError:
        return None


def newest_first(statement: Select, model: Any, cursor: str | None, size: int = PAGE_SIZE) -> Page:
    """Run ``statement`` (selecting ``model`` rows) as one page after ``cursor``, newest first."""
    from portal.db import get_session

    after = parse_cursor(cursor)
    if after is not None:
        when, ref = after
        statement = statement.where(
            or_(model.created_on < when, (model.created_on == when) & (model.ref_id < ref))
        )
    rows = list(
        get_session()
        .scalars(statement.order_by(model.created_on.desc(), model.ref_id.desc()).limit(size + 1))
        .unique()
    )
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = f"{last.created_on.isoformat()}~{last.ref_id}"
    return Page(rows, next_cursor)
