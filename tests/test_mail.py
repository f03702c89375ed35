"""E-mail from the outbox to a real SMTP server (aiosmtpd on a free port), sent by the real queue's jobs.

The sending reads committed rows on its own connections, so these tests commit outbox rows to a
recipient domain of their own and delete them afterwards (see ``outbox``).
"""

from __future__ import annotations

import datetime as dt
import email
import socket
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from portal.mail import sink
from portal.mail.outbox import queue_email
from portal.mail.sender import SEND_JOB
from portal.models import Lead, OutboxEmail, Tenant
from tests.conftest import app_config, build_app, tenant_ids, text_of, user_of
from tests.jobqueue import empty_queue, work_off

DOMAIN = "mail-test.example"


class Refusing:
    """An SMTP server's handler that answers every message with a permanent refusal."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server, session, envelope) -> str:
        """Refuse the message."""
        return "550 5.7.1 Message refused by the test server"


class Slow(sink.KeepMessages):
    """The keeping handler, 20 ms per message, so two senders surely overlap."""

    async def handle_DATA(self, server, session, envelope) -> str:
        """Keep the message after a pause."""
        time.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def smtp(app, tmp_path, monkeypatch):
    """``smtp(handler)``: a real SMTP server on a free port that the app sends to; the sink's folder."""
    started = []

    def serve(handler=sink.KeepMessages) -> Path:
        port = sink.free_port()
        started.append(sink.start(tmp_path, port=port, handler=handler(tmp_path)))
        monkeypatch.setitem(app.config, "SMTP_PORT", port)
        return tmp_path

    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_STARTTLS", False)
    monkeypatch.setitem(app.config, "MAIL_FROM", "portal@agency.example")
    yield serve
    for controller in started:
        controller.stop()


@pytest.fixture
def outbox(app, database_urls):
    """``outbox(slug, count)``: commit that many e-mails for a demo tenant; the rows' ids. Removed after."""
    empty_queue(database_urls[1])
    made: list[tuple[uuid.UUID, uuid.UUID]] = []

    def write(slug: str, count: int = 1, **values) -> list[uuid.UUID]:
        tenant_id = tenant_ids(app)[slug]
        with app.app_context(), app.extensions["db"].new_session(tenant_id) as session:
            rows = [
                queue_email(
                    tenant_id,
                    f"person{number}@{DOMAIN}",
                    values.get("subject", f"Message {number} of {count}"),
                    values.get("text", f"Hello,\n\nyour link: https://portal.example/r/{number}\n"),
                    values.get("html"),
                    session=session,
                )
                for number in range(count)
            ]
            session.commit()
        made.extend((tenant_id, row.id) for row in rows)
        return [row.id for row in rows]

    yield write
    for tenant_id in {tenant for tenant, _ in made}:
        with app.extensions["db"].new_session(tenant_id) as session:
            session.execute(delete(OutboxEmail).where(OutboxEmail.to_address.endswith(f"@{DOMAIN}")))
            session.commit()
    empty_queue(database_urls[1])


def rows(app, slug: str) -> list[OutboxEmail]:
    """The tenant's test e-mails as the database has them now, oldest first."""
    with app.extensions["db"].new_session(tenant_ids(app)[slug]) as session:
        return list(
            session.scalars(
                select(OutboxEmail)
                .where(OutboxEmail.to_address.endswith(f"@{DOMAIN}"))
                .order_by(OutboxEmail.created_on, OutboxEmail.to_address)
            )
        )


def send_now(app, slug: str) -> int:
    """Run the sending job for a tenant in this thread, as a worker runs it; how many it sent."""
    return app.extensions["jobs"].procrastinate.tasks[SEND_JOB](tenant_id=str(tenant_ids(app)[slug]))


