"""A new colleague's whole account life in a real browser, with the e-mails really sent: the owner invites
them, they accept from the e-mailed link, set up two-factor sign-in, sign out, sign in again with a code,
forget their password and choose a new one from the e-mailed reset link.

The e-mails go the way they go in production: the outbox row is sent over SMTP by the worker's job (run
here in the test's thread) to a real aiosmtpd server, and the links are read from each message's
plain-text part. The codes are real TOTP codes (pyotp) from the key shown on the enrolment page.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.mail import sink
from portal.mail.sender import SEND_JOB
from portal.models import Tenant

from .conftest import assert_clean, shoot, sign_in, sign_out

pytestmark = pytest.mark.browser

FIRST_PASSWORD = "violet kettle harbour"
NEW_PASSWORD = "copper lantern meadow"
LINK_PATH = re.compile(r"https?://[^/\s]+(/\S+)")


class Mailbox:
    """The aiosmtpd server the e2e portal sends to, and the worker's sending job run on demand."""

    def __init__(self, app, folder: Path) -> None:
        self.app = app
        self.folder = folder

    def deliver(self, tenant_id: str) -> None:
        """Send the tenant's outbox now, as a worker does (the e2e server runs no worker)."""
        self.app.extensions["jobs"].procrastinate.tasks[SEND_JOB](tenant_id=tenant_id)

    def newest(self, to: str, subject: str) -> sink.KeptMessage:
        """The newest message the server received for ``to`` whose subject contains ``subject``."""
        for message in sink.kept(self.folder):
            if message.to == to and subject in message.subject:
                return message
        raise AssertionError(f"no message to {to} about {subject!r}")

    def link(self, tenant_id: str, to: str, subject: str) -> str:
        """Deliver the outbox and return the path of the link in that message's plain-text part."""
        self.deliver(tenant_id)
        message = self.newest(to, subject)
        assert message.html is not None  # every message has both parts
        # The link starts with BASE_URL; the e2e server listens elsewhere, so follow its path.
        return LINK_PATH.search(message.text).group(1)


@pytest.fixture
def mailbox(e2e_app, tmp_path) -> Iterator[Mailbox]:
    """A real SMTP server on a free port, the e2e portal's SMTP settings pointed at it for the test."""
    port = sink.free_port()
    server = sink.start(tmp_path, port=port)
    keys = ("SMTP_HOST", "SMTP_PORT", "SMTP_STARTTLS", "SMTP_USER", "MAIL_FROM")
    kept = {key: e2e_app.config[key] for key in keys}
    e2e_app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=port,
        SMTP_STARTTLS=False,
        SMTP_USER=None,
        MAIL_FROM="portal@agency.example",
    )
    try:
        yield Mailbox(e2e_app, tmp_path)
    finally:
        e2e_app.config.update(kept)
        server.stop()


class Phone:
    """The authenticator app: each code is of a later time step than the last one used (the portal refuses
    a replay), at most one step ahead of now (the drift it accepts); it waits for the clock when needed."""

    def __init__(self, secret: str) -> None:
        self.totp = pyotp.TOTP(secret)
        self.last_step = -1

    def code(self) -> str:
        """A code the portal has not seen yet."""
        while self.last_step + 1 > self.totp.timecode(time.time()) + 1:
            time.sleep(1)
        self.last_step = max(self.last_step + 1, self.totp.timecode(time.time()))
        return self.totp.generate_otp(self.last_step)


def _sign_in_with_code(page: Page, email: str, password: str, phone: Phone) -> None:
    """The sign-in form, then the code page with the phone's next code; lands on the dashboard."""
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/login/code$"))
    page.get_by_label("Code").fill(phone.code())
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    expect(page.get_by_role("navigation").get_by_role("link", name=re.compile("Dashboard"))).to_be_visible()


