"""The worker's side of the outbox: send each pending e-mail once, through SMTP, framed for its tenant.

``send_outbox`` runs for one tenant (a job: queued right after a request commits an outbox row, and every
minute for every tenant). It claims one row at a time with ``SELECT … FOR UPDATE SKIP LOCKED`` and marks it
sent in the same transaction, so two workers never send the same row. A refusal or a time-out leaves the
row pending with its attempt counted and its next try pushed back (30 s, 1 min, 2 min … at most an hour);
after MAIL_MAX_ATTEMPTS it is marked failed, and listed by ``flask jobs failed``. A worker killed between
the SMTP server's acceptance and the COMMIT would send that one row again: at least once, never lost.
"""

from __future__ import annotations

import datetime as dt
import re
import smtplib
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal.db import database
from portal.jobs import queue, tenant_job
from portal.models import OutboxEmail, Tenant

SEND_JOB = "mail.send_outbox"
FIRST_WAIT = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(hours=1)
# The server refused this message (a recipient, the sender, the content): the next row may still go.
MESSAGE_REFUSALS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)
URL = re.compile(r"https?://[^\s<>\"']+")


class Mailer:
    """One SMTP connection for a run of the sender, opened at its first message."""

    def __init__(self, config: dict) -> None:
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        """Hand one message to the server (connecting, with STARTTLS and login as configured, if needed)."""
        if self.smtp is None:
            config = self.config
            smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT"])
            self.smtp = smtp
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USER"]:
                smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
        self.smtp.send_message(message)

    def close(self) -> None:
        """Say goodbye to the server, or just drop a connection that already failed."""
        if self.smtp is None:
            return
        try:
            self.smtp.quit()
        except (smtplib.SMTPException, OSError):
            self.smtp.close()
        self.smtp = None


def text_as_html(text: str) -> Markup:
    """Plain text as HTML paragraphs, its addresses as links to themselves (never rewritten)."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = []
        for line in block.splitlines():
            parts, last = [], 0
            for match in URL.finditer(line):
                parts += [
                    escape(line[last : match.start()]),
                    Markup('<a href="{0}">{0}</a>').format(match[0]),
                ]
                last = match.end()
            lines.append(Markup("").join([*parts, escape(line[last:])]))
        paragraphs.append(Markup("<p>{}</p>").format(Markup("<br>\n").join(lines)))
    return Markup("\n").join(paragraphs)


def build_message(row: OutboxEmail, tenant: Tenant) -> EmailMessage:
    """The e-mail for an outbox row: plain text and HTML alternatives, both naming the tenant."""
    config = current_app.config
    message = EmailMessage()
    message["Subject"] = row.subject
    message["From"] = formataddr((tenant.name, config["MAIL_FROM"]))
    message["To"] = row.to_address
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(_render("mail/base.txt", tenant=tenant, text=row.body))
    # html_body is HTML its writer escaped (queue_email's contract), like a template's output.
    body = Markup(row.html_body) if row.html_body else text_as_html(row.body)  # noqa: S704
    html = _render("mail/base.html", tenant=tenant, subject=row.subject, body=body)
    message.add_alternative(html, subtype="html")
    return message


def _render(name: str, **context: object) -> str:
    # The template alone: no request, so none of the pages' context processors (the signed-in user's).
    return current_app.jinja_env.get_template(name).render(**context)


def next_wait(attempts: int) -> dt.timedelta:
    """How long a row waits after its ``attempts``-th failed try: doubling from 30 s, at most an hour."""
    return min(FIRST_WAIT * 2 ** (attempts - 1), LONGEST_WAIT)


def due_row(session: Session) -> OutboxEmail | None:
    """Claim the oldest pending row that is due and that no other worker holds (locked until COMMIT)."""
    return session.scalars(
        select(OutboxEmail)
        .where(
            OutboxEmail.status == "pending",
            or_(OutboxEmail.next_try_on.is_(None), OutboxEmail.next_try_on <= dt.datetime.now(dt.UTC)),
        )
        .order_by(OutboxEmail.created_on)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()


@tenant_job(SEND_JOB, cron="* * * * *")
def send_outbox(session: Session) -> int:
    """Send the tenant's due e-mails, one transaction each; returns how many the server accepted."""
    config = current_app.config
    tenant = session.scalars(select(Tenant)).first()
    session.commit()
    if tenant is None:  # no such tenant (it was deleted): nothing of it can be read or sent
        return 0
    mailer, sent = Mailer(config), 0
    try:
        while (row := due_row(session)) is not None:
            now = dt.datetime.now(dt.UTC)
            row.attempts += 1
            try:
                mailer.send(build_message(row, tenant))
            except (smtplib.SMTPException, OSError) as error:
                row.error = f"{type(error).__name__}: {error}"[:1000]
                row.next_try_on = now + next_wait(row.attempts)
                if row.attempts >= config["MAIL_MAX_ATTEMPTS"]:
                    row.status = "failed"
                session.commit()
                if not isinstance(error, MESSAGE_REFUSALS):
                    break  # the server is away or timing out: the others wait for the next run
                continue
            row.status, row.sent_on, row.error = "sent", now, None
            session.commit()
            sent += 1
    finally:
        mailer.close()
    return sent


def failed_emails(limit: int = 50) -> list[tuple[str, OutboxEmail]]:
    """The newest e-mails given up on (every attempt refused), with their tenant's name, for the agency."""
    found = []
    for tenant_id in queue().tenant_ids():
        with database().new_session(tenant_id) as session:
            name = session.scalars(select(Tenant.name)).one()
            rows = session.scalars(
                select(OutboxEmail)
                .where(OutboxEmail.status == "failed")
                .order_by(OutboxEmail.created_on.desc())
                .limit(limit)
            )
            found += [(name, row) for row in rows]
    return sorted(found, key=lambda pair: pair[1].created_on, reverse=True)[:limit]
