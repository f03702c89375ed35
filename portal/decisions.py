"""Deciding once: a row's status changes by a conditional UPDATE, so of two people deciding at once exactly
one wins, and the other is told who decided and when.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, select, update

from portal.db import get_session
from portal.models import User


def transition(row: Any, actor: User, *conditions: Any, returning: Any = None, **values: Any) -> Any:
    """Set ``values`` (and who and when updated) on ``row`` only while ``conditions`` still hold.

    Returns the ``returning`` column of the updated row (its id by default), or None when the conditions
    no longer held: someone else decided first and nothing was written.
    """
    model = type(row)
    return (
        get_session()
        .execute(
            update(model)
            .where(model.tenant_id == row.tenant_id, model.id == row.id, *conditions)
            .values(**values, updated_by=actor.id, updated_on=func.now())
            .returning(model.id if returning is None else returning)
            .execution_options(synchronize_session=False)
        )
        .scalar()
    )


def decided(row: Any, by: Any, on: Any) -> tuple[str, str | None, Any]:
    """The row's status, the full name of the user in its ``by`` column (None for none) and its ``on`` time."""
    model = type(row)
    return tuple(
        get_session()
        .execute(
            select(model.status, User.full_name, on)
            .outerjoin(User, and_(User.tenant_id == model.tenant_id, User.id == by))
            .where(model.tenant_id == row.tenant_id, model.id == row.id)
        )
        .one()
    )
