"""Jinja filters for times (in the tenant's timezone, relative when recent) and money (the tenant's currency),
and the status words' tones and labels every badge uses."""

from __future__ import annotations

import datetime as dt
import functools
import json
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, g
from markupsafe import Markup, escape

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


_EXACT = "%d %b %Y, %H:%M"
_DATE = "%d %b %Y"

# "Time ago", the one definition: under a minute the "now" words; then the largest whole unit up to a
# week; past that the date. portal.js reads it from the page (RELATIVE_TIME_META) to keep times current.
RELATIVE_TIME = {
    "now_below": 60,
    "limit": 7 * 86400,
    "units": [[86400, "d"], [3600, "h"], [60, "min"]],
    "now": "a moment ago",
    "past": "{} ago",
    "future": "in {}",
}
RELATIVE_TIME_META = Markup(f'<meta name="relative-time" content="{escape(json.dumps(RELATIVE_TIME))}">')  # noqa: S704


def localtime(value: dt.datetime | None, fmt: str = _EXACT) -> str:
    """A UTC timestamp as text in the tenant's timezone."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(tenant_zone()).strftime(fmt)


def relative_text(seconds: float) -> str | None:
    """How a moment ``seconds`` ago (negative: ahead) reads: "3 h ago", "in 2 d"; None past a week."""
    distance = abs(seconds)
    if distance < RELATIVE_TIME["now_below"]:
        return RELATIVE_TIME["now"]
    if distance >= RELATIVE_TIME["limit"]:
        return None
    size, unit = next((size, unit) for size, unit in RELATIVE_TIME["units"] if distance >= size)
    return RELATIVE_TIME["future" if seconds < 0 else "past"].format(f"{int(distance // size)} {unit}")


def ago(value: dt.datetime | None, now: dt.datetime | None = None, title: str | None = None) -> Markup:
    """A ``<time>`` element: relative when within a week ("3 h ago"), else the local date; on hover the exact
    local time (or ``title``). portal.js keeps a relative text current while the page stays open."""
    if value is None:
        return Markup('<span class="muted">—</span>')
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    local = value.astimezone(tenant_zone())  # once: both texts below are read from it
    text = relative_text(((now or dt.datetime.now(dt.UTC)) - value).total_seconds())
    live = " data-relative" if text is not None else ""
    hover = local.strftime(_EXACT) if title is None else escape(title)
    # Every part but a given title is digits, fixed words and punctuation (an ISO time, strftime with fixed
    # formats), so nothing else needs escaping: a list page calls this twice per row.
    return Markup(  # noqa: S704
        f'<time datetime="{value.isoformat()}"{live} title="{hover}">{text or local.strftime(_DATE)}</time>'
    )


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


# Status word -> one of five tones, one colour per meaning across the portal (the badge's class):
# waiting = waiting for you (amber), agency = with the agency / in progress (blue), done = done, approved,
# published (green), problem = rejected, failed, overdue (red), neutral = draft, archived, anything else
# (grey). Covers every status value in docs/SCHEMA.md.
STATUS_TONE = {
    "client_review": "waiting",
    "needs_approval": "waiting",
    "pending_review": "waiting",
    "awaiting_review": "waiting",
    "awaiting_approval": "waiting",
    "sent": "waiting",
    "pending": "waiting",
    "opportunity": "waiting",
    "new": "waiting",
    "onboarding": "waiting",
    "action_required": "waiting",
    "mapping": "waiting",
    "warm": "waiting",
    "dm_review": "agency",
    "in_review": "agency",
    "generating": "agency",
    "in_progress": "agency",
    "queued": "agency",
    "running": "agency",
    "submitted": "agency",
    "outreach_sent": "agency",
    "prospecting": "agency",
    "dm_approved": "agency",
    "design_pending": "agency",
    "scheduled": "agency",
    "active": "agency",
    "agreed": "agency",
    "revision_requested": "agency",
    "contacted": "agency",
    "pending_push": "agency",
    "reviewed": "agency",
    "trialing": "agency",
    "processing": "agency",
    "approved": "done",
    "client_approved": "done",
    "published": "done",
    "done": "done",
    "succeeded": "done",
    "accepted": "done",
    "delivered": "done",
    "completed": "done",
    "converted": "done",
    "qualified": "done",
    "connected": "done",
    "achieved": "done",
    "paid": "done",
    "applied": "done",
    "pushed": "done",
    "live": "done",
    "success": "done",
    "rejected": "problem",
    "failed": "problem",
    "declined": "problem",
    "missed": "problem",
    "lost": "problem",
    "disqualified": "problem",
    "hot": "problem",
    "error": "problem",
    "overdue": "problem",
    "cancelled": "problem",
    "blocked": "problem",
    "canceled": "problem",
    "suspended": "problem",
    "disconnected": "problem",
    "expired": "problem",
    "draft": "neutral",
    "archived": "neutral",
    "superseded": "neutral",
    "withdrawn": "neutral",
    "paused": "neutral",
    "ended": "neutral",
    "void": "neutral",
    "upcoming": "neutral",
    "skipped": "neutral",
    "removed": "neutral",
    "other": "neutral",
    "cold": "neutral",
}

# Labels of status and type words that read better than the plain word (the portal speaks to the client).
STATUS_LABEL = {
    "dm_review": "Agency review",
    "dm_approved": "Agency approved",
    "client_review": "Your review",
    "client_approved": "Approved",
    "needs_approval": "Needs your approval",
    "design_pending": "Design pending",
    "outreach_sent": "Outreach sent",
    "pending_push": "Pending push",
    "revision_requested": "Changes requested",
    "gbp_post": "Google Business Profile post",
    "seo": "SEO",
    "google_ads_copy": "Google Ads copy",
    "meta_ads_copy": "Meta ads copy",
    "linkedin": "LinkedIn",
}

# Where one kind of row words a status its own way: kind -> {status: label}, before STATUS_LABEL.
KIND_LABEL = {
    "lead_import": {"mapping": "Waiting for mapping", "processing": "Importing", "done": "Imported"},
    "ad_recommendation": {"approved": "Approved — waiting to be applied"},
    "recommendation_view": {"waiting": "Waiting for you"},
    "onboarding_step": {"open": "Not answered"},
    "backlink_move": {"in_progress": "Start", "completed": "Mark completed"},
}

# Where one kind of row gives a status its own tone: kind -> {status: tone}, before STATUS_TONE.
KIND_TONE = {
    "ad_recommendation": {"approved": "agency"},  # approved, yet the agency still has to apply it
    "onboarding_step": {"answered": "done", "open": "waiting"},
}


def status_tone(status: object, kind: str | None = None) -> str:
    """The tone word of a status ("waiting", "agency", "done", "problem" or "neutral"); KIND_TONE's for a
    status of that kind of row."""
    if not status:
        return "neutral"
    key = str(status).lower()
    return KIND_TONE.get(kind, {}).get(key) or STATUS_TONE.get(key, "neutral")


def status_label(status: object, kind: str | None = None) -> str:
    """The human label of a status word: "awaiting_review" -> "Awaiting review" (STATUS_LABEL's exceptions,
    and KIND_LABEL's for a status of that kind of row: status_label("done", "lead_import") -> "Imported")."""
    word = str(status)
    key = word.lower()
    return (
        KIND_LABEL.get(kind, {}).get(key)
        or STATUS_LABEL.get(key)
        or word.replace("_", " ").replace("-", " ").capitalize()
    )


def init_app(app: Flask) -> None:
    """Register the filters, and the status words' tone and label as template globals (a Python call costs
    a list page less than a macro per badge); ICON_SPRITE is the icons' file under the static folder, which
    the icon macro puts after the request's script root (so a page builds no URL per icon);
    RELATIVE_TIME_META is the "time ago" settings' tag for base.html's head."""
    app.add_template_filter(localtime)
    app.add_template_filter(ago)
    app.add_template_filter(money)
    app.add_template_global(status_tone)
    app.add_template_global(status_label)
    app.add_template_global(RELATIVE_TIME_META, "RELATIVE_TIME_META")
    app.add_template_global(f"{app.static_url_path}/img/icons.svg", "ICON_SPRITE")
