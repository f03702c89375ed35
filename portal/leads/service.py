"""The rules of leads: who sees which, how one moves through its statuses, who gets it, and the trail.

Every decision is one transaction: a conditional ``UPDATE … WHERE version = :seen RETURNING`` on the lead,
its ``lead_activities`` row, the notification and the audit event commit together or not at all. The loser
of a race is told who won and when, and nothing is recorded for them. An invisible lead (another rep's, or
another tenant's) and a version conflict both match 0 rows, so the lead is read again before answering.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import abort, url_for
from sqlalchemy import (
    Select,
    Uuid,
    and_,
    bindparam,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.engine import Row
from sqlalchemy.orm import aliased, joinedload

from portal import audit
from portal.db import FixedStatement, get_session
from portal.formatting import localtime, relative_text, tenant_zone
from portal.ids import is_ulid, new_ulid
from portal.inputs import fits
from portal.leads.search import (
    lead_search_text,
    matches,
    matches_by_created,
    phone_digits,
    search_words,
    word_values,
)
from portal.models import AdCampaign, Channel, Lead, LeadActivity, Tenant, User
from portal.models.leads import LEAD_SOURCES, LEAD_STATUSES, SCORE_BANDS
from portal.navigation import capped_count
from portal.notify import notify
from portal.tenancy import TENANT_ID, USER_ID, can, current_tenant, get_or_404

PAGE_SIZE = 25
OPEN_STATUSES = ("new", "contacted", "qualified")
CLOSED_STATUSES = ("converted", "disqualified")
# The one-click path; disqualified is reachable from any open status, with a reason.
NEXT_STATUS = {"new": "contacted", "contacted": "qualified", "qualified": "converted"}
CONTACT_TYPES = ("call", "email_sent", "meeting")
LOGGABLE_TYPES = ("note", "call", "email_sent", "meeting")
BANDS = {"hot": (70, 100), "warm": (40, 69), "cold": (0, 39)}
SORTS = {
    "created": Lead.created_on,
    "score": Lead.score_total,
    "value": func.coalesce(Lead.estimated_value, Decimal("-1")),
    "activity": func.coalesce(Lead.last_activity_on, Lead.created_on),
}
RULE_LABELS = {
    "manual": "assigned by hand",
    "claim": "claimed from the pool",
    "release": "released to the pool",
    "hand_over": "handed over",
    "round_robin": "round robin",
    "capacity": "by capacity",
    "self": "added by them",
}


class LeadRuleError(Exception):
    """A change the rules refuse; the message says why, for the user."""


class LeadConflict(Exception):
    """Someone else changed the lead first. ``message`` names them and when; ``lead`` is the current row."""

    def __init__(self, message: str, lead: Lead) -> None:
        super().__init__(message)
        self.lead = lead


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# -- who sees what ------------------------------------------------------------------------------------------


def visible_to(user: User) -> Any:
    """The WHERE clause of the leads a user may see: all for managers, else their own and the pool."""
    return _visibility(can("leads.view_all", user.role), current_tenant.id, user.id)


def _visibility(view_all: bool, tenant: Any, user: Any) -> Any:
    # tenant and user: values, or TENANT_ID / USER_ID for a statement built once (see _narrowed).
    clause = and_(Lead.tenant_id == tenant, Lead.deleted_on.is_(None))
    if not view_all:
        clause = and_(clause, or_(Lead.assigned_to == user, Lead.assigned_to.is_(None)))
    return clause


def get_lead(lead_ref: str, user: User, *options: Any) -> Lead:
    """The lead, if the user may see it; another rep's lead is a 404 like another tenant's."""
    lead = get_or_404(Lead, lead_ref, *options)
    if not can("leads.view_all", user.role) and lead.assigned_to not in (None, user.id):
        abort(404)
    return lead


RECENT_POOL = dt.timedelta(minutes=15)


def get_lead_to_claim(lead_ref: str, user: User, *options: Any) -> Lead:
    """The lead a rep tries to claim. If another rep took it from the pool in the last minutes, the rep saw
    it there, so they are told who (LeadConflict) rather than given a 404; any other rep's lead is a 404."""
    lead = get_or_404(Lead, lead_ref, joinedload(Lead.assignee), *options)
    if lead.assigned_to in (None, user.id) or can("leads.view_all", user.role):
        return lead
    last = _last_decision(lead)
    if (
        last is not None
        and last.type == "assignment"
        and last.metadata_.get("fromUser") is None
        and _now() - last.created_on < RECENT_POOL
    ):
        raise LeadConflict(_conflict_message(lead, last), lead)
    abort(404)


def active_reps() -> list[User]:
    """The sales reps a lead may go to: active, not deleted, by name."""
    return list(
        get_session().scalars(
            select(User)
            .where(
                User.tenant_id == current_tenant.id,
                User.role == "sales_rep",
                User.is_active.is_(True),
                User.deleted_on.is_(None),
            )
            .order_by(User.full_name, User.id)
        )
    )


def assignable_rep(user_ref: str | None) -> User:
    """The active sales rep of this tenant with that ref_id, or a LeadRuleError saying why not."""
    rep = next((r for r in active_reps() if r.ref_id == user_ref), None) if user_ref else None
    if rep is None:
        raise LeadRuleError("Choose an active sales rep of your team.")
    return rep


