"""/channels: the tenant's channels, each with its score trend and what uses it.

Channels are read with ``campaigns.view`` (owner, admin, marketer, viewer): they sit beside campaigns in
the portal, and the page shows lead counts only, never a lead's contact details.
"""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import login_required

from portal.campaigns.listing import requested_range
from portal.channels import service
from portal.models import Channel
from portal.models.leads import LEAD_STATUSES
from portal.tenancy import get_or_404, require
from portal.web import render

bp = Blueprint("channels", __name__, url_prefix="/channels")


@bp.route("/")
@login_required
@require("campaigns.view")
def index():
    """Connected channels with their status, latest score and how much uses them."""
    return render("channels/index.html", channels=service.list_channels())


@bp.route("/<ulid:channel_ref>")
@login_required
@require("campaigns.view")
def detail(channel_ref: str):
    """A channel: its score trend over a date range (90 days by default) and what uses it."""
    channel = get_or_404(Channel, channel_ref)
    dates, error = requested_range(request.args, default_days=90)
    scores = service.score_trend(channel, dates) if dates else []
    body = render(
        "channels/detail.html",
        channel=channel,
        scores=scores,
        dates=dates,
        error=error,
        usage=service.usage(channel),
        lead_statuses=LEAD_STATUSES,
    )
    return body, 400 if error else 200
