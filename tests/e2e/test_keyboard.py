"""Keyboard only: sign in, open an approval from the inbox and approve it with Tab and Enter alone, with a
visible focus ring on every stop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import assert_clean, shoot

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 80),
          tag: el.tagName, visible: el.matches(':focus-visible'),
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
          shadow: style.boxShadow !== 'none'};
}"""


def tab_to(page: Page, text: re.Pattern, limit: int = 150) -> None:
    """Press Tab until the focused element's text matches, asserting each stop shows where focus is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "BODY":
            continue
        assert focused["outline"] or focused["shadow"], f"no visible focus on {focused}"
        if text.search(focused["text"]):
            return
    raise AssertionError(f"Tab never reached {text.pattern!r}")


def _waiting(page: Page) -> int:
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("^Approvals"))
    return int(re.search(r"(\d+)", link.text_content()).group(1))


def test_sign_in_and_approve_the_first_waiting_item_with_the_keyboard_alone(page: Page):
    page.goto("/login")
    page.keyboard.type("marketer@northwind.test")  # the e-mail field has focus on arrival
    page.keyboard.press("Tab")
    page.keyboard.type("portal-demo")
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile("/login"))

    waiting = _waiting(page)
    tab_to(page, re.compile(r"^Approvals"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/approvals"))
    tab_to(page, re.compile(r"^Review$"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("^Your (decision|review)$"))).to_be_visible()
    tab_to(page, re.compile(r"^Approve( campaign)?$"))
    shoot(page, "keyboard-focus-on-approve")
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("^Approvals"))
    ).to_have_text(re.compile(rf"\b{waiting - 1}\b"))
    assert_clean(page)
