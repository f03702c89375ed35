"""A marketer approves a recommendation and overrides the AI's label on a search term."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.models import AdCampaign, AdOptimizationRecommendation, SearchTermClassification, SearchTermReport

from .conftest import assert_clean, shoot, sign_in

pytestmark = pytest.mark.browser


def test_a_marketer_approves_a_recommendation(page: Page, tenant_db):
    session = tenant_db("acme")
    rec = session.scalars(
        select(AdOptimizationRecommendation)
        .where(AdOptimizationRecommendation.status == "client_review")
        .limit(1)
    ).one()
    sign_in(page, "marketer@acme.test")
    page.goto("/campaigns/recommendations")
    page.get_by_role("link", name=rec.title).first.click()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    expect(page.get_by_text("Kavya Nair").first).to_be_visible()
    session.refresh(rec)
    assert rec.status != "client_review"
    shoot(page, "recommendation-approved")
    assert_clean(page)


def test_a_marketer_overrides_a_search_term_label(page: Page, tenant_db):
    session = tenant_db("acme")
    term, campaign = session.execute(
        select(SearchTermReport.search_term, AdCampaign.ref_id)
        .join(SearchTermClassification, SearchTermClassification.search_term_report_id == SearchTermReport.id)
        .join(AdCampaign, AdCampaign.id == SearchTermReport.ad_campaign_id)
        .where(SearchTermClassification.status == "pending")
        .limit(1)
    ).one()
    sign_in(page, "marketer@acme.test")
    page.goto(f"/campaigns/{campaign}/search-terms?status=pending")
    select_label = page.get_by_label(f"Label for “{term}”")
    options = select_label.locator("option").all_inner_texts()
    chosen = select_label.input_value()
    other = next(
        o for o in options if select_label.locator("option", has_text=o).get_attribute("value") != chosen
    )
    select_label.select_option(label=other)
    row = page.get_by_role("row").filter(has_text=term).first
    row.get_by_role("button", name="Decide").click()
    # Decided, it leaves the pending list; it shows with its new status, marked as changed by the client.
    expect(page.get_by_role("row").filter(has_text=term)).to_have_count(0)
    decided = session.scalars(
        select(SearchTermClassification)
        .join(SearchTermReport, SearchTermClassification.search_term_report_id == SearchTermReport.id)
        .where(SearchTermReport.search_term == term)
        .execution_options(populate_existing=True)
    ).first()
    assert decided.status != "pending" and decided.decision != decided.ai_classification
    page.goto(f"/campaigns/{campaign}/search-terms?status={decided.status}")
    row = page.get_by_role("row").filter(has_text=term).first
    expect(row.get_by_text("(changed)")).to_be_visible()
    expect(row.get_by_text(other)).to_be_visible()
    shoot(page, "search-term-overridden")
    assert_clean(page)
