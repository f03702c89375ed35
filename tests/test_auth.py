"""Sign-in, sessions kept on the server, sign-out, password change, throttling and suspended tenants."""

from __future__ import annotations

import datetime as dt
from http.cookies import SimpleCookie

from sqlalchemy import select, update

from portal.auth import service as auth_service
from portal.models import Tenant, User, WebSession
from tests.conftest import PASSWORD, change_password, signed_in, tenant_of, text_of, user_of


def _session_cookie(client) -> str:
    cookie = client.get_cookie("portal_session")
    return cookie.value if cookie else ""


def test_sign_in_page_and_success(client):
    assert client.get("/").status_code == 302
    page = client.get("/login")
    assert page.status_code == 200
    assert 'name="email"' in page.text and 'name="password"' in page.text
    response = client.login("owner@acme.test")
    assert response.status_code == 302
    assert "Acme Dental" in text_of(client.get("/"))


def test_one_generic_error_for_wrong_email_or_password(client):
    wrong_password = client.login("owner@acme.test", "not-the-password")
    unknown_email = client.login("nobody@acme.test", PASSWORD)
    assert wrong_password.status_code == unknown_email.status_code == 401
    message = "That e-mail and password do not match an active account."
    assert message in text_of(wrong_password) and message in text_of(unknown_email)
    assert 'value="owner@acme.test"' in wrong_password.text  # what was typed is kept


def test_empty_form_shows_field_errors(client):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 400
    assert text_of(response).count("This field is required.") == 2


def test_inactive_user_is_refused(client, tenant_session):
    session = tenant_session("acme")
    session.execute(update(User).where(User.email == "viewer@acme.test").values(is_active=False))
    session.commit()
    assert client.login("viewer@acme.test").status_code == 401


def test_suspended_tenant_gets_a_clear_page(client, tenant_session):
    session = tenant_session("northwind")
    session.execute(update(Tenant).values(status="suspended"))
    session.commit()
    response = client.login("owner@northwind.test")
    assert response.status_code == 403
    assert "Northwind Legal's portal is not available" in text_of(response)


def test_a_copied_cookie_is_dead_after_sign_out(app, client):
    client.login("marketer@acme.test")
    copied = _session_cookie(client)
    assert client.get("/").status_code == 200
    assert client.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("portal_session", copied)
    response = thief.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_sign_in_starts_a_new_session(client):
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = _session_cookie(client)
    client.login("owner@acme.test")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["sid"]
    assert _session_cookie(client) != before


def test_password_change_ends_other_sessions_and_keeps_this_one(app, client, tenant_session):
    other_device = signed_in(app, "admin@acme.test")
    client.login("admin@acme.test")
    response = change_password(client, PASSWORD, "a-brand-new-secret")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302
    fresh = app.test_client()
    assert fresh.login("admin@acme.test").status_code == 401
    assert fresh.login("admin@acme.test", "a-brand-new-secret").status_code == 302


def test_password_change_refuses_a_wrong_current_password(client):
    client.login("admin@acme.test")
    response = change_password(client, "wrong", "a-brand-new-secret")
    assert response.status_code == 400
    assert "That is not your current password." in text_of(response)


def test_deactivation_ends_the_users_sessions(app, client, tenant_session):
    rep = signed_in(app, "rep1@acme.test")
    assert rep.get("/").status_code == 200
    client.login("owner@acme.test")
    session = tenant_session("acme")
    rep_ref = user_of(session, "rep1@acme.test").ref_id
    assert client.post(f"/team/users/{rep_ref}/active", data={"active": "0"}).status_code == 302
    assert rep.get("/").status_code == 302


def test_session_cookie_flags(client):
    response = client.login("owner@acme.test")
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("portal_session="))
    flags = header.lower()
    assert "httponly" in flags and "samesite=lax" in flags
    assert SimpleCookie(header)["portal_session"].value


def test_login_is_throttled_per_account_with_a_retry_time(app, client):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per 5 minutes"
    try:
        statuses = [client.login("owner@northwind.test", "wrong").status_code for _ in range(4)]
        assert statuses == [401, 401, 401, 429]
        blocked = client.login("owner@northwind.test")  # even the right password waits
        assert blocked.status_code == 429
        assert "try again in 5 minutes" in text_of(blocked)
        assert int(blocked.headers["Retry-After"]) > 200
        other = client.login("owner@acme.test")  # another account is not affected
        assert other.status_code == 302
    finally:
        app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "10000 per minute"


def test_login_is_throttled_per_ip(app, client):
    app.config["LOGIN_LIMIT_PER_IP"] = "5 per minute"
    try:
        statuses = [client.login(f"someone{i}@acme.test", "wrong").status_code for i in range(6)]
        assert statuses[-1] == 429 and set(statuses[:5]) == {401}
    finally:
        app.config["LOGIN_LIMIT_PER_IP"] = "10000 per minute"


def test_next_only_goes_to_our_own_pages(client):
    response = client.post(
        "/login?next=https://evil.example/x", data={"email": "owner@acme.test", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/team/", data={"email": "owner@acme.test", "password": PASSWORD})
    assert response.headers["Location"] == "/team/"


def test_last_login_is_recorded(client, tenant_session):
    client.login("viewer@northwind.test")
    session = tenant_session("northwind")
    assert user_of(session, "viewer@northwind.test").last_login_on is not None
    assert tenant_of(session).slug == "northwind"


def test_a_session_in_use_is_marked_seen_every_few_minutes(client, tenant_session, monkeypatch):
    client.login("viewer@northwind.test")
    session = tenant_session("northwind")
    viewer = user_of(session, "viewer@northwind.test")
    seen = select(WebSession.last_seen_on).where(
        WebSession.user_id == viewer.id, WebSession.revoked_on.is_(None)
    )
    first = session.scalars(seen).one()
    assert client.get("/").status_code == 200
    assert session.scalars(seen).one() == first  # within the interval: no write on every page
    later = first + auth_service.SEEN_INTERVAL + dt.timedelta(seconds=1)
    monkeypatch.setattr(auth_service, "_now", lambda: later)
    assert client.get("/").status_code == 200
    assert session.scalars(seen).one() == later
