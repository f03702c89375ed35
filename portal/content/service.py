"""The rules of the content area, and the only code in it that writes.

Requests are the tenant's to change while ``submitted``; posts are the tenant's to decide while in
``client_review``. Every change is one conditional UPDATE (``WHERE status = … RETURNING``), so a double
submit or a colleague deciding at the same moment ends with exactly one change; the loser is told what
happened and by whom (from the audit trail), and nothing is recorded for them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import url_for
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from portal import audit
from portal.content.paging import Page, newest_first
from portal.db import get_session
from portal.formatting import relative_text, tenant_zone
from portal.models import (
    AuditEvent,
    Backlink,
    BlogPost,
    BlogRequest,
    Channel,
    Deliverable,
    SocialMediaRequest,
    SocialPost,
    User,
)
from portal.models.content import BACKLINK_SOURCES, BACKLINK_STATUSES, REQUEST_STATUSES
from portal.notify import notify
from portal.tenancy import current_tenant, get_or_404

MAX_KEYWORDS = 10
MAX_KEYWORD_LENGTH = 60
BLOG_CHANNEL_TYPES = ("blog", "wordpress", "website")

# What the tenant reads about a post it cannot decide on (every status but client_review).
BLOG_STATUS_EXPLANATIONS = {
    "dm_review": "With the agency for review. It comes to you once they have checked it.",
    "client_approved": "Approved, publishing. The agency publishes it on the channel.",
    "rejected": "Sent back for a rewrite. The agent writes a new version with your note.",
    "published": "Published.",
}
SOCIAL_STATUS_EXPLANATIONS = {
    "dm_review": "With the agency for review. It comes to you once they have checked it.",
    "dm_approved": "Approved by the agency; the image is being prepared next.",
    "design_pending": "The image is being designed. It comes to you when it is ready.",
    "client_approved": "Approved. The agency schedules it on the platform.",
    "rejected": "Sent back for a rewrite. The agent writes a new version with your note.",
    "scheduled": "Scheduled.",
    "published": "Published.",
}
REQUEST_STATUS_EXPLANATIONS = {
    "submitted": "Waiting for the agency to accept it. You can still change or withdraw it.",
    "approved": "Accepted by the agency; the work is planned.",
    "rejected": "The agency declined this request.",
    "in_progress": "The agency is working on it.",
    "completed": "Done: the posts that came of it are listed below.",
    "withdrawn": "You withdrew this request.",
}

# Per-platform caption limits (characters), as the platforms document them.
PLATFORM_LIMITS = {"x": 280, "linkedin": 3000, "facebook": 63206, "instagram": 2200}
PLATFORM_LABELS = {"linkedin": "LinkedIn", "x": "X", "facebook": "Facebook", "instagram": "Instagram"}


class ContentRuleError(Exception):
    """A change the rules refuse; the message says why, for the user."""


class EditConflict(ContentRuleError):
    """Someone saved the request after the user opened it; the message says who and when."""


class OverLimit(ContentRuleError):
    """A post over its platform's limit, approved without an explicit override and its reason."""


# ---------------------------------------------------------------------------------------------- lookups


def channels_for(types: tuple[str, ...] | None = None) -> list[Channel]:
    """The tenant's channels (of these types), by name, for a form's choices."""
    statement = select(Channel).where(Channel.tenant_id == current_tenant.id, Channel.deleted_on.is_(None))
    if types:
        statement = statement.where(Channel.type.in_(types))
    return list(get_session().scalars(statement.order_by(Channel.name)))


def deliverables_for(kind: str) -> list[Deliverable]:
    """The tenant's deliverables of type ``kind`` (blog_post, social_post, backlinks), for choices."""
    return list(
        get_session().scalars(
            select(Deliverable)
            .where(
                Deliverable.tenant_id == current_tenant.id,
                Deliverable.deleted_on.is_(None),
                Deliverable.type == kind,
            )
            .order_by(Deliverable.title)
        )
    )


def row_by_ref(model: Any, ref: str | None) -> Any | None:
    """The tenant's row of ``model`` with ``ref`` (None for no ref or no such row)."""
    if not ref:
        return None
    statement = select(model).where(model.tenant_id == current_tenant.id, model.ref_id == ref)
    if hasattr(model, "deleted_on"):
        statement = statement.where(model.deleted_on.is_(None))
    return get_session().scalars(statement).first()


