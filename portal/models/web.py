"""The portal's own tables, beside the platform's 31: they live in the ``portal`` schema.

Signed-in browser sessions (kept on the server so that signing out ends them for good, even for a copy of
the cookie), the audit trail of decisions, the bell's notifications and the e-mail outbox.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import TenantOwned, check_in, parent

SCHEMA = "portal"


class WebSession(TenantOwned):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "web_sessions"
    __parents__ = {"user_id": ("users", "CASCADE")}
    __extra_args__ = (
        Index("ux_web_sessions_token", "tenant_id", "token_hash", unique=True),
        Index("ix_web_sessions_user", "tenant_id", "user_id"),
        {"schema": SCHEMA},
    )

    user_id: Mapped[uuid.UUID]
    token_hash: Mapped[str] = mapped_column(String(64))
    session_version: Mapped[int]
    ip: Mapped[str | None]
    user_agent: Mapped[str | None]
    last_seen_on: Mapped[dt.datetime | None]
    expires_on: Mapped[dt.datetime]
    revoked_on: Mapped[dt.datetime | None]

    user = parent("WebSession", "user_id", "User")


class AuditEvent(TenantOwned):
    """A decision someone made (approve, reject, accept, assign, …): who, when, from where, on what.

    Decision histories (a post's reviews, a strategy's approvals) are read from here.
    """

    __tablename__ = "audit_events"
    __parents__ = {"actor_id": "users"}
    __extra_args__ = (
        Index("ix_audit_events_subject", "tenant_id", "subject_type", "subject_id", "created_on"),
        {"schema": SCHEMA},
    )

    actor_id: Mapped[uuid.UUID | None]
    action: Mapped[str]
    subject_type: Mapped[str]
    subject_id: Mapped[uuid.UUID]
    subject_version: Mapped[int | None]
    note: Mapped[str | None]
    ip: Mapped[str | None]
    user_agent: Mapped[str | None]
    details: Mapped[dict[str, Any]] = mapped_column(server_default=text("'{}'::jsonb"))

    actor = parent("AuditEvent", "actor_id", "User")


class Notification(TenantOwned):
    """An entry of a user's bell: something to approve, a lead assigned to them, …"""

    __tablename__ = "notifications"
    __parents__ = {"user_id": ("users", "CASCADE")}
    __extra_args__ = (
        Index("ix_notifications_user", "tenant_id", "user_id", "created_on"),
        # The bell's unread count on every page reads only the unread (a history of read ones grows forever).
        Index("ix_notifications_unread", "tenant_id", "user_id", postgresql_where=text("read_on IS NULL")),
        {"schema": SCHEMA},
    )

    user_id: Mapped[uuid.UUID]
    kind: Mapped[str]
    title: Mapped[str]
    url: Mapped[str | None]
    read_on: Mapped[dt.datetime | None]


class OutboxEmail(TenantOwned):
    """An e-mail to send (by the worker); written in the same transaction as its cause.

    Write it with ``portal.mail.outbox.queue_email``. A row whose sending failed stays pending with its
    ``attempts`` counted and is tried again from ``next_try_on`` on.
    """

    __tablename__ = "outbox_emails"
    __extra_args__ = (
        check_in("status", ("pending", "sent", "failed")),
        Index("ix_outbox_emails_pending", "tenant_id", "status", "created_on"),
        {"schema": SCHEMA},
    )

    to_address: Mapped[str]
    subject: Mapped[str]
    body: Mapped[str]
    html_body: Mapped[str | None]
    status: Mapped[str] = mapped_column(server_default="pending")
    sent_on: Mapped[dt.datetime | None]
    error: Mapped[str | None]
    attempts: Mapped[int] = mapped_column(server_default="0")
    next_try_on: Mapped[dt.datetime | None]
