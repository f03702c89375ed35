"""Hostile content through real pages in chromium: no dialog opens and no injected script runs, even with
the CSP switched off in the browser (so the escaping and sanitising are proven, not only the policy). And a
post's body, loaded lazily, says "unavailable" when the object store stops, without breaking the page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.models import (
    BlogPost,
    Lead,
    LeadActivity,
    SearchTermClassification,
    SearchTermReport,
    Strategy,
    Tenant,
)
from portal.stores.documents import ACTIVITY_OUTPUTS, STRATEGIES_CONTENT
from tests.stores.xss_corpus import PAYLOADS

from .conftest import assert_clean, settle, shoot, sign_in, watched_page

pytestmark = pytest.mark.browser

# Payloads of our own whose only effect, if they ever ran, is a flag the test reads.
FLAGGING = [
    "<script>window.__xss = 1</script>",
    '<img src="x" onerror="window.__xss = 2">',
    '<svg onload="window.__xss = 3"></svg>',
    '<a href="javascript:window.__xss = 4" id="xss-link">x</a>',
    '"><script>window.__xss = 5</script>',
    "</textarea><script>window.__xss = 6</script>",
]
HOSTILE = "\n\n".join(PAYLOADS + FLAGGING)


@pytest.fixture
def planted(e2e_app, tenant_db) -> dict[str, str]:
    """The corpus written into Acme's content: a blog post's body (a document of its own), a strategy's
    summary and Markdown body, a search term's rationale, a note on a lead. Returns the pages that show them."""
    session = tenant_db("acme")
    tenant = session.scalars(select(Tenant)).one()
    documents = e2e_app.extensions["stores"].documents
    now = dt.datetime.now(dt.UTC)
    inserted = documents[ACTIVITY_OUTPUTS].insert_one(
        {"tenantId": tenant.ref_id, "format": "markdown", "body": HOSTILE, "createdOn": now, "updatedOn": now}
    )
    post = session.scalars(select(BlogPost).where(BlogPost.status == "published").limit(1)).one()
    post.content_ref = str(inserted.inserted_id)
    post.title = "<script>window.__xss = 7</script>" + post.title
    strategy = session.scalars(select(Strategy).order_by(Strategy.version).limit(1)).one()
    strategy.summary = HOSTILE[:4000]
    strategy.content_ref = str(
        documents[STRATEGIES_CONTENT]
        .insert_one({"tenantId": tenant.ref_id, "format": "markdown", "body": HOSTILE, "createdOn": now})
        .inserted_id
    )
    classification, report = session.execute(
        select(SearchTermClassification, SearchTermReport)
        .join(SearchTermReport, SearchTermClassification.search_term_report_id == SearchTermReport.id)
        .limit(1)
    ).one()
    classification.ai_rationale = HOSTILE[:4000]
    campaign_id = report.ad_campaign_id
    lead = session.scalars(select(Lead).order_by(Lead.created_on.desc()).limit(1)).one()
    session.add(LeadActivity(tenant_id=tenant.id, lead_id=lead.id, type="note", description=HOSTILE[:5000]))
    session.commit()
    from portal.models import AdCampaign

    campaign = session.scalars(select(AdCampaign).where(AdCampaign.id == campaign_id)).one()
    return {
        "blog post": f"/content/blog/posts/{post.ref_id}",
        "strategy": f"/strategy/{strategy.ref_id}",
        "strategy list": "/strategy",
        "search terms": f"/campaigns/{campaign.ref_id}/search-terms?q={report.search_term}",
        "lead note": f"/leads/{lead.ref_id}",
    }


def _visit_all(page: Page, pages: dict[str, str]) -> None:
    sign_in(page, "owner@acme.test")
    for name, path in pages.items():
        page.goto(path)
        settle(page)
        assert "alert(1)" in page.content(), f"the corpus did not reach the {name} page"
        page.mouse.move(200, 300)  # hover handlers, if any survived, would fire now
        for link in page.locator("#xss-link").all():
            link.click(force=True)
        assert page.evaluate("window.__xss") is None, f"injected script ran on the {name} page"
        assert page.watch.dialogs == [], f"a dialog opened on the {name} page: {page.watch.dialogs}"


def test_the_xss_corpus_runs_nothing_with_the_csp(page: Page, planted):
    _visit_all(page, planted)
    page.goto(planted["blog post"])
    settle(page)
    expect(page.get_by_text("<script>window.__xss = 7</script>", exact=False).first).to_be_visible()
    shoot(page, "xss-blog-post")
    # The corpus's harmless <img src="x.png"> ask for files that are not there; nothing else may show.
    page.watch.console_errors[:] = [e for e in page.watch.console_errors if not re.search(r"/x(\.png)?'", e)]
    assert_clean(page)


def test_the_xss_corpus_runs_nothing_even_with_the_csp_bypassed(browser, base_url, planted):
    context = browser.new_context(bypass_csp=True, base_url=base_url, viewport={"width": 1280, "height": 900})
    try:
        _visit_all(watched_page(context), planted)
    finally:
        context.close()


def test_a_lazy_body_loads_and_says_unavailable_when_the_object_store_stops(
    page: Page, object_store, tenant_db
):
    session = tenant_db("northwind")
    first, second = session.scalars(
        select(BlogPost).where(BlogPost.content_ref.is_not(None), BlogPost.status == "published").limit(2)
    ).all()
    sign_in(page, "owner@northwind.test")
    page.goto(f"/content/blog/posts/{first.ref_id}")
    # htmx fetches the body after the page: first the placeholder, then the rendered post.
    settle(page)
    expect(page.locator(".content-loading")).to_have_count(0)
    expect(page.locator(".content-unavailable")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("Download original"))).to_be_visible()
    object_store.stop()
    try:
        page.goto(f"/content/blog/posts/{second.ref_id}")
        settle(page)
        expect(
            page.get_by_text(re.compile("unavailable right now|can't be loaded right now")).first
        ).to_be_visible()
        expect(page.get_by_role("button", name="Retry")).to_be_visible()
        expect(page.get_by_role("heading", name=second.title).first).to_be_visible()
        shoot(page, "content-unavailable")
    finally:
        object_store.start()
    # The fragment answered 503 while S3 was down (htmx logs it; the page showed the placeholder).
    page.watch.console_errors[:] = [e for e in page.watch.console_errors if not re.search(r"503.*/refs/", e)]
    page.get_by_role("button", name="Retry").first.click()
    settle(page)
    expect(page.get_by_text(re.compile("unavailable right now|can't be loaded right now"))).to_have_count(0)
    assert_clean(page)
