"""A campaign's search terms: their totals in a date range, their AI labels, and the tenant's review of them.

A review is one conditional UPDATE of the pending labels, so sending the same form twice (or two people at
once) decides each term once; the others are told who decided it and when.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, case, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import distinct_on

from portal import audit
from portal.campaigns.listing import PAGE_SIZE, DateRange, Page, decode_cursor, page_of
from portal.campaigns.metrics import Metrics, derive
from portal.db import get_session
from portal.models import AdCampaign, SearchTermClassification, SearchTermReport, User
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
