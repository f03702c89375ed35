"""The dashboard and the tenant's brand stylesheet."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, render_template
from flask_login import login_required

from portal.approvals.service import KIND_LABELS
from portal.dashboard import service
from portal.tenancy import current_tenant, require

bp = Blueprint("dashboard", __name__)

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@bp.route("/")
@login_required
@require("dashboard.view")
def index():
    """The tenant's numbers at a glance, as charts for the signed-in user's role."""
    board = service.build()
    return render_template(
        "dashboard/index.html",
        board=board,
        summary=board.summary,
        waiting_labels=KIND_LABELS,
        currency=current_tenant.currency,
    )


@bp.route("/brand.css")
@login_required
def brand_css():
    """A tiny per-tenant stylesheet setting the brand colour; cacheable (the URL carries the colour)."""
    colour = current_tenant.brand_color
    if not HEX_COLOUR.fullmatch(colour):
        abort(404)
    response = Response(f":root {{ --brand: {colour}; }}\n", mimetype="text/css")
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response
