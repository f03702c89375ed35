"""The rules of campaigns, search terms and recommendations: what the tenant sees and decides.

Decisions are conditional UPDATEs (``… WHERE status = 'client_review' RETURNING …``), so of two people
deciding at once exactly one wins; the other is told who decided and when, and nothing is recorded for
them. Each decision commits with its audit event in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import current_app, url_for
from sqlalchemy import and_, case, func, literal, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import joinedload, selectinload

from portal import audit
from portal.campaigns.listing import PAGE_SIZE, DateRange, Page, decode_cursor, page_of
from portal.campaigns.metrics import Metrics, derive
from portal.db import get_session
from portal.models import (
    Activity,
    ActivityRun,
    AdCampaign,
    AdKeyword,
    AdOptimizationRecommendation,
    SearchTermClassification,
    SearchTermReport,
    User,
)
from portal.models.ads import TERM_LABELS
from portal.tenancy import current_tenant

TERM_LABEL_TEXT = {
    "add_as_keyword": "Add as keyword",
    "add_as_negative": "Add as negative",
    "watch": "Watch",
    "irrelevant": "Irrelevant",
}
# Labels that change nothing on the ad platform: the term is skipped once a person decides.
SKIPPED_LABELS = ("watch", "irrelevant")
MAX_BULK = 200
ANY_DATES = DateRange(None, None)


class AlreadyDecided(Exception):
    """The item was decided before (by someone else, or it is not waiting for the tenant)."""

    def __init__(self, status: str, by: str | None, on: dt.datetime | None) -> None:
        super().__init__(status)
        self.status = status
        self.by = by
        self.on = on


# -- campaigns ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignFilters:
    """The campaign list's filters (None: any)."""

    platform: str | None = None
    status: str | None = None
    goal: str | None = None
    dates: DateRange = ANY_DATES


def list_campaigns(filters: CampaignFilters, cursor: str | None) -> Page:
    """A page of campaigns (newest first) matching the filters; dates select campaigns running in the range."""
    statement = select(AdCampaign).where(AdCampaign.tenant_id == current_tenant.id)
    if filters.platform:
        statement = statement.where(AdCampaign.platform == filters.platform)
    if filters.status:
        statement = statement.where(AdCampaign.status == filters.status)
    if filters.goal:
        statement = statement.where(AdCampaign.goal == filters.goal)
    if filters.dates.end:
        statement = statement.where(
            or_(AdCampaign.start_date.is_(None), AdCampaign.start_date <= filters.dates.end)
        )
    if filters.dates.start:
        statement = statement.where(
            or_(AdCampaign.end_date.is_(None), AdCampaign.end_date >= filters.dates.start)
        )
    after = decode_cursor(cursor, dt.datetime, str)
    if after:
        statement = statement.where(tuple_(AdCampaign.created_on, AdCampaign.ref_id) < tuple_(*after))
    rows = get_session().scalars(
        statement.options(joinedload(AdCampaign.channel))
        .order_by(AdCampaign.created_on.desc(), AdCampaign.ref_id.desc())
        .limit(PAGE_SIZE + 1)
    )
    return page_of(list(rows), lambda c: (c.created_on, c.ref_id))


def campaign_metrics(campaign: AdCampaign) -> Metrics:
    """The derived metrics of a campaign (spent is its cost)."""
    return derive(campaign.impressions, campaign.clicks, campaign.conversions, campaign.spent)


def user_name(user_id: Any) -> str | None:
    """A user's full name (None for nobody: an agent or the system)."""
    if user_id is None:
        return None
    return get_session().scalar(
        select(User.full_name).where(User.tenant_id == current_tenant.id, User.id == user_id)
    )


