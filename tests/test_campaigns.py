"""Campaigns: derived metrics, filters and date ranges, the tenant's decision (and the race for it),
keywords, search-term review one by one and in bulk, and recommendations."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

from flask import g
from flask_login import login_user
from sqlalchemy import delete, func, select

from portal.campaigns import recommendations, search_terms, service
from portal.campaigns.listing import DateRange
from portal.campaigns.metrics import derive
from portal.models import (
    Activity,
    ActivityRun,
    AdCampaign,
    AdKeyword,
    AdOptimizationRecommendation,
    AuditEvent,
    SearchTermClassification,
    SearchTermReport,
    Tenant,
)
from tests.conftest import tenant_ids, tenant_of, text_of, user_of
from tests.factories import make_campaign, make_tenant, make_user, session_of
from tests.queries import count_statements


def _audit_count(session, row) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.subject_id == row.id))


# -- derived metrics -------------------------------------------------------------------------------------------


def test_derived_metrics_are_exact_and_undefined_on_zero():
    m = derive(impressions=1000, clicks=50, conversions=5, cost=Decimal("125.50"))
    assert (m.ctr, m.cpc, m.cpa, m.conversion_rate) == (
        Decimal("5.00"),
        Decimal("2.51"),
        Decimal("25.10"),
        Decimal("10.00"),
    )
    zero = derive(impressions=0, clicks=0, conversions=0, cost=Decimal("0"))
    assert (zero.ctr, zero.cpc, zero.cpa, zero.conversion_rate) == (None, None, None, None)
    # clicks but no conversions: CPA undefined, the rest defined
    some = derive(impressions=1840, clicks=0, conversions=0, cost=Decimal("51.52"))
    assert some.ctr == Decimal("0.00") and some.cpc is None and some.cpa is None
    # no float artefacts: 0.1 + 0.2 style sums stay exact
    assert derive(3, 3, 3, Decimal("0.30")).cpa == Decimal("0.10")


def test_a_campaign_with_zeros_shows_dashes_not_errors(client, tenant_session):
    campaign = make_campaign(tenant_of(tenant_session("acme")), status="draft", budget=Decimal(0))
    client.login("viewer@acme.test")
    page = text_of(client.get(f"/campaigns/{campaign.ref_id}"))
    assert "CTR —" in page and "CPA —" in page and "Conversion rate —" in page
    assert "₹0.00" in page


# -- list, filters, date ranges --------------------------------------------------------------------------------


def test_list_filters_by_status_and_platform(app, client):
    tenant = make_tenant(app)
    in_review = make_campaign(tenant, name="Google in review", status="client_review")
    running = make_campaign(tenant, name="Meta running", platform="meta_ads", status="active")
    drafted = make_campaign(tenant, name="Meta drafted", platform="meta_ads", status="draft")
    other = make_campaign(make_tenant(app), name="Another tenant's in review", platform="meta_ads")
    client.login(make_user(tenant, "marketer").email)
    waiting = text_of(client.get("/campaigns/?status=client_review"))
    assert in_review.name in waiting
    assert running.name not in waiting and drafted.name not in waiting and other.name not in waiting
    meta = text_of(client.get("/campaigns/?platform=meta_ads"))
    assert running.name in meta and drafted.name in meta
    assert in_review.name not in meta and other.name not in meta


def test_reversed_or_too_long_date_ranges_are_refused(client, tenant_session):
    client.login("owner@acme.test")
    reversed_ = client.get("/campaigns/?from=2026-03-01&to=2026-01-01")
    assert reversed_.status_code == 400
    assert "reversed" in text_of(reversed_)
    too_long = client.get("/campaigns/?from=2022-01-01&to=2025-01-02")
    assert too_long.status_code == 400 and "longer than two years" in text_of(too_long)
    campaign = make_campaign(tenant_of(tenant_session("acme")))
    terms = client.get(f"/campaigns/{campaign.ref_id}/search-terms?from=2026-02-01&to=2026-01-01")
    assert terms.status_code == 400 and "reversed" in text_of(terms)
    assert client.get("/campaigns/?from=2024-01-01&to=2025-12-31").status_code == 200
    assert client.get("/campaigns/?from=2001-01-01").status_code == 400  # open end: up to today


def test_the_list_pages_by_cursor_with_a_constant_statement_count(app, client, tenant_session):
    session = tenant_session("acme")
    client.login("owner@acme.test")
    engine = app.extensions["db"].engine
    with count_statements(engine) as few:
        assert client.get("/campaigns/").status_code == 200
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)  # newer than the demo's, in a known order
    for number in range(40):
        make_campaign(
            tenant_of(session),
            name=f"Bulk campaign {number:02d}",
            status="draft",
            created_on=start + dt.timedelta(minutes=number),
        )
    session.commit()
    with count_statements(engine) as many:
        first = client.get("/campaigns/")
    assert len(many) == len(few)
    assert "Bulk campaign 39" in text_of(first) and "Bulk campaign 00" not in text_of(first)
    older = first.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    second = text_of(client.get(older))
    assert "Bulk campaign 14" in second and "Bulk campaign 15" not in second


# -- the tenant's decision -------------------------------------------------------------------------------------


def test_approve_a_campaign_records_who_and_a_repeat_changes_nothing(client, tenant_session):
    session = tenant_session("acme")
    campaign = make_campaign(tenant_of(session), status="client_review")
    client.login("marketer@acme.test")
    page = text_of(client.get(f"/campaigns/{campaign.ref_id}"))
    assert "Approve campaign" in page and "Request changes" in page
    response = client.post(f"/campaigns/{campaign.ref_id}/decision", data={"decision": "approve"})
    assert response.status_code == 303
    session.expire_all()
    assert campaign.status == "client_approved"
    assert campaign.client_decided_by == user_of(session, "marketer@acme.test").id
    assert _audit_count(session, campaign) == 1

    client.login("owner@acme.test")
    again = client.post(f"/campaigns/{campaign.ref_id}/decision", data={"decision": "changes", "note": "x"})
    assert again.status_code == 409
    marketer = user_of(session, "marketer@acme.test").full_name
    assert f"already decided by {marketer}" in text_of(again)
    session.expire_all()
    assert campaign.status == "client_approved" and _audit_count(session, campaign) == 1


def test_sending_a_campaign_back_needs_a_note(client, tenant_session):
    session = tenant_session("acme")
    campaign = make_campaign(tenant_of(session), status="client_review")
    client.login("owner@acme.test")
    missing = client.post(f"/campaigns/{campaign.ref_id}/decision", data={"decision": "changes", "note": " "})
    assert missing.status_code == 400
    assert "Say what should change" in text_of(missing)
    session.expire_all()
    assert campaign.status == "client_review" and _audit_count(session, campaign) == 0
    sent = client.post(
        f"/campaigns/{campaign.ref_id}/decision",
        data={"decision": "changes", "note": "Lower the daily cap to ₹2,000."},
    )
    assert sent.status_code == 303
    session.expire_all()
    assert campaign.status == "dm_review"
    assert campaign.client_decision_note == "Lower the daily cap to ₹2,000."


def test_other_statuses_are_read_only_with_an_explanation(app, client):
    tenant = make_tenant(app)
    campaign = make_campaign(tenant, status="active")
    client.login(make_user(tenant, "owner").email)
    page = text_of(client.get(f"/campaigns/{campaign.ref_id}"))
    assert "This campaign is running" in page and "Approve campaign" not in page


def _race(app, make_row, decide, table):
    """Two real sessions in threads decide on one committed row at the same moment; undone afterwards."""
    database = app.extensions["db"]
    tenant_id = tenant_ids(app)["acme"]
    with database.new_session(tenant_id) as setup:
        row = make_row(setup)
        setup.commit()
        row_id, ref = row.id, row.ref_id
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def contender(email: str) -> None:
        with app.test_request_context():
            session = database.new_session(tenant_id)
            g.db_session = session
            g.tenant = session.get(Tenant, tenant_id)
            user = user_of(session, email)
            login_user(user)
            target = session.scalars(select(table).where(table.ref_id == ref)).one()
            barrier.wait()
            try:
                decide(target, user)
                results[email] = "won"
            except service.AlreadyDecided as error:
                results[email] = error
            finally:
                session.close()

    threads = [threading.Thread(target=contender, args=(e,)) for e in ("owner@acme.test", "admin@acme.test")]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        with database.new_session(tenant_id) as check:
            events = check.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.subject_id == row_id)
            )
            final = check.scalars(select(table).where(table.id == row_id)).one()
            return results, events, final
    finally:
        with database.new_session(tenant_id) as cleanup:
            cleanup.execute(delete(AuditEvent).where(AuditEvent.subject_id == row_id))
            cleanup.execute(delete(table).where(table.id == row_id))
            cleanup.commit()


def test_concurrent_decisions_on_a_campaign_have_one_winner(app):
    def make(session):
        return make_campaign(tenant_of(session), name="Race campaign", status="client_review")

    results, events, final = _race(
        app, make, lambda c, user: service.decide_campaign(c, True, None, user), AdCampaign
    )
    assert sorted(type(r).__name__ for r in results.values()) == ["AlreadyDecided", "str"]
    loser = next(r for r in results.values() if isinstance(r, service.AlreadyDecided))
    assert loser.status == "client_approved" and loser.by and loser.on is not None
    assert events == 1 and final.status == "client_approved"


def test_concurrent_decisions_on_a_recommendation_have_one_winner(app):
    def make(session):
        campaign = session.scalars(select(AdCampaign).limit(1)).one()
        rec = AdOptimizationRecommendation(
            ad_campaign_id=campaign.id, kind="pause_keyword", title="Race", payload={"keyword": "x"}
        )
        session.add(rec)
        session.flush()
        return rec

    results, events, final = _race(
        app,
        make,
        lambda r, user: recommendations.decide_recommendation(r, False, "no", user),
        AdOptimizationRecommendation,
    )
    assert list(results.values()).count("won") == 1
    assert events == 1 and final.status == "rejected"


# -- keywords --------------------------------------------------------------------------------------------------


def test_keywords_sort_and_filter(app, client):
    tenant = make_tenant(app)
    campaign = make_campaign(tenant, status="active")
    session = session_of(tenant)
    for text, kind, cost in (
        ("cheap implants", "positive", "12.00"),
        ("dearest implants", "positive", "340.50"),
        ("middling implants", "positive", "99.99"),
        ("free implants", "negative", "0"),
    ):
        session.add(
            AdKeyword(
                tenant_id=tenant.id, ad_campaign_id=campaign.id, text=text, kind=kind, cost=Decimal(cost)
            )
        )
    session.commit()
    client.login(make_user(tenant, "viewer").email)
    page = text_of(client.get(f"/campaigns/{campaign.ref_id}/keywords?kind=positive&sort=cost&dir=desc"))
    by_cost = ("dearest implants", "middling implants", "cheap implants")
    positions = [page.index(text) for text in by_cost]
    assert positions == sorted(positions)
    assert "free implants" not in page


# -- search terms ----------------------------------------------------------------------------------------------


def _pending(session, count: int) -> list[SearchTermClassification]:
    rows = list(
        session.scalars(
            select(SearchTermClassification).where(SearchTermClassification.status == "pending").limit(count)
        )
    )
    assert len(rows) == count
    return rows


def test_bulk_review_confirms_labels_in_one_go_and_a_repeat_changes_nothing(client, tenant_session):
    session = tenant_session("acme")
    rows = _pending(session, 2)
    client.login("marketer@acme.test")
    marketer = user_of(session, "marketer@acme.test")
    refs = [r.ref_id for r in rows]
    first = client.post("/campaigns/search-terms/review", data={"term": refs, "decision": "confirm"})
    assert first.status_code == 303
    session.expire_all()
    for row in rows:
        assert row.decision == row.ai_classification
        assert row.status == ("skipped" if row.decision in ("watch", "irrelevant") else "reviewed")
        assert row.reviewed_by == marketer.id and row.reviewed_on is not None
    stamps = [r.reviewed_on for r in rows]
    audits = [_audit_count(session, r) for r in rows]
    assert audits == [1, 1]

    client.login("owner@acme.test")
    again = client.post(
        "/campaigns/search-terms/review", data={"term": refs, "decision": "irrelevant"}, follow_redirects=True
    )
    assert f"already decided by {marketer.full_name}" in text_of(again)
    session.expire_all()
    assert [r.reviewed_on for r in rows] == stamps
    assert [r.reviewed_by for r in rows] == [marketer.id, marketer.id]
    assert [_audit_count(session, r) for r in rows] == audits


def test_a_bulk_review_with_a_foreign_term_changes_nothing(client, tenant_session):
    northwind = tenant_session("northwind")
    foreign = northwind.scalars(select(SearchTermClassification.ref_id).limit(1)).one()
    northwind.close()  # its savepoint ends before the next session's begins
    session = tenant_session("acme")
    rows = _pending(session, 2)
    client.login("owner@acme.test")
    response = client.post(
        "/campaigns/search-terms/review",
        data={"term": [rows[0].ref_id, foreign, rows[1].ref_id], "decision": "watch"},
    )
    assert response.status_code == 404
    session.expire_all()
    assert [r.status for r in rows] == ["pending", "pending"]


def test_override_one_term_and_the_report_shows_who_decided(client, tenant_session):
    session = tenant_session("acme")
    row = _pending(session, 1)[0]
    report = session.get(SearchTermReport, (row.tenant_id, row.search_term_report_id))
    campaign = session.get(AdCampaign, (row.tenant_id, report.ad_campaign_id))
    other = next(label for label in search_terms.TERM_LABEL_TEXT if label != row.ai_classification)
    client.login("admin@acme.test")
    client.post("/campaigns/search-terms/review", data={"term": [row.ref_id], "decision": other})
    session.expire_all()
    assert row.decision == other
    admin = user_of(session, "admin@acme.test").full_name
    page = text_of(client.get(f"/campaigns/{campaign.ref_id}/search-terms"))
    assert report.search_term in page
    assert f"by {admin}" in page and "(changed)" in page


def test_viewers_see_terms_but_cannot_decide(client, tenant_session):
    session = tenant_session("acme")
    row = _pending(session, 1)[0]
    report = session.get(SearchTermReport, (row.tenant_id, row.search_term_report_id))
    campaign = session.get(AdCampaign, (row.tenant_id, report.ad_campaign_id))
    client.login("viewer@acme.test")
    page = client.get(f"/campaigns/{campaign.ref_id}/search-terms")
    assert report.search_term in text_of(page) and "Apply to selected" not in text_of(page)
    refused = client.post(
        "/campaigns/search-terms/review", data={"term": [row.ref_id], "decision": "confirm"}
    )
    assert refused.status_code == 403


def test_search_term_totals_match_the_daily_rows(client, tenant_session):
    session = tenant_session("acme")
    row = _pending(session, 1)[0]
    report = session.get(SearchTermReport, (row.tenant_id, row.search_term_report_id))
    start, end = report.sync_date - dt.timedelta(days=6), report.sync_date
    clicks = session.scalar(
        select(func.sum(SearchTermReport.clicks)).where(
            SearchTermReport.ad_campaign_id == report.ad_campaign_id,
            SearchTermReport.search_term == report.search_term,
            SearchTermReport.sync_date.between(start, end),
        )
    )
    campaign = session.get(AdCampaign, (row.tenant_id, report.ad_campaign_id))
    with client.application.test_request_context():
        g.tenant = session.get(Tenant, row.tenant_id)
        g.db_session = session
        page = search_terms.search_terms(campaign, DateRange(start, end), None, None, None)
    term = next(t for t in page.rows if t.search_term == report.search_term)
    assert term.clicks == clicks


# -- recommendations -------------------------------------------------------------------------------------------


def test_recommendation_shows_the_exact_change_and_what_produced_it(client, tenant_session):
    session = tenant_session("acme")
    rec = session.scalars(
        select(AdOptimizationRecommendation).where(AdOptimizationRecommendation.kind == "raise_bid")
    ).one()
    activity = session.get(Activity, (rec.tenant_id, rec.activity_id))
    run = session.scalars(select(ActivityRun).where(ActivityRun.activity_id == activity.id)).first()
    client.login("viewer@acme.test")
    response = client.get(f"/campaigns/recommendations/{rec.ref_id}")
    assert f'href="/deliverables/activities/{activity.ref_id}"' in response.text
    assert f'href="/deliverables/runs/{run.ref_id}"' in response.text
    page = text_of(response)
    assert activity.title in page
    assert "Raise the maximum CPC of “tooth implant indiranagar” (exact match) from ₹55.00 to ₹66.00." in page
    assert "Agent run 1" in page and "Produced by" in page
    shift = session.scalars(
        select(AdOptimizationRecommendation).where(AdOptimizationRecommendation.kind == "shift_budget")
    ).one()
    listing = text_of(client.get("/campaigns/recommendations"))
    assert "Move ₹15,000.00 of budget from Emergency" in listing
    assert shift.title in listing


def _recommendation(tenant, **values) -> AdOptimizationRecommendation:
    """A recommendation on a new campaign of tenant (by default waiting for the tenant's decision)."""
    session = session_of(tenant)
    rec = AdOptimizationRecommendation(
        tenant_id=tenant.id,
        ad_campaign_id=make_campaign(tenant, status="active").id,
        kind="pause_keyword",
        payload={"keyword": "free implants"},
        **({"title": "Pause “free implants”"} | values),
    )
    session.add(rec)
    session.commit()
    return rec


def test_approve_a_recommendation_then_it_waits_to_be_applied(app, client):
    tenant = make_tenant(app)
    rec = _recommendation(tenant)
    session = session_of(tenant)
    client.login(make_user(tenant, "marketer").email)
    done = client.post(
        f"/campaigns/recommendations/{rec.ref_id}/decision",
        data={"decision": "approve", "note": "Go ahead."},
        follow_redirects=True,
    )
    assert "Approved — waiting to be applied" in text_of(done)
    session.expire_all()
    assert rec.status == "approved" and rec.review_note == "Go ahead."
    assert _audit_count(session, rec) == 1
    again = client.post(f"/campaigns/recommendations/{rec.ref_id}/decision", data={"decision": "reject"})
    assert again.status_code == 409 and "already decided by" in text_of(again)
    session.expire_all()
    assert rec.status == "approved" and _audit_count(session, rec) == 1


def test_applied_recommendations_say_when(app, client):
    tenant = make_tenant(app)
    two_days_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    applied = _recommendation(tenant, title="Applied one", status="applied", applied_on=two_days_ago)
    waiting = _recommendation(tenant, title="Still waiting")
    client.login(make_user(tenant, "owner").email)
    page = text_of(client.get("/campaigns/recommendations?view=applied"))
    assert applied.title in page and "Applied 2 d ago" in page and waiting.title not in page


def test_detail_pages_run_few_statements_whatever_the_data(app, client, tenant_session):
    session = tenant_session("acme")
    campaign = session.scalars(select(AdCampaign).where(AdCampaign.status == "active")).first()
    rec = session.scalars(select(AdOptimizationRecommendation).limit(1)).one()
    urls = (
        f"/campaigns/{campaign.ref_id}",
        f"/campaigns/{campaign.ref_id}/keywords",
        f"/campaigns/{campaign.ref_id}/search-terms",
        f"/campaigns/recommendations/{rec.ref_id}",
        "/campaigns/recommendations?view=all",
    )
    client.login("owner@acme.test")
    engine = app.extensions["db"].engine

    def counts():
        found = []
        for url in urls:
            with count_statements(engine) as statements:
                assert client.get(url).status_code == 200, url
            found.append(len(statements))
        return found

    before = counts()
    for number in range(60):
        session.add(AdKeyword(ad_campaign_id=campaign.id, text=f"extra keyword {number}", clicks=number))
        session.add(
            AdOptimizationRecommendation(
                ad_campaign_id=campaign.id, kind="pause_keyword", title=f"Extra {number}", payload={}
            )
        )
    session.commit()
    assert counts() == before
    assert max(before) <= 8, before