def clean_keywords(raw: str | list[str] | None) -> list[str]:
    """Keywords from a comma- or newline-separated text: trimmed, inner spaces folded, case-insensitively
    de-duplicated (first spelling kept), empty ones dropped. Raises when there are too many or one is too long."""
    parts = raw if isinstance(raw, list) else (raw or "").replace("\n", ",").split(",")
    seen: set[str] = set()
    keywords = []
    for part in parts:
        keyword = " ".join(part.split())
        if keyword and keyword.lower() not in seen:
            seen.add(keyword.lower())
            keywords.append(keyword)
    if len(keywords) > MAX_KEYWORDS:
        raise ContentRuleError(f"At most {MAX_KEYWORDS} keywords, please ({len(keywords)} given).")
    too_long = [k for k in keywords if len(k) > MAX_KEYWORD_LENGTH]
    if too_long:
        raise ContentRuleError(
            f"Keep each keyword under {MAX_KEYWORD_LENGTH + 1} characters: “{too_long[0][:40]}…”."
        )
    return keywords


def today_local() -> dt.date:
    """Today in the tenant's timezone (due dates are the tenant's days)."""
    return dt.datetime.now(tenant_zone()).date()


def check_due_on(due_on: dt.date | None) -> None:
    """Refuse a due date in the past (the tenant's today is fine)."""
    if due_on is not None and due_on < today_local():
        raise ContentRuleError("Choose today or a later date.")


# ---------------------------------------------------------------------------------------------- requests


@dataclass(frozen=True)
class RequestFilter:
    """What a request list shows: a status (or all) and a search text."""

    status: str | None = None
    q: str = ""

    @classmethod
    def from_args(cls, args: Any) -> RequestFilter:
        """Read ?status= and ?q= (an unknown status means all)."""
        status = args.get("status") or None
        return cls(status if status in REQUEST_STATUSES else None, (args.get("q") or "").strip()[:100])


def blog_requests(filters: RequestFilter, cursor: str | None) -> Page:
    """A page of the tenant's blog requests, newest first, with their requester and channel."""
    statement = (
        select(BlogRequest)
        .where(BlogRequest.tenant_id == current_tenant.id, BlogRequest.deleted_on.is_(None))
        .options(joinedload(BlogRequest.requester), joinedload(BlogRequest.target_channel))
    )
    if filters.status:
        statement = statement.where(BlogRequest.status == filters.status)
    if filters.q:
        like = f"%{_escape_like(filters.q)}%"
        statement = statement.where(
            or_(
                BlogRequest.topic.ilike(like, escape="\\"),
                BlogRequest.brief.ilike(like, escape="\\"),
                func.array_to_string(BlogRequest.keywords, " ").ilike(like, escape="\\"),
            )
        )
    return newest_first(statement, BlogRequest, cursor)


def social_requests(filters: RequestFilter, cursor: str | None) -> Page:
    """A page of the tenant's social media requests, newest first, with their requester."""
    statement = (
        select(SocialMediaRequest)
        .where(SocialMediaRequest.tenant_id == current_tenant.id, SocialMediaRequest.deleted_on.is_(None))
        .options(joinedload(SocialMediaRequest.requester))
    )
    if filters.status:
        statement = statement.where(SocialMediaRequest.status == filters.status)
    if filters.q:
        statement = statement.where(
            SocialMediaRequest.brief.ilike(f"%{_escape_like(filters.q)}%", escape="\\")
        )
    return newest_first(statement, SocialMediaRequest, cursor)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def create_blog_request(data: dict[str, Any], actor: User) -> BlogRequest:
    """Ask the agency for a blog post (status ``submitted``)."""
    check_due_on(data["due_on"])
    request = BlogRequest(tenant_id=current_tenant.id, requested_by=actor.id, created_by=actor.id, **data)
    session = get_session()
    session.add(request)
    session.flush()  # the audit event needs the row's id
    audit.record("blog_request.submitted", request)
    session.commit()
    return request


def update_blog_request(request: BlogRequest, data: dict[str, Any], version: int, actor: User) -> None:
    """Change a request still ``submitted`` and still at the ``version`` the user opened (else say why not)."""
    check_due_on(data["due_on"])
    _change_submitted(BlogRequest, request, data | {"updated_by": actor.id}, "blog_request.edited", version)


