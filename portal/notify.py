"""Notifications for the bell (and, when mail is configured, an e-mail through the outbox).

``notify`` adds to the caller's transaction, so a notification exists exactly when its cause committed.
"""

from __future__ import annotations

import uuid

from flask import current_app

from portal.db import get_session
from portal.mail.outbox import queue_email
from portal.models import Notification, User
from portal.web import absolute_url


def notify(user: User, kind: str, title: str, url: str | None = None, email: bool = False) -> Notification:
    """Tell a user something in the bell; with email=True also queue an e-mail when MAIL_ENABLED is set."""
    notification = Notification(
        tenant_id=user.tenant_id, id=uuid.uuid4(), user_id=user.id, kind=kind, title=title, url=url
    )
    session = get_session()
    session.add(notification)
    if email and current_app.config["MAIL_ENABLED"]:
        queue_email(
            user.tenant_id, user.email, title, f"{title}\n\n{absolute_url(url or '/')}\n", session=session
        )
    return notification
