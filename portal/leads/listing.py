"""The lead list: its filters as they live in the URL, the sort, the keyset cursor, the list's statement
(built once per shape, its values bound at each run) and the filters' options."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Select, Uuid, bindparam, func, select, tuple_
from sqlalchemy.engine import Row
from sqlalchemy.orm import aliased

from portal.db import get_session
from portal.formatting import tenant_zone
from portal.hot import leads as hot_leads
from portal.ids import is_ulid
from portal.inputs import fits
from portal.leads.decisions import OPEN_STATUSES
from portal.leads.search import matches, matches_by_created, search_words, word_values
from portal.leads.visibility import visibility
from portal.models import AdCampaign, Channel, Lead, User
from portal.models.leads import LEAD_SOURCES, LEAD_STATUSES
from portal.tenancy import TENANT_ID, USER_ID, can, current_tenant

PAGE_SIZE = 25
# A text filter longer than any value a form or a link tags a lead with is not one.
TEXT_LIMIT = 100
SORTS = {
    "created": Lead.created_on,
    "score": Lead.score_total,
    "value": func.coalesce(Lead.estimated_value, Decimal("-1")),
    "activity": func.coalesce(Lead.last_activity_on, Lead.created_on),
}


@dataclass
class ListFilter:
    """One filter of the lead list, declared once: everything else (the list's state, the query string's
    parsing, the statement's shape and the control on the page) is derived from these declarations."""

    name: str  # the URL argument, and the name its value is bound as
    label: str  # the control's label; notices name the filter by it
    where: Callable[[Any], Any]  # the SQL condition on the value, given as a bound parameter
    options: tuple[tuple[str, str], ...] = ()  # (value, label) offered to every user
    fixed: dict[str, Callable[[], Any]] = field(default_factory=dict)  # options with a condition of their own
    rows: Callable[[dict], list] | None = None  # further options, the tenant's rows, from filter_choices()
    control: str = "select"  # or an <input> type: "date", "text" (matched whole, in any case)
    anything: str = ""  # the empty option of a select
    more: bool = False  # shown under "More filters"
    bind: Callable[[Any], Any] = lambda value: value  # the value as the statement binds it

    def parse(self, raw: str) -> Any:
        """The value from the query string; ValueError when it is not one this filter knows."""
        if self.control == "date":
            return dt.date.fromisoformat(raw)
        if self.control == "text" and len(raw) <= TEXT_LIMIT:
            return raw
        if any(raw == value for value, _ in self.options) or (self.rows is not None and is_ulid(raw)):
            return raw
        raise ValueError(raw)

    def refusal(self, raw: str) -> str:
        """The notice shown when a value is ignored."""
        if self.control == "date":
            return f"Ignored the {self.name} date “{raw[:40]}”: use YYYY-MM-DD."
        if self.control == "text":
            return f"Ignored the {self.label} “{raw[:40]}…”: at most {TEXT_LIMIT} characters."
        return f"Ignored the unknown {self.label.lower()} “{raw[:40]}”."

    def arg(self, value: Any) -> str:
        """The value as the query string carries it."""
        return value.isoformat() if self.control == "date" else value


def _id_of(model: Any, ref: Any) -> Any:
    """The id of the tenant's row of model whose ref_id is ref (a bound parameter)."""
    return select(model.id).where(model.tenant_id == TENANT_ID, model.ref_id == ref).scalar_subquery()


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight of day in the tenant's timezone: the dates are the tenant's days."""
    return dt.datetime.combine(day, dt.time(), tenant_zone())


# The lead list's filters, in the order the page shows them. Add one here and the URL, the statement and the
# page follow (docs/ARCHITECTURE.md, "Add a filter to the lead list").
LIST_FILTERS = (
    ListFilter(
        "status",
        "Status",
        lambda value: Lead.status == value,
        options=(
            ("open", "Open (new, contacted, qualified)"),
            *((status, status.capitalize()) for status in LEAD_STATUSES),
        ),
        fixed={"open": lambda: Lead.status.in_(OPEN_STATUSES)},
        anything="All statuses",
    ),
    ListFilter(
        "assignee",
        "Assignee",
        lambda ref: Lead.assigned_to == _id_of(User, ref),
        options=(("mine", "Mine"), ("unassigned", "Unassigned")),
        fixed={"mine": lambda: Lead.assigned_to == USER_ID, "unassigned": lambda: Lead.assigned_to.is_(None)},
        rows=lambda choices: choices["reps"] if can("leads.view_all") else [],
        anything="Anyone",
    ),
    ListFilter(
        "band",
        "Score band",
        lambda value: Lead.score_band == value,
        options=(("hot", "Hot (70–100)"), ("warm", "Warm (40–69)"), ("cold", "Cold (0–39)")),
        anything="Any score",
    ),
    ListFilter(
        "source",
        "Source",
        lambda value: Lead.source == value,
        options=tuple((source, source.replace("_", " ").capitalize()) for source in LEAD_SOURCES),
        anything="Any source",
    ),
    ListFilter(
        "channel",
        "Channel",
        lambda ref: Lead.source_channel_id == _id_of(Channel, ref),
        rows=lambda choices: choices["channels"],
        anything="Any channel",
        more=True,
    ),
    ListFilter(
        "campaign",
        "Campaign",
        lambda ref: Lead.source_campaign_id == _id_of(AdCampaign, ref),
        rows=lambda choices: choices["campaigns"],
        anything="Any campaign",
        more=True,
    ),
    ListFilter(
        "from",
        "Created from",
        lambda start: Lead.created_on >= start,
        control="date",
        more=True,
        bind=_day_start,
    ),
    ListFilter(
        "to",
        "to",
        lambda end: Lead.created_on < end,
        control="date",
        more=True,
        bind=lambda day: _day_start(day + dt.timedelta(days=1)),
    ),
    ListFilter(
        "utm_source",
        "UTM source",
        lambda source: func.lower(Lead.utm_source) == source,
        control="text",
        more=True,
        bind=str.lower,
    ),
)
FILTERS = {declared.name: declared for declared in LIST_FILTERS}


@dataclass
class FilterControl:
    """One filter's control on the page: its declaration, the value shown and the options offered."""

    declared: ListFilter
    value: str
    options: list[tuple[str, str]]


@dataclass
class LeadFilters:
    """The list's state, as it lives in the URL (so a view can be bookmarked and shared)."""

    q: str = ""
    values: dict[str, Any] = field(default_factory=dict)  # the set filters' values, by filter name
    sort: str = "created"
    dir: str = "desc"
    cursor: str = ""
    notices: list[str] = field(default_factory=list)

    def args(self, **changes: Any) -> dict[str, str]:
        """The query-string arguments of this state (empty ones left out), with changes applied."""
        values = {
            "q": self.q,
            **{name: FILTERS[name].arg(value) for name, value in self.values.items()},
            "sort": "" if self.sort == "created" else self.sort,
            "dir": "" if self.dir == "desc" else self.dir,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v}

    @property
    def active(self) -> bool:
        """Whether any filter (not the sort) narrows the list."""
        return bool(self.q or self.values)

    def controls(self, choices: dict[str, list[tuple[str, str]]]) -> list[FilterControl]:
        """The filters' controls with this state's values; choices are filter_choices()."""
        return [
            FilterControl(
                declared,
                declared.arg(self.values[declared.name]) if declared.name in self.values else "",
                [*declared.options, *(declared.rows(choices) if declared.rows else ())],
            )
            for declared in LIST_FILTERS
        ]


def parse_filters(args: Any) -> LeadFilters:
    """The filters from a request's query string; garbage values are ignored, each with a notice."""
    filters = LeadFilters(q=(args.get("q") or "").strip()[:200], cursor=(args.get("cursor") or "")[:300])
    for declared in LIST_FILTERS:
        raw = (args.get(declared.name) or "").strip()
        if raw:
            try:
                filters.values[declared.name] = declared.parse(raw)
            except ValueError:
                filters.notices.append(declared.refusal(raw))
    sort, direction = (args.get("sort") or "").strip(), (args.get("dir") or "").strip()
    for value, allowed, label in ((sort, SORTS, "sort"), (direction, ("asc", "desc"), "direction")):
        if value and value not in allowed:
            filters.notices.append(f"Ignored the unknown {label} “{value[:40]}”.")
    filters.sort = sort if sort in SORTS else "created"
    filters.dir = direction if direction in ("asc", "desc") else "desc"
    return filters


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
    values _narrowed binds for them, the tenant and the user included. A fixed option is part of the shape
    ("status=open"); any other value is bound under its filter's name."""
    shape = ["all" if can("leads.view_all", user.role) else "own"]
    values: dict[str, Any] = {TENANT_ID.key: current_tenant.id, USER_ID.key: user.id}
    for name, value in filters.values.items():
        declared = FILTERS[name]
        if value in declared.fixed:
            shape.append(f"{name}={value}")
        else:
            shape.append(name)
            values[name] = declared.bind(value)
    return tuple(shape), values


@functools.lru_cache(maxsize=256)
def _narrowed(shape: tuple[str, ...]) -> Select:
    # Built once per shape, its values bound at each run (see _filter_shape): its building outweighs its run.
    # Bounded: the query string chooses the shape, and a visitor could otherwise make a worker keep them all.
    statement = select(Lead).where(visibility(shape[0] == "all", TENANT_ID, USER_ID))
    for part in shape[1:]:
        name, _, fixed = part.partition("=")
        declared = FILTERS[name]
        statement = statement.where(declared.fixed[fixed]() if fixed else declared.where(bindparam(name)))
    return statement


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


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The options of the list's filters — reps (active or not), channels and campaigns of the tenant — and
    the active reps a lead may be assigned to, from one statement."""
    rows = hot_leads.FILTER_CHOICES.run({TENANT_ID.key: current_tenant.id}).all()
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
