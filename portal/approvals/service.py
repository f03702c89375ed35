"""What waits for the signed-in user's decision, and their notifications.

The inbox is ONE statement (a UNION ALL of each kind the user's role may decide, oldest first), so its cost
does not grow with the number of kinds or rows; links are built from URL patterns of the areas that own
each item, falling back to the area's index while that area does not have the page yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app, url_for
from flask_login import current_user
from sqlalchemy import Select, String, case, cast, func, literal, or_, select, union_all, update
from werkzeug.exceptions import HTTPException

from portal.content.paging import parse_cursor
from portal.db import get_session
from portal.models import (
    AdCampaign,
    AdOptimizationRecommendation,
    BlogPost,
    Contract,
    Notification,
    OnboardingRun,
    SearchTermClassification,
    SearchTermReport,
    SocialPost,
    Strategy,
)
from portal.navigation import AREAS, capped_count, count_text, layout_counts
from portal.tenancy import TENANT_ID, USER_ID, can, current_tenant, identity_params

PAGE_SIZE = 25
BELL_SIZE = 50

KIND_LABELS = {
    "blog_post": "Blog post",
    "social_post": "Social post",
    "strategy": "Strategy",
    "context_file": "Context file",
    "campaign": "Campaign",
    "recommendation": "Recommendation",
    "search_terms": "Search terms",
    "contract": "Contract",
}
# Who decides each kind (the permission of tenancy.PERMISSIONS).
DECIDED_WITH = {
    "blog_post": "content.decide",
    "social_post": "content.decide",
    "strategy": "strategy.decide",
    "context_file": "onboarding.edit",
    "campaign": "campaigns.decide",
    "recommendation": "campaigns.decide",
    "search_terms": "campaigns.decide",
    "contract": "contract.accept",
}
# The sidebar entry of the area where each kind is decided: its count is that area's share of the inbox.
AREA_KINDS = {
    "content.index": ("blog_post", "social_post"),
    "planning.strategies": ("strategy",),
    "onboarding.index": ("context_file",),
    "campaigns.index": ("campaign", "recommendation", "search_terms"),
    "contracts.current": ("contract",),
}
WAITING_FIGURE = "approvals.waiting"  # the figure name of the inbox's count (macros/ui.html figure)
WAITING_KEY = "approvals.index"  # the inbox's count among the sidebar's counts


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting for the user: what it is, its title, since when, and where to decide."""

    kind: str
    ref_id: str
    title: str
    since: dt.datetime
    url: str

    @property
    def label(self) -> str:
        """The kind as the user reads it."""
        return KIND_LABELS[self.kind]


def _since(model):
    return func.coalesce(model.updated_on, model.created_on)


def _platform_label():
    """The platform's name as people write it (LinkedIn, X, …), in SQL."""
    from portal.content.kinds import PLATFORM_LABELS

    return case(PLATFORM_LABELS, value=SocialPost.platform, else_=SocialPost.platform)


def _item(kind: str, ref, title, since) -> Select:
    return select(
        literal(kind).label("kind"), ref.label("ref_id"), title.label("title"), since.label("since")
    )


def _search_terms(tenant) -> Select:
    # Search terms are many and small: one item per campaign ("12 search terms to review on …").
    return (
        _item(
            "search_terms",
            AdCampaign.ref_id,
            func.concat(
                cast(func.count(SearchTermClassification.id), String),
                " search terms to review on ",
                AdCampaign.name,
            ),
            func.min(SearchTermClassification.created_on),
        )
        .join(
            SearchTermReport,
            (SearchTermReport.tenant_id == SearchTermClassification.tenant_id)
            & (SearchTermReport.id == SearchTermClassification.search_term_report_id),
        )
        .join(
            AdCampaign,
            (AdCampaign.tenant_id == SearchTermReport.tenant_id)
            & (AdCampaign.id == SearchTermReport.ad_campaign_id),
        )
        .where(SearchTermClassification.tenant_id == tenant, SearchTermClassification.status == "pending")
        .group_by(AdCampaign.ref_id, AdCampaign.name)
    )


