"""A marketer requests a blog post, sends one post back with a note and approves another; the post's body
is loaded lazily from the object store."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import assert_clean, settle, shoot, sign_in

pytestmark = pytest.mark.browser


def _open_a_post_in_review(page: Page) -> str:
    page.goto("/content/blog/posts?status=client_review")
    link = page.get_by_role("row").filter(has_text="Your review").first.get_by_role("link").first
    title = link.inner_text()
    link.click()
    expect(page.get_by_role("heading", name="Your decision")).to_be_visible()
    return title


def test_a_marketer_requests_a_blog_post(page: Page):
    sign_in(page, "marketer@acme.test")
    page.goto("/content/blog/requests/new")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Say what the post is about.")).to_be_visible()
    page.get_by_label("Topic").fill("Invisible aligners for adults: what a first visit looks like")
    page.get_by_label("Brief").fill("Walk through the scan, the plan and the first trays; no prices.")
    page.get_by_label("Due date").fill((dt.date.today() + dt.timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Request sent. The agency will accept it or come back to you.")).to_be_visible()
    expect(
        page.get_by_text("Invisible aligners for adults: what a first visit looks like").first
    ).to_be_visible()
    shoot(page, "blog-requested")
    assert_clean(page)


def test_a_marketer_sends_one_post_back_with_a_note_and_approves_another(page: Page):
    sign_in(page, "marketer@acme.test")
    rejected = _open_a_post_in_review(page)
    settle(page)  # the body comes from S3 through a lazy fragment
    expect(page.locator(".content-loading")).to_have_count(0)
    page.get_by_role("button", name="Send back").click()
    expect(page.get_by_text("Say what should change, so the agent can rewrite it.")).to_be_visible()
    note = "Too salesy in the second half; add the aftercare steps."
    page.get_by_label("Note for the agency").fill(note)
    page.get_by_role("button", name="Send back").click()
    expect(page.get_by_text("Sent back for a rewrite.").first).to_be_visible()
    expect(page.get_by_text(note).first).to_be_visible()
    shoot(page, "blog-post-sent-back")

    approved = _open_a_post_in_review(page)
    assert approved != rejected
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("heading", name="Your decision")).to_have_count(0)
    expect(page.get_by_text(re.compile("approved", re.I)).first).to_be_visible()
    shoot(page, "blog-post-approved")
    shoot(page, "blog-post-approved", width=360)
    assert_clean(page)
