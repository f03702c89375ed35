"""The one way to send an e-mail: a row in the outbox, written in the caller's transaction.

The message leaves only if its cause commits, and the page never waits on SMTP: the worker sends it
(``portal.mail.sender``), wrapping it in the tenant's name and colour (templates/mail/base.html).
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from portal.db import get_session
from portal.models import OutboxEmail


def queue_email(
    tenant_id: uuid.UUID,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    *,
    session: Session | None = None,
) -> OutboxEmail:
    """Queue an e-mail to ``to`` in ``session`` (the request's by default); sent by the worker after commit.

    ``text`` is the plain-text part; ``html`` the HTML of the message's body (escaped by the caller, e.g.
    rendered from a template) or None to show the text as HTML. Both are framed with the tenant's name and
    brand colour when sent. A job passes its own tenant session.
    """
    row = OutboxEmail(tenant_id=tenant_id, to_address=to, subject=subject, body=text, html_body=html)
    (session or get_session()).add(row)
    return row
