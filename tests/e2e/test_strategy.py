"""Strategies in review: Acme's owner approves one; Northwind's owner rejects another with a note."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import assert_clean, shoot, sign_in

pytestmark = pytest.mark.browser


def test_an_owner_approves_a_strategy_in_review(page: Page):
    sign_in(page, "owner@acme.test")
    page.goto("/strategy")
    row = page.get_by_role("row").filter(has_text="Next six months: aligners and paid social")
    expect(row.get_by_text("Waiting for your decision")).to_be_visible()
    row.get_by_role("link", name="Next six months: aligners and paid social").click()
    expect(page.get_by_text("This version waits for your decision.")).to_be_visible()
    page.get_by_role("button", name="Approve…").click()
    expect(page.get_by_role("heading", name=re.compile(r"Approve version \d+\?"))).to_be_visible()
    page.get_by_role("button", name="Yes, approve").click()
    expect(page.get_by_text("This version waits for your decision.")).to_have_count(0)
    expect(page.get_by_text("approved this version")).to_be_visible()
    expect(page.get_by_text("Priya Raman").first).to_be_visible()
    shoot(page, "strategy-approved")
    shoot(page, "strategy-approved", width=360)
    assert_clean(page)


def test_another_owner_rejects_a_strategy_with_a_note(page: Page):
    sign_in(page, "owner@northwind.test")
    page.goto("/strategy")
    page.get_by_role("link", name="Adding paid social for wills and probate").click()
    page.get_by_role("button", name="Reject…").click()
    page.get_by_role("button", name="Reject with this note").click()
    expect(page.get_by_text("Say why you reject the strategy.")).to_be_visible()
    note = "Probate ads feel insensitive; keep paid social to wills only."
    page.get_by_label("Why do you reject it?").fill(note)
    page.get_by_role("button", name="Reject with this note").click()
    expect(page.get_by_text("rejected this version")).to_be_visible()
    expect(page.get_by_text(note).first).to_be_visible()
    shoot(page, "strategy-rejected")
    assert_clean(page)
