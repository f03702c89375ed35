"""/campaigns: the campaign list and detail with its keywords and search terms, and recommendations."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from portal.campaigns import recommendations as recs
from portal.campaigns import search_terms as terms
from portal.campaigns import service
from portal.campaigns.forms import CampaignDecisionForm, RecommendationDecisionForm, TermReviewForm
from portal.campaigns.listing import requested_range
from portal.campaigns.metrics import percent
from portal.formatting import localtime, money
from portal.models import AdCampaign, AdOptimizationRecommendation
from portal.models.ads import (
    AD_PLATFORMS,
    CAMPAIGN_GOALS,
    CAMPAIGN_STATUSES,
    CLASSIFICATION_STATUSES,
    KEYWORD_KINDS,
    MATCH_TYPES,
)
from portal.tenancy import get_or_404, require
from portal.web import render, safe_next_url

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")


@bp.context_processor
def _helpers() -> dict:
    return {"percent": percent}


# What a campaign in each status means for the tenant, when there is nothing to decide.
STATUS_EXPLANATION = {
    "draft": "The agency is still drafting this campaign; it reaches you after their review.",
    "dm_review": "The agency is reviewing this campaign; it comes back to you when it is ready.",
    "dm_approved": "The agency approved this campaign; it will be sent to you for review shortly.",
    "client_approved": "You approved this campaign; the agency will launch it on the start date.",
    "active": "This campaign is running. Recommendations to change it reach you for approval.",
    "paused": "This campaign is paused on the ad platform.",
    "completed": "This campaign has ended; its figures are final.",
    "archived": "This campaign is archived and read-only.",
}


def _choice(value: str | None, allowed) -> str | None:
    return value if value in allowed else None


def _decided_text(error: service.AlreadyDecided, subject: str) -> str:
    who = error.by or "the agency"
    when = f" on {localtime(error.on)}" if error.on else ""
    return f"This {subject} was already decided by {who}{when}; nothing was changed."


@bp.route("/")
@login_required
@require("campaigns.view")
def index():
    """Campaigns with their figures, filtered by platform, status, goal and dates."""
    dates, error = requested_range(request.args)
    filters = service.CampaignFilters(
        platform=_choice(request.args.get("platform"), AD_PLATFORMS),
        status=_choice(request.args.get("status"), CAMPAIGN_STATUSES),
        goal=_choice(request.args.get("goal"), CAMPAIGN_GOALS),
        dates=dates or service.ANY_DATES,
    )
    page = None if error else service.list_campaigns(filters, request.args.get("cursor"))
    body = render(
        "campaigns/index.html",
        "results",
        page=page,
        filters=filters,
        error=error,
        metrics=service.campaign_metrics,
        platforms=AD_PLATFORMS,
        statuses=CAMPAIGN_STATUSES,
        goals=CAMPAIGN_GOALS,
    )
    return body, 400 if error else 200


def _detail(campaign: AdCampaign, form: CampaignDecisionForm, status: int = 200, message: str | None = None):
    body = render(
        "campaigns/detail.html",
        campaign=campaign,
        metrics=service.campaign_metrics(campaign),
        decided_by=service.user_name(campaign.client_decided_by),
        explanation=STATUS_EXPLANATION.get(campaign.status),
        form=form,
        message=message,
    )
    return body, status


@bp.route("/<ulid:ad_campaign_ref>")
@login_required
@require("campaigns.view")
def detail(ad_campaign_ref: str):
    """A campaign: budget, spend, figures and, in client review, the decision."""
    campaign = get_or_404(AdCampaign, ad_campaign_ref, joinedload(AdCampaign.channel))
    return _detail(campaign, CampaignDecisionForm(formdata=None))


def _decision(load, page, form_class, decide, subject: str, done: tuple[str, str], back: str):
    """A decision POST on a campaign or a recommendation: its page again with the form's errors (400) or with
    who decided first (409), else the decision made, ``done`` (approved, not) flashed and back to ``back``."""
    row = load()
    form = form_class()
    if not form.validate_on_submit():
        return page(row, form, 400)
    approve = form.decision.data == "approve"
    try:
        decide(row, approve, form.note.data, current_user)
    except service.AlreadyDecided as error:
        # the failed transaction expired the row: load it again to show what it is now
        return page(load(), form_class(formdata=None), 409, _decided_text(error, subject))
    flash(done[0] if approve else done[1], "success")
    return redirect(back, 303)


@bp.route("/<ulid:ad_campaign_ref>/decision", methods=["POST"])
@login_required
@require("campaigns.decide")
def decide(ad_campaign_ref: str):
    """Approve the campaign, or send it back to the agency with a note."""
    return _decision(
        lambda: get_or_404(AdCampaign, ad_campaign_ref, joinedload(AdCampaign.channel)),
        _detail,
        CampaignDecisionForm,
        service.decide_campaign,
        "campaign",
        ("Campaign approved. The agency will launch it.", "Sent back to the agency with your note."),
        url_for("campaigns.detail", ad_campaign_ref=ad_campaign_ref),
    )


@bp.route("/<ulid:ad_campaign_ref>/keywords")
@login_required
@require("campaigns.view")
def keywords(ad_campaign_ref: str):
    """A campaign's keywords, positive and negative, with their figures; sortable and filterable."""
    campaign = get_or_404(AdCampaign, ad_campaign_ref)
    sort = request.args.get("sort") if request.args.get("sort") in service.KEYWORD_SORTS else "clicks"
    direction = "asc" if request.args.get("dir") == "asc" else "desc"
    kind = _choice(request.args.get("kind"), KEYWORD_KINDS)
    match_type = _choice(request.args.get("match"), MATCH_TYPES)
    page = service.keywords(campaign, kind, match_type, sort, direction, request.args.get("cursor"))
    return render(
        "campaigns/keywords.html",
        "results",
        campaign=campaign,
        page=page,
        sort=sort,
        direction=direction,
        kind=kind,
        match_type=match_type,
        kinds=KEYWORD_KINDS,
        match_types=MATCH_TYPES,
        metrics=service.keyword_metrics,
    )


