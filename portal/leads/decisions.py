"""Decisions on a lead: status changes, assignment (by a manager, in bulk), claim, release, hand-over, notes.

Every decision is one transaction: a conditional ``UPDATE … WHERE version = :seen RETURNING`` on the lead,
its ``lead_activities`` row, the notification and the audit event commit together or not at all. The loser
of a race is told who won and when (portal.leads.conflicts), and nothing is recorded for them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from flask import url_for
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from portal import audit
from portal.db import get_session
from portal.leads.conflicts import lost
from portal.leads.detail import LEAD_PAGE, display_name
from portal.leads.visibility import active_reps, visible_to
from portal.models import Lead, LeadActivity, User
from portal.models.leads import LEAD_STATUSES
from portal.notify import notify
from portal.tenancy import current_tenant

OPEN_STATUSES = ("new", "contacted", "qualified")
# The one-click path; disqualified is reachable from any open status, with a reason.
NEXT_STATUS = {"new": "contacted", "contacted": "qualified", "qualified": "converted"}
CONTACT_TYPES = ("call", "email_sent", "meeting")
LOGGABLE_TYPES = ("note", "call", "email_sent", "meeting")
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


def assignable_rep(user_ref: str | None) -> User:
    """The active sales rep of this tenant with that ref_id, or a LeadRuleError saying why not."""
    rep = next((r for r in active_reps() if r.ref_id == user_ref), None) if user_ref else None
    if rep is None:
        raise LeadRuleError("Choose an active sales rep of your team.")
    return rep


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
    now = dt.datetime.now(dt.UTC)
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
        raise lost(lead, user_for_visibility, from_pool)
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


def assign(lead: Lead, seen_version: int, rep_ref: str, reason: str | None, actor: User) -> Lead:
    """A manager assigns (or reassigns) the lead to an active rep of the tenant."""
    rep = assignable_rep(rep_ref)
    if lead.assigned_to == rep.id and lead.version == seen_version:
        raise LeadRuleError(f"{display_name(lead)} is already assigned to {rep.full_name}.")
    return _assign(lead, seen_version, rep, actor, "manual", reason, actor)


def claim(lead: Lead, seen_version: int, rep: User) -> Lead:
    """A rep takes an unassigned lead from the pool (the first of two at once wins)."""
    if lead.assigned_to is not None:
        raise lost(lead, rep, from_pool=True)
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
    now = dt.datetime.now(dt.UTC)
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
    now = dt.datetime.now(dt.UTC)
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
        raise lost(lead, actor)
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
    now = dt.datetime.now(dt.UTC)
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
