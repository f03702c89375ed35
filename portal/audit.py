"""The audit trail: every decision (approve, reject, accept, assign, …) with who, when and from where.

``record`` adds the event to the caller's transaction, so the decision and its record commit together.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.db import get_session
from portal.hot.policy import prepared
from portal.models import AuditEvent
from portal.tenancy import current_tenant
from portal.web import client_ip


def record(
    action: str, subject: Any, note: str | None = None, version: int | None = None, **details: Any
) -> AuditEvent:
    """Add an audit event for ``subject`` (any tenant row) by the signed-in user (or the system)."""
    actor = current_user.id if has_request_context() and current_user.is_authenticated else None
    event = AuditEvent(
        tenant_id=current_tenant.id,
        actor_id=actor,
        created_by=actor,
        action=action,
        subject_type=subject.__tablename__,
        subject_id=subject.id,
        subject_version=version,
        note=note,
        ip=client_ip() if has_request_context() else None,
        user_agent=request.user_agent.string[:400] if has_request_context() else None,
        details=details,
    )
    get_session().add(event)
    return event


def history(subject: Any) -> list[AuditEvent]:
    """The audit events of ``subject``, oldest first, with their actors loaded (one statement)."""
    return list(
        get_session().scalars(
            prepared(
                select(AuditEvent)
                .where(
                    AuditEvent.tenant_id == subject.tenant_id,
                    AuditEvent.subject_type == subject.__tablename__,
                    AuditEvent.subject_id == subject.id,
                )
                .options(joinedload(AuditEvent.actor))
                .order_by(AuditEvent.created_on, AuditEvent.id)
            )
        )
    )
