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
from sqlalchemy import String, case, cast, func, literal, or_, select, union_all, update
from werkzeug.exceptions import HTTPException

from portal.content.paging import parse_cursor
from portal.db import get_session
from portal.models import (
    AdCampaign,
    AdOptimizationRecommendation,
    BlogPost,
    Notification,
    OnboardingRun,
    SearchTermClassification,
    SearchTermReport,
    SocialPost,
    Strategy,
)
from portal.navigation import capped_count
from portal.tenancy import TENANT_ID, USER_ID, can, current_tenant

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
}


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
    from portal.content.service import PLATFORM_LABELS

    return case(PLATFORM_LABELS, value=SocialPost.platform, else_=SocialPost.platform)


def _parts(tenant) -> list:
    """The selects (kind, ref_id, title, since) of every kind this user may decide, in tenant (an id or
    TENANT_ID)."""
    parts = []
    if can("content.decide"):
        parts.append(
            select(literal("blog_post"), BlogPost.ref_id, BlogPost.title, _since(BlogPost)).where(
                BlogPost.tenant_id == tenant, BlogPost.status == "client_review"
            )
        )
        parts.append(
            select(
                literal("social_post"),
                SocialPost.ref_id,
                func.concat(_platform_label(), ": ", func.left(SocialPost.caption, 80)),
                _since(SocialPost),
            ).where(SocialPost.tenant_id == tenant, SocialPost.status == "client_review")
        )
    if can("strategy.decide"):
        parts.append(
            select(literal("strategy"), Strategy.ref_id, Strategy.title, _since(Strategy)).where(
                Strategy.tenant_id == tenant, Strategy.status == "pending_review"
            )
        )
    if can("onboarding.edit"):
        parts.append(
            select(
                literal("context_file"),
                OnboardingRun.ref_id,
                literal("Your client context file"),
                _since(OnboardingRun),
            ).where(OnboardingRun.tenant_id == tenant, OnboardingRun.status == "awaiting_review")
        )
    if can("campaigns.decide"):
        parts.append(
            select(literal("campaign"), AdCampaign.ref_id, AdCampaign.name, _since(AdCampaign)).where(
                AdCampaign.tenant_id == tenant, AdCampaign.status == "client_review"
            )
        )
        parts.append(
            select(
                literal("recommendation"),
                AdOptimizationRecommendation.ref_id,
                AdOptimizationRecommendation.title,
                _since(AdOptimizationRecommendation),
            ).where(
                AdOptimizationRecommendation.tenant_id == tenant,
                AdOptimizationRecommendation.status == "client_review",
            )
        )
        # Search terms are many and small: one row per campaign ("12 search terms to review on …").
        parts.append(
            select(
                literal("search_terms"),
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
    return parts


def waiting_subquery(tenant):
    """Everything waiting for this user in tenant (an id or TENANT_ID) as a subquery (kind, ref_id, title,
    since), or None."""
    parts = _parts(tenant)
    if not parts:
        return None
    return union_all(*parts).subquery("waiting")


def inbox(cursor: str | None) -> tuple[list[InboxItem], str | None]:
    """A page of what waits for the user, oldest first, and the cursor of the next page."""
    waiting = waiting_subquery(current_tenant.id)
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


def waiting_count():
    """A scalar select counting what waits for the user (None when their role decides nothing)."""
    waiting = waiting_subquery(TENANT_ID)
    return None if waiting is None else capped_count(select(literal(1)).select_from(waiting))


# Where each kind is decided: the pages' paths (the first the app has wins), then the area's index (endpoint).
PATTERNS = {
    "blog_post": (("/content/blog/posts/{ref}",), "content.index"),
    "social_post": (("/content/social/posts/{ref}",), "content.index"),
    "strategy": (("/strategy/{ref}",), "planning.strategies"),
    "context_file": (("/onboarding/runs/{ref}", "/onboarding/context-file"), "onboarding.index"),
    "campaign": (("/campaigns/{ref}",), "campaigns.index"),
    "recommendation": (("/campaigns/recommendations/{ref}",), "campaigns.index"),
    "search_terms": (("/campaigns/{ref}/search-terms", "/campaigns/{ref}"), "campaigns.index"),
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