def decide_campaign(campaign: AdCampaign, approve: bool, note: str | None, actor: User) -> None:
    """Approve a campaign in ``client_review`` (→ client_approved) or send it back (→ dm_review, note required).

    Raises AlreadyDecided when it is not waiting for the tenant any more (nothing is recorded then).
    """
    note = (note or "").strip() or None
    if not approve and not note:
        raise ValueError("Say what should change, so the agency knows what to fix.")
    session = get_session()
    won = session.execute(
        update(AdCampaign)
        .where(
            AdCampaign.tenant_id == campaign.tenant_id,
            AdCampaign.id == campaign.id,
            AdCampaign.status == "client_review",
        )
        .values(
            status="client_approved" if approve else "dm_review",
            client_decided_by=actor.id,
            client_decided_on=func.now(),
            client_decision_note=note,
            updated_by=actor.id,
            updated_on=func.now(),
        )
        .returning(AdCampaign.id)
        .execution_options(synchronize_session=False)
    ).first()
    if won is None:
        session.rollback()
        raise _campaign_decided(campaign)
    audit.record("campaign.approved" if approve else "campaign.changes_requested", campaign, note=note)
    session.commit()


def _campaign_decided(campaign: AdCampaign) -> AlreadyDecided:
    row = (
        get_session()
        .execute(
            select(AdCampaign.status, User.full_name, AdCampaign.client_decided_on)
            .outerjoin(
                User, and_(User.tenant_id == AdCampaign.tenant_id, User.id == AdCampaign.client_decided_by)
            )
            .where(AdCampaign.tenant_id == campaign.tenant_id, AdCampaign.id == campaign.id)
        )
        .one()
    )
    return AlreadyDecided(*row)


# -- keywords -----------------------------------------------------------------------------------------------

# sort key → (expression, the row's value for the cursor, how the cursor's JSON value reads back).
# Nullable columns sort as if -1 so keyset paging stays total; money travels in the cursor as exact text.
KEYWORD_SORTS = {
    "text": (AdKeyword.text, lambda k: k.text, str),
    "impressions": (AdKeyword.impressions, lambda k: k.impressions, int),
    "clicks": (AdKeyword.clicks, lambda k: k.clicks, int),
    "conversions": (AdKeyword.conversions, lambda k: k.conversions, int),
    "cost": (AdKeyword.cost, lambda k: str(k.cost), Decimal),
    "max_cpc": (
        func.coalesce(AdKeyword.max_cpc, -1),
        lambda k: str(k.max_cpc if k.max_cpc is not None else -1),
        Decimal,
    ),
    "quality_score": (
        func.coalesce(AdKeyword.quality_score, -1),
        lambda k: k.quality_score if k.quality_score is not None else -1,
        int,
    ),
}


def keywords(
    campaign: AdCampaign,
    kind: str | None,
    match_type: str | None,
    sort: str,
    direction: str,
    cursor: str | None,
) -> Page:
    """A page of a campaign's keywords, filtered by kind and match type, sorted by a listed column."""
    expression, value_of, reads_as = KEYWORD_SORTS.get(sort, KEYWORD_SORTS["clicks"])
    statement = select(AdKeyword).where(
        AdKeyword.tenant_id == campaign.tenant_id, AdKeyword.ad_campaign_id == campaign.id
    )
    if kind:
        statement = statement.where(AdKeyword.kind == kind)
    if match_type:
        statement = statement.where(AdKeyword.match_type == match_type)
    after = decode_cursor(cursor, str if reads_as is Decimal else reads_as, str)
    if after:
        try:
            value = reads_as(after[0])
        except ArithmeticError:
            value = None  # a tampered cursor: start at the first page
        if value is not None:
            key = tuple_(expression, AdKeyword.ref_id)
            bound = tuple_(literal(value), literal(after[1]))
            statement = statement.where(key > bound if direction == "asc" else key < bound)
    if direction == "asc":
        order = (expression.asc(), AdKeyword.ref_id.asc())
    else:
        order = (expression.desc(), AdKeyword.ref_id.desc())
    rows = list(get_session().scalars(statement.order_by(*order).limit(PAGE_SIZE + 1)))
    return page_of(rows, lambda k: (value_of(k), k.ref_id))


def keyword_metrics(keyword: AdKeyword) -> Metrics:
    """The derived metrics of a keyword."""
    return derive(keyword.impressions, keyword.clicks, keyword.conversions, keyword.cost)