def sidebar_count() -> Select | None:
    """New leads waiting: the rep's own new leads, or the unassigned new leads for whoever assigns.

    Counted up to the cap (``capped_count``: the sidebar shows "99+" beyond); this runs on every page."""
    waiting = select(Lead.id).where(
        Lead.tenant_id == TENANT_ID, Lead.deleted_on.is_(None), Lead.status == "new"
    )
    if can("leads.claim"):
        waiting = waiting.where(Lead.assigned_to == USER_ID)
    elif can("leads.assign"):
        waiting = waiting.where(Lead.assigned_to.is_(None))
    else:
        return None
    return capped_count(waiting)


# -- the list -------------------------------------------------------------------------------------------------


@dataclass
class LeadFilters:
    """The list's state, as it lives in the URL (so a view can be bookmarked and shared)."""

    q: str = ""
    status: str = ""
    source: str = ""
    channel: str = ""
    campaign: str = ""
    assignee: str = ""
    band: str = ""
    created_from: dt.date | None = None
    created_to: dt.date | None = None
    sort: str = "created"
    dir: str = "desc"
    cursor: str = ""
    notices: list[str] = field(default_factory=list)

    def args(self, **changes: Any) -> dict[str, str]:
        """The query-string arguments of this state (empty ones left out), with changes applied."""
        values = {
            "q": self.q,
            "status": self.status,
            "source": self.source,
            "channel": self.channel,
            "campaign": self.campaign,
            "assignee": self.assignee,
            "band": self.band,
            "from": self.created_from.isoformat() if self.created_from else "",
            "to": self.created_to.isoformat() if self.created_to else "",
            "sort": "" if self.sort == "created" else self.sort,
            "dir": "" if self.dir == "desc" else self.dir,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v}

    @property
    def active(self) -> bool:
        """Whether any filter (not the sort) narrows the list."""
        return any(
            (self.q, self.status, self.source, self.channel, self.campaign, self.assignee, self.band)
        ) or bool(self.created_from or self.created_to)