def withdraw_blog_request(request: BlogRequest, actor: User) -> None:
    """Withdraw a request while it is still ``submitted``."""
    _change_submitted(
        BlogRequest, request, {"status": "withdrawn", "updated_by": actor.id}, "blog_request.withdrawn"
    )


def create_social_request(data: dict[str, Any], actor: User) -> SocialMediaRequest:
    """Ask the agency for social posts (status ``submitted``)."""
    check_due_on(data["due_on"])
    request = SocialMediaRequest(
        tenant_id=current_tenant.id, requested_by=actor.id, created_by=actor.id, **data
    )
    session = get_session()
    session.add(request)
    session.flush()  # the audit event needs the row's id
    audit.record("social_media_request.submitted", request)
    session.commit()
    return request


def update_social_request(
    request: SocialMediaRequest, data: dict[str, Any], version: int, actor: User
) -> None:
    """Change a social request still ``submitted`` and still at the ``version`` the user opened."""
    check_due_on(data["due_on"])
    _change_submitted(
        SocialMediaRequest, request, data | {"updated_by": actor.id}, "social_media_request.edited", version
    )


def withdraw_social_request(request: SocialMediaRequest, actor: User) -> None:
    """Withdraw a social request while it is still ``submitted``."""
    _change_submitted(
        SocialMediaRequest,
        request,
        {"status": "withdrawn", "updated_by": actor.id},
        "social_media_request.withdrawn",
    )


def _change_submitted(
    model: Any, request: Any, values: dict[str, Any], action: str, version: int | None = None
) -> None:
    """UPDATE a request still ``submitted`` (and, for an edit, still at ``version``), moving its version on."""
    session = get_session()
    statement = update(model).where(
        model.tenant_id == current_tenant.id, model.id == request.id, model.status == "submitted"
    )
    if version is not None:
        statement = statement.where(model.version == version)
    changed = session.execute(
        statement.values(**values, version=model.version + 1, updated_on=func.now())
        .returning(model.id)
        .execution_options(synchronize_session=False)
    ).first()
    if changed is None:
        session.rollback()
        session.refresh(request)
        if request.status == "submitted":
            raise EditConflict(_edited_by(request))
        raise ContentRuleError(
            f"This request is {request.status.replace('_', ' ')} now, so it can no longer be changed."
        )
    audit.record(action, request)
    session.commit()
    session.refresh(request)


def _edited_by(request: BlogRequest | SocialMediaRequest) -> str:
    """Who saved the request last and when, for the user whose save came too late."""
    last = last_decision(request)
    who = last.actor.full_name if last is not None and last.actor else "Someone"
    when = (
        relative_text((dt.datetime.now(dt.UTC) - request.updated_on).total_seconds())
        if request.updated_on
        else None
    )
    return (
        f"Changed by {who} {when or 'earlier'}, after you opened it. It now reads as shown; "
        "your changes are below and were not saved: save again to keep them."
    )


def blog_request_detail(ref: str) -> BlogRequest:
    """A blog request with its requester, channel and posts (newest first), or 404."""
    return get_or_404(
        BlogRequest,
        ref,
        joinedload(BlogRequest.requester),
        joinedload(BlogRequest.target_channel),
        selectinload(BlogRequest.posts),
    )


def social_request_detail(ref: str) -> SocialMediaRequest:
    """A social request with its requester and posts, or 404."""
    return get_or_404(
        SocialMediaRequest,
        ref,
        joinedload(SocialMediaRequest.requester),
        selectinload(SocialMediaRequest.posts),
    )


def deliverable_titles(ids: list[Any]) -> dict[Any, str]:
    """Titles of the tenant's deliverables by id (always one statement, so a page's count stays constant)."""
    ids = [i for i in ids if i]
    rows = get_session().execute(
        select(Deliverable.id, Deliverable.title).where(
            Deliverable.tenant_id == current_tenant.id, Deliverable.id.in_(ids)
        )
    )
    return dict(rows.all())


# ---------------------------------------------------------------------------------------------- posts


