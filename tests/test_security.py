"""Holes an attacker's scan found (issue 18, part 4): sign-in throttling that anyone could turn into a
lock-out, absolute URLs taken from the Host header, a content fragment more open than its page, lead
imports outside the route walk, and sessions with no idle timeout."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select, update

from portal import config
from portal.models import Lead, Notification, OnboardingRun, OutboxEmail, WebSession
from tests.conftest import PASSWORD, text_of, user_of


def _onboarding_run(session) -> OnboardingRun:
    return session.scalars(
        select(OnboardingRun).where(OnboardingRun.context_file_id.is_not(None)).limit(1)
    ).one()


def test_the_onboarding_file_is_refused_to_whom_its_page_refuses(client, tenant_session):
    run = _onboarding_run(tenant_session("acme"))
    for email in ("viewer@acme.test", "marketer@acme.test"):
        client.login(email)
        assert client.get(f"/onboarding/runs/{run.ref_id}").status_code == 403
        assert client.get(f"/refs/onboarding_run/{run.ref_id}/original").status_code == 403, email
        assert client.get(f"/refs/onboarding_run/{run.ref_id}").status_code == 403, email
        client.post("/logout")
    client.login("admin@acme.test")
    download = client.get(f"/refs/onboarding_run/{run.ref_id}/original")
    assert download.status_code == 200 and download.data, text_of(download)


def _move_last_seen_back(session, email: str, by: dt.timedelta) -> None:
    user = user_of(session, email)
    session.execute(
        update(WebSession)
        .where(WebSession.user_id == user.id, WebSession.revoked_on.is_(None))
        .values(last_seen_on=func.now() - by)
    )
    session.commit()


def test_a_session_idle_longer_than_the_timeout_is_ended_with_a_message(app, client, tenant_session):
    client.login("viewer@northwind.test")
    session = tenant_session("northwind")
    idle = dt.timedelta(minutes=app.config["SESSION_IDLE_TIMEOUT"])
    assert idle == dt.timedelta(hours=2)
    _move_last_seen_back(session, "viewer@northwind.test", idle + dt.timedelta(seconds=5))
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    page = text_of(client.get(response.headers["Location"]))
    assert "signed out after 2 hours without activity" in page
    assert client.get("/").status_code == 302  # ended on the server: the same cookie does not come back
    viewer = user_of(session, "viewer@northwind.test")
    assert (
        session.scalars(
            select(WebSession.revoked_on)
            .where(WebSession.user_id == viewer.id)
            .order_by(WebSession.created_on)
        ).all()[-1]
        is not None
    )


def test_a_session_used_within_the_timeout_stays_open(app, client, tenant_session):
    """last_seen_on is written at most every few minutes, so a session a little short of idle stays open."""
    client.login("viewer@northwind.test")
    session = tenant_session("northwind")
    idle = dt.timedelta(minutes=app.config["SESSION_IDLE_TIMEOUT"])
    _move_last_seen_back(session, "viewer@northwind.test", idle - dt.timedelta(minutes=1))
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200  # marked seen again: the idle clock started over


FORGED = {"Host": "evil.example"}


def test_absolute_urls_come_from_the_base_url_not_the_host_header(app, client, tenant_session):
    client.login("manager@acme.test")
    client.get("/leads/settings")  # the session now holds its CSRF token
    # The browser of someone who reached the portal under a name the attacker controls.
    client.set_cookie("portal_session", client.get_cookie("portal_session").value, domain="evil.example")
    page = client.post("/leads/settings/web-form", headers=FORGED)
    assert page.status_code == 201
    shown = re.search(r"https?://[^\s<\"]+/leads/form/[A-Za-z0-9_\-]+", page.get_data(as_text=True)).group(0)
    assert shown.startswith(app.config["BASE_URL"] + "/leads/form/"), shown
    assert "evil.example" not in page.get_data(as_text=True)

    session = tenant_session("acme")
    rep = user_of(session, "rep2@acme.test")
    lead = session.scalars(
        select(Lead).where(Lead.assigned_to.is_(None), Lead.deleted_on.is_(None)).limit(1)
    ).one()
    app.config["MAIL_ENABLED"] = True
    try:
        assigned = client.post(
            f"/leads/{lead.ref_id}/assign", data={"rep": rep.ref_id, "version": lead.version}, headers=FORGED
        )
    finally:
        app.config["MAIL_ENABLED"] = False
    assert assigned.status_code == 302
    body = session.scalars(select(OutboxEmail.body).where(OutboxEmail.to_address == rep.email)).one()
    assert f"{app.config['BASE_URL']}/leads/{lead.ref_id}" in body and "evil.example" not in body


# -- sign-in throttling ---------------------------------------------------------------------------------------

ADDRESS_A, ADDRESS_B = "203.0.113.7", "198.51.100.9"


def _shipped_login_limits(app, monkeypatch) -> None:
    """The sign-in limits as the portal ships them (the test app's are lifted for the other tests)."""
    for key, value in config.load("test").items():
        if key.startswith("LOGIN_LIMIT_"):
            monkeypatch.setitem(app.config, key, value)


def _sign_in_from(client, address: str, email: str, password: str = PASSWORD):
    return client.post(
        "/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_from_theirs(app, client, monkeypatch):
    _shipped_login_limits(app, monkeypatch)
    attempts = [_sign_in_from(client, ADDRESS_A, "owner@acme.test", "wrong").status_code for _ in range(6)]
    assert attempts == [401] * 5 + [429], attempts
    assert _sign_in_from(client, ADDRESS_A, "owner@acme.test").status_code == 429  # the attacker waits
    assert _sign_in_from(client, ADDRESS_B, "owner@acme.test").status_code == 302  # the owner does not


def test_the_per_account_ceiling_trips_across_addresses_and_the_owner_is_told_once(
    app, client, tenant_session, monkeypatch
):
    _shipped_login_limits(app, monkeypatch)
    monkeypatch.setitem(app.config, "MAIL_ENABLED", True)
    email = "owner@initech.test"
    ceiling = int(app.config["LOGIN_LIMIT_PER_ACCOUNT"].split()[0])
    addresses = [f"192.0.2.{n}" for n in range(1, 60)]
    statuses = [_sign_in_from(client, addresses[n // 5], email, "wrong").status_code for n in range(ceiling)]
    assert set(statuses) == {401}, statuses  # five from each address: under every other limit
    assert _sign_in_from(client, addresses[-1], email, "wrong").status_code == 429
    assert _sign_in_from(client, addresses[-2], email).status_code == 429  # everyone waits now
    session = tenant_session("initech")
    owner = user_of(session, email)
    notices = session.scalars(
        select(Notification).where(Notification.user_id == owner.id, Notification.kind == "sign_in_throttled")
    ).all()
    assert len(notices) == 1, [n.title for n in notices]
    assert "wrong passwords" in notices[0].title
    mails = session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == email)).all()
    assert len(mails) == 1 and app.config["BASE_URL"] in mails[0].body


def test_a_form_sent_without_its_token_says_why_it_was_refused(client):
    """The CSRF refusal tells the person what happened, not only a generic 400."""
    client.login("owner@acme.test")
    response = client.post("/account/password", data={}, csrf=False)
    assert response.status_code == 400
    assert "The form expired or was sent from elsewhere" in text_of(response)


def test_a_typed_address_cannot_forge_lines_in_the_security_log(client, caplog):
    """CR/LF in the e-mail of a failed sign-in stay escaped inside one log line."""
    with caplog.at_level("WARNING", logger="portal.security"):
        client.post("/login", data={"email": "x@y.test\r\nsign-in user=forged", "password": "wrong"})
    failures = [r.getMessage() for r in caplog.records if "sign-in failed" in r.getMessage()]
    assert failures and all("\n" not in line and "\r" not in line for line in failures)