# -- search terms -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TermRow:
    """One search term of the report: its totals in the range and its latest label, if any."""

    search_term: str
    impressions: int
    clicks: int
    cost: Decimal
    conversions: int
    label: SearchTermClassification | None
    reviewer: str | None

    @property
    def metrics(self) -> Metrics:
        """Derived metrics of the term over the range."""
        return derive(self.impressions, self.clicks, self.conversions, self.cost)


def search_terms(
    campaign: AdCampaign,
    dates: DateRange,
    label: str | None,
    status: str | None,
    cursor: str | None,
) -> Page:
    """A page of the campaign's search terms in the range (most clicked first), each with its latest label."""
    tenant_id = campaign.tenant_id
    totals = (
        select(
            SearchTermReport.search_term,
            func.sum(SearchTermReport.impressions).label("impressions"),
            func.sum(SearchTermReport.clicks).label("clicks"),
            func.sum(SearchTermReport.cost).label("cost"),
            func.sum(SearchTermReport.conversions).label("conversions"),
        )
        .where(
            SearchTermReport.tenant_id == tenant_id,
            SearchTermReport.ad_campaign_id == campaign.id,
            SearchTermReport.sync_date.between(dates.start, dates.end),
        )
        .group_by(SearchTermReport.search_term)
        .subquery()
    )
    # the newest label of each term of the campaign (a term is labelled once per review, on its latest row)
    latest = (
        select(SearchTermReport.search_term, SearchTermClassification.id.label("label_id"))
        .join(
            SearchTermReport,
            and_(
                SearchTermReport.tenant_id == SearchTermClassification.tenant_id,
                SearchTermReport.id == SearchTermClassification.search_term_report_id,
            ),
        )
        .where(
            SearchTermClassification.tenant_id == tenant_id,
            SearchTermReport.ad_campaign_id == campaign.id,
        )
        .ext(distinct_on(SearchTermReport.search_term))
        .order_by(SearchTermReport.search_term, SearchTermClassification.created_on.desc())
        .subquery()
    )
    statement = (
        select(totals, SearchTermClassification, User.full_name)
        .outerjoin(latest, latest.c.search_term == totals.c.search_term)
        .outerjoin(
            SearchTermClassification,
            and_(
                SearchTermClassification.tenant_id == tenant_id,
                SearchTermClassification.id == latest.c.label_id,
            ),
        )
        .outerjoin(
            User,
            and_(User.tenant_id == tenant_id, User.id == SearchTermClassification.reviewed_by),
        )
    )
    if label == "unlabelled":
        statement = statement.where(SearchTermClassification.id.is_(None))
    elif label:
        statement = statement.where(
            func.coalesce(SearchTermClassification.decision, SearchTermClassification.ai_classification)
            == label
        )
    if status:
        statement = statement.where(SearchTermClassification.status == status)
    after = decode_cursor(cursor, int, str)
    if after:
        statement = statement.where(
            or_(
                totals.c.clicks < after[0],
                and_(totals.c.clicks == after[0], totals.c.search_term > after[1]),
            )
        )
    rows = get_session().execute(
        statement.order_by(totals.c.clicks.desc(), totals.c.search_term).limit(PAGE_SIZE + 1)
    )
    terms = [
        TermRow(
            r.search_term,
            int(r.impressions),
            int(r.clicks),
            r.cost,
            int(r.conversions),
            r.SearchTermClassification,
            r.full_name,
        )
        for r in rows
    ]
    return page_of(terms, lambda t: (t.clicks, t.search_term))


@dataclass(frozen=True)
class ReviewResult:
    """What a (bulk) review did: the terms decided now, and those someone had decided before."""

    decided: list[str]
    already: list[tuple[str, str | None, dt.datetime | None]]  # (term, by whom, when)


