"""Signing in and out in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import assert_clean, shoot, sign_in, sign_out

pytestmark = pytest.mark.browser


def test_sign_in_shows_the_dashboard_and_sign_out_ends_it(page: Page):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    shoot(page, "sign-in")
    shoot(page, "sign-in", width=360)

    page.get_by_label("E-mail").fill("owner@acme.test")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("That e-mail and password do not match an active account.")).to_be_visible()
    expect(page.get_by_label("E-mail")).to_have_value("owner@acme.test")

    sign_in(page, "owner@acme.test")
    expect(page.get_by_role("navigation").get_by_role("link", name=re.compile("Dashboard"))).to_be_visible()
    shoot(page, "dashboard-owner")
    shoot(page, "dashboard-owner", width=360)

    sign_out(page)
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    page.goto("/team/")
    expect(page).to_have_url(re.compile(r"/login"))
    shoot(page, "signed-out")
    assert_clean(page)
