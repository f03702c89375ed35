"""Jinja filters for times (in the tenant's timezone, relative when recent) and money (the tenant's currency)."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, g
from markupsafe import Markup

CURRENCY_SYMBOLS = {"INR": "₹", "USD": "$", "GBP": "£", "EUR": "€"}


def tenant_zone() -> ZoneInfo:
    """The current tenant's timezone (UTC when there is no tenant or the name is unknown)."""
    tenant = g.get("tenant")
    return _zone(tenant.timezone) if tenant is not None else _UTC


_UTC = ZoneInfo("UTC")


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    # Looked up once per name: a list page formats dozens of times per request.
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return _UTC


def localtime(value: dt.datetime | None, fmt: str = "%d %b %Y, %H:%M") -> str:
    """A UTC timestamp as text in the tenant's timezone."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(tenant_zone()).strftime(fmt)


def ago(value: dt.datetime | None, now: dt.datetime | None = None) -> Markup:
    """A ``<time>`` element: relative when within a week ("3 h ago"), the exact local time on hover."""
    if value is None:
        return Markup('<span class="muted">—</span>')
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    seconds = (now - value).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 60:
        text = "just now"
    elif seconds < 7 * 86400:
        for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
            if seconds >= size:
                amount = int(seconds // size)
                text = f"in {amount} {unit}" if future else f"{amount} {unit} ago"
                break
    else:
        text = localtime(value, "%d %b %Y")
    exact = localtime(value)
    # Markup's % escapes each part like .format does, without string.Formatter's cost (a list page calls
    # this dozens of times).
    return Markup('<time datetime="%s" title="%s">%s</time>') % (value.isoformat(), exact, text)


def money(amount: Decimal | int | None, currency: str | None = None) -> str:
    """An amount with two decimals and the currency's symbol (or code), never a float artefact."""
    if amount is None:
        return "—"
    if currency is None:
        tenant = g.get("tenant")
        currency = tenant.currency if tenant is not None else "INR"
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    symbol = CURRENCY_SYMBOLS.get(currency)
    sign = "-" if value < 0 else ""
    figures = f"{abs(value):,.2f}"
    return f"{sign}{symbol}{figures}" if symbol else f"{sign}{figures} {currency}"


def init_app(app: Flask) -> None:
    """Register the filters."""
    app.add_template_filter(localtime)
    app.add_template_filter(ago)
    app.add_template_filter(money)
