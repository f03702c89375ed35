"""Notification preferences (bell only, e-mail now, daily digest), the daily digest and the reminders."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from portal.jobs import JOB_MODULES, JOBS
from portal.models import Contract, DigestItem, Notification, NotificationPreference, OutboxEmail
from portal.notifications.jobs import daily_digest, reminders
from portal.notifications.service import send_digests
from portal.notify import notify
from tests.conftest import text_of
from tests.factories import make_blog_post, make_lead, make_tenant, make_user, session_of

TODAY = dt.date(2026, 12, 7)


def _outbox(session, to: str) -> list[OutboxEmail]:
    return list(session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == to)))


def _checked(page, kind: str) -> str:
    """The choice a user sees selected for a kind."""
    (value,) = re.findall(
        rf'<input checked id="{kind}-\d" name="{kind}" required type="radio" value="(\w+)"', page.text
    )
    return value


def _choose(client, **choices: str):
    defaults = {
        "approval_waiting": "digest",
        "lead_assigned": "email",
        "mention": "bell",
        "reminder": "digest",
    }
    return client.post("/account/notifications", data=defaults | choices)


def test_the_page_shows_the_defaults_and_saves_each_users_own_choices(app, client):
    tenant = make_tenant(app)
    me, colleague = make_user(tenant, "marketer"), make_user(tenant, "marketer")
    client.login(me.email)
    page = client.get("/account/notifications")
    assert page.status_code == 200
    assert _checked(page, "lead_assigned") == "email" and _checked(page, "reminder") == "digest"
    assert "Daily digest" in text_of(page) and "A lead is assigned to you" in text_of(page)

    saved = _choose(client, lead_assigned="bell", mention="email")
    assert saved.status_code == 302
    page = client.get("/account/notifications")
    assert "Your notification choices are saved." in text_of(page)
    assert _checked(page, "lead_assigned") == "bell"
    assert _checked(page, "mention") == "email"
    rows = (
        session_of(tenant).execute(select(NotificationPreference.user_id, NotificationPreference.kind)).all()
    )
    assert {user for user, _ in rows} == {me.id}  # the colleague keeps the defaults
    assert colleague.id not in {user for user, _ in rows}


def test_an_unknown_choice_re_renders_with_400_and_changes_nothing(app, client):
    tenant = make_tenant(app)
    me = make_user(tenant, "owner")
    client.login(me.email)
    page = _choose(client, lead_assigned="pigeon", mention="email")
    assert page.status_code == 400
    assert "Not a valid choice" in text_of(page)
    assert _checked(page, "mention") == "email"  # what was chosen stays
    assert session_of(tenant).scalar(select(func.count()).select_from(NotificationPreference)) == 0


def test_notify_honours_bell_only_email_now_and_digest(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_ENABLED", True)
    tenant = make_tenant(app)
    bell, mail, digest = (make_user(tenant, "sales_rep") for _ in range(3))
    for user, choice in ((bell, "bell"), (mail, "email"), (digest, "digest")):
        client.login(user.email)
        assert _choose(client, lead_assigned=choice).status_code == 302
        client.post("/logout")
    session = session_of(tenant)
    with app.app_context():
        for user in (bell, mail, digest):
            notify(user, "lead_assigned", "Lead Ada Lovelace is yours", "/leads", email=True, session=session)
        session.commit()
    assert _outbox(session, bell.email) == []
    assert [m.subject for m in _outbox(session, mail.email)] == ["Lead Ada Lovelace is yours"]
    assert _outbox(session, digest.email) == []
    with app.app_context():
        assert send_digests(session, tenant.id, TODAY) == 1
    (sent,) = _outbox(session, digest.email)
    assert "Lead Ada Lovelace is yours" in sent.body and "/leads" in sent.body
    assert _outbox(session, bell.email) == []


def test_the_digest_is_sent_once_per_user_per_day_even_when_run_twice(app, db_connection):
    tenant = make_tenant(app)
    owner, admin = make_user(tenant, "owner"), make_user(tenant, "admin")
    session = session_of(tenant)
    with app.app_context():
        for user in (owner, admin):
            notify(user, "reminder", "Contract waiting", "/contract", session=session)
        session.commit()
        assert send_digests(session, tenant.id, TODAY) == 2
        notify(owner, "reminder", "Later the same day", "/approvals", session=session)
        session.commit()
        assert send_digests(session, tenant.id, TODAY) == 0  # already had today's
        assert len(_outbox(session, owner.email)) == 1
        assert send_digests(session, tenant.id, TODAY + dt.timedelta(days=1)) == 1  # the next day's
    bodies = [m.body for m in _outbox(session, owner.email)]
    assert len(bodies) == 2 and "Later the same day" in bodies[1] and "Contract waiting" not in bodies[1]
    assert len(_outbox(session, admin.email)) == 1
    assert (
        session.scalar(select(func.count()).select_from(DigestItem).where(DigestItem.digest_day.is_(None)))
        == 0
    )


def test_the_bell_says_how_many_wait_for_the_users_decision(app, client):
    tenant = make_tenant(app)
    for _ in range(3):
        make_blog_post(tenant)
    client.login(make_user(tenant, "owner").email)
    panel = client.get("/notifications", headers={"HX-Request": "true"})
    assert "3 waiting for your decision" in text_of(panel)
    assert 'href="/approvals"' in panel.text
    client.post("/logout")
    client.login(make_user(tenant, "sales_rep").email)
    assert "waiting for your decision" not in text_of(client.get("/notifications"))


def test_the_page_belongs_to_the_signed_in_user_only(app, client):
    tenant, other = make_tenant(app), make_tenant(app)
    me, stranger = make_user(tenant, "viewer"), make_user(other, "owner")
    client.login(stranger.email)
    assert _choose(client, mention="email").status_code == 302
    client.post("/logout")
    client.login(me.email)
    page = client.get("/account/notifications")
    assert _checked(page, "mention") == "bell"  # not the stranger's choice
    assert client.get(f"/account/notifications/{stranger.ref_id}").status_code == 404
    assert session_of(tenant).scalar(select(func.count()).select_from(NotificationPreference)) == 0


def test_the_daily_digest_job_sends_at_seven_in_the_tenants_timezone(app, db_connection, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_ENABLED", True)
    tenant = make_tenant(app, timezone="Asia/Kolkata")
    owner = make_user(tenant, "owner")
    session = session_of(tenant)
    with app.app_context():
        notify(owner, "approval_waiting", "A post waits for you", "/approvals", session=session)
        session.commit()
        # 07:10 in Kolkata is 01:40 UTC; 07:10 UTC is 12:40 there
        assert daily_digest(session, now="2026-12-07T07:10:00+00:00") == 0
        assert _outbox(session, owner.email) == []
        assert daily_digest(session, now="2026-12-07T01:40:00+00:00") == 1
        assert daily_digest(session, now="2026-12-07T01:50:00+00:00") == 0
    assert [m.subject for m in _outbox(session, owner.email)] == ["Your daily digest: 1 new"]


def test_the_periodic_jobs_are_known_to_every_worker(app):
    # A worker imports JOB_MODULES before building its queue (this file's import declares them anyway).
    assert "portal.notifications.jobs" in JOB_MODULES
    tasks = app.extensions["jobs"].procrastinate.tasks
    assert {"notifications.daily_digest", "notifications.reminders"} <= set(tasks)
    assert JOBS["notifications.daily_digest"].cron and JOBS["notifications.reminders"].cron


def _reminders_of(session, user) -> list[str]:
    return list(
        session.scalars(
            select(Notification.title)
            .where(Notification.user_id == user.id, Notification.kind == "reminder")
            .order_by(Notification.title)
        )
    )


def test_reminders_reach_the_right_people_once_each(app, db_connection):
    now = dt.datetime.now(dt.UTC)
    tenant = make_tenant(app)
    owner, admin, marketer = (
        make_user(tenant, "owner"),
        make_user(tenant, "admin"),
        make_user(tenant, "marketer"),
    )
    manager, rep, other_rep = (
        make_user(tenant, role) for role in ("sales_manager", "sales_rep", "sales_rep")
    )
    viewer = make_user(tenant, "viewer")
    session = session_of(tenant)
    session.add(
        Contract(
            tenant_id=tenant.id,
            template_version=1,
            title="Service agreement",
            pdf_s3_key="contracts/late.pdf",
            pdf_sha256="0" * 64,
            sent_on=now - dt.timedelta(days=8),
        )
    )
    session.commit()
    make_blog_post(tenant, title="Old post", created_on=now - dt.timedelta(days=4))
    make_blog_post(tenant, title="Fresh post", created_on=now - dt.timedelta(days=1))
    make_lead(
        tenant,
        first_name="Ada",
        last_name="Late",
        assigned_to=rep.id,
        created_on=now - dt.timedelta(hours=30),
    )
    make_lead(
        tenant,
        first_name="Bo",
        last_name="Recent",
        assigned_to=rep.id,
        created_on=now - dt.timedelta(hours=2),
    )

    with app.app_context():
        given = reminders(session, now=now.isoformat())
        assert reminders(session, now=(now + dt.timedelta(hours=1)).isoformat()) == 0  # never twice

    contract = "The contract “Service agreement” has waited more than 7 days for your acceptance"
    post = "Blog post “Old post” has waited more than 3 days for your decision"
    lead = "Ada Late has not been contacted within 24 hours"
    assert _reminders_of(session, owner) == [post, contract]
    assert _reminders_of(session, admin) == [post]
    assert _reminders_of(session, marketer) == [post]
    assert _reminders_of(session, manager) == [lead]
    assert _reminders_of(session, rep) == [lead]
    assert _reminders_of(session, other_rep) == [] and _reminders_of(session, viewer) == []
    assert given == 6
    # reminders go to the digest by default: the owner's morning e-mail lists both
    assert (
        session.scalar(select(func.count()).select_from(DigestItem).where(DigestItem.user_id == owner.id))
        == 2
    )
