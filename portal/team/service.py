"""Rules for managing the tenant's users.

Only an owner grants or removes the owner role; nobody changes their own role or deactivates themselves;
the last active owner stays. Deactivating a user ends their sessions at once (session_version moves).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select

from portal.db import get_session
from portal.models import User
from portal.tenancy import current_tenant


class TeamRuleError(Exception):
    """A change the rules refuse; the message says why, for the user."""


def active_in_role(role: str) -> tuple[ColumnElement[bool], ...]:
    """The conditions for the tenant's users with ``role`` who can sign in (active and not deleted)."""
    return (
        User.tenant_id == current_tenant.id,
        User.role == role,
        User.is_active.is_(True),
        User.deleted_on.is_(None),
    )


def list_users() -> list[User]:
    """Everyone in the tenant, active first, then by name."""
    return list(
        get_session().scalars(
            select(User)
            .where(User.tenant_id == current_tenant.id, User.deleted_on.is_(None))
            .order_by(User.is_active.desc(), User.full_name)
        )
    )


def change_role(user: User, role: str, actor: User) -> None:
    """Give a user another role, within the rules."""
    if user.id == actor.id:
        raise TeamRuleError("You cannot change your own role.")
    check_role_grant(role, actor)
    if user.role == "owner":
        check_role_grant("owner", actor)
        _keep_an_owner(user)
    user.role = role
    user.updated_by = actor.id
    get_session().commit()


def set_active(user: User, active: bool, actor: User) -> None:
    """Deactivate (ending every session of the user) or reactivate a user."""
    if user.id == actor.id:
        raise TeamRuleError("You cannot deactivate yourself.")
    if user.role == "owner":
        check_role_grant("owner", actor)
        if not active:
            _keep_an_owner(user)
    if user.is_active != active:
        user.is_active = active
        user.session_version += 1
        user.updated_by = actor.id
        get_session().commit()


def check_role_grant(role: str, actor: User) -> None:
    """Refuse unless the actor may grant the role (only an owner makes owners, or invites them)."""
    if role == "owner" and actor.role != "owner":
        raise TeamRuleError("Only an owner can make or change an owner.")


def _keep_an_owner(leaving: User) -> None:
    """Refuse to let ``leaving`` go if no other active owner remains, as the database sees it now.

    The tenant's active owners' rows are locked (FOR NO KEY UPDATE, in id order) before counting, so two
    owners removing each other at the same moment queue here and the second counts after the first commits.
    """
    owners = get_session().scalars(
        select(User.id).where(*active_in_role("owner")).order_by(User.id).with_for_update(key_share=True)
    )
    if not set(owners) - {leaving.id}:
        raise TeamRuleError("The portal needs at least one active owner.")
