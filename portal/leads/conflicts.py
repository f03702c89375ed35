"""The conflict answers: when someone else changed a lead first, the loser is told who and when.

An invisible lead (another rep's, or another tenant's) and a version conflict both match 0 rows, so the lead
is read again before answering; what the user may no longer see is a 404, like a lead they never saw.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.db import get_session
from portal.formatting import localtime, relative_text
from portal.leads.detail import LEAD_PAGE
from portal.leads.visibility import visible_to, visible_to_user
from portal.models import Lead, LeadActivity, User
from portal.tenancy import current_tenant, get_or_404


class LeadConflict(Exception):
    """Someone else changed the lead first. ``message`` names them and when; ``lead`` is the current row."""

    def __init__(self, message: str, lead: Lead) -> None:
        super().__init__(message)
        self.lead = lead


# A rep who saw the lead in the pool this recently is told who took it rather than given a 404.
RECENT_POOL = dt.timedelta(minutes=15)


def get_lead_to_claim(lead_ref: str, user: User, *options: Any) -> Lead:
    """The lead a rep tries to claim. If another rep took it from the pool in the last minutes, the rep saw
    it there, so they are told who (LeadConflict) rather than given a 404; any other rep's lead is a 404."""
    lead = get_or_404(Lead, lead_ref, joinedload(Lead.assignee), *options)
    if visible_to_user(lead, user):
        return lead
    last = _last_decision(lead)
    if (
        last is not None
        and last.type == "assignment"
        and last.metadata_.get("fromUser") is None
        and dt.datetime.now(dt.UTC) - last.created_on < RECENT_POOL
    ):
        raise LeadConflict(_conflict_message(lead, last), lead)
    abort(404)


def lost(lead: Lead, user: User, from_pool: bool = False) -> LeadConflict:
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
    return (
        relative_text((dt.datetime.now(dt.UTC) - when).total_seconds()) or f"on {localtime(when, '%d %b %Y')}"
    )


def _name_of(user_ref: str) -> str | None:
    """The full name of the tenant's user with this ref_id, if there is one."""
    return get_session().scalar(
        select(User.full_name).where(User.tenant_id == current_tenant.id, User.ref_id == user_ref)
    )