def waiting_posts() -> list[tuple[str, BlogPost | SocialPost]]:
    """Posts waiting for the tenant's decision as ("blog" or "social", post), blog and social together,
    oldest first: by when they started waiting (their last change, else their creation)."""
    session = get_session()
    blog = session.scalars(
        select(BlogPost)
        .where(BlogPost.tenant_id == current_tenant.id, BlogPost.status == "client_review")
        .options(joinedload(BlogPost.channel))
    )
    social = session.scalars(
        select(SocialPost).where(
            SocialPost.tenant_id == current_tenant.id, SocialPost.status == "client_review"
        )
    )
    posts = [("blog", post) for post in blog] + [("social", post) for post in social]
    return sorted(posts, key=lambda item: (item[1].updated_on or item[1].created_on, item[1].ref_id))


def blog_posts(status: str | None, cursor: str | None) -> Page:
    """A page of the tenant's blog posts, newest first."""
    statement = (
        select(BlogPost).where(BlogPost.tenant_id == current_tenant.id).options(joinedload(BlogPost.channel))
    )
    if status:
        statement = statement.where(BlogPost.status == status)
    return newest_first(statement, BlogPost, cursor)


def social_posts(status: str | None, platform: str | None, cursor: str | None) -> Page:
    """A page of the tenant's social posts, newest first."""
    statement = select(SocialPost).where(SocialPost.tenant_id == current_tenant.id)
    if status:
        statement = statement.where(SocialPost.status == status)
    if platform:
        statement = statement.where(SocialPost.platform == platform)
    return newest_first(statement, SocialPost, cursor)


def blog_post_detail(ref: str) -> BlogPost:
    """A blog post with its request and channel, or 404."""
    return get_or_404(BlogPost, ref, joinedload(BlogPost.request), joinedload(BlogPost.channel))


def social_post_detail(ref: str) -> SocialPost:
    """A social post with its request and channel, or 404."""
    return get_or_404(SocialPost, ref, joinedload(SocialPost.request), joinedload(SocialPost.channel))


def user_names(ids: list[Any]) -> dict[Any, str]:
    """Full names of the tenant's users by id (one statement)."""
    ids = [i for i in ids if i]
    if not ids:
        return {}
    rows = get_session().execute(
        select(User.id, User.full_name).where(User.tenant_id == current_tenant.id, User.id.in_(ids))
    )
    return dict(rows.all())


DECISIONS = {"approve": "client_approved", "reject": "rejected"}


def decide(
    post: BlogPost | SocialPost,
    decision: str,
    note: str,
    version: int,
    actor: User,
    override_reason: str | None = None,
) -> str:
    """Approve or reject a post in ``client_review`` at ``version``; returns the new status.

    Exactly one decision wins per version: the UPDATE only matches while the post is still in review at
    that version. The loser gets a ContentRuleError saying what happened and by whom, and nothing is recorded.
    A social post over its platform's limit is approved only with an override (``override_reason`` not
    None) and a reason, both recorded in the audit event.
    """
    if decision not in DECISIONS:
        raise ContentRuleError("Choose approve or reject.")
    note = (note or "").strip()
    if decision == "reject" and not note:
        raise ContentRuleError("Say what should change, so the agent can rewrite it.")
    over_limit = _over_limit(post, override_reason) if decision == "approve" else {}
    model = type(post)
    values: dict[str, Any] = {"status": DECISIONS[decision], "updated_by": actor.id, "updated_on": func.now()}
    if decision == "approve":
        values |= {"client_approved_by": actor.id, "client_approved_on": func.now()}
    else:
        values |= {"client_rejection_note": note[:2000]}
    session = get_session()
    won = session.execute(
        update(model)
        .where(
            model.tenant_id == current_tenant.id,
            model.id == post.id,
            model.status == "client_review",
            model.version == version,
        )
        .values(**values)
        .returning(model.id)
        .execution_options(synchronize_session=False)
    ).first()
    if won is None:
        session.rollback()
        session.refresh(post)
        raise ContentRuleError(what_happened(post, version))
    audit.record(
        f"{model.__tablename__[:-1]}.{DECISIONS[decision]}",
        post,
        note=note or None,
        version=version,
        **over_limit,
    )
    _tell_requester(post, decision, actor)
    session.commit()
    session.refresh(post)
    return post.status


