"""What every response carries, what the log says, error pages, and times and money as a user reads them."""

from __future__ import annotations

import datetime as dt
import logging
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import g

from portal import navigation
from portal.formatting import ago, localtime, money
from portal.web import CSP
from tests.conftest import signed_in, tenant_of, text_of, user_of
from tests.queries import count_statements


def test_security_headers_on_pages_errors_and_static(client):
    client.login("owner@acme.test")
    for path in ("/", "/login", "/does-not-exist", "/static/css/portal.css", "/healthz"):
        response = client.get(path)
        assert response.headers["Content-Security-Policy"] == CSP, path
        assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Request-ID"]


def test_signed_in_pages_are_not_cached(client):
    client.login("owner@acme.test")
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert "HX-Request" in client.get("/").headers["Vary"]


def test_one_log_line_per_request_with_request_id_user_and_tenant(client, caplog, tenant_session):
    session = tenant_session("acme")
    owner, tenant = user_of(session, "owner@acme.test"), tenant_of(session)
    client.login("owner@acme.test")
    with caplog.at_level(logging.INFO, logger="portal.request"):
        response = client.get("/team/", headers={"X-Request-ID": "req-42"})
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.request"]
    assert len(lines) == 1
    assert lines[0].startswith("req-42 GET /team/ 200")
    assert f"user={owner.ref_id} tenant={tenant.ref_id}" in lines[0]
    assert response.headers["X-Request-ID"] == "req-42"


def test_failed_sign_in_is_a_security_event(client, caplog):
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        client.login("owner@acme.test", "wrong")
    assert any("sign-in failed" in r.getMessage() for r in caplog.records if r.name == "portal.security")


def test_error_pages_in_the_portal_look(client):
    client.login("owner@acme.test")
    page = client.get("/nowhere")
    assert page.status_code == 404
    assert "Acme Dental" in text_of(page)  # the signed-in layout, with the sidebar
    assert 'class="sidebar' in page.text or "nav" in page.text
    signed_out = client.application.test_client().get("/nowhere")
    assert signed_out.status_code == 404 and "<html" in signed_out.text


def test_brand_stylesheet_sets_the_tenant_colour(client):
    client.login("owner@northwind.test")
    css = client.get("/brand.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert "--brand: #" in css.text
    assert "max-age" in css.headers["Cache-Control"]
    assert "/brand.css?v=" in client.get("/").text


class _Tenant:
    timezone = "Asia/Kolkata"
    currency = "INR"


def test_times_show_in_the_tenant_timezone(app):
    with app.test_request_context():
        g.tenant = _Tenant()
        at = dt.datetime(2026, 3, 31, 20, 0, tzinfo=dt.UTC)
        assert localtime(at) == "01 Apr 2026, 01:30"
        assert at.astimezone(ZoneInfo("Asia/Kolkata")).day == 1


def test_recent_times_are_relative_with_the_exact_time_on_hover(app):
    with app.test_request_context():
        g.tenant = _Tenant()
        now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
        three_hours = ago(now - dt.timedelta(hours=3), now=now)
        assert ">3 h ago</time>" in three_hours and 'title="25 Nov 2026, 14:30"' in three_hours
        assert ">a moment ago<" in ago(now - dt.timedelta(seconds=5), now=now)
        assert ">in 2 d<" in ago(now + dt.timedelta(days=2, hours=1), now=now)
        assert ">01 Nov 2026<" in ago(dt.datetime(2026, 11, 1, tzinfo=dt.UTC), now=now)


def test_money_has_two_decimals_and_the_tenants_currency(app):
    with app.test_request_context():
        g.tenant = _Tenant()
        assert money(Decimal("1234.5")) == "₹1,234.50"
        assert money(Decimal("0.1") + Decimal("0.2")) == "₹0.30"
        assert money(Decimal("-12"), "GBP") == "-£12.00"
        assert money(Decimal("5"), "CHF") == "5.00 CHF"
        assert money(None) == "—"


def test_an_htmx_fragment_runs_neither_the_sidebar_counts_nor_the_banner(app, client):
    client.login("owner@acme.test")
    engine = app.extensions["db"].engine
    with count_statements(engine) as page:
        whole = client.get("/leads/?status=new").get_data(as_text=True)
    with count_statements(engine) as fragment:
        part = client.get("/leads/?status=new", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'class="nav-link' in whole and 'class="nav-link' not in part and "<table" in part

    def layout_statements(statements):
        return [
            s for s in statements if "billing_events" in s or s.lstrip().startswith("SELECT (SELECT count")
        ]

    # one statement: the sidebar's counts with the credit banner's figures
    assert len(layout_statements(page)) == 1 and "billing_events" in layout_statements(page)[0]
    assert layout_statements(fragment) == []
    assert len(fragment) == len(page) - 1


def test_the_sidebar_follows_the_page_and_the_role_though_each_rendering_is_kept(app, client):
    client.login("owner@acme.test")
    leads = client.get("/leads/").text
    team = client.get("/team/").text
    assert (
        re.search(r'href="/leads/" aria-current="page"', leads) and 'href="/team/" aria-current' not in leads
    )
    assert re.search(r'href="/team/" aria-current="page"', team) and 'href="/leads/" aria-current' not in team
    assert client.get("/leads/").text.count('aria-current="page"') == 1  # the kept rendering, still right
    rep = signed_in(app, "rep1@acme.test").get("/leads/").text
    assert 'href="/leads/" aria-current="page"' in rep and 'href="/team/"' not in rep  # the rep's own areas


def test_kept_sidebars_stay_bounded(app):
    with app.test_request_context("/"):
        for n in range(1, navigation.SIDEBAR_CACHE_SIZE + 100):
            html = navigation.sidebar_html([navigation.NavItem("Leads", "/leads/", True, n, "leads")])
            shown = "99+" if n >= navigation.COUNT_CAP else str(n)
            assert f'<span class="visually-hidden">(</span>{shown}<span' in html
        assert len(app.extensions["navigation_sidebars"]) <= navigation.SIDEBAR_CACHE_SIZE
