"""The attacker's sweep, the parts tests/test_route_walk.py does not cover: security headers on every
route's answer (each role, two tenants, signed out, htmx fragments), the session cookie's flags, login
throttling that a forged X-Forwarded-For or a re-spelt e-mail does not get round, and stolen sessions that
stay dead on every route after sign-out and after a password change.

A summary line at the end of the run reports routes swept × roles × tenants and the failures, counted
from what actually ran.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from portal import config
from portal.web import PUBLIC_ENDPOINTS, SECURITY_HEADERS
from tests.conftest import PASSWORD, change_password, signed_in
from tests.routes import ROLE_USERS, build, ref_of, routes

SWEPT_TENANTS = ("acme", "northwind")


@dataclass
class Tally:
    """What the sweep covered, for the summary line."""

    routes: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    tenants: set[str] = field(default_factory=set)
    requests: int = 0
    failed: list[str] = field(default_factory=list)


class SweepSummary:
    """A plugin registered by the first sweep test: prints the summary line at the end of the run."""

    def __init__(self) -> None:
        self.tally = Tally()

    def pytest_runtest_logreport(self, report) -> None:
        """Count failed sweep tests."""
        if report.failed and "test_sweep.py" in report.nodeid:
            self.tally.failed.append(report.nodeid)

    def pytest_terminal_summary(self, terminalreporter) -> None:
        """One line: routes × roles × tenants swept, requests sent, failures."""
        t = self.tally
        terminalreporter.write_line(
            f"attacker's sweep: {len(t.routes)} routes × {len(t.roles)} roles × {len(t.tenants)} tenants "
            f"({t.requests} requests), {len(t.failed)} failures"
        )


@pytest.fixture(scope="session")
def tally(request) -> Tally:
    """The session's tally, with its summary plugin registered once."""
    plugin = SweepSummary()
    request.config.pluginmanager.register(plugin, "attackers-sweep-summary")
    return plugin.tally


def _values(session):
    """Parameter values for build(): the tenant's ids, and a made-up token for the public lead form."""
    return lambda name: ref_of(session, name) if name.endswith("_ref") else "not-a-real-token"


def _assert_headers(response, where: str) -> None:
    # Read and close the body now: a streamed export opens its own session on the first chunk, which must
    # end inside this test's transaction, not whenever the response is collected.
    response.get_data()
    response.close()
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, f"{where}: {name} is {response.headers.get(name)!r}"
    assert response.headers.get("X-Request-ID"), where


@pytest.mark.parametrize("tenant", SWEPT_TENANTS)
@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_every_route_answers_with_the_security_headers(app, tenant_session, tally, role, tenant):
    client = signed_in(app, f"{ROLE_USERS[role]}@{tenant}.test")
    session = tenant_session(tenant)
    for route in routes(app):
        if route.endpoint == "auth.logout":
            continue
        url = build(app, route, _values(session))
        # htmx fragments once per tenant (the owner sees every route), whole pages for every role.
        for htmx in (False, True) if role == "owner" else (False,):
            headers = {"HX-Request": "true"} if htmx else {}
            response = client.open(url, method=route.method, headers=headers)
            where = f"{role}@{tenant} {route}{' (htmx)' if htmx else ''} → {response.status_code}"
            _assert_headers(response, where)
            if route.endpoint not in PUBLIC_ENDPOINTS:
                # A signed-in answer is never kept by a shared cache ("private" for the tenant's brand
                # stylesheet, which the browser may keep; "no-store" for everything else).
                cache = response.headers.get("Cache-Control", "")
                assert cache == "no-store" or (
                    route.endpoint == "dashboard.brand_css" and "private" in cache
                ), where
            tally.requests += 1
        tally.routes.add(str(route))
    tally.roles.add(role)
    tally.tenants.add(tenant)