def _over_limit(post: BlogPost | SocialPost, override_reason: str | None) -> dict[str, Any]:
    """The audit details of approving a post over its platform's limit ({} within it); OverLimit without
    an override and its reason."""
    own = previews(post)[0] if isinstance(post, SocialPost) else None
    if own is None or not own.over:
        return {}
    said = f"This post is {own.length:,} characters, {own.over:,} over {own.label}'s limit of {own.limit:,}."
    if override_reason is None:
        raise OverLimit(f"{said} Shorten it (send it back), or tick “Approve over the limit” and say why.")
    if not override_reason.strip():
        raise OverLimit(f"{said} Say why it may go out over the limit.")
    return {
        "over_limit": {"platform": own.platform, "length": own.length, "limit": own.limit},
        "override_reason": override_reason.strip()[:500],
    }


def _tell_requester(post: BlogPost | SocialPost, decision: str, actor: User) -> None:
    """Let whoever asked for the post know a colleague decided on it (in the same transaction)."""
    if isinstance(post, BlogPost):
        request_model, request_id = BlogRequest, post.blog_request_id
    else:
        request_model, request_id = SocialMediaRequest, post.social_media_request_id
    if request_id is None:
        return
    requester = (
        get_session()
        .scalars(
            select(User)
            .join(
                request_model,
                (request_model.tenant_id == User.tenant_id) & (request_model.requested_by == User.id),
            )
            .where(
                request_model.tenant_id == post.tenant_id,
                request_model.id == request_id,
                User.is_active.is_(True),
            )
        )
        .first()
    )
    if requester is None or requester.id == actor.id:
        return
    if isinstance(post, BlogPost):
        what, url = f"“{post.title[:80]}”", url_for("content.blog_post", blog_post_ref=post.ref_id)
    else:
        what = f"the {PLATFORM_LABELS[post.platform]} post"
        url = url_for("content.social_post", social_post_ref=post.ref_id)
    verb = "approved" if decision == "approve" else "sent back"
    notify(requester, f"content.{decision}", f"{actor.full_name} {verb} {what}", url)


def what_happened(post: BlogPost | SocialPost, version: int) -> str:
    """Why a decision on ``post`` at ``version`` cannot be made any more, for the user."""
    if post.status == "client_review" and post.version != version:
        return f"A newer version (v{post.version}) arrived while you were reading. Review it first."
    last = last_decision(post)
    status = post.status.replace("_", " ")
    if last is not None and last.action.endswith(("client_approved", "rejected")):
        who = last.actor.full_name if last.actor else "the system"
        verb = "approved" if last.action.endswith("client_approved") else "rejected"
        when = last.created_on.astimezone(tenant_zone()).strftime("%d %b %Y, %H:%M")
        return f"{who} already {verb} version {last.subject_version or post.version} on {when}. Nothing was changed."
    return f"This post is no longer waiting for you (it is {status} now). Nothing was changed."


def last_decision(post: BlogPost | SocialPost | BlogRequest | SocialMediaRequest) -> AuditEvent | None:
    """The latest audit event on the post (or request), with its actor."""
    return (
        get_session()
        .scalars(
            select(AuditEvent)
            .where(
                AuditEvent.tenant_id == post.tenant_id,
                AuditEvent.subject_type == post.__tablename__,
                AuditEvent.subject_id == post.id,
            )
            .options(joinedload(AuditEvent.actor))
            .order_by(AuditEvent.created_on.desc(), AuditEvent.id.desc())
            .limit(1)
        )
        .first()
    )


# ---------------------------------------------------------------------------------------------- previews


@dataclass(frozen=True)
class Preview:
    """How a caption reads on one platform, against that platform's limit."""

    platform: str
    label: str
    text: str
    length: int
    limit: int

    @property
    def over(self) -> int:
        """Characters over the limit (0 when within it)."""
        return max(0, self.length - self.limit)


def previews(post: SocialPost) -> list[Preview]:
    """The post as each platform would show it: caption, hashtags and call to action, counted together.

    The post's own platform comes first; the others show how the same text would fare if reused there.
    """
    tags = " ".join(t if t.startswith("#") else f"#{t}" for t in post.hashtags or [])
    text = "\n\n".join(part for part in (post.caption, tags, post.cta or "") if part)
    order = [post.platform] + [p for p in PLATFORM_LIMITS if p != post.platform]
    return [Preview(p, PLATFORM_LABELS[p], text, len(text), PLATFORM_LIMITS[p]) for p in order]


# ---------------------------------------------------------------------------------------------- calendar