def test_committing_an_email_queues_its_sending_and_the_worker_delivers_it(app, smtp, outbox):
    folder = smtp()
    [row_id] = outbox("acme", subject="Your password reset link")

    work_off(app.extensions["jobs"])  # the job queued when the row committed

    [message] = sink.kept(folder)
    assert message.subject == "Your password reset link" and message.to == f"person0@{DOMAIN}"
    [row] = rows(app, "acme")
    assert (row.id, row.status, row.attempts, row.error) == (row_id, "sent", 1, None)
    assert row.sent_on is not None


def test_every_message_has_text_and_html_with_the_tenants_name_and_colour_and_no_tracking(app, smtp, outbox):
    folder = smtp()
    with app.extensions["db"].new_session(tenant_ids(app)["northwind"]) as session:
        tenant = session.scalars(select(Tenant)).one()
    outbox("northwind", text="Your report is ready:\nhttps://portal.example/reports/7?a=1&b=2\n")
    outbox(
        "northwind",
        html="<p>An <strong>invitation</strong>: <a href='https://portal.example/i/9'>accept</a></p>",
    )

    assert send_now(app, "northwind") == 2

    rich, plain = sorted(sink.kept(folder), key=lambda m: "reports" in m.text)
    for message in (plain, rich):
        assert tenant.name in message.text and tenant.name in message.html
        assert tenant.brand_color in message.html
        assert tenant.name in message.sender and "portal@agency.example" in message.sender
        assert "<img" not in message.html.lower() and "<script" not in message.html.lower()
    # A plain-text e-mail's address becomes a link to itself, escaped, never rewritten.
    assert "https://portal.example/reports/7?a=1&b=2" in plain.text
    assert '<a href="https://portal.example/reports/7?a=1&amp;b=2">' in plain.html
    assert "<strong>invitation</strong>" in rich.html and "href='https://portal.example/i/9'" in rich.html


def test_two_workers_send_each_row_exactly_once(app, smtp, outbox):
    folder = smtp(Slow)
    outbox("acme", 40)
    barrier, sent = threading.Barrier(2), []

    def worker() -> None:
        with app.app_context():
            barrier.wait()
            sent.append(send_now(app, "acme"))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    subjects = sorted(message.subject for message in sink.kept(folder))
    assert subjects == sorted(f"Message {n} of 40" for n in range(40))  # each once, none twice
    assert sum(sent) == 40 and min(sent) > 0  # both workers sent some
    assert {row.status for row in rows(app, "acme")} == {"sent"}


def test_a_refused_message_stays_pending_and_is_sent_when_its_retry_is_due(app, smtp, outbox):
    smtp(Refusing)
    outbox("acme", subject="Refused at first")

    assert send_now(app, "acme") == 0
    [row] = rows(app, "acme")
    assert (row.status, row.attempts) == ("pending", 1)
    assert "550" in row.error and "refused" in row.error
    assert row.next_try_on > dt.datetime.now(dt.UTC) + dt.timedelta(seconds=20)

    folder = smtp()  # the server accepts again
    assert send_now(app, "acme") == 0  # not due yet: the row waits for its next try
    with app.extensions["db"].new_session(tenant_ids(app)["acme"]) as session:
        session.execute(
            update(OutboxEmail).where(OutboxEmail.id == row.id).values(next_try_on=dt.datetime.now(dt.UTC))
        )
        session.commit()
    assert send_now(app, "acme") == 1

    [message] = sink.kept(folder)
    assert message.subject == "Refused at first"
    [row] = rows(app, "acme")
    assert (row.status, row.attempts, row.error) == ("sent", 2, None)


def test_a_server_that_never_answers_times_out_and_nothing_is_lost(app, smtp, outbox, monkeypatch):
    smtp()
    silent = socket.socket()  # accepts connections and says nothing, like a server that hangs
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    monkeypatch.setitem(app.config, "SMTP_PORT", silent.getsockname()[1])
    monkeypatch.setitem(app.config, "SMTP_TIMEOUT", 0.5)
    outbox("acme", 3)
    try:
        started = time.monotonic()
        assert send_now(app, "acme") == 0
        took = time.monotonic() - started
    finally:
        silent.close()

    assert took < 3
    first, *others = rows(app, "acme")
    assert (first.status, first.attempts) == ("pending", 1) and "timed out" in first.error
    assert [(row.status, row.attempts) for row in others] == [("pending", 0), ("pending", 0)]