def _part(kind: str, tenant) -> Select:
    """The select (kind, ref_id, title, since) of the items of kind waiting in tenant (an id or TENANT_ID)."""
    if kind == "blog_post":
        return _item(kind, BlogPost.ref_id, BlogPost.title, _since(BlogPost)).where(
            BlogPost.tenant_id == tenant, BlogPost.status == "client_review"
        )
    if kind == "social_post":
        caption = func.concat(_platform_label(), ": ", func.left(SocialPost.caption, 80))
        return _item(kind, SocialPost.ref_id, caption, _since(SocialPost)).where(
            SocialPost.tenant_id == tenant, SocialPost.status == "client_review"
        )
    if kind == "strategy":
        return _item(kind, Strategy.ref_id, Strategy.title, _since(Strategy)).where(
            Strategy.tenant_id == tenant, Strategy.status == "pending_review"
        )
    if kind == "context_file":
        title = literal("Your client context file")
        return _item(kind, OnboardingRun.ref_id, title, _since(OnboardingRun)).where(
            OnboardingRun.tenant_id == tenant, OnboardingRun.status == "awaiting_review"
        )
    if kind == "campaign":
        return _item(kind, AdCampaign.ref_id, AdCampaign.name, _since(AdCampaign)).where(
            AdCampaign.tenant_id == tenant, AdCampaign.status == "client_review"
        )
    if kind == "recommendation":
        rec = AdOptimizationRecommendation
        return _item(kind, rec.ref_id, rec.title, _since(rec)).where(
            rec.tenant_id == tenant, rec.status == "client_review"
        )
    if kind == "contract":
        return _item(kind, Contract.ref_id, Contract.title, Contract.sent_on).where(
            Contract.tenant_id == tenant, Contract.status == "sent"
        )
    return _search_terms(tenant)


def decidable_kinds() -> tuple[str, ...]:
    """The kinds of item the signed-in user's role decides, in KIND_LABELS' order."""
    return tuple(kind for kind in KIND_LABELS if can(DECIDED_WITH[kind]))


def waiting_subquery(tenant, kinds: tuple[str, ...]):
    """The items of these kinds waiting in tenant (an id or TENANT_ID), as a subquery (kind, ref_id, title,
    since), or None when there are no kinds: the one definition of "waiting for your approval"."""
    if not kinds:
        return None
    return union_all(*(_part(kind, tenant) for kind in kinds)).subquery("waiting")


def inbox(cursor: str | None) -> tuple[list[InboxItem], str | None]:
    """A page of what waits for the user, oldest first, and the cursor of the next page."""
    waiting = waiting_subquery(current_tenant.id, decidable_kinds())
    if waiting is None:
        return [], None
    kind, ref, title, since = waiting.c
    statement = select(kind, ref, title, since)
    after = parse_cursor(cursor)  # the same <time>~<ref_id> cursor as the content lists
    if after is not None:
        when, after_ref = after
        statement = statement.where(or_(since > when, (since == when) & (ref > after_ref)))
    rows = get_session().execute(statement.order_by(since, ref).limit(PAGE_SIZE + 1)).all()
    next_cursor = None
    if len(rows) > PAGE_SIZE:
        rows = rows[:PAGE_SIZE]
        next_cursor = f"{rows[-1][3].isoformat()}~{rows[-1][1]}"
    return [InboxItem(k, r, t, s, link_for(k, r)) for k, r, t, s in rows], next_cursor


def waiting_count(area: str | None = None):
    """A scalar select counting the inbox's items waiting for the user, of one sidebar area (an endpoint of
    AREA_KINDS) or of all; None when the user's role decides none of them."""
    kinds = decidable_kinds()
    if area is not None:
        kinds = tuple(kind for kind in kinds if kind in AREA_KINDS[area])
    waiting = waiting_subquery(TENANT_ID, kinds)
    return None if waiting is None else capped_count(select(literal(1)).select_from(waiting))


