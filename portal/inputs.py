"""Input normalisation in one place: what a request may carry before any view or the database sees it.

- no NUL byte anywhere in the query string, the form or the URL (PostgreSQL's text refuses it): a 400;
- numbers that a column can hold: ``DecimalField``/``IntegerField`` here refuse NaN, infinities and values
  beyond ``numeric(12,2)`` / ``integer`` with a field error, and ``fits(value, sql_type)`` tells a cursor's
  decoded key from one that would make PostgreSQL fail.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import wtforms
from flask import Flask, render_template, request
from sqlalchemy import types

# numeric(12,2), the money columns: ten digits before the point.
MONEY_LIMIT = Decimal(10) ** 10
LARGEST_MONEY = MONEY_LIMIT - Decimal("0.01")
INT32 = 2**31
INT64 = 2**63
NUL_REFUSED = "The request contains a character that is not allowed (a NUL byte). Nothing was changed."


def has_nul(values: Any) -> bool:
    """Whether any key or value of a (multi)dict of strings contains a NUL byte."""
    return any("\x00" in key or any("\x00" in v for v in values.getlist(key)) for key in values)


def refuse_nul() -> tuple[str, int] | None:
    """Before every view: a NUL byte in the query string, the form or the URL's values is a 400 page."""
    path_values = [v for v in (request.view_args or {}).values() if isinstance(v, str)]
    if has_nul(request.args) or has_nul(request.form) or any("\x00" in v for v in path_values):
        return render_template("errors/400.html", status=400, message=NUL_REFUSED), 400
    return None


def fits(value: Any, sql_type: types.TypeEngine) -> bool:
    """Whether ``value`` can be bound to a column of ``sql_type`` without PostgreSQL refusing it."""
    if isinstance(sql_type, types.Integer):
        limit = INT64 if isinstance(sql_type, types.BigInteger) else INT32
        return isinstance(value, int) and not isinstance(value, bool) and -limit <= value < limit
    if isinstance(sql_type, types.Numeric):
        if not isinstance(value, Decimal | int) or isinstance(value, bool):
            return False
        limit = Decimal(10) ** (sql_type.precision - (sql_type.scale or 0)) if sql_type.precision else None
        return Decimal(value).is_finite() and (limit is None or abs(value) < limit)
    if isinstance(sql_type, types.DateTime):
        return isinstance(value, dt.datetime)
    if isinstance(sql_type, types.Date):
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if isinstance(sql_type, types.String):
        return isinstance(value, str) and "\x00" not in value
    return True


class DecimalField(wtforms.DecimalField):
    """A DecimalField for numeric(12,2): NaN, infinities and |x| ≥ 10^10 are field errors, never saved."""

    def process_data(self, value: Any) -> None:
        """Saved data that could not be typed today (an old ``1e309``) shows as empty, not a 500."""
        self.data = value if _finite_below(value, MONEY_LIMIT) else None

    def process_formdata(self, valuelist: list[str]) -> None:
        """Parse as WTForms does, then refuse what no column holds (the typed text stays in the field)."""
        super().process_formdata(valuelist)
        if self.data is not None and not _finite_below(self.data, MONEY_LIMIT):
            self.data = None
            raise ValueError(f"Enter a number between -{LARGEST_MONEY:,} and {LARGEST_MONEY:,}.")


class IntegerField(wtforms.IntegerField):
    """An IntegerField for an integer column: values beyond its 32 bits are field errors, never saved."""

    def process_data(self, value: Any) -> None:
        """Saved data beyond 32 bits shows as empty rather than failing the page."""
        super().process_data(value)
        if self.data is not None and not -INT32 <= self.data < INT32:
            self.data = None

    def process_formdata(self, valuelist: list[str]) -> None:
        """Parse as WTForms does, then refuse a number no integer column holds."""
        super().process_formdata(valuelist)
        if self.data is not None and not -INT32 <= self.data < INT32:
            self.data = None
            raise ValueError(f"Enter a whole number between {-INT32:,} and {INT32 - 1:,}.")


def _finite_below(value: Any, limit: Decimal) -> bool:
    if value is None:
        return True
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return False
    return number.is_finite() and abs(number) < limit


def init_app(app: Flask) -> None:
    """Refuse NUL bytes before every view (after routing, so a malformed id is still a 404)."""
    app.before_request(refuse_nul)
