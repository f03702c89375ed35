"""The posts of both kinds: their lists, and the tenant's decision on one in ``client_review``.

Every decision is one conditional UPDATE (``portal.decisions.transition``), so a double submit or a
colleague deciding at the same moment ends with exactly one decision; the loser is told what happened and
by whom (from the audit trail), and nothing is recorded for them.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from typing import Any

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal import audit
from portal.content.kinds import KINDS, PLATFORM_LABELS, PLATFORM_LIMITS, Kind, kind_of, subject
from portal.content.paging import Page, newest_first
from portal.content.service import ContentRuleError, OverLimit, last_decision
from portal.db import get_session
from portal.decisions import transition
from portal.formatting import tenant_zone
from portal.models import User
from portal.notify import notify
from portal.tenancy import current_tenant, get_or_404

DECISIONS = {"approve": "client_approved", "reject": "rejected"}


def waiting_posts() -> list[tuple[str, Any]]:
    """Posts waiting for the tenant's decision as ("blog" or "social", post), blog and social together,
    oldest first: by when they started waiting (their last change, else their creation)."""
    session = get_session()
    posts = [
        (kind.name, post)
        for kind in KINDS
        for post in session.scalars(
            select(kind.post_model)
            .where(kind.post_model.tenant_id == current_tenant.id, kind.post_model.status == "client_review")
            .options(*(joinedload(r) for r in kind.post_loads))
        )
    ]
    return sorted(posts, key=lambda item: (item[1].updated_on or item[1].created_on, item[1].ref_id))


@dataclass(frozen=True)
class PostFilter:
    """What a post list shows: a status and, for posts on platforms, a platform (None for all); each field
    is the column it filters."""

    status: str | None = None
    platform: str | None = None

    @classmethod
    def from_args(cls, kind: Kind, args: Any) -> PostFilter:
        """Read ?status= (and ?platform= where the kind has platforms); unknown values mean all."""
        status = args.get("status")
        platform = args.get("platform") if kind.has_platforms else None
        return cls(
            status if status in kind.post_statuses else None,
            platform if platform in PLATFORM_LABELS else None,
        )


def posts(kind: Kind, filters: PostFilter, cursor: str | None) -> Page:
    """A page of the tenant's posts of ``kind``, newest first."""
    model = kind.post_model
    statement = (
        select(model)
        .where(model.tenant_id == current_tenant.id)
        .filter_by(**{column: value for column, value in asdict(filters).items() if value})
        .options(*(joinedload(r) for r in kind.post_loads))
    )
    return newest_first(statement, model, cursor)


def post_detail(kind: Kind, ref: str) -> Any:
    """A post of ``kind`` with its request and channel, or 404."""
    return get_or_404(kind.post_model, ref, *_post_page_loads(kind))


@functools.cache
def _post_page_loads(kind: Kind) -> tuple[Any, ...]:
    # Built once per kind, as every post page and decision loads the same two relationships.
    return (joinedload(kind.post_model.request), joinedload(kind.post_model.channel))


def decide(
    post: Any,
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
    values: dict[str, Any] = {"status": DECISIONS[decision]}
    if decision == "approve":
        values |= {"client_approved_by": actor.id, "client_approved_on": func.now()}
    else:
        values |= {"client_rejection_note": note[:2000]}
    session = get_session()
    if transition(post, actor, model.status == "client_review", model.version == version, **values) is None:
        session.rollback()
        session.refresh(post)
        raise ContentRuleError(what_happened(post, version))
    audit.record(
        f"{subject(model)}.{DECISIONS[decision]}", post, note=note or None, version=version, **over_limit
    )
    _tell_requester(post, decision, actor)
    session.commit()
    session.refresh(post)
    return post.status


def _over_limit(post: Any, override_reason: str | None) -> dict[str, Any]:
    """The audit details of approving a post over its platform's limit ({} within it); OverLimit without
    an override and its reason."""
    shown = previews(post)
    if not shown or not shown[0].over:
        return {}
    own = shown[0]
    said = f"This post is {own.length:,} characters, {own.over:,} over {own.label}'s limit of {own.limit:,}."
    if override_reason is None:
        raise OverLimit(f"{said} Shorten it (send it back), or tick “Approve over the limit” and say why.")
    if not override_reason.strip():
        raise OverLimit(f"{said} Say why it may go out over the limit.")
    return {
        "over_limit": {"platform": own.platform, "length": own.length, "limit": own.limit},
        "override_reason": override_reason.strip()[:500],
    }


def _tell_requester(post: Any, decision: str, actor: User) -> None:
    """Let whoever asked for the post know a colleague decided on it (in the same transaction)."""
    kind = kind_of(post)
    request_id = kind.request_id_of(post)
    if request_id is None:
        return
    request_model = kind.request_model
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
    what = f"the {PLATFORM_LABELS[post.platform]} post" if kind.has_platforms else f"“{post.title[:80]}”"
    url = url_for(f"content.{kind.name}_post", **{kind.post_param: post.ref_id})
    verb = "approved" if decision == "approve" else "sent back"
    notify(requester, f"content.{decision}", f"{actor.full_name} {verb} {what}", url)


def what_happened(post: Any, version: int) -> str:
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


def previews(post: Any) -> list[Preview]:
    """A social post as each platform would show it: caption, hashtags and call to action, counted together
    (none for a post of a kind without platforms).

    The post's own platform comes first; the others show how the same text would fare if reused there.
    """
    if not kind_of(post).has_platforms:
        return []
    tags = " ".join(t if t.startswith("#") else f"#{t}" for t in post.hashtags or [])
    text = "\n\n".join(part for part in (post.caption, tags, post.cta or "") if part)
    order = [post.platform] + [p for p in PLATFORM_LIMITS if p != post.platform]
    return [Preview(p, PLATFORM_LABELS[p], text, len(text), PLATFORM_LIMITS[p]) for p in order]
