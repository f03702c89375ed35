"""Initech has a contract waiting: a non-owner is held at the gate, the owner accepts it (the gate lifts)
and walks the onboarding wizard. The tests in this file run in order on the e2e database."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import assert_clean, shoot, sign_in

pytestmark = pytest.mark.browser


def test_a_non_owner_is_held_at_the_gate(page: Page):
    sign_in(page, "admin@initech.test")
    expect(page).to_have_url(re.compile(r"/contract/$"))
    expect(page.get_by_role("heading", name="Waiting for the owner")).to_be_visible()
    expect(page.get_by_text("Only the account owner can accept the contract")).to_be_visible()
    expect(page.get_by_role("button", name="Accept the contract")).to_have_count(0)
    for path in ("/", "/team/", "/strategy", "/content/"):
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/contract/$"))
    shoot(page, "contract-gate-non-owner")
    assert_clean(page)


def test_the_owner_accepts_the_contract_and_walks_the_wizard(page: Page):
    sign_in(page, "owner@initech.test")
    expect(page).to_have_url(re.compile(r"/contract/$"))
    expect(page.get_by_text("The portal opens once you accept it")).to_be_visible()
    shoot(page, "contract-to-accept")
    shoot(page, "contract-to-accept", width=360)

    page.get_by_role("button", name="Accept the contract").click()
    expect(page.get_by_text("Tick the statement to accept the contract.")).to_be_visible()
    page.get_by_label("Full name").fill("Dana Whitaker")
    page.get_by_label("I have read the contract and agree to the statement above.").check()
    page.get_by_role("button", name="Accept the contract").click()

    # The gate lifts: the owner is sent on to onboarding, no longer back to the contract.
    expect(page).to_have_url(re.compile(r"/onboarding/"))
    page.goto("/contract/")
    expect(page.get_by_role("button", name="Acceptance certificate")).to_be_visible()
    expect(page.get_by_text("Dana Whitaker").first).to_be_visible()

    page.goto("/onboarding/")
    start = page.get_by_role("button", name="Start onboarding")
    if start.count():
        start.click()
    expect(page.get_by_role("heading", name="Channels", exact=True)).to_be_visible()
    page.get_by_label("Website address").fill("not a url")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_label("Website address")).to_have_value("not a url")
    expect(page.locator("#website-error")).to_be_visible()
    page.get_by_label("Website address").fill("https://www.initechplumbing.example")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Brand voice", exact=True)).to_be_visible()
    page.get_by_label("Tone").fill("Friendly, straight-talking")
    page.get_by_role("button", name="Save and continue").click()
    for heading in ("Brand assets", "Documents", "Baseline"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        page.get_by_role("button", name="Skip this step").click()
    expect(page.get_by_role("heading", name="Budget", exact=True)).to_be_visible()
    page.get_by_label("Monthly budget").fill("2500")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Launch", exact=True)).to_be_visible()
    shoot(page, "onboarding-launch")
    page.get_by_role("button", name="Launch").click()
    expect(page).to_have_url(re.compile(r"/onboarding/$"))
    expect(
        page.get_by_text(re.compile("^Onboarding is complete|^Onboarding has been launched"))
    ).to_be_visible()
    shoot(page, "onboarding-launched")
    shoot(page, "onboarding-launched", width=360)
    assert_clean(page)
