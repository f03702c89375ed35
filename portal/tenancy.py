"""The current tenant and user, look-ups within the tenant, and the one role matrix.

The wall in the app: every look-up by ``ref_id`` goes through ``get_or_404`` with the current tenant, and
anything not found — absent, deleted, or another tenant's — is the same 404 (a 403 would confirm it exists).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, g
from flask_login import current_user
from sqlalchemy import Select, Uuid, bindparam, select
from werkzeug.local import LocalProxy

from portal.db import get_session
from portal.hot.policy import prepared
from portal.ids import is_ulid
from portal.models import Tenant

security_log = logging.getLogger("portal.security")

# The signed-in tenant and user as placeholders, for statements built once and run for everyone of a role
# (the sidebar's counts): ``identity_params()`` binds their values at each execution.
TENANT_ID = bindparam("signed_in_tenant_id", type_=Uuid())
USER_ID = bindparam("signed_in_user_id", type_=Uuid())

ROLE_LABELS = {
    "owner": "Owner",
    "admin": "Admin",
    "marketer": "Marketer",
    "sales_manager": "Sales manager",
    "sales_rep": "Sales rep",
    "viewer": "Viewer",
}

ALL = frozenset(ROLE_LABELS)
ADMINS = frozenset({"owner", "admin"})

# The one role matrix: permission → roles that hold it. The team page shows it; routes check it.
PERMISSIONS: dict[str, tuple[str, frozenset[str]]] = {
    "dashboard.view": ("See the dashboard", ALL),
    "contract.view": ("Read the contract and its history", ALL),
    "contract.accept": ("Accept or decline the contract", frozenset({"owner"})),
    "onboarding.edit": ("Fill in onboarding and review the context file", ADMINS),
    "planning.view": ("See strategy, goals, deliverables and activities", ADMINS | {"marketer", "viewer"}),
    "strategy.decide": ("Approve or reject a strategy", ADMINS),
    "tasks.work": ("Work on tasks assigned to them", ALL - {"viewer"}),
    "content.view": ("See blog and social content and backlinks", ADMINS | {"marketer", "viewer"}),
    "content.request": ("Request blog and social content", ADMINS | {"marketer"}),
    "content.decide": ("Approve or reject posts", ADMINS | {"marketer"}),
    "leads.view": (
        "Work leads (reps: their own and the unassigned pool)",
        ADMINS | {"sales_manager", "sales_rep"},
    ),
    "leads.view_all": ("See every lead", ADMINS | {"sales_manager"}),
    "leads.assign": ("Assign and reassign leads", ADMINS | {"sales_manager"}),
    "leads.claim": ("Claim unassigned leads", frozenset({"sales_rep"})),
    "leads.export": ("Export and import leads", ADMINS | {"sales_manager"}),
    "campaigns.view": ("See campaigns, search terms and recommendations", ADMINS | {"marketer", "viewer"}),
    "campaigns.decide": ("Review campaigns, search terms and recommendations", ADMINS | {"marketer"}),
    "billing.view": ("See billing and invoices", ADMINS),
    "team.manage": ("Add users, change roles, deactivate", ADMINS),
    "settings.manage": ("Change the portal's settings", ADMINS),
    "two_factor.require": ("Require two-factor sign-in for everyone", frozenset({"owner"})),
}


def can(permission: str, role: str | None = None) -> bool:
    """Whether the role (default: the signed-in user's) holds the permission."""
    if role is None:
        if not current_user.is_authenticated:
            return False
        role = current_user.role
    return role in PERMISSIONS[permission][1]


def require(permission: str) -> Callable:
    """Decorator: 403 unless the signed-in user's role holds the permission."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not can(permission):
                security_log.warning("forbidden permission=%s role=%s", permission, current_user.role)
                abort(403)
            return view(*args, **kwargs)

        wrapped.permission = permission  # the route walk reads this to know who may call it
        return wrapped

    return decorator


def _current_tenant() -> Tenant:
    tenant = g.get("tenant")
    if tenant is None:
        abort(404)
    return tenant


current_tenant: Tenant = LocalProxy(_current_tenant)  # type: ignore[assignment]

M = TypeVar("M")


def get_or_404(model: type[M], ref_id: str, *options: Any) -> M:
    """The row of model with this ref_id in the current tenant, or 404 (never another tenant's row)."""
    if not is_ulid(ref_id):
        abort(404)
    statement = _by_ref(model)
    if options:
        statement = statement.options(*options)
    row = get_session().scalars(statement, {TENANT_ID.key: current_tenant.id, "ref_id": ref_id}).first()
    if row is None:
        security_log.info(
            "not found model=%s ref_id=%s tenant=%s", model.__name__, ref_id, current_tenant.ref_id
        )
        abort(404)
    return row


@functools.cache
def _by_ref(model: type) -> Select:
    # Built once per model, tenant and ref_id bound at each run: every page with an id in its URL runs it.
    statement = select(model).where(model.tenant_id == TENANT_ID, model.ref_id == bindparam("ref_id"))
    if hasattr(model, "deleted_on"):
        statement = statement.where(model.deleted_on.is_(None))
    return prepared(statement)


def identity_params() -> dict[str, Any]:
    """The values of TENANT_ID and USER_ID for the signed-in user."""
    return {TENANT_ID.key: current_tenant.id, USER_ID.key: current_user.id}
