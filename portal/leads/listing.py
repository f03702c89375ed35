"""The lead list: its filters as they live in the URL, the sort, the keyset cursor, the list's statement
(built once per shape, its values bound at each run) and the filters' options."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Select, Uuid, bindparam, func, literal, literal_column, select, true, tuple_, union_all
from sqlalchemy.engine import Row
from sqlalchemy.orm import aliased

from portal.db import FixedStatement, get_session
from portal.formatting import tenant_zone
from portal.ids import is_ulid
from portal.inputs import fits
from portal.leads.decisions import OPEN_STATUSES
from portal.leads.search import matches, matches_by_created, search_words, word_values
from portal.leads.visibility import visibility
from portal.models import AdCampaign, Channel, Lead, User
from portal.models.leads import LEAD_SOURCES, LEAD_STATUSES, SCORE_BANDS
from portal.tenancy import TENANT_ID, USER_ID, can, current_tenant

PAGE_SIZE = 25
SORTS = {
    "created": Lead.created_on,
    "score": Lead.score_total,
    "value": func.coalesce(Lead.estimated_value, Decimal("-1")),
    "activity": func.coalesce(Lead.last_activity_on, Lead.created_on),
}


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


def encode_cursor(value: Any, lead_id: uuid.UUID) -> str:
    """The opaque, URL-safe cursor of a page that ends at (sort key value, lead id)."""
    if isinstance(value, dt.datetime):
        value = {"t": value.isoformat()}
    elif isinstance(value, Decimal):
        value = {"d": str(value)}
    raw = json.dumps([value, str(lead_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str = "created") -> tuple[Any, uuid.UUID] | None:
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
    statement = select(Lead).where(visibility("all" in shape, TENANT_ID, USER_ID))
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
        after = decode_cursor(filters.cursor, filters.sort)
        if after is None:
            filters.notices.append("Ignored a page link that was not understood; showing the first page.")
        else:
            values["after_key"], values["after_id"] = after
    statement = _list_statement(shape, len(words), filters.sort, filters.dir == "desc", after is not None)
    rows = get_session().execute(statement, values).all()
    next_cursor = None
    if len(rows) > PAGE_SIZE:
        last = rows[PAGE_SIZE - 1]
        next_cursor = encode_cursor(last.sort_key, last.id)
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
