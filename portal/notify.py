"""Notifications for the bell, and by e-mail now or in the daily digest as the user chose.

``notify`` adds to the caller's transaction, so a notification exists exactly when its cause committed.
"""

from __future__ import annotations

import uuid

from flask import current_app
from sqlalchemy.orm import Session

from portal.db import get_session
from portal.mail.outbox import queue_email
from portal.models import DigestItem, Notification, User
from portal.notifications.service import choice_for
from portal.web import absolute_url


def notify(
    user: User,
    kind: str,
    title: str,
    url: str | None = None,
    email: bool = False,
    session: Session | None = None,
) -> Notification:
    """Tell a user something in the bell, and by e-mail now or in the digest as the user chose for the kind
    (portal.notifications.service.KINDS); for other kinds e-mail now when email=True. E-mail only goes out
    when MAIL_ENABLED is set. A job passes its own session (the request's by default)."""
    session = session or get_session()
    notification = Notification(
        tenant_id=user.tenant_id, id=uuid.uuid4(), user_id=user.id, kind=kind, title=title, url=url
    )
    session.add(notification)
    choice = choice_for(session, user, kind) or ("email" if email else "bell")
    if choice == "digest":
        session.add(DigestItem(tenant_id=user.tenant_id, user_id=user.id, notification_id=notification.id))
    if choice == "email" and current_app.config["MAIL_ENABLED"]:
        queue_email(
            user.tenant_id, user.email, title, f"{title}\n\n{absolute_url(url or '/')}\n", session=session
        )
    return notification
