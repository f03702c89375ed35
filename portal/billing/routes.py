"""/billing: months at a glance, the ledger with its running credit balance, invoices, and a CSV export."""

from __future__ import annotations

from flask import Blueprint, Response, request
from flask_login import login_required

from portal.billing import service
from portal.campaigns.listing import DateRange, requested_range
from portal.models import BillingEvent
from portal.stores.blobs import content_disposition
from portal.tenancy import current_tenant, get_or_404, require
from portal.web import render

bp = Blueprint("billing", __name__, url_prefix="/billing")


def _query() -> tuple[DateRange | None, str | None, str | None]:
    """The range and kind group of the query string, or the message refusing the range."""
    group = request.args.get("kind") if request.args.get("kind") in service.KIND_GROUPS else None
    dates, error = requested_range(request.args)
    return dates, group, error


@bp.route("/")
@login_required
@require("billing.view")
def index():
    """Billing by month, and every event with the credit balance after it."""
    dates, group, error = _query()
    body = render(
        "billing/index.html",
        "results",
        error=error,
        group=group,
        months=service.months(dates) if dates else [],
        page=service.events(dates, group, request.args.get("cursor")) if dates else None,
        balance=service.current_balance(),
        allocation=current_tenant.monthly_credit_allocation,
        labels=service.KIND_LABELS,
    )
    return body, 400 if error else 200


@bp.route("/export.csv")
@login_required
@require("billing.view")
def export():
    """The events of the range (and kind) as a CSV file."""
    dates, group, error = _query()
    if error:
        return Response(error + "\n", status=400, mimetype="text/plain")
    response = Response(service.export_csv(dates, group), mimetype="text/csv")
    response.headers["Content-Disposition"] = content_disposition(
        f"billing-{current_tenant.slug}.csv", inline=False
    )
    return response


@bp.route("/<ulid:billing_event_ref>")
@login_required
@require("billing.view")
def event(billing_event_ref: str):
    """An invoice with its lines and payments (other events show their details)."""
    row = get_or_404(BillingEvent, billing_event_ref)
    return render(
        "billing/event.html",
        event=row,
        invoice=service.invoice(row) if row.kind == "invoice" else None,
        labels=service.KIND_LABELS,
    )
