"""Two-factor sign-in in a real browser: set it up from the account page (QR code and key), save the
recovery codes, sign out, and sign in again with the password and a code from the authenticator app."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from portal.auth.passwords import hash_password
from portal.models import User
from tests.conftest import PASSWORD

from .conftest import assert_clean, shoot, sign_in, sign_out

pytestmark = pytest.mark.browser


def _code(totp: pyotp.TOTP, step: int) -> str:
    """The app's code for a time step (the portal accepts one step of drift either way)."""
    return totp.generate_otp(step)


def test_enrol_sign_out_and_sign_in_with_a_code(page: Page, tenant_db):
    session = tenant_db("acme")
    email = f"two-factor-{time.time_ns()}@acme.test"
    session.add(
        User(full_name="Tess Factor", email=email, role="viewer", password_hash=hash_password(PASSWORD))
    )
    session.commit()

    sign_in(page, email)
    page.get_by_role("link", name="Two-factor sign-in").first.click()
    expect(page.get_by_role("heading", name="Two-factor sign-in", level=1)).to_be_visible()
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    shoot(page, "two-factor-setup")
    shoot(page, "two-factor-setup", width=360)

    totp = pyotp.TOTP(page.locator("#secret").inner_text().replace(" ", ""))
    step = totp.timecode(time.time())
    page.get_by_label("Code from your app").fill(_code(totp, step))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Keep these somewhere safe")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    shoot(page, "two-factor-recovery-codes")
    page.get_by_role("button", name="I have saved them").click()
    expect(page.get_by_text("10 of 10 unused")).to_be_visible()

    sign_out(page)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/login/code$"))
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Code").fill(_code(totp, step))  # already used: refused
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("That code is not right, or was already used.")).to_be_visible()
    shoot(page, "two-factor-code-refused", width=360)

    page.get_by_label("Code").fill(_code(totp, step + 1))
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    expect(page.get_by_role("navigation").get_by_role("link", name=re.compile("Dashboard"))).to_be_visible()
    assert_clean(page)
