"""Reminders: a notification of kind ``reminder`` about something that has waited too long, given once per
user and item (a unique row in ``reminders_sent``, claimed before the notification is written).

- a contract not accepted CONTRACT_REMINDER_DAYS after it was sent: to those who accept it (the owners);
- an item of the approvals inbox (its one definition, approvals.service.waiting_subquery) waiting more than
  APPROVAL_REMINDER_DAYS: to those whose role decides it;
- a lead nobody contacted within the tenant's first_contact_sla_hours: to its rep and the sales managers
  (the holders of leads.assign when the tenant has no sales manager).
"""

from __future__ import annotations

import datetime as dt
import uuid

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from portal.approvals.service import DECIDED_WITH, KIND_LABELS, link_for, waiting_subquery
from portal.leads.report import overdue_clause
from portal.models import Contract, Lead, ReminderSent, Tenant, User
from portal.notify import notify
from portal.tenancy import can

# The contract has its own reminder (after CONTRACT_REMINDER_DAYS): the approvals' would repeat it.
APPROVAL_KINDS = tuple(kind for kind in KIND_LABELS if kind != "contract")


def _remind(session: Session, user: User, kind: str, item_ref: str, title: str, url: str) -> int:
    """Notify the user unless this reminder was given to them before; 1 when given now, else 0."""
    claimed = session.scalar(
        insert(ReminderSent)
        .values(tenant_id=user.tenant_id, id=uuid.uuid4(), user_id=user.id, kind=kind, item_ref=item_ref)
        .on_conflict_do_nothing(index_elements=["tenant_id", "user_id", "kind", "item_ref"])
        .returning(ReminderSent.id)
    )
    if claimed is None:
        return 0
    notify(user, "reminder", title, url, session=session)
    return 1


def _contracts(session: Session, users: list[User], now: dt.datetime) -> int:
    days = current_app.config["CONTRACT_REMINDER_DAYS"]
    late = select(Contract).where(Contract.status == "sent", Contract.sent_on < now - dt.timedelta(days=days))
    owners = [user for user in users if can("contract.accept", user.role)]
    title = "The contract “{}” has waited more than {} days for your acceptance"
    return sum(
        _remind(
            session,
            owner,
            "contract",
            contract.ref_id,
            title.format(contract.title, days),
            url_for("contracts.current"),
        )
        for contract in session.scalars(late)
        for owner in owners
    )


def _approvals(session: Session, tenant: Tenant, users: list[User], now: dt.datetime) -> int:
    days = current_app.config["APPROVAL_REMINDER_DAYS"]
    waiting = waiting_subquery(tenant.id, APPROVAL_KINDS)
    late = select(waiting.c.kind, waiting.c.ref_id, waiting.c.title).where(
        waiting.c.since < now - dt.timedelta(days=days)
    )
    given = 0
    for kind, ref, title in session.execute(late).all():
        text = f"{KIND_LABELS[kind]} “{title}” has waited more than {days} days for your decision"
        for user in users:
            if can(DECIDED_WITH[kind], user.role):
                given += _remind(session, user, "approval", f"{kind}:{ref}", text, link_for(kind, ref))
    return given


def _leads(session: Session, tenant: Tenant, users: list[User], now: dt.datetime) -> int:
    deadline = now - dt.timedelta(hours=tenant.first_contact_sla_hours)
    managers = [user for user in users if user.role == "sales_manager"] or [
        user for user in users if can("leads.assign", user.role)
    ]
    by_id = {user.id: user for user in users}
    given = 0
    for lead in session.scalars(
        select(Lead).where(Lead.tenant_id == tenant.id, Lead.deleted_on.is_(None), overdue_clause(deadline))
    ).all():
        rep = by_id.get(lead.assigned_to)
        name = (
            " ".join(part for part in (lead.first_name, lead.last_name) if part) or lead.company or "A lead"
        )
        text = f"{name} has not been contacted within {tenant.first_contact_sla_hours} hours"
        url = url_for("leads.detail", lead_ref=lead.ref_id)
        for user in {user.id: user for user in ([rep] if rep else []) + managers}.values():
            given += _remind(session, user, "lead", lead.ref_id, text, url)
    return given


def send_reminders(session: Session, now: dt.datetime) -> int:
    """Give the tenant's users every reminder now due and not given before, and commit; returns how many.
    Needs a request context (the links are built with url_for)."""
    tenant = session.scalars(select(Tenant)).first()
    if tenant is None:
        return 0
    users = list(session.scalars(select(User).where(User.is_active, User.deleted_on.is_(None))))
    given = (
        _contracts(session, users, now)
        + _approvals(session, tenant, users, now)
        + _leads(session, tenant, users, now)
    )
    session.commit()
    return given
