"""New leads: added by hand or from the web form (CSV files go through portal.leads.imports), each given
to a rep by the tenant's assignment rule (manual, round robin, capacity), with its trail."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import url_for
from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import joinedload

from portal import audit
from portal.db import get_session
from portal.ids import new_ulid
from portal.leads.decisions import OPEN_STATUSES, RULE_LABELS, LeadRuleError
from portal.leads.search import lead_search_text, phone_digits
from portal.leads.visibility import active_reps
from portal.models import Lead, LeadActivity, Tenant, User
from portal.models.tenancy import ASSIGNMENT_MODES
from portal.notify import notify
from portal.tenancy import can, current_tenant


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
            "ref_id": new_ulid(),
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
    now = dt.datetime.now(dt.UTC)
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
                    "ref_id": new_ulid(),
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
    # With RETURNING, SQLAlchemy's insertmanyvalues sends one multi-row INSERT per 1,000 rows (psycopg's
    # executemany would send one per row, running the lead count tables' statement triggers each time).
    if rows:
        session.execute(Lead.__table__.insert().returning(Lead.__table__.c.id), rows)
    if activities:
        session.execute(LeadActivity.__table__.insert().returning(LeadActivity.__table__.c.id), activities)
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
    if mode not in ASSIGNMENT_MODES:
        raise LeadRuleError("Choose one of the listed rules.")
    session = get_session()
    tenant = session.scalars(select(Tenant).where(Tenant.id == current_tenant.id)).one()
    if tenant.lead_assignment_mode != mode:
        tenant.lead_assignment_mode = mode
        current_tenant.lead_assignment_mode = mode
        audit.record("leads.assignment_mode", tenant, note=mode)
        session.commit()
