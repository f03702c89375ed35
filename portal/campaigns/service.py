"""The rules of campaigns and their keywords: what the tenant sees and decides.

Decisions go through ``portal.decisions`` (a conditional UPDATE), so of two people deciding at once exactly
one wins; the other is told who decided and when, and nothing is recorded for them. Each decision commits
with its audit event in one transaction. Search terms are in ``search_terms``, recommendations in
``recommendations``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, literal, or_, select, tuple_
from sqlalchemy.orm import joinedload

from portal import audit
from portal.campaigns.listing import PAGE_SIZE, DateRange, Page, decode_cursor, page_of
from portal.campaigns.metrics import Metrics, derive
from portal.db import get_session
from portal.decisions import decided, transition
from portal.models import AdCampaign, AdKeyword, User
from portal.tenancy import current_tenant

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
    decide_waiting(
        campaign,
        actor,
        "client_approved" if approve else "dm_review",
        (AdCampaign.client_decided_by, AdCampaign.client_decided_on),
        client_decision_note=note,
    )
    audit.record("campaign.approved" if approve else "campaign.changes_requested", campaign, note=note)
    get_session().commit()


def decide_waiting(row: Any, actor: User, status: str, who_and_when: tuple[Any, Any], **values: Any) -> None:
    """Move a campaign or recommendation waiting in ``client_review`` to ``status``, recording ``actor`` and
    now in its ``who_and_when`` columns and ``values``; the caller records the audit event and commits.

    Raises AlreadyDecided (with who decided and when) when it was not waiting any more; nothing is written.
    """
    by, on = who_and_when
    won = transition(
        row,
        actor,
        type(row).status == "client_review",
        status=status,
        **{by.key: actor.id, on.key: func.now()},
        **values,
    )
    if won is None:
        get_session().rollback()
        raise AlreadyDecided(*decided(row, by, on))


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
