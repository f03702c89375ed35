"""Billing: who may see it, months and the running credit balance, invoices, and the CSV export."""

from __future__ import annotations

import csv
import io
from collections import Counter
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from portal.models import BillingEvent
from tests.conftest import signed_in, tenant_of, text_of
from tests.queries import count_statements


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("owner", True),
        ("admin", True),
        ("marketer", False),
        ("manager", False),
        ("rep1", False),
        ("viewer", False),
    ],
)
def test_only_owners_and_admins_see_billing(app, client, tenant_session, who, allowed):
    event = tenant_session("acme").scalars(select(BillingEvent).where(BillingEvent.kind == "invoice")).first()
    user = signed_in(app, f"{who}@acme.test")
    for url in ("/billing/", f"/billing/{event.ref_id}", "/billing/export.csv"):
        assert user.get(url).status_code == (200 if allowed else 403), url
    assert ("Billing" in text_of(user.get("/"))) == allowed  # the sidebar entry too


def test_months_add_up_and_show_the_balance_at_month_end(client, tenant_session):
    session = tenant_session("acme")
    zone = ZoneInfo(tenant_of(session).timezone)
    events = list(
        session.scalars(select(BillingEvent).order_by(BillingEvent.occurred_on, BillingEvent.ref_id))
    )
    invoiced: Counter = Counter()
    used: Counter = Counter()
    closing = {}
    for e in events:
        month = e.occurred_on.astimezone(zone).strftime("%B %Y")
        if e.kind == "invoice" and e.status != "void":  # a voided invoice is owed by nobody
            invoiced[month] += e.amount
        if e.kind in ("credit_consumed", "credit_released"):
            used[month] -= e.credits
        if e.credit_balance_after is not None:
            closing[month] = e.credit_balance_after
    client.login("owner@acme.test")
    page = text_of(client.get("/billing/"))
    for month, amount in invoiced.items():
        assert f"{month} ₹{amount:,.2f}" in page, month
    last_movement = [e for e in events if e.credit_balance_after is not None][-1]
    latest = last_movement.occurred_on.astimezone(zone).strftime("%B %Y")
    assert f"Credits left {closing[latest]}" in page
    assert f"{used[latest]} {closing[latest]}" in page  # credits used, then balance at month end


def test_the_ledger_pages_with_a_constant_statement_count(app, client, tenant_session):
    client.login("admin@acme.test")
    engine = app.extensions["db"].engine
    with count_statements(engine) as first:
        page = client.get("/billing/?kind=credits")
    older = page.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    with count_statements(engine) as second:
        assert client.get(older).status_code == 200
    assert len(first) == len(second)


def test_a_reversed_or_too_long_range_is_refused(client):
    client.login("owner@acme.test")
    response = client.get("/billing/?from=2026-10-01&to=2026-09-01")
    assert response.status_code == 400 and "reversed" in text_of(response)
    export = client.get("/billing/export.csv?from=2020-01-01&to=2026-01-01")
    assert export.status_code == 400 and b"longer than two years" in export.data


def test_the_invoice_page_shows_lines_tax_and_payments(client, tenant_session):
    session = tenant_session("acme")
    invoice = session.scalars(
        select(BillingEvent).where(
            BillingEvent.kind == "invoice",
            BillingEvent.status == "paid",
            BillingEvent.period_start.isnot(None),
        )
    ).first()
    client.login("owner@acme.test")
    page = text_of(client.get(f"/billing/{invoice.ref_id}"))
    assert f"Invoice {invoice.invoice_number}" in page
    assert "GST 18% ₹8,100.00" in page and "Total ₹53,100.00" in page
    assert "Balance due: ₹0.00" in page


def test_the_csv_export_parses_back_to_the_same_rows(client, tenant_session):
    session = tenant_session("acme")
    client.login("owner@acme.test")
    response = client.get("/billing/export.csv?from=2026-09-01&to=2026-09-30")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    zone = ZoneInfo(tenant_of(session).timezone)
    expected = [
        e
        for e in session.scalars(select(BillingEvent).order_by(BillingEvent.occurred_on, BillingEvent.ref_id))
        if e.occurred_on.astimezone(zone).strftime("%Y-%m") == "2026-09"
    ]
    assert len(rows) == len(expected) > 0
    assert [r["kind"] for r in rows] == [e.kind for e in expected]
    assert sum(Decimal(r["amount"]) for r in rows if r["amount"]) == sum(
        e.amount for e in expected if e.amount is not None
    )
    assert [int(r["credit_balance_after"]) for r in rows if r["credit_balance_after"]] == [
        e.credit_balance_after for e in expected if e.credit_balance_after is not None
    ]


def test_formula_like_text_is_neutralised_in_the_csv(client, tenant_session):
    session = tenant_session("acme")
    session.add(
        BillingEvent(kind="adjustment", credits=0, credit_balance_after=0, description="=HYPERLINK(1)")
    )
    session.commit()
    client.login("owner@acme.test")
    rows = list(csv.DictReader(io.StringIO(client.get("/billing/export.csv").get_data(as_text=True))))
    assert "'=HYPERLINK(1)" in [r["description"] for r in rows]