@dataclass(frozen=True)
class CalendarEntry:
    """A scheduled or published post on a day of the calendar."""

    kind: str  # "blog" or "social"
    ref_id: str
    title: str
    status: str
    when: dt.datetime
    local: dt.datetime
    channel: str | None


@dataclass(frozen=True)
class Month:
    """A month of the calendar in the tenant's timezone: its weeks (Monday first) and entries by day."""

    first: dt.date
    weeks: list[list[dt.date]]
    entries: dict[dt.date, list[CalendarEntry]]

    @property
    def key(self) -> str:
        """YYYY-MM."""
        return f"{self.first:%Y-%m}"

    @property
    def previous(self) -> str:
        """YYYY-MM of the month before."""
        return f"{(self.first - dt.timedelta(days=1)):%Y-%m}"

    @property
    def following(self) -> str:
        """YYYY-MM of the month after."""
        return f"{(self.first + dt.timedelta(days=32)).replace(day=1):%Y-%m}"

    @property
    def previous_label(self) -> str:
        """The month before, as "October 2026"."""
        return f"{(self.first - dt.timedelta(days=1)):%B %Y}"

    @property
    def following_label(self) -> str:
        """The month after, as "December 2026"."""
        return f"{(self.first + dt.timedelta(days=32)).replace(day=1):%B %Y}"

    @property
    def count(self) -> int:
        """How many posts the month holds."""
        return sum(len(day) for day in self.entries.values())


def parse_month(value: str | None) -> tuple[dt.date, bool]:
    """``YYYY-MM`` as the first of that month; garbage → the current month in the tenant's timezone and
    False (so the page can say the month was not understood)."""
    if value:
        with contextlib.suppress(ValueError):  # not a YYYY-MM: fall through to the current month
            first = dt.datetime.strptime(value, "%Y-%m").date()
            if 2000 <= first.year <= 2100:
                return first, True
    return today_local().replace(day=1), not value


