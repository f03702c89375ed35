"""Backlinks: the list and its CSV export, and the directory opportunities the tenant works through."""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import func, select

from portal import audit
from portal.content.paging import Page, newest_first
from portal.content.service import ContentRuleError
from portal.db import get_session
from portal.decisions import transition
from portal.models import Backlink, Deliverable, User
from portal.models.content import BACKLINK_SOURCES, BACKLINK_STATUSES
from portal.tenancy import current_tenant


class BacklinkFilter(NamedTuple):
    """What the backlink list shows: a status, a source type and a deliverable's ref (each None for all)."""

    status: str | None = None
    source_type: str | None = None
    deliverable: str | None = None

    def columns(self) -> dict[str, str]:
        """The filters that are a backlink's own column and are set, by column."""
        return {
            name: value
            for name, value in (("status", self.status), ("source_type", self.source_type))
            if value
        }

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
    statement = select(Backlink).where(Backlink.tenant_id == current_tenant.id).filter_by(**filters.columns())
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


# Where the tenant may move a directory opportunity (to: from), in the order of the buttons.
TENANT_MOVES = {"in_progress": ("opportunity",), "completed": ("opportunity", "in_progress")}
DIRECTORY = "directory_opportunity"


def is_open_opportunity(backlink: Backlink) -> bool:
    """Whether the backlink is a directory opportunity the tenant still works on (steps, moves)."""
    return backlink.source_type == DIRECTORY and backlink.status != "completed"


def tenant_moves(backlink: Backlink) -> list[str]:
    """The statuses the tenant may move a backlink to now (none unless it is a directory opportunity)."""
    if backlink.source_type != DIRECTORY:
        return []
    return [status for status, sources in TENANT_MOVES.items() if backlink.status in sources]


def set_backlink_status(backlink: Backlink, status: str, actor: User) -> None:
    """Move a directory opportunity: opportunity → in_progress → completed (the tenant follows the steps)."""
    if backlink.source_type != DIRECTORY or status not in TENANT_MOVES:
        raise ContentRuleError("Only directory opportunities are yours to move, to in progress or completed.")
    values: dict[str, Any] = {"status": status}
    if status == "completed":
        values["completed_on"] = func.now()
    session = get_session()
    if transition(backlink, actor, Backlink.status.in_(TENANT_MOVES[status]), **values) is None:
        session.rollback()
        session.refresh(backlink)
        raise ContentRuleError(f"This opportunity is already {backlink.status.replace('_', ' ')}.")
    audit.record(f"backlink.{status}", backlink)
    session.commit()
    session.refresh(backlink)


def set_backlink_step(backlink: Backlink, index: int, done: bool, actor: User) -> None:
    """Tick or untick one step of a directory opportunity that is not completed yet."""
    if not is_open_opportunity(backlink):
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
