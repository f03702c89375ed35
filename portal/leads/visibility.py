"""Who sees which lead: managers every lead of the tenant, reps their own and the unassigned pool.

Viewers and marketers hold no leads permission at all, so no lead (nor its contact details) reaches them.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import Select, and_, or_, select

from portal.db import get_session
from portal.models import Lead, User
from portal.navigation import capped_count
from portal.tenancy import TENANT_ID, USER_ID, can, current_tenant, get_or_404


def visible_to(user: User) -> Any:
    """The WHERE clause of the leads a user may see: all for managers, else their own and the pool."""
    return visibility(can("leads.view_all", user.role), current_tenant.id, user.id)


def visibility(view_all: bool, tenant: Any, user: Any) -> Any:
    """The visibility clause for values, or for TENANT_ID / USER_ID in a statement built once (the list's)."""
    clause = and_(Lead.tenant_id == tenant, Lead.deleted_on.is_(None))
    if not view_all:
        clause = and_(clause, or_(Lead.assigned_to == user, Lead.assigned_to.is_(None)))
    return clause


def visible_to_user(lead: Lead, user: User) -> bool:
    """Whether the user may see this lead (managers: all; reps: their own and the pool)."""
    return can("leads.view_all", user.role) or lead.assigned_to in (None, user.id)


def get_lead(lead_ref: str, user: User, *options: Any) -> Lead:
    """The lead, if the user may see it; another rep's lead is a 404 like another tenant's."""
    lead = get_or_404(Lead, lead_ref, *options)
    if not visible_to_user(lead, user):
        abort(404)
    return lead


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