def test_signed_out_answers_carry_the_security_headers_too(app, client, tenant_session, tally):
    session = tenant_session("acme")
    for route in routes(app):
        response = client.open(build(app, route, _values(session)), method=route.method)
        _assert_headers(response, f"signed out {route} → {response.status_code}")
        tally.requests += 1
    for path in ("/static/css/portal.css", "/no-such-page", "/leads/form/not-a-token"):
        _assert_headers(client.get(path), path)


def test_production_session_cookie_is_secure_httponly_and_lax(app, client, monkeypatch):
    """Outside a local run the cookie is Secure; over HTTPS it carries every flag and HSTS comes with it."""
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    assert config.load("production")["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    response = client.post(
        "/login",
        data={"email": "owner@acme.test", "password": PASSWORD},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/login"},  # over HTTPS the CSRF check wants our own referrer
    )
    assert response.status_code == 302
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("portal_session="))
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite=lax", "path=/"} <= flags, cookie
    assert not any(f.startswith("domain=") for f in flags), "the cookie must stay on the portal's host"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_forged_forwarded_for_does_not_reset_the_ip_throttle(app, client):
    """With no trusted proxy, X-Forwarded-For is the attacker's to write; it must not buy fresh attempts."""
    app.config["LOGIN_LIMIT_PER_IP"] = "5 per minute"
    try:
        statuses = [
            client.post(
                "/login",
                data={"email": f"guess{i}@acme.test", "password": "wrong"},
                headers={"X-Forwarded-For": f"203.0.113.{i}", "X-Real-IP": f"198.51.100.{i}"},
            ).status_code
            for i in range(7)
        ]
        assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}, statuses
    finally:
        app.config["LOGIN_LIMIT_PER_IP"] = "10000 per minute"


def test_respelling_the_email_does_not_reset_the_account_throttle(app, client):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per 5 minutes"
    try:
        spellings = [
            "owner@northwind.test",
            "OWNER@northwind.test",
            " owner@Northwind.test ",
            "Owner@NORTHWIND.TEST",
        ]
        statuses = [client.login(email, "wrong").status_code for email in spellings]
        assert statuses == [401, 401, 401, 429], statuses
        assert client.login("owner@northwind.test").status_code == 429  # the right password waits too
    finally:
        app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "10000 per minute"


def _session_cookie(client) -> str:
    return client.get_cookie("portal_session").value


def _replay_everywhere(app, cookie: str, session, tally) -> None:
    """Every private route with the stolen cookie: sent to sign in, or 400 for an unsafe method (CSRF),
    never an answer of the portal's."""
    thief = app.test_client()
    thief.set_cookie("portal_session", cookie)
    for route in routes(app):
        if route.endpoint in PUBLIC_ENDPOINTS:
            continue
        response = thief.open(build(app, route, _values(session)), method=route.method)
        response.close()
        assert response.status_code in (302, 400), f"{route} with a dead session: {response.status_code}"
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/login"), route
        fragment = thief.open(
            build(app, route, _values(session)),
            method=route.method,
            headers={"HX-Request": "true"},
        )
        fragment.close()
        assert fragment.status_code in (302, 400, 401, 204), (
            f"{route} (htmx), dead session: {fragment.status_code}"
        )
        tally.requests += 2


def test_a_stolen_session_stays_dead_on_every_route_after_sign_out(app, client, tenant_session, tally):
    client.login("manager@acme.test")
    stolen = _session_cookie(client)
    assert client.post("/logout").status_code == 302
    _replay_everywhere(app, stolen, tenant_session("acme"), tally)
    assert client.get("/").status_code == 302  # and the browser that signed out is out too


def test_a_stolen_session_stays_dead_on_every_route_after_a_password_change(
    app, client, tenant_session, tally
):
    client.login("marketer@northwind.test")
    stolen = _session_cookie(client)
    owner_device = signed_in(app, "marketer@northwind.test")
    response = change_password(owner_device, PASSWORD, "a-fresh-long-secret")
    assert response.status_code == 302
    _replay_everywhere(app, stolen, tenant_session("northwind"), tally)
    assert owner_device.get("/").status_code == 200
