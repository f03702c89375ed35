"""The changes the agents recommend for the campaigns: listing them, saying what each changes, and the
tenant's decision (once, through ``portal.decisions``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import current_app, url_for
from sqlalchemy import select, tuple_
from sqlalchemy.orm import joinedload, selectinload

from portal import audit
from portal.campaigns.listing import PAGE_SIZE, Page, decode_cursor, page_of
from portal.campaigns.service import decide_waiting
from portal.db import get_session
from portal.models import Activity, ActivityRun, AdCampaign, AdOptimizationRecommendation, User
from portal.tenancy import current_tenant

RECOMMENDATION_VIEWS = {
    "waiting": ("client_review",),
    "approved": ("approved",),
    "applied": ("applied",),
    "rejected": ("rejected",),
    "all": None,
}
# What a decided recommendation's page says about it, by status.
OUTCOMES = {
    "approved": "Approved — waiting to be applied by the agency on the ad platform",
    "applied": "Applied on the ad platform",
    "rejected": "Rejected; nothing was changed on the ad platform",
}


def list_recommendations(view: str, cursor: str | None) -> Page:
    """A page of recommendations in a view (waiting, approved, applied, rejected, all), newest first."""
    statement = select(AdOptimizationRecommendation).where(
        AdOptimizationRecommendation.tenant_id == current_tenant.id
    )
    statuses = RECOMMENDATION_VIEWS.get(view)
    if statuses:
        statement = statement.where(AdOptimizationRecommendation.status.in_(statuses))
    after = decode_cursor(cursor, dt.datetime, str)
    if after:
        statement = statement.where(
            tuple_(AdOptimizationRecommendation.created_on, AdOptimizationRecommendation.ref_id)
            < tuple_(*after)
        )
    rows = list(
        get_session().scalars(
            statement.options(
                joinedload(AdOptimizationRecommendation.campaign),
                joinedload(AdOptimizationRecommendation.reviewer),
            )
            .order_by(
                AdOptimizationRecommendation.created_on.desc(), AdOptimizationRecommendation.ref_id.desc()
            )
            .limit(PAGE_SIZE + 1)
        )
    )
    return page_of(rows, lambda r: (r.created_on, r.ref_id))


def campaign_names(recommendations: list[AdOptimizationRecommendation]) -> dict[str, str]:
    """Names of the campaigns the recommendations' payloads mention by ref_id (always one statement)."""
    refs = {
        value
        for rec in recommendations
        for key, value in (rec.payload or {}).items()
        if key in ("fromCampaign", "toCampaign") and isinstance(value, str)
    }
    # run even when no payload names a campaign, so the page's statement count does not depend on its rows
    return dict(
        get_session()
        .execute(
            select(AdCampaign.ref_id, AdCampaign.name).where(
                AdCampaign.tenant_id == current_tenant.id, AdCampaign.ref_id.in_(refs)
            )
        )
        .all()
    )


def describe_change(rec: AdOptimizationRecommendation, names: dict[str, str], money) -> str:
    """The exact change a recommendation makes, in words (money through the page's money formatter)."""
    p = rec.payload or {}
    keyword = f"“{p['keyword']}”" if p.get("keyword") else "the keyword"
    match = f" ({p['matchType']} match)" if p.get("matchType") else ""
    currency = p.get("currency")

    def amount(key: str) -> str:
        return money(Decimal(str(p[key])), currency) if p.get(key) is not None else "?"

    if rec.kind == "add_negative_keyword":
        level = f" at {p['level']} level" if p.get("level") else ""
        return f"Add {keyword}{match} as a negative keyword{level}."
    if rec.kind in ("raise_bid", "lower_bid"):
        verb = "Raise" if rec.kind == "raise_bid" else "Lower"
        return f"{verb} the maximum CPC of {keyword}{match} from {amount('fromBid')} to {amount('toBid')}."
    if rec.kind == "pause_keyword":
        return f"Pause {keyword}{match}."
    if rec.kind == "shift_budget":
        source = names.get(p.get("fromCampaign"), "another campaign")
        target = names.get(p.get("toCampaign"), "another campaign")
        return f"Move {amount('amount')} of budget from {source} to {target}."
    details = ", ".join(f"{key}: {value}" for key, value in p.items())
    return f"Change: {details}." if details else "See the rationale."


def recommendation_source(rec: AdOptimizationRecommendation) -> Activity | None:
    """The agent activity that produced the recommendation, with its runs (one statement)."""
    if rec.activity_id is None:
        return None
    return get_session().scalar(
        select(Activity)
        .where(Activity.tenant_id == rec.tenant_id, Activity.id == rec.activity_id)
        .options(selectinload(Activity.runs))
    )


def activity_url(activity: Activity) -> str | None:
    """The activity's page, when the planning area that shows activities is part of this build."""
    if "planning.activity" not in current_app.view_functions:
        return None
    return url_for("planning.activity", activity_ref=activity.ref_id)


def run_url(run: ActivityRun) -> str | None:
    """The agent run's page (its calls and credits), when the planning area is part of this build."""
    if "planning.run" not in current_app.view_functions:
        return None
    return url_for("planning.run", activity_run_ref=run.ref_id)


def decide_recommendation(
    rec: AdOptimizationRecommendation, approve: bool, note: str | None, actor: User
) -> None:
    """Approve or reject a recommendation waiting for the tenant (optional note).

    Raises AlreadyDecided when it was decided before (nothing is recorded then).
    """
    note = (note or "").strip() or None
    decide_waiting(
        rec,
        actor,
        "approved" if approve else "rejected",
        (AdOptimizationRecommendation.reviewed_by, AdOptimizationRecommendation.reviewed_on),
        review_note=note,
    )
    audit.record("recommendation.approved" if approve else "recommendation.rejected", rec, note=note)
    get_session().commit()