@bp.route("/<ulid:ad_campaign_ref>/search-terms")
@login_required
@require("campaigns.view")
def search_terms(ad_campaign_ref: str):
    """The campaign's search terms in a date range with their AI labels; marketers confirm or override."""
    campaign = get_or_404(AdCampaign, ad_campaign_ref)
    dates, error = requested_range(request.args, default_days=30)
    label = _choice(request.args.get("label"), (*terms.TERM_LABEL_TEXT, "unlabelled"))
    status = _choice(request.args.get("status"), CLASSIFICATION_STATUSES)
    page = None if error else terms.search_terms(campaign, dates, label, status, request.args.get("cursor"))
    body = render(
        "campaigns/search_terms.html",
        "results",
        campaign=campaign,
        page=page,
        dates=dates,
        error=error,
        label=label,
        status=status,
        labels=terms.TERM_LABEL_TEXT,
        statuses=CLASSIFICATION_STATUSES,
        form=TermReviewForm(formdata=None),
    )
    return body, 400 if error else 200


@bp.route("/search-terms/review", methods=["POST"])
@login_required
@require("campaigns.decide")
def review_terms():
    """Confirm or override the labels of the selected terms (one or many, in one transaction)."""
    form = TermReviewForm()
    back = safe_next_url(request.form.get("next")) or url_for("campaigns.index")
    if not form.validate_on_submit() or not form.term.data:
        flash("Select at least one search term and a decision.", "error")
        return redirect(back, 303)
    try:
        result = terms.review_terms(form.term.data, form.decision.data, current_user)
    except LookupError:
        abort(404)
    parts = []
    if result.decided:
        parts.append(f"{len(result.decided)} search term{'s' if len(result.decided) != 1 else ''} decided.")
    for term, by, on in result.already:
        when = f" on {localtime(on)}" if on else ""
        parts.append(f"“{term}” was already decided by {by or 'the agency'}{when}.")
    flash(" ".join(parts), "success" if result.decided else "warning")
    return redirect(back, 303)


@bp.route("/recommendations")
@login_required
@require("campaigns.view")
def recommendations():
    """Changes the agents recommend, waiting for the tenant first; approved, applied and rejected ones too."""
    view = _choice(request.args.get("view"), recs.RECOMMENDATION_VIEWS) or "waiting"
    page = recs.list_recommendations(view, request.args.get("cursor"))
    names = recs.campaign_names(page.rows)
    return render(
        "campaigns/recommendations.html",
        "results",
        page=page,
        view=view,
        views=recs.RECOMMENDATION_VIEWS,
        change=lambda rec: recs.describe_change(rec, names, money),
    )


def _recommendation(
    rec: AdOptimizationRecommendation,
    form: RecommendationDecisionForm,
    status: int = 200,
    message: str | None = None,
):
    names = recs.campaign_names([rec])
    activity = recs.recommendation_source(rec)
    body = render(
        "campaigns/recommendation.html",
        rec=rec,
        change=recs.describe_change(rec, names, money),
        activity=activity,
        activity_url=recs.activity_url(activity) if activity else None,
        run_url=recs.run_url,
        outcome=recs.OUTCOMES.get(rec.status, ""),
        form=form,
        message=message,
    )
    return body, status


def _load_recommendation(ref: str) -> AdOptimizationRecommendation:
    return get_or_404(
        AdOptimizationRecommendation,
        ref,
        joinedload(AdOptimizationRecommendation.campaign),
        joinedload(AdOptimizationRecommendation.reviewer),
    )


@bp.route("/recommendations/<ulid:ad_optimization_recommendation_ref>")
@login_required
@require("campaigns.view")
def recommendation(ad_optimization_recommendation_ref: str):
    """One recommendation: the exact change, why, the expected impact, and what produced it."""
    rec = _load_recommendation(ad_optimization_recommendation_ref)
    return _recommendation(rec, RecommendationDecisionForm(formdata=None))


@bp.route("/recommendations/<ulid:ad_optimization_recommendation_ref>/decision", methods=["POST"])
@login_required
@require("campaigns.decide")
def decide_recommendation(ad_optimization_recommendation_ref: str):
    """Approve or reject a recommendation waiting for the tenant."""
    return _decision(
        lambda: _load_recommendation(ad_optimization_recommendation_ref),
        _recommendation,
        RecommendationDecisionForm,
        recs.decide_recommendation,
        "recommendation",
        ("Approved — the agency will apply the change.", "Rejected; the agency has been told."),
        url_for(
            "campaigns.recommendation", ad_optimization_recommendation_ref=ad_optimization_recommendation_ref
        ),
    )