def test_a_message_refused_every_time_is_failed_and_listed(app, smtp, outbox, monkeypatch):
    smtp(Refusing)
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 2)
    outbox("initech", subject="Never accepted")
    send_now(app, "initech")
    with app.extensions["db"].new_session(tenant_ids(app)["initech"]) as session:
        session.execute(update(OutboxEmail).values(next_try_on=dt.datetime.now(dt.UTC)))
        session.commit()
    send_now(app, "initech")

    [row] = rows(app, "initech")
    assert (row.status, row.attempts) == ("failed", 2)
    listing = app.test_cli_runner().invoke(args=["jobs", "failed"]).output
    assert "E-mails not sent (failed for good): 1" in listing
    assert f"person0@{DOMAIN} 'Never accepted' after 2 attempts: SMTPDataError" in listing


def test_the_page_never_waits_on_smtp(app, client, monkeypatch, tenant_session):
    silent = socket.socket()  # an SMTP server that hangs: a page that waited on it would take 5 s
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    monkeypatch.setitem(app.config, "SMTP_PORT", silent.getsockname()[1])
    monkeypatch.setitem(app.config, "SMTP_TIMEOUT", 5)
    monkeypatch.setitem(app.config, "MAIL_ENABLED", True)
    session = tenant_session("acme")
    lead = session.scalars(
        select(Lead).where(Lead.assigned_to.is_(None), Lead.deleted_on.is_(None)).limit(1)
    ).one()
    rep = user_of(session, "rep1@acme.test")
    client.login("manager@acme.test")
    try:
        started = time.monotonic()
        assigned = client.post(
            f"/leads/{lead.ref_id}/assign", data={"rep": rep.ref_id, "version": lead.version}
        )
        took = time.monotonic() - started
    finally:
        silent.close()

    assert assigned.status_code == 302 and took < 2
    queued = session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == rep.email)).one()
    assert queued.status == "pending" and lead.ref_id in queued.body


def test_line_breaks_in_a_subject_cannot_add_headers(app, smtp, outbox):
    folder = smtp()
    outbox("acme", subject="Hello\r\nBcc: someone@evil.example")

    assert send_now(app, "acme") == 1

    [message] = sink.kept(folder)
    assert message.subject == "Hello Bcc: someone@evil.example"
    headers = email.message_from_bytes(next(folder.glob("*.eml")).read_bytes())
    assert headers.get_all("Bcc") is None and headers["To"] == f"person0@{DOMAIN}"


def test_the_demo_mailbox_exists_only_in_a_local_run(app, client, smtp, outbox, database_urls, tmp_path):
    assert client.get("/dev/mail").status_code == 404  # a test (or production) app has no such page
    folder = smtp()
    outbox(
        "acme", subject="Reset your password", text="Follow https://portal.example/reset/abc to choose one."
    )
    send_now(app, "acme")
    local = build_app(
        {**app_config(database_urls, str(tmp_path)), "PORTAL_ENV": "local", "MAIL_SINK_PATH": str(folder)}
    )
    browser = local.test_client()

    listing = browser.get("/dev/mail")
    [message] = sink.kept(folder)
    shown = browser.get(f"/dev/mail/{message.name}")
    html = browser.get(f"/dev/mail/{message.name}/html")

    assert listing.status_code == 200 and "Reset your password" in text_of(listing)
    assert shown.status_code == 200
    assert '<a href="https://portal.example/reset/abc">' in shown.get_data(as_text=True)
    assert html.status_code == 200 and "sandbox" in html.headers["Content-Security-Policy"]
    assert "Reset your password" in html.get_data(as_text=True)
    for name in ("../../etc/passwd", "nothing.eml", f"{message.name[:-4]}.txt"):
        assert browser.get(f"/dev/mail/{name}").status_code == 404