def _date(value: str, label: str, notices: list[str]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        notices.append(f"Ignored the {label} date “{value[:40]}”: use YYYY-MM-DD.")
        return None


def parse_filters(args: Any) -> LeadFilters:
    """The filters from a request's query string; garbage values are ignored, each with a notice."""
    notices: list[str] = []

    def choice(name: str, allowed: tuple[str, ...], label: str) -> str:
        value = (args.get(name) or "").strip()
        if value and value not in allowed:
            notices.append(f"Ignored the unknown {label} “{value[:40]}”.")
            return ""
        return value

    filters = LeadFilters(
        q=(args.get("q") or "").strip()[:200],
        status=choice("status", (*LEAD_STATUSES, "open"), "status"),
        source=choice("source", LEAD_SOURCES, "source"),
        band=choice("band", SCORE_BANDS, "score band"),
        sort=choice("sort", tuple(SORTS), "sort") or "created",
        dir=choice("dir", ("asc", "desc"), "direction") or "desc",
        created_from=_date(args.get("from", ""), "from", notices),
        created_to=_date(args.get("to", ""), "to", notices),
        cursor=(args.get("cursor") or "")[:300],
        notices=notices,
    )
    for name, label in (("channel", "channel"), ("campaign", "campaign"), ("assignee", "assignee")):
        value = (args.get(name) or "").strip()
        if value and ((value in ("mine", "unassigned") and name == "assignee") or _is_ref(value)):
            setattr(filters, name, value)
        elif value:
            notices.append(f"Ignored the unknown {label} “{value[:40]}”.")
    return filters


def _is_ref(value: str) -> bool:
    return is_ulid(value)


@dataclass
class LeadPage:
    """One page of the list and the cursor of the next."""

    leads: list[Row]  # LIST_COLUMNS, assignee_name, sort_key
    next_cursor: str | None


def _encode_cursor(value: Any, lead_id: uuid.UUID) -> str:
    if isinstance(value, dt.datetime):
        value = {"t": value.isoformat()}
    elif isinstance(value, Decimal):
        value = {"d": str(value)}
    raw = json.dumps([value, str(lead_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str = "created") -> tuple[Any, uuid.UUID] | None:
    """The cursor's position, or None when it was not made for this sort (PostgreSQL would refuse it)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, lead_id = json.loads(raw)
        if isinstance(value, dict) and "t" in value:
            value = dt.datetime.fromisoformat(value["t"])
        elif isinstance(value, dict) and "d" in value:
            value = Decimal(value["d"])
        if not fits(value, SORTS[sort].type):
            return None
        return value, uuid.UUID(str(lead_id))
    except (ValueError, TypeError, InvalidOperation, json.JSONDecodeError):
        return None


def filtered(filters: LeadFilters, user: User) -> Select:
    """SELECT of the leads the user may see that pass the filters (unordered), its values bound."""
    shape, values = _filter_shape(filters, user)
    words = search_words(filters.q)
    statement = _narrowed(shape)
    if words:
        statement = statement.where(matches(range(len(words))))
    return statement.params({**values, **word_values(words)})


def _filter_shape(filters: LeadFilters, user: User) -> tuple[tuple[str, ...], dict[str, Any]]:
    """Which filters are set (the statement's shape: _narrowed builds one statement per shape) and the
    values _narrowed binds for them, the tenant and the user included."""
    shape = ["all" if can("leads.view_all", user.role) else "own"]
    values: dict[str, Any] = {TENANT_ID.key: current_tenant.id, USER_ID.key: user.id}
    if filters.status == "open":
        shape.append("open")
    elif filters.status:
        shape.append("status")
        values["status"] = filters.status
    for name in ("source", "band", "channel", "campaign"):
        if getattr(filters, name):
            shape.append(name)
            values[name] = getattr(filters, name)
    if filters.assignee in ("mine", "unassigned"):
        shape.append(filters.assignee)
    elif filters.assignee:
        shape.append("assignee")
        values["assignee"] = filters.assignee
    zone = tenant_zone()
    if filters.created_from:
        shape.append("created_from")
        values["created_from"] = dt.datetime.combine(filters.created_from, dt.time(), zone)
    if filters.created_to:
        shape.append("created_to")
        values["created_to"] = dt.datetime.combine(filters.created_to + dt.timedelta(days=1), dt.time(), zone)
    return tuple(shape), values


@functools.lru_cache(maxsize=256)
def _narrowed(shape: tuple[str, ...]) -> Select:
    # Built once per shape, its values bound at each run (see _filter_shape): building the list's statement
    # and its cache key cost 0.2-0.8 ms a page, more than PostgreSQL's work for it. Bounded: the query
    # string chooses the shape, and a visitor could otherwise make a worker keep every combination.
    statement = select(Lead).where(_visibility("all" in shape, TENANT_ID, USER_ID))
    if "open" in shape:
        statement = statement.where(Lead.status.in_(OPEN_STATUSES))
    for name in ("status", "source", "band"):
        if name in shape:
            statement = statement.where(
                getattr(Lead, "score_band" if name == "band" else name) == bindparam(name)
            )
    if "mine" in shape:
        statement = statement.where(Lead.assigned_to == USER_ID)
    elif "unassigned" in shape:
        statement = statement.where(Lead.assigned_to.is_(None))
    elif "assignee" in shape:
        statement = statement.where(Lead.assigned_to == _id_of(User, "assignee"))
    if "channel" in shape:
        statement = statement.where(Lead.source_channel_id == _id_of(Channel, "channel"))
    if "campaign" in shape:
        statement = statement.where(Lead.source_campaign_id == _id_of(AdCampaign, "campaign"))
    if "created_from" in shape:
        statement = statement.where(Lead.created_on >= bindparam("created_from"))
    if "created_to" in shape:
        statement = statement.where(Lead.created_on < bindparam("created_to"))
    return statement


def _id_of(model: Any, name: str) -> Any:
    """The id of the tenant's row of model whose ref_id is bound as name."""
    return (
        select(model.id)
        .where(model.tenant_id == TENANT_ID, model.ref_id == bindparam(name))
        .scalar_subquery()
    )


# The columns of a lead the list's table shows (templates/leads/index.html), read as plain rows: a list page
# needs no ORM objects, whose hydration and per-attribute loaders cost more than the query.
LIST_COLUMNS = (
    Lead.id,
    Lead.ref_id,
    Lead.version,
    Lead.first_name,
    Lead.last_name,
    Lead.company,
    Lead.email,
    Lead.phone,
    Lead.status,
    Lead.score_total,
    Lead.score_band,
    Lead.estimated_value,
    Lead.assigned_to,
    Lead.last_activity_on,
    Lead.created_on,
)


# The list's assignee: an alias, since the assignee filter's own subquery on users must not correlate;
# made once, as adapting User's columns to a new alias cost more per request than the list's query.
_ASSIGNEE = aliased(User, name="assignee")
_ASSIGNEE_NAME = _ASSIGNEE.full_name.label("assignee_name")


def list_leads(filters: LeadFilters, user: User) -> LeadPage:
    """One page (25) of the filtered list, by keyset on (sort key, id): no OFFSET, constant statements.

    The leads are rows with LIST_COLUMNS, ``assignee_name`` and ``sort_key``."""
    shape, values = _filter_shape(filters, user)
    words = search_words(filters.q)
    values.update(word_values(words))
    after = None
    if filters.cursor:
        after = _decode_cursor(filters.cursor, filters.sort)
        if after is None:
            filters.notices.append("Ignored a page link that was not understood; showing the first page.")
        else:
            values["after_key"], values["after_id"] = after
    statement = _list_statement(shape, len(words), filters.sort, filters.dir == "desc", after is not None)
    rows = get_session().execute(statement, values).all()
    next_cursor = None
    if len(rows) > PAGE_SIZE:
        last = rows[PAGE_SIZE - 1]
        next_cursor = _encode_cursor(last.sort_key, last.id)
    return LeadPage(rows[:PAGE_SIZE], next_cursor)


@functools.lru_cache(maxsize=512)
def _list_statement(shape: tuple[str, ...], words: int, sort: str, descending: bool, after: bool) -> Select:
    # One statement per shape of filters, number of search words, order and first-or-later page, built
    # once; every value (filters, words, the cursor's position) is bound at each run.
    if words and sort == "created":
        # The first word's matches in created_on order, from the search terms' key: only the page's leads
        # are read, not every lead a common word matches.
        found = matches_by_created(descending)
        statement = _narrowed(shape).join(found, found.c.lead_id == Lead.id)
        if words > 1:
            statement = statement.where(matches(range(1, words)))
        key, tie = found.c.lead_created_on, found.c.lead_id
    else:
        statement, key, tie = _narrowed(shape), SORTS[sort], Lead.id
        if words:
            statement = statement.where(matches(range(words)))
    statement = statement.with_only_columns(*LIST_COLUMNS, _ASSIGNEE_NAME, key.label("sort_key")).outerjoin(
        _ASSIGNEE, (_ASSIGNEE.tenant_id == Lead.tenant_id) & (_ASSIGNEE.id == Lead.assigned_to)
    )
    if after:
        position = tuple_(bindparam("after_key", type_=key.type), bindparam("after_id", type_=Uuid()))
        statement = statement.where(
            tuple_(key, tie) < position if descending else tuple_(key, tie) > position
        )
    order = (key.desc(), tie.desc()) if descending else (key.asc(), tie.asc())
    return statement.order_by(*order).limit(PAGE_SIZE + 1)


# The filters' options, built and compiled once (see portal.db.FixedStatement): every list page runs it.
_FILTER_CHOICES = FixedStatement(
    union_all(
        select(literal("rep").label("kind"), User.ref_id, User.full_name, User.is_active).where(
            User.tenant_id == TENANT_ID, User.role == "sales_rep", User.deleted_on.is_(None)
        ),
        select(literal("channel"), Channel.ref_id, Channel.name, true()).where(
            Channel.tenant_id == TENANT_ID
        ),
        select(literal("campaign"), AdCampaign.ref_id, AdCampaign.name, true()).where(
            AdCampaign.tenant_id == TENANT_ID
        ),
    ).order_by(literal_column("kind"), literal_column("full_name"), literal_column("ref_id"))
)


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The options of the list's filters — reps (active or not), channels and campaigns of the tenant — and
    the active reps a lead may be assigned to, from one statement."""
    rows = _FILTER_CHOICES.run({TENANT_ID.key: current_tenant.id}).all()
    choices: dict[str, list[tuple[str, str]]] = {
        "reps": [],
        "channels": [],
        "campaigns": [],
        "assignable": [],
    }
    for row_kind, ref, name, active in rows:
        if row_kind == "rep":
            choices["reps"].append((ref, name + ("" if active else " (deactivated)")))
            if active:
                choices["assignable"].append((ref, name))
        else:
            choices[row_kind + "s"].append((ref, name))
    return choices


# -- a lead's page --------------------------------------------------------------------------------------------


# How the timeline shows each kind of entry: (tone, icon, what the actor did).
TIMELINE_KINDS = {
    "status_change": ("done", "success", "changed the status"),
    "assignment": ("agency", "team", "changed the assignee"),
    "note": ("neutral", "content", "added a note"),
    "call": ("waiting", "bell", "logged a call"),
    "meeting": ("waiting", "calendar", "logged a meeting"),
    "email_sent": ("waiting", "inbox", "sent an e-mail"),
    "email_received": ("agency", "inbox", "received an e-mail"),
    "score_updated": ("agency", "sparkles", "updated the score"),
    "enrichment": ("agency", "sparkles", "enriched the lead"),
}


@dataclass
class TimelineEntry:
    """One line of the timeline, with the actor's name resolved and how its kind is shown."""

    activity: LeadActivity
    who: str

    @property
    def shown(self) -> tuple[str, str | None, str]:
        """(tone, icon or None, what the actor did) for this entry's kind."""
        return TIMELINE_KINDS.get(self.activity.type, ("neutral", None, self.activity.type))


# A timeline entry's person: the tenant's user whose ref_id the entry names as its human actor.
_ACTOR = aliased(User, name="actor")


def timeline(lead: Lead, limit: int = 200) -> list[TimelineEntry]:
    """The lead's activities, newest first, with who did each (a person's name or an agent's): one
    statement, the people's names joined by their ref_id."""
    rows = get_session().execute(
        select(LeadActivity, _ACTOR.full_name)
        .outerjoin(
            _ACTOR,
            (_ACTOR.tenant_id == LeadActivity.tenant_id)
            & (_ACTOR.ref_id == LeadActivity.actor_id)
            & (LeadActivity.actor_type == "human"),
        )
        .where(LeadActivity.tenant_id == lead.tenant_id, LeadActivity.lead_id == lead.id)
        .order_by(LeadActivity.created_on.desc(), LeadActivity.id.desc())
        .limit(limit)
        .execution_options(prepare=True)
    )
    entries = []
    for activity, name in rows:
        if activity.actor_type == "human":
            who = name or "Someone"
        elif activity.actor_type == "agent":
            who = (activity.actor_id or "An agent").replace("-", " ").capitalize()
        else:
            who = "Portal"
        entries.append(TimelineEntry(activity, who))
    return entries


def _name_of(user_ref: str) -> str | None:
    """The full name of the tenant's user with this ref_id, if there is one."""
    return get_session().scalar(
        select(User.full_name).where(User.tenant_id == current_tenant.id, User.ref_id == user_ref)
    )


# -- decisions on one lead ------------------------------------------------------------------------------------

# What a lead's page shows beside the lead itself, loaded in the same statement: also how a lost race reads
# the lead again, since that page is rendered from it and its relationships never load lazily.
LEAD_PAGE = (joinedload(Lead.assignee), joinedload(Lead.source_channel), joinedload(Lead.source_campaign))


def _activity(
    lead_id: uuid.UUID,
    kind: str,
    description: str | None,
    actor: User | None,
    metadata: dict[str, Any] | None = None,
) -> LeadActivity:
    activity = LeadActivity(
        tenant_id=current_tenant.id,
        id=uuid.uuid4(),
        lead_id=lead_id,
        type=kind,
        description=description,
        actor_type="human" if actor else "system",
        actor_id=actor.ref_id if actor else None,
        metadata_=metadata or {},
        created_by=actor.id if actor else None,
    )
    get_session().add(activity)
    return activity


def _conditional_update(lead: Lead, seen_version: int, **values: Any) -> int | None:
    """UPDATE the lead if it still has the version the user saw; its new version, or None if it did not."""
    statement = (
        update(Lead)
        .where(
            Lead.tenant_id == current_tenant.id,
            Lead.id == lead.id,
            Lead.version == seen_version,
            Lead.deleted_on.is_(None),
        )
        .values(version=Lead.version + 1, **values)
        .returning(Lead.version)
        .execution_options(synchronize_session=False)
    )
    return get_session().execute(statement).scalar()


def _lost(lead: Lead, user: User, from_pool: bool = False) -> LeadConflict:
    """After 0 rows matched: roll back, read the lead again and say who changed it (or 404 if it is gone).

    A claim's loser saw the lead in the pool a moment ago, so they are told who took it even though the
    lead is no longer theirs to see; anyone else who cannot see it any more gets the plain 404.
    """
    session = get_session()
    session.rollback()
    current = session.scalars(
        select(Lead)
        .where(
            (Lead.tenant_id == current_tenant.id) & Lead.deleted_on.is_(None)
            if from_pool
            else visible_to(user),
            Lead.id == lead.id,
        )
        .options(*LEAD_PAGE)
        .execution_options(populate_existing=True)
    ).first()
    if current is None:
        abort(404)  # not theirs any more, or deleted: the same answer as for a lead they never saw
    return LeadConflict(_conflict_message(current, _last_decision(current)), current)


def _last_decision(lead: Lead) -> LeadActivity | None:
    """The lead's latest assignment or status change (who won the race)."""
    return (
        get_session()
        .scalars(
            select(LeadActivity)
            .where(
                LeadActivity.tenant_id == lead.tenant_id,
                LeadActivity.lead_id == lead.id,
                LeadActivity.type.in_(("assignment", "status_change")),
            )
            .order_by(LeadActivity.created_on.desc())
            .limit(1)
        )
        .first()
    )


def _conflict_message(lead: Lead, last: LeadActivity | None) -> str:
    who = "someone"
    if last is not None and last.actor_type == "human" and last.actor_id:
        who = _name_of(last.actor_id) or who
    elif last is not None:
        who = "the portal"
    when = _ago(last.created_on) if last is not None else "a moment ago"
    if last is not None and last.type == "assignment":
        taker = lead.assignee.full_name if lead.assignee else None
        if taker and last.metadata_.get("rule") == "claim":
            return f"Taken by {taker} {when}."
        if taker:
            return f"Taken by {taker} {when} (assigned by {who})."
        return f"Released to the pool by {who} {when}."
    if last is not None:
        return f"{who.capitalize() if who == 'someone' else who} changed this lead {when}: it is now {lead.status}."
    return "This lead was changed a moment ago; here is how it stands now."


def _ago(when: dt.datetime) -> str:
    """When a change happened, in the words every page uses ("3 min ago"; the date past a week)."""
    return relative_text((_now() - when).total_seconds()) or f"on {localtime(when, '%d %b %Y')}"


def _assign(
    lead: Lead,
    seen_version: int,
    to_user: User | None,
    actor: User | None,
    rule: str,
    reason: str | None,
    user_for_visibility: User,
    from_pool: bool = False,
) -> Lead:
    """Move the lead to to_user (None: the pool) if unchanged since seen; activity, notification, audit."""
    from_ref = _user_ref(lead.assigned_to)
    now = _now()
    version = _conditional_update(
        lead,
        seen_version,
        assigned_to=to_user.id if to_user else None,
        assigned_on=now if to_user else None,
        last_activity_on=now,
        updated_by=actor.id if actor else None,
        updated_on=now,
    )
    if version is None:
        raise _lost(lead, user_for_visibility, from_pool)
    _record_assignment(lead, from_ref, to_user, actor, rule, reason)
    get_session().commit()
    return _reload(lead)


def _record_assignment(
    lead: Lead, from_ref: str | None, to_user: User | None, actor: User | None, rule: str, reason: str | None
) -> None:
    """The assignment's trail: the timeline row, the assignee's bell, the audit event (same transaction)."""
    metadata = {
        "fromUser": from_ref,
        "toUser": to_user.ref_id if to_user else None,
        "rule": rule,
        "reason": reason or None,
    }
    description = (
        f"Assigned to {to_user.full_name} ({RULE_LABELS.get(rule, rule)})"
        if to_user
        else "Released to the unassigned pool"
    )
    if reason:
        description += f": {reason}"
    _activity(lead.id, "assignment", description, actor, metadata)
    if to_user is not None and (actor is None or to_user.id != actor.id):
        notify(
            to_user,
            "lead_assigned",
            f"New lead for you: {display_name(lead)}",
            url_for("leads.detail", lead_ref=lead.ref_id),
            email=True,
        )
    audit.record("lead.assign", lead, note=reason, rule=rule, to_user=metadata["toUser"], from_user=from_ref)


def _user_ref(user_id: uuid.UUID | None) -> str | None:
    if user_id is None:
        return None
    return get_session().scalar(
        select(User.ref_id).where(User.tenant_id == current_tenant.id, User.id == user_id)
    )


def _reload(lead: Lead) -> Lead:
    return (
        get_session()
        .scalars(
            select(Lead)
            .where(Lead.tenant_id == current_tenant.id, Lead.id == lead.id)
            .options(*LEAD_PAGE)
            .execution_options(populate_existing=True)
        )
        .one()
    )


def display_name(lead: Lead | Row) -> str:
    """How a lead (or a list row) is named on screen: the person, else the company, else the e-mail or phone."""
    name = " ".join(p for p in (lead.first_name, lead.last_name) if p)
    return name or lead.company or lead.email or lead.phone or "Unnamed lead"


def assign(lead: Lead, seen_version: int, rep_ref: str, reason: str | None, actor: User) -> Lead:
    """A manager assigns (or reassigns) the lead to an active rep of the tenant."""
    rep = assignable_rep(rep_ref)
    if lead.assigned_to == rep.id and lead.version == seen_version:
        raise LeadRuleError(f"{display_name(lead)} is already assigned to {rep.full_name}.")
    return _assign(lead, seen_version, rep, actor, "manual", reason, actor)


def claim(lead: Lead, seen_version: int, rep: User) -> Lead:
    """A rep takes an unassigned lead from the pool (the first of two at once wins)."""
    if lead.assigned_to is not None:
        raise _lost(lead, rep, from_pool=True)
    return _assign(lead, seen_version, rep, rep, "claim", None, rep, from_pool=True)


def release(lead: Lead, seen_version: int, rep: User, reason: str | None) -> Lead:
    """A rep gives their own lead back to the pool."""
    if lead.assigned_to != rep.id:
        raise LeadRuleError("Only a lead assigned to you can be released.")
    return _assign(lead, seen_version, None, rep, "release", reason, rep)


def hand_over(lead: Lead, seen_version: int, rep: User, to_ref: str, reason: str) -> Lead:
    """A rep hands one of their leads to another active rep, saying why."""
    if lead.assigned_to != rep.id:
        raise LeadRuleError("Only a lead assigned to you can be handed over.")
    if not (reason or "").strip():
        raise LeadRuleError("Say why you hand this lead over.")
    to_user = assignable_rep(to_ref)
    if to_user.id == rep.id:
        raise LeadRuleError("Choose another rep than yourself.")
    return _assign(lead, seen_version, to_user, rep, "hand_over", reason.strip(), rep)


@dataclass
class BulkResult:
    """What a bulk assignment did: how many moved, and the ones someone else changed first."""

    assigned: int
    conflicts: list[str]
    missing: int


def bulk_assign(
    refs_and_versions: list[tuple[str, int]], rep_ref: str, reason: str | None, actor: User
) -> BulkResult:
    """Assign many leads to one rep in one transaction; leads changed since the list was shown are skipped."""
    rep = assignable_rep(rep_ref)
    session = get_session()
    refs = [ref for ref, _ in refs_and_versions][:500]
    seen = dict(refs_and_versions)
    leads = list(
        session.scalars(
            select(Lead).where(visible_to(actor), Lead.ref_id.in_(refs)).options(joinedload(Lead.assignee))
        )
    )
    assigned, conflicts = 0, []
    from_refs = _names_by_id({lead.assigned_to for lead in leads if lead.assigned_to})
    now = _now()
    for lead in leads:
        if lead.assigned_to == rep.id:
            continue
        version = _conditional_update(
            lead,
            seen[lead.ref_id],
            assigned_to=rep.id,
            assigned_on=now,
            last_activity_on=now,
            updated_by=actor.id,
            updated_on=now,
        )
        if version is None:
            conflicts.append(display_name(lead))
            continue
        _record_assignment_quiet(lead, from_refs.get(lead.assigned_to), rep, actor, reason)
        assigned += 1
    if assigned:
        notify(
            rep,
            "lead_assigned",
            f"{assigned} new lead{'s' if assigned != 1 else ''} for you",
            url_for("leads.index", assignee="mine", status="new"),
            email=True,
        )
    session.commit()
    return BulkResult(assigned, conflicts, len(refs) - len(leads))


def _names_by_id(ids: set[Any]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = get_session().execute(
        select(User.id, User.ref_id).where(User.tenant_id == current_tenant.id, User.id.in_(ids))
    )
    return {key: value for key, value in rows}


def _record_assignment_quiet(
    lead: Lead, from_ref: str | None, rep: User, actor: User, reason: str | None
) -> None:
    """The trail of one lead of a bulk assignment (one notification for the batch is sent by the caller)."""
    description = f"Assigned to {rep.full_name} ({RULE_LABELS['manual']}, in bulk)"
    if reason:
        description += f": {reason}"
    metadata = {"fromUser": from_ref, "toUser": rep.ref_id, "rule": "manual", "reason": reason or None}
    _activity(lead.id, "assignment", description, actor, metadata)
    audit.record("lead.assign", lead, note=reason, rule="manual", to_user=rep.ref_id, from_user=from_ref)


def move_status(lead: Lead, seen_version: int, to_status: str, reason: str | None, actor: User) -> Lead:
    """Move the lead one step along new → contacted → qualified → converted, or disqualify it with a reason."""
    if to_status not in LEAD_STATUSES:
        raise LeadRuleError("Choose one of the listed statuses.")
    if lead.version == seen_version:
        if lead.status == to_status:
            raise LeadRuleError(f"This lead is already {to_status}.")
        if to_status == "disqualified":
            if lead.status not in OPEN_STATUSES:
                raise LeadRuleError(f"A {lead.status} lead cannot be disqualified.")
            if not (reason or "").strip():
                raise LeadRuleError("Say why the lead is disqualified.")
        elif NEXT_STATUS.get(lead.status) != to_status:
            raise LeadRuleError(f"A {lead.status} lead cannot move to {to_status}.")
    now = _now()
    values: dict[str, Any] = {
        "status": to_status,
        "last_activity_on": now,
        "updated_by": actor.id,
        "updated_on": now,
        "disqualification_reason": reason.strip() if to_status == "disqualified" and reason else None,
    }
    if to_status == "contacted":
        values["first_contacted_on"] = func.coalesce(Lead.first_contacted_on, now)
    from_status = lead.status
    if _conditional_update(lead, seen_version, **values) is None:
        raise _lost(lead, actor)
    description = f"Status {from_status} → {to_status}"
    if to_status == "disqualified":
        description += f": {reason.strip()}"
    _activity(
        lead.id, "status_change", description, actor, {"fromStatus": from_status, "toStatus": to_status}
    )
    audit.record("lead.status", lead, note=reason, from_status=from_status, to_status=to_status)
    get_session().commit()
    return _reload(lead)


def log_activity(lead: Lead, kind: str, description: str, actor: User) -> LeadActivity:
    """Add a note, call, e-mail or meeting to the timeline; the first contact sets first_contacted_on."""
    if kind not in LOGGABLE_TYPES:
        raise LeadRuleError("Choose a note, a call, an e-mail or a meeting.")
    now = _now()
    values: dict[str, Any] = {"last_activity_on": now}
    if kind in CONTACT_TYPES:
        values["first_contacted_on"] = func.coalesce(Lead.first_contacted_on, now)
    # Timestamps only move forward, so this write needs no version check (and does not bump it: a note
    # must not make a manager's assignment on the same page fail).
    get_session().execute(
        update(Lead)
        .where(Lead.tenant_id == current_tenant.id, Lead.id == lead.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    activity = _activity(lead.id, kind, description.strip(), actor)
    get_session().commit()
    return activity


# -- new leads: the tenant's assignment rule -----------------------------------------------------------------


class Assigner:
    """Picks the rep for each new lead by the tenant's rule, keeping its state in memory across a batch.

    Round robin: the active rep assigned least recently (never assigned first), so 99 leads over two reps
    split 49/50. Capacity: the fewest open leads, ties to the one assigned least recently. Deactivated reps
    are never picked. A transaction-level advisory lock per tenant keeps two batches from picking at once.
    """

    def __init__(self, tenant: Tenant) -> None:
        self.mode = tenant.lead_assignment_mode
        self.reps: list[User] = []
        self.last: dict[uuid.UUID, dt.datetime] = {}
        self.open: dict[uuid.UUID, int] = {}
        if self.mode == "manual":
            return
        session = get_session()
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:t))"), {"t": f"leads:{tenant.id}"})
        self.reps = active_reps()
        ids = [rep.id for rep in self.reps]
        if not ids:
            return
        for user_id, last in session.execute(
            select(Lead.assigned_to, func.max(Lead.assigned_on))
            .where(Lead.tenant_id == tenant.id, Lead.assigned_to.in_(ids))
            .group_by(Lead.assigned_to)
        ):
            self.last[user_id] = last
        if self.mode == "capacity":
            for user_id, count in session.execute(
                select(Lead.assigned_to, func.count())
                .where(
                    Lead.tenant_id == tenant.id,
                    Lead.assigned_to.in_(ids),
                    Lead.status.in_(OPEN_STATUSES),
                    Lead.deleted_on.is_(None),
                )
                .group_by(Lead.assigned_to)
            ):
                self.open[user_id] = count

    def next(self, now: dt.datetime) -> User | None:
        """The rep for the next new lead (None in manual mode or without active reps)."""
        if not self.reps:
            return None
        never = dt.datetime.min.replace(tzinfo=dt.UTC)

        def recency(rep: User) -> tuple:
            return (self.last.get(rep.id) or never, rep.full_name, str(rep.id))

        if self.mode == "capacity":
            rep = min(self.reps, key=lambda r: (self.open.get(r.id, 0), *recency(r)))
        else:
            rep = min(self.reps, key=recency)
        self.open[rep.id] = self.open.get(rep.id, 0) + 1
        # Keep the order strict within a batch, whose leads share one timestamp.
        self.last[rep.id] = max(now, (self.last.get(rep.id) or never) + dt.timedelta(microseconds=1))
        return rep


@dataclass
class NewLead:
    """The fields of a lead being added (by hand, from a CSV row or from the web form)."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    job_title: str | None = None
    message: str | None = None
    estimated_value: Decimal | None = None
    source_url: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None

    def row(self, source: str, created_by: uuid.UUID | None) -> dict[str, Any]:
        """The leads row's values (ids minted here, search fields normalised)."""
        email = self.email.strip().lower() if self.email else None
        return {
            "tenant_id": current_tenant.id,
            "id": uuid.uuid4(),
            "ref_id": _new_ref(),
            "source": source,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": email,
            "phone": self.phone,
            "phone_digits": phone_digits(self.phone),
            "company": self.company,
            "job_title": self.job_title,
            "message": self.message,
            "estimated_value": self.estimated_value,
            "source_url": self.source_url,
            "utm_source": self.utm_source,
            "utm_medium": self.utm_medium,
            "utm_campaign": self.utm_campaign,
            "search_text": lead_search_text(self.first_name, self.last_name, email, self.company, self.phone),
            "created_by": created_by,
        }


def _new_ref() -> str:
    return new_ulid()


def duplicates(email: str | None, phone: str | None, limit: int = 5) -> list[Lead]:
    """Leads of the tenant with the same e-mail or phone digits (by their indexes; no lower() needed)."""
    clauses = []
    if email:
        clauses.append(Lead.email == email.strip().lower())
    digits = phone_digits(phone)
    if digits:
        clauses.append(Lead.phone_digits == digits)
    if not clauses:
        return []
    return list(
        get_session().scalars(
            select(Lead)
            .where(Lead.tenant_id == current_tenant.id, Lead.deleted_on.is_(None), or_(*clauses))
            .options(joinedload(Lead.assignee))
            .order_by(Lead.created_on.desc())
            .limit(limit)
        )
    )


def insert_leads(
    new_leads: list[NewLead], source: str, actor: User | None, assign_to_actor: bool = False
) -> list[dict[str, Any]]:
    """Insert leads, each assigned by the tenant's rule (or to the acting rep), with their trail.

    Runs in the caller's transaction (the caller commits), so an import is all or nothing. Rows go in with
    one multi-row INSERT per table; assignees get one notification each for the batch.
    """
    session = get_session()
    tenant = session.get(Tenant, current_tenant.id) or current_tenant
    assigner = None if assign_to_actor else Assigner(tenant)
    now = _now()
    rows, activities, per_rep = [], [], {}
    for new_lead in new_leads:
        row = new_lead.row(source, actor.id if actor else None)
        rep = actor if assign_to_actor else assigner.next(now)
        if rep is not None:
            row["assigned_to"], row["assigned_on"] = rep.id, now
            rule = "self" if assign_to_actor else assigner.mode
            activities.append(
                {
                    "tenant_id": tenant.id,
                    "id": uuid.uuid4(),
                    "ref_id": _new_ref(),
                    "lead_id": row["id"],
                    "type": "assignment",
                    "description": f"Assigned to {rep.full_name} ({RULE_LABELS[rule]})",
                    "actor_type": "human" if assign_to_actor else "system",
                    "actor_id": actor.ref_id if assign_to_actor else None,
                    "metadata": {"fromUser": None, "toUser": rep.ref_id, "rule": rule, "reason": "New lead"},
                }
            )
            per_rep.setdefault(rep.id, (rep, []))[1].append(row)
        row.setdefault("assigned_to", None)
        row.setdefault("assigned_on", None)
        rows.append(row)
    for start in range(0, len(rows), 1000):
        session.execute(Lead.__table__.insert(), rows[start : start + 1000])
    for start in range(0, len(activities), 1000):
        session.execute(LeadActivity.__table__.insert(), activities[start : start + 1000])
    for rep, given in per_rep.values():
        if actor is not None and rep.id == actor.id:
            continue
        if len(given) == 1:
            title, url = (
                f"New lead for you: {_row_name(given[0])}",
                url_for("leads.detail", lead_ref=given[0]["ref_id"]),
            )
        else:
            title, url = (
                f"{len(given)} new leads for you",
                url_for("leads.index", assignee="mine", status="new"),
            )
        notify(rep, "lead_assigned", title, url, email=True)
    return rows


def _row_name(row: dict[str, Any]) -> str:
    name = " ".join(p for p in (row.get("first_name"), row.get("last_name")) if p)
    return name or row.get("company") or row.get("email") or row.get("phone") or "Unnamed lead"


def add_lead(new_lead: NewLead, actor: User) -> Lead:
    """Add one lead by hand: a rep keeps it; otherwise the tenant's rule picks the rep."""
    rows = insert_leads([new_lead], "manual", actor, assign_to_actor=can("leads.claim", actor.role))
    audit_lead = (
        get_session()
        .scalars(select(Lead).where(Lead.tenant_id == current_tenant.id, Lead.id == rows[0]["id"]))
        .one()
    )
    audit.record("lead.create", audit_lead, source="manual")
    get_session().commit()
    return audit_lead


def set_assignment_mode(mode: str, actor: User) -> None:
    """Change how new leads are assigned (manual, round robin, capacity)."""
    from portal.models.tenancy import ASSIGNMENT_MODES

    if mode not in ASSIGNMENT_MODES:
        raise LeadRuleError("Choose one of the listed rules.")
    session = get_session()
    tenant = session.scalars(select(Tenant).where(Tenant.id == current_tenant.id)).one()
    if tenant.lead_assignment_mode != mode:
        tenant.lead_assignment_mode = mode
        current_tenant.lead_assignment_mode = mode
        audit.record("leads.assignment_mode", tenant, note=mode)
        session.commit()


def visible_to_user(lead: Lead, user: User) -> bool:
    """Whether the user may see this lead (managers: all; reps: their own and the pool)."""
    return can("leads.view_all", user.role) or lead.assigned_to in (None, user.id)