def waiting_for_decision() -> str | None:
    """How many items wait for the signed-in user's decision ("99+" from the cap on), for the bell; None
    when their role decides nothing."""
    count = waiting_count()
    return None if count is None else count_text(get_session().scalar(count, identity_params()))


def area_figure(area: str) -> str:
    """The figure name of an area's count of items waiting for the user (its sidebar entry's)."""
    return f"approvals.area.{area.split('.')[0]}"


@dataclass(frozen=True)
class WaitingSummary:
    """How many items wait for the user ("99+" from the cap on), and each area's share as (label, URL,
    count, figure name) for the areas with any."""

    total: str
    areas: list[tuple[str, str, str, str]]
    total_figure: str = WAITING_FIGURE


def waiting_summary() -> WaitingSummary | None:
    """What waits for the user, in all and by area, or None when their role decides nothing. Read from the
    request's sidebar counts (navigation.layout_counts): the same figures, and no statement of its own."""
    counts = layout_counts()
    if WAITING_KEY not in counts:
        return None
    labels = {endpoint: label for label, endpoint, *_ in AREAS}
    areas = [
        (labels[area], url_for(area), count_text(counts[area]), area_figure(area))
        for area in AREA_KINDS
        if counts.get(area)
    ]
    return WaitingSummary(count_text(counts[WAITING_KEY]), areas)


# Where each kind is decided: the pages' paths (the first the app has wins), then the area's index (endpoint).
PATTERNS = {
    "blog_post": (("/content/blog/posts/{ref}",), "content.index"),
    "social_post": (("/content/social/posts/{ref}",), "content.index"),
    "strategy": (("/strategy/{ref}",), "planning.strategies"),
    "context_file": (("/onboarding/runs/{ref}", "/onboarding/context-file"), "onboarding.index"),
    "campaign": (("/campaigns/{ref}",), "campaigns.index"),
    "recommendation": (("/campaigns/recommendations/{ref}",), "campaigns.index"),
    "search_terms": (("/campaigns/{ref}/search-terms", "/campaigns/{ref}"), "campaigns.index"),
    "contract": (("/contract/{ref}",), "contracts.current"),
}


def link_for(kind: str, ref: str) -> str:
    """The page where the item is decided, if the app has it; else its area's index; else the dashboard."""
    patterns, fallback = PATTERNS[kind]
    adapter = current_app.url_map.bind("localhost")
    for pattern in patterns:
        path = pattern.format(ref=ref)
        try:
            adapter.match(path, method="GET")
            return path
        except HTTPException:
            continue
    if fallback in current_app.view_functions:
        return url_for(fallback)
    return url_for("dashboard.index")


# ---------------------------------------------------------------------------------------------- the bell


def unread_count():
    """A select of how many of the user's notifications are unread (run with the sidebar's counts)."""
    return capped_count(
        select(Notification.id).where(
            Notification.tenant_id == TENANT_ID,
            Notification.user_id == USER_ID,
            Notification.read_on.is_(None),
        )
    )


def latest_notifications() -> list[Notification]:
    """The user's latest 50 notifications, newest first."""
    return list(
        get_session().scalars(
            select(Notification)
            .where(Notification.tenant_id == current_tenant.id, Notification.user_id == current_user.id)
            .order_by(Notification.created_on.desc(), Notification.id.desc())
            .limit(BELL_SIZE)
        )
    )


def mark_all_read() -> int:
    """Mark every unread notification of the user read; returns how many changed (0 on a repeat)."""
    session = get_session()
    changed = session.execute(
        update(Notification)
        .where(
            Notification.tenant_id == current_tenant.id,
            Notification.user_id == current_user.id,
            Notification.read_on.is_(None),
        )
        .values(read_on=func.now())
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    return changed
