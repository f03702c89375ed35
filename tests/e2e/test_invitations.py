"""Inviting a colleague in a real browser: the owner invites from the team page, the colleague follows
the e-mailed link at another computer, chooses a name and password, and lands on the dashboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.models import OutboxEmail

from .conftest import assert_clean, shoot, sign_in

pytestmark = pytest.mark.browser

INVITEE = "e2e.invitee@example.test"


def test_invite_then_accept_in_the_browser(page: Page, second_page: Page, tenant_db):
    sign_in(page, "owner@acme.test")
    page.goto("/team/")
    invite = page.locator("form[action='/team/invitations']")
    invite.get_by_label("E-mail").fill(INVITEE)
    invite.get_by_label("Role").select_option("marketer")
    invite.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {INVITEE}.")).to_be_visible()
    expect(page.get_by_role("cell", name=INVITEE, exact=True)).to_be_visible()
    shoot(page, "team-invitations")
    shoot(page, "team-invitations", width=360)
    assert_clean(page)

    body = tenant_db("acme").scalars(select(OutboxEmail.body).where(OutboxEmail.to_address == INVITEE)).one()
    # The e-mail's link starts with BASE_URL; this server listens elsewhere, so follow its path.
    link = re.search(r"https?://[^/\s]+(/invitations/\S+)", body).group(1)

    second_page.goto(link)
    expect(second_page.get_by_role("heading", name=re.compile("Join .*'s portal"))).to_be_visible()
    expect(second_page.get_by_text("as Marketer")).to_be_visible()
    shoot(second_page, "invitation-accept")
    shoot(second_page, "invitation-accept", width=360)
    second_page.get_by_label("Your name").fill("Ivy Invitee")
    second_page.locator("#new_password").fill("short")
    second_page.get_by_label("Repeat the password").fill("short")
    second_page.get_by_role("button", name="Join and sign in").click()
    expect(second_page.get_by_text("Use at least 12 characters")).to_be_visible()
    expect(second_page.get_by_label("Your name")).to_have_value("Ivy Invitee")
    second_page.locator("#new_password").fill("violet kettle harbour")
    second_page.get_by_label("Repeat the password").fill("violet kettle harbour")
    second_page.get_by_role("button", name="Join and sign in").click()
    expect(second_page).not_to_have_url(re.compile(r"/invitations/"))
    expect(second_page.get_by_text("Welcome to")).to_be_visible()
    assert_clean(second_page)