def test_invite_accept_enrol_sign_in_with_a_code_and_reset_the_password_from_the_email(
    page: Page, second_page: Page, tenant_db, mailbox: Mailbox
):
    tenant_id = str(tenant_db("acme").scalars(select(Tenant.id)).one())
    email = f"ada.{time.time_ns() % 10**6}@example.test"

    # The owner invites; the e-mail reaches the SMTP server with the link.
    sign_in(page, "owner@acme.test")
    page.goto("/team/")
    invite = page.locator("form[action='/team/invitations']")
    invite.get_by_label("E-mail").fill(email)
    invite.get_by_label("Role").select_option("marketer")
    invite.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {email}.")).to_be_visible()
    assert_clean(page)

    # The colleague, at another computer, follows it and chooses a name and password.
    person = second_page
    person.goto(mailbox.link(tenant_id, email, "invited you"))
    expect(person.get_by_text("as Marketer")).to_be_visible()
    person.get_by_label("Your name").fill("Ada Accounts")
    person.locator("#new_password").fill(FIRST_PASSWORD)
    person.get_by_label("Repeat the password").fill(FIRST_PASSWORD)
    person.get_by_role("button", name="Join and sign in").click()
    expect(person.get_by_text("Welcome to")).to_be_visible()

    # Two-factor sign-in, with the key shown on the page.
    person.get_by_role("link", name="Two-factor sign-in").first.click()
    person.get_by_role("button", name="Set up two-factor sign-in").click()
    expect(person.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    phone = Phone(person.locator("#secret").inner_text().replace(" ", ""))
    person.get_by_label("Code from your app").fill(phone.code())
    person.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(person.locator("#recovery-codes li")).to_have_count(10)
    person.get_by_role("button", name="I have saved them").click()
    expect(person.get_by_text("10 of 10 unused")).to_be_visible()

    # Sign out, and in again: the password is not enough, the code page asks for the app's code.
    sign_out(person)
    person.get_by_label("E-mail").fill(email)
    person.get_by_label("Password").fill(FIRST_PASSWORD)
    person.get_by_role("button", name="Sign in").click()
    expect(person.get_by_role("heading", name="Enter your code")).to_be_visible()
    expect(person.get_by_text(f"Signing in as {email}.")).to_be_visible()  # which account the code is for
    shoot(person, "accounts-code")
    shoot(person, "accounts-code", width=360)
    person.get_by_label("Code").fill(phone.code())
    person.get_by_role("button", name="Sign in").click()
    expect(person.get_by_role("navigation").get_by_role("link", name=re.compile("Dashboard"))).to_be_visible()

    # Forgotten password: the reset link comes by e-mail.
    sign_out(person)
    person.get_by_role("link", name="Forgot password?").click()
    # the link is boosted: fill the field only once its page has replaced the sign-in form
    expect(person.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    person.get_by_label("E-mail").fill(email)
    person.get_by_role("button", name="E-mail me a reset link").click()
    expect(person.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    person.goto(mailbox.link(tenant_id, email, "Reset your password"))
    expect(person.get_by_role("heading", name="Choose a new password")).to_be_visible()
    expect(person.get_by_text(f"For {email}.")).to_be_visible()
    # A password manager saves the new password for this account.
    expect(person.locator("input[autocomplete=username]")).to_have_value(email)
    shoot(person, "accounts-reset")
    shoot(person, "accounts-reset", width=360)
    person.locator("#new_password").fill(NEW_PASSWORD)
    person.locator("#confirm_password").fill(NEW_PASSWORD)
    person.get_by_role("button", name="Set the new password").click()
    expect(person).to_have_url(re.compile(r"/login"))
    expect(person.get_by_text("Your password is changed")).to_be_visible()
    mailbox.deliver(tenant_id)
    assert "changed with a reset link" in " ".join(mailbox.newest(email, "was changed").text.split())

    # The old password no longer opens the account; the new one does, with a code.
    person.get_by_label("E-mail").fill(email)
    person.get_by_label("Password").fill(FIRST_PASSWORD)
    person.get_by_role("button", name="Sign in").click()
    expect(person.get_by_text("That e-mail and password do not match an active account.")).to_be_visible()
    _sign_in_with_code(person, email, NEW_PASSWORD, phone)
    assert_clean(person)