def review_terms(refs: list[str], decision: str, actor: User) -> ReviewResult:
    """Confirm (decision "confirm") or override (decision = a label) the labels of pending terms, in one
    transaction. Terms decided before are left alone and reported with who decided them and when, so
    sending the same form twice changes nothing the second time.

    Raises LookupError when a ref is not one of the tenant's labels (the page answers 404).
    """
    if decision != "confirm" and decision not in TERM_LABELS:
        raise ValueError("Choose confirm or one of the labels.")
    refs = list(dict.fromkeys(refs))[:MAX_BULK]
    if not refs:
        raise ValueError("Select at least one search term.")
    session = get_session()
    tenant_id = current_tenant.id
    known = session.execute(
        select(SearchTermClassification.ref_id, SearchTermReport.search_term)
        .join(
            SearchTermReport,
            and_(
                SearchTermReport.tenant_id == SearchTermClassification.tenant_id,
                SearchTermReport.id == SearchTermClassification.search_term_report_id,
            ),
        )
        .where(SearchTermClassification.tenant_id == tenant_id, SearchTermClassification.ref_id.in_(refs))
    ).all()
    if len(known) != len(refs):
        raise LookupError("unknown search term label")
    new_label = SearchTermClassification.ai_classification if decision == "confirm" else literal(decision)
    decided = list(
        session.scalars(
            update(SearchTermClassification)
            .where(
                SearchTermClassification.tenant_id == tenant_id,
                SearchTermClassification.ref_id.in_(refs),
                SearchTermClassification.status == "pending",
            )
            .values(
                decision=new_label,
                status=case((new_label.in_(SKIPPED_LABELS), "skipped"), else_="reviewed"),
                reviewed_by=actor.id,
                reviewed_on=func.now(),
                updated_by=actor.id,
                updated_on=func.now(),
            )
            .returning(SearchTermClassification)
            .execution_options(synchronize_session=False)
        )
    )
    for row in decided:
        action = (
            "search_term.confirmed" if row.decision == row.ai_classification else "search_term.overridden"
        )
        audit.record(action, row, label=row.decision, ai_label=row.ai_classification)
    session.commit()
    done = {row.ref_id for row in decided}
    terms = dict(known)
    already = []
    if len(done) < len(refs):
        for ref, name, when in session.execute(
            select(SearchTermClassification.ref_id, User.full_name, SearchTermClassification.reviewed_on)
            .outerjoin(
                User,
                and_(User.tenant_id == tenant_id, User.id == SearchTermClassification.reviewed_by),
            )
            .where(
                SearchTermClassification.tenant_id == tenant_id,
                SearchTermClassification.ref_id.in_([r for r in refs if r not in done]),
            )
        ):
            already.append((terms[ref], name, when))
    return ReviewResult([terms[r] for r in refs if r in done], already)


# -- recommendations ----------------------------------------------------------------------------------------

RECOMMENDATION_VIEWS = {
    "waiting": ("client_review",),
    "approved": ("approved",),
    "applied": ("applied",),
    "rejected": ("rejected",),
    "all": None,
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
    session = get_session()
    won = session.execute(
        update(AdOptimizationRecommendation)
        .where(
            AdOptimizationRecommendation.tenant_id == rec.tenant_id,
            AdOptimizationRecommendation.id == rec.id,
            AdOptimizationRecommendation.status == "client_review",
        )
        .values(
            status="approved" if approve else "rejected",
            reviewed_by=actor.id,
            reviewed_on=func.now(),
            review_note=note,
            updated_by=actor.id,
            updated_on=func.now(),
        )
        .returning(AdOptimizationRecommendation.id)
        .execution_options(synchronize_session=False)
    ).first()
    if won is None:
        session.rollback()
        row = session.execute(
            select(
                AdOptimizationRecommendation.status, User.full_name, AdOptimizationRecommendation.reviewed_on
            )
            .outerjoin(
                User,
                and_(
                    User.tenant_id == AdOptimizationRecommendation.tenant_id,
                    User.id == AdOptimizationRecommendation.reviewed_by,
                ),
            )
            .where(
                AdOptimizationRecommendation.tenant_id == rec.tenant_id,
                AdOptimizationRecommendation.id == rec.id,
            )
        ).one()
        raise AlreadyDecided(*row)
    audit.record("recommendation.approved" if approve else "recommendation.rejected", rec, note=note)
    session.commit()
