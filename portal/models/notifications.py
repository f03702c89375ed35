"""Notification preferences, the daily digest and reminders (schema ``portal``, forced under RLS like
web_sessions; migration 0018)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Index, text
from sqlalchemy.orm import Mapped

from portal.models.base import TenantOwned, check_in

SCHEMA = "portal"
CHOICES = ("bell", "email", "digest")


class NotificationPreference(TenantOwned):
    """A user's choice for one kind of notification: bell only, e-mail now, or the daily digest.

    No row means the kind's default (``portal.notifications.service.DEFAULTS``).
    """

    __tablename__ = "notification_preferences"
    __parents__ = {"user_id": ("users", "CASCADE")}
    __extra_args__ = (
        check_in("choice", CHOICES),
        Index("ux_notification_preferences_kind", "tenant_id", "user_id", "kind", unique=True),
        {"schema": SCHEMA},
    )

    user_id: Mapped[uuid.UUID]
    kind: Mapped[str]
    choice: Mapped[str]


class DigestItem(TenantOwned):
    """A notification to go into its user's daily digest; ``digest_day`` is set by the digest that sent it."""

    __tablename__ = "digest_items"
    __parents__ = {"user_id": ("users", "CASCADE"), "notification_id": ("portal.notifications", "CASCADE")}
    __extra_args__ = (
        Index("ux_digest_items_notification", "tenant_id", "notification_id", unique=True),
        Index("ix_digest_items_waiting", "tenant_id", "user_id", postgresql_where=text("digest_day IS NULL")),
        {"schema": SCHEMA},
    )

    user_id: Mapped[uuid.UUID]
    notification_id: Mapped[uuid.UUID]
    digest_day: Mapped[dt.date | None]


class Digest(TenantOwned):
    """A digest sent to a user on a day (of the tenant's timezone): at most one per user and day."""

    __tablename__ = "digests"
    __parents__ = {"user_id": ("users", "CASCADE")}
    __extra_args__ = (
        Index("ux_digests_user_day", "tenant_id", "user_id", "day", unique=True),
        {"schema": SCHEMA},
    )

    user_id: Mapped[uuid.UUID]
    day: Mapped[dt.date]


class ReminderSent(TenantOwned):
    """A reminder given to a user about an item (kind and ref): never the same one twice."""

    __tablename__ = "reminders_sent"
    __parents__ = {"user_id": ("users", "CASCADE")}
    __extra_args__ = (
        Index("ux_reminders_sent_item", "tenant_id", "user_id", "kind", "item_ref", unique=True),
        {"schema": SCHEMA},
    )

    user_id: Mapped[uuid.UUID]
    kind: Mapped[str]
    item_ref: Mapped[str]
