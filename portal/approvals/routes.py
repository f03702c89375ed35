"""``/approvals``: everything waiting for the user's decision; ``/notifications``: the bell."""

from __future__ import annotations

import functools

from flask import Blueprint, redirect, request, url_for
from flask_login import login_required

from portal.approvals import service
from portal.navigation import register_count
from portal.tenancy import require
from portal.web import render, safe_next_url, wants_fragment

bp = Blueprint("approvals", __name__)


# The bell's unread count runs in the sidebar's one statement of counts (base.html reads counts.bell).
register_count("bell", service.unread_count)
# The inbox's count beside its sidebar entry, and each area's share of it beside that area's entry.
register_count(service.WAITING_KEY, service.waiting_count, figure=service.WAITING_FIGURE)
for _area in service.AREA_KINDS:
    register_count(_area, functools.partial(service.waiting_count, _area), figure=service.area_figure(_area))


@bp.route("/approvals")
@login_required
@require("dashboard.view")
def index():
    """What waits for this user's decision, oldest first, with a link to where each is decided."""
    items, next_cursor = service.inbox(request.args.get("cursor"))
    # The page's header shows the counts the sidebar's statement has already counted; a fragment has none.
    summary = None if wants_fragment() else service.waiting_summary()
    return render("approvals/index.html", "results", items=items, next_cursor=next_cursor, summary=summary)


@bp.route("/notifications")
@login_required
@require("dashboard.view")
def notifications():
    """The latest 50 notifications: a panel for the bell (htmx), or a page."""
    return render(
        "approvals/notifications.html",
        "panel",
        notifications=service.latest_notifications(),
        waiting=service.waiting_for_decision(),
        safe_url=safe_next_url,
    )


@bp.route("/notifications/read", methods=["POST"])
@login_required
@require("dashboard.view")
def mark_all_read():
    """Mark every notification read; the bell's panel comes back updated."""
    service.mark_all_read()
    if wants_fragment():
        return render(
            "approvals/notifications.html",
            "panel",
            notifications=service.latest_notifications(),
            waiting=service.waiting_for_decision(),
            safe_url=safe_next_url,
        )
    return redirect(url_for("approvals.notifications"))