def month_bounds(first: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants where the tenant's local month starts and the next one starts."""
    zone = tenant_zone()
    following = (first + dt.timedelta(days=32)).replace(day=1)
    start = dt.datetime.combine(first, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(following, dt.time(), tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def calendar(first: dt.date, channel_ref: str | None, kind: str | None) -> Month:
    """The month starting ``first`` (tenant's timezone): scheduled and published posts, by local day.

    A post's moment is its published_on when published, else its scheduled_on.
    """
    start, end = month_bounds(first)
    zone = tenant_zone()
    session = get_session()
    channel = row_by_ref(Channel, channel_ref)
    entries: list[CalendarEntry] = []
    if kind in (None, "blog"):
        when = func.coalesce(BlogPost.published_on, BlogPost.scheduled_on)
        statement = (
            select(BlogPost)
            .where(BlogPost.tenant_id == current_tenant.id, when >= start, when < end)
            .options(joinedload(BlogPost.channel))
        )
        if channel is not None:
            statement = statement.where(BlogPost.channel_id == channel.id)
        for post in session.scalars(statement):
            moment = post.published_on or post.scheduled_on
            entries.append(
                CalendarEntry(
                    "blog",
                    post.ref_id,
                    post.title,
                    post.status,
                    moment,
                    moment.astimezone(zone),
                    post.channel.name if post.channel else None,
                )
            )
    if kind in (None, "social"):
        when = func.coalesce(SocialPost.published_on, SocialPost.scheduled_on)
        statement = (
            select(SocialPost)
            .where(SocialPost.tenant_id == current_tenant.id, when >= start, when < end)
            .options(joinedload(SocialPost.channel))
        )
        if channel is not None:
            statement = statement.where(SocialPost.channel_id == channel.id)
        for post in session.scalars(statement):
            moment = post.published_on or post.scheduled_on
            entries.append(
                CalendarEntry(
                    "social",
                    post.ref_id,
                    f"{PLATFORM_LABELS[post.platform]}: {post.caption[:60]}",
                    post.status,
                    moment,
                    moment.astimezone(zone),
                    post.channel.name if post.channel else PLATFORM_LABELS[post.platform],
                )
            )
    by_day: dict[dt.date, list[CalendarEntry]] = {}
    for entry in sorted(entries, key=lambda e: (e.when, e.ref_id)):
        by_day.setdefault(entry.local.date(), []).append(entry)
    return Month(first, _weeks(first), by_day)


def _weeks(first: dt.date) -> list[list[dt.date]]:
    start = first - dt.timedelta(days=first.weekday())
    following = (first + dt.timedelta(days=32)).replace(day=1)
    weeks = []
    day = start
    while day < following:
        weeks.append([day + dt.timedelta(days=i) for i in range(7)])
        day += dt.timedelta(days=7)
    return weeks


# ---------------------------------------------------------------------------------------------- backlinks


@dataclass(frozen=True)
class BacklinkFilter:
    """What the backlink list shows."""

    status: str | None = None
    source_type: str | None = None
    deliverable: str | None = None

    @classmethod
    def from_args(cls, args: Any) -> BacklinkFilter:
        """Read ?status=, ?source_type= and ?deliverable= (unknown values mean all)."""
        status = args.get("status")
        source = args.get("source_type")
        return cls(
            status if status in BACKLINK_STATUSES else None,
            source if source in BACKLINK_SOURCES else None,
            (args.get("deliverable") or "")[:26] or None,
        )


def _backlink_statement(filters: BacklinkFilter):
    statement = select(Backlink).where(Backlink.tenant_id == current_tenant.id)
    if filters.status:
        statement = statement.where(Backlink.status == filters.status)
    if filters.source_type:
        statement = statement.where(Backlink.source_type == filters.source_type)
    if filters.deliverable:
        statement = statement.where(
            Backlink.deliverable_id
            == select(Deliverable.id)
            .where(Deliverable.tenant_id == current_tenant.id, Deliverable.ref_id == filters.deliverable)
            .scalar_subquery()
        )
    return statement


def backlinks(filters: BacklinkFilter, cursor: str | None) -> Page:
    """A page of the tenant's backlinks, newest first."""
    return newest_first(_backlink_statement(filters), Backlink, cursor)


def backlinks_for_export(filters: BacklinkFilter, columns: tuple[str, ...]) -> list[tuple]:
    """The ``columns`` of every backlink matching ``filters``, newest first, as plain tuples.

    Read in one statement before the response streams, so no database connection is held while a slow
    client downloads the file (a tenant has hundreds of links, not millions).
    """
    statement = _backlink_statement(filters).order_by(Backlink.created_on.desc(), Backlink.ref_id.desc())
    statement = statement.with_only_columns(*(getattr(Backlink, c) for c in columns))
    return [tuple(row) for row in get_session().execute(statement)]


def set_backlink_status(backlink: Backlink, status: str, actor: User) -> None:
    """Move a directory opportunity: opportunity → in_progress → completed (the tenant follows the steps)."""
    allowed = {"in_progress": ("opportunity",), "completed": ("opportunity", "in_progress")}
    if backlink.source_type != "directory_opportunity" or status not in allowed:
        raise ContentRuleError("Only directory opportunities are yours to move, to in progress or completed.")
    values: dict[str, Any] = {"status": status, "updated_by": actor.id, "updated_on": func.now()}
    if status == "completed":
        values["completed_on"] = func.now()
    session = get_session()
    changed = session.execute(
        update(Backlink)
        .where(
            Backlink.tenant_id == current_tenant.id,
            Backlink.id == backlink.id,
            Backlink.status.in_(allowed[status]),
        )
        .values(**values)
        .returning(Backlink.id)
        .execution_options(synchronize_session=False)
    ).first()
    if changed is None:
        session.rollback()
        session.refresh(backlink)
        raise ContentRuleError(f"This opportunity is already {backlink.status.replace('_', ' ')}.")
    audit.record(f"backlink.{status}", backlink)
    session.commit()
    session.refresh(backlink)


def set_backlink_step(backlink: Backlink, index: int, done: bool, actor: User) -> None:
    """Tick or untick one step of a directory opportunity that is not completed yet."""
    if backlink.source_type != "directory_opportunity" or backlink.status == "completed":
        raise ContentRuleError("The steps of this link can no longer be changed.")
    steps = [dict(step) for step in backlink.steps or []]
    if not 0 <= index < len(steps):
        raise ContentRuleError("There is no such step.")
    steps[index]["done"] = done
    backlink.steps = steps
    backlink.updated_by = actor.id
    if backlink.status == "opportunity" and done:
        backlink.status = "in_progress"
    get_session().commit()
