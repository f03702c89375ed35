"""The rules of the content area's requests, the look-ups its forms and pages share, and its errors.

Requests (blog and social alike, told apart by their ``Kind``) are the tenant's to change while
``submitted``. Every change is one conditional UPDATE (``portal.decisions.transition``), so a double
submit or a colleague's save at the same moment ends with exactly one change; the loser is told what
happened and by whom (from the audit trail), and nothing is recorded for them. The posts' review is in
review.py, the calendar in schedule.py, backlinks in backlinks.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal import audit
from portal.content.kinds import Kind, kind_of, subject
from portal.content.paging import Page, newest_first
from portal.db import get_session
from portal.decisions import transition
from portal.formatting import relative_text, tenant_zone
from portal.models import AuditEvent, Channel, Deliverable, User
from portal.models.content import REQUEST_STATUSES
from portal.tenancy import current_tenant, get_or_404

MAX_KEYWORDS = 10
MAX_KEYWORD_LENGTH = 60
BLOG_CHANNEL_TYPES = ("blog", "wordpress", "website")

REQUEST_STATUS_EXPLANATIONS = {
    "submitted": "Waiting for the agency to accept it. You can still change or withdraw it.",
    "approved": "Accepted by the agency; the work is planned.",
    "rejected": "The agency declined this request.",
    "in_progress": "The agency is working on it.",
    "completed": "Done: the posts that came of it are listed below.",
    "withdrawn": "You withdrew this request.",
}


class ContentRuleError(Exception):
    """A change the rules refuse; the message says why, for the user."""


class EditConflict(ContentRuleError):
    """Someone saved the request after the user opened it; the message says who and when."""


class OverLimit(ContentRuleError):
    """A post over its platform's limit, approved without an explicit override and its reason."""


# ---------------------------------------------------------------------------------------------- lookups


def channels_for(types: tuple[str, ...] | None = None) -> list[Channel]:
    """The tenant's channels (of these types), by name, for a form's choices."""
    return _choices(Channel, Channel.name, *([Channel.type.in_(types)] if types else []))


def deliverables_for(kind: str) -> list[Deliverable]:
    """The tenant's deliverables of type ``kind`` (blog_post, social_post, backlinks), for choices."""
    return _choices(Deliverable, Deliverable.title, Deliverable.type == kind)


def _choices(model: Any, order: Any, *conditions: Any) -> list[Any]:
    """The tenant's rows of ``model`` not deleted and matching ``conditions``, in ``order``."""
    statement = select(model).where(
        model.tenant_id == current_tenant.id, model.deleted_on.is_(None), *conditions
    )
    return list(get_session().scalars(statement.order_by(order)))


def row_by_ref(model: Any, ref: str | None) -> Any | None:
    """The tenant's row of ``model`` with ``ref`` (None for no ref or no such row)."""
    if not ref:
        return None
    statement = select(model).where(model.tenant_id == current_tenant.id, model.ref_id == ref)
    if hasattr(model, "deleted_on"):
        statement = statement.where(model.deleted_on.is_(None))
    return get_session().scalars(statement).first()


def ref_of(model: Any, row_id: Any) -> str:
    """The ref_id of the tenant's row ``row_id`` ("" for none: a form's select holds refs, never ids)."""
    if row_id is None:
        return ""
    return (
        get_session().scalar(
            select(model.ref_id).where(model.tenant_id == current_tenant.id, model.id == row_id)
        )
        or ""
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


def user_names(ids: list[Any]) -> dict[Any, str]:
    """Full names of the tenant's users by id (one statement)."""
    ids = [i for i in ids if i]
    if not ids:
        return {}
    rows = get_session().execute(
        select(User.id, User.full_name).where(User.tenant_id == current_tenant.id, User.id.in_(ids))
    )
    return dict(rows.all())


def last_decision(row: Any) -> AuditEvent | None:
    """The latest audit event on a post or request, with its actor."""
    events = audit.history(row)
    return events[-1] if events else None


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
    statuses: ClassVar[tuple[str, ...]] = REQUEST_STATUSES  # the choices of the status filter

    @classmethod
    def from_args(cls, args: Any) -> RequestFilter:
        """Read ?status= and ?q= (an unknown status means all)."""
        status = args.get("status") or None
        return cls(status if status in REQUEST_STATUSES else None, (args.get("q") or "").strip()[:100])


def requests(kind: Kind, filters: RequestFilter, cursor: str | None) -> Page:
    """A page of the tenant's requests of ``kind``, newest first, with what the list shows of each."""
    model = kind.request_model
    statement = (
        select(model)
        .where(model.tenant_id == current_tenant.id, model.deleted_on.is_(None))
        .options(*(joinedload(r) for r in kind.request_loads))
    )
    if filters.status:
        statement = statement.where(model.status == filters.status)
    if filters.q:
        like = f"%{_escape_like(filters.q)}%"
        statement = statement.where(or_(*(c.ilike(like, escape="\\") for c in kind.request_search)))
    return newest_first(statement, model, cursor)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def request_detail(kind: Kind, ref: str) -> Any:
    """A request of ``kind`` with what its page shows and its posts, or 404."""
    loads = [joinedload(r) for r in kind.request_loads]
    return get_or_404(kind.request_model, ref, *loads, selectinload(kind.request_model.posts))


def create_request(kind: Kind, data: dict[str, Any], actor: User) -> Any:
    """Ask the agency for content of ``kind`` (status ``submitted``)."""
    check_due_on(data["due_on"])
    request = kind.request_model(
        tenant_id=current_tenant.id, requested_by=actor.id, created_by=actor.id, **data
    )
    session = get_session()
    session.add(request)
    session.flush()  # the audit event needs the row's id
    audit.record(f"{subject(kind.request_model)}.submitted", request)
    session.commit()
    return request


def update_request(request: Any, data: dict[str, Any], version: int, actor: User) -> None:
    """Change a request still ``submitted`` and still at the ``version`` the user opened (else say why not)."""
    check_due_on(data["due_on"])
    _change_submitted(request, actor, "edited", version, **data)


def withdraw_request(request: Any, actor: User) -> None:
    """Withdraw a request while it is still ``submitted``."""
    _change_submitted(request, actor, "withdrawn", status="withdrawn")


def _change_submitted(
    request: Any, actor: User, action: str, version: int | None = None, **values: Any
) -> None:
    """Change a request still ``submitted`` (and, for an edit, still at ``version``), moving its version on."""
    model = kind_of(request).request_model
    conditions = [model.status == "submitted"]
    if version is not None:
        conditions.append(model.version == version)
    session = get_session()
    if transition(request, actor, *conditions, version=model.version + 1, **values) is None:
        session.rollback()
        session.refresh(request)
        if request.status == "submitted":
            raise EditConflict(_edited_by(request))
        raise ContentRuleError(
            f"This request is {request.status.replace('_', ' ')} now, so it can no longer be changed."
        )
    audit.record(f"{subject(model)}.{action}", request)
    session.commit()
    session.refresh(request)


def _edited_by(request: Any) -> str:
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
