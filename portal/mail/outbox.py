"""The one way to send an e-mail: a row in the outbox, written in the caller's transaction.

The message leaves only if its cause commits, and the page never waits on SMTP: when the transaction
commits, a send job is queued for the tenant, and the worker sends the row (``portal.mail.sender``),
framing it with the tenant's name and colour (templates/mail/base.html). Should that queueing fail, the
sender's minute-by-minute run finds the row anyway.
"""

from __future__ import annotations

import logging
import uuid

import psycopg
from procrastinate.exceptions import ProcrastinateException
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.db import get_session
from portal.jobs import queue
from portal.mail.sender import SEND_JOB
from portal.models import OutboxEmail

log = logging.getLogger("portal.mail")


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
    brand colour when sent. A job passes its own tenant session. Line breaks in the address or subject
    (which would forge headers) are folded into spaces.
    """
    session = session or get_session()
    row = OutboxEmail(
        tenant_id=tenant_id, to_address=_one_line(to), subject=_one_line(subject), body=text, html_body=html
    )
    session.add(row)
    if "mail_tenants" not in session.info:
        event.listen(session, "after_commit", _queue_sending)
        session.info["mail_tenants"] = set()
    session.info["mail_tenants"].add(tenant_id)
    return row


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _queue_sending(session: Session) -> None:
    """After the commit: ask the worker to send the tenants' new rows now, rather than within a minute."""
    tenants, session.info["mail_tenants"] = session.info["mail_tenants"], set()
    for tenant_id in tenants:
        try:
            queue().defer(SEND_JOB, tenant_id)
        except (ProcrastinateException, psycopg.Error):
            log.warning(
                "could not queue the sending of tenant %s's e-mail; the next minute's run sends it", tenant_id
            )
