"""The dashboard: every chart's numbers checked against sums computed here from the rows, the page's
statement count constant in the amount of data, and what each role sees."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from flask import g
from flask_login import login_user
from sqlalchemy import func, select, update

from portal.dashboard import service
from portal.hot.dashboard import LAUNCHED, TOP_CAMPAIGNS
from portal.ids import new_ulid
from portal.models import (
    AdCampaign,
    AdOptimizationRecommendation,
    BillingEvent,
    BlogPost,
    Contract,
    Deliverable,
    DeliverablePeriod,
    Lead,
    OnboardingRun,
    SearchTermClassification,
    SearchTermReport,
    SocialPost,
    Strategy,
)
from tests.conftest import tenant_of, text_of, user_of
from tests.queries import count_statements


def _board(app, session, email: str) -> service.Dashboard:
    """The dashboard as email would get it, built in a request context on the test's session."""
    with app.test_request_context():
        g.db_session = session
        g.tenant = tenant_of(session)
        login_user(user_of(session, email))
        return service.build()


def test_every_aggregate_matches_sums_of_the_rows(app, client, tenant_session):
    session = tenant_session("acme")
    board = _board(app, session, "owner@acme.test")
    tenant = tenant_of(session)
    zone = ZoneInfo(tenant.timezone)
    leads = list(session.scalars(select(Lead).where(Lead.deleted_on.is_(None))))

    # leads per week by source, weeks starting Monday in the tenant's timezone
    expected_weeks: Counter = Counter()
    for lead in leads:
        day = lead.created_on.astimezone(zone).date()
        monday = day - dt.timedelta(days=day.weekday())
        if monday >= board.weeks[0]:
            expected_weeks[(monday, lead.source)] += 1
    shown = Counter(
        {
            (week, source): n
            for source, counts in board.leads_by_week.items()
            for week, n in zip(board.weeks, counts, strict=True)
            if n
        }
    )
    assert shown == expected_weeks and sum(shown.values()) > 0

    # the funnel counts the leads that reached at least each stage (disqualified ones only as received)
    depth = {"new": 0, "disqualified": 0, "contacted": 1, "qualified": 2, "converted": 3}
    stages = ("received", "contacted", "qualified", "converted")
    assert board.funnel == {s: sum(1 for x in leads if depth[x.status] >= n) for n, s in enumerate(stages)}
    assert board.summary.leads_total == len(leads)
    assert board.summary.leads_unassigned == sum(
        1 for x in leads if x.assigned_to is None and x.status in ("new", "contacted", "qualified")
    )

    launched = sorted(
        (c for c in session.scalars(select(AdCampaign)) if c.status in LAUNCHED),
        key=lambda c: (-c.spent, c.name),
    )[:TOP_CAMPAIGNS]
    assert [(n, Decimal(s), c) for n, s, c in board.campaigns] == [
        (c.name, c.spent, c.conversions) for c in launched
    ]

    month0 = dt.datetime.now(zone).date().replace(day=1)
    types = {
        d.id: d.type for d in session.scalars(select(Deliverable).where(Deliverable.deleted_on.is_(None)))
    }
    delivered: Counter = Counter()
    target: Counter = Counter()
    for period in session.scalars(select(DeliverablePeriod).where(DeliverablePeriod.period_start == month0)):
        if period.deliverable_id in types:
            delivered[types[period.deliverable_id]] += period.delivered_count
            target[types[period.deliverable_id]] += period.target_count
    assert board.deliverables == sorted((t, delivered[t], target[t]) for t in target)

    used: Counter = Counter()
    for event in session.scalars(
        select(BillingEvent).where(BillingEvent.kind.in_(("credit_consumed", "credit_released")))
    ):
        used[event.occurred_on.astimezone(zone).date().replace(day=1)] -= event.credits
    assert board.credit_months == [(month, used[month]) for month, _ in board.credit_months]
    assert board.credits_used_this_month == used[month0]

    def waiting(model, status):
        return sum(1 for row in session.scalars(select(model)) if row.status == status)

    # the inbox's items by kind: search terms are one item per campaign with terms to label
    pending_terms = session.scalars(
        select(SearchTermReport.ad_campaign_id)
        .join(SearchTermClassification, SearchTermClassification.search_term_report_id == SearchTermReport.id)
        .where(SearchTermClassification.status == "pending")
    )
    assert board.waiting == {
        "blog_post": waiting(BlogPost, "client_review"),
        "social_post": waiting(SocialPost, "client_review"),
        "strategy": waiting(Strategy, "pending_review"),
        "context_file": waiting(OnboardingRun, "awaiting_review"),
        "campaign": waiting(AdCampaign, "client_review"),
        "recommendation": waiting(AdOptimizationRecommendation, "client_review"),
        "search_terms": len(set(pending_terms)),
        "contract": waiting(Contract, "sent"),
    }


def _bulk_leads(session, count: int) -> None:
    now = dt.datetime.now(dt.UTC)
    sources = ("website_form", "facebook_lead_ad", "google_lead_form", "manual", "import", "other")
    statuses = ("new", "contacted", "qualified", "disqualified", "converted")
    session.execute(
        Lead.__table__.insert(),
        [
            {
                "id": uuid.uuid4(),
                "ref_id": new_ulid(),
                "source": sources[i % len(sources)],
                "status": statuses[i % len(statuses)],
                "first_name": f"Bulk{i}",
                "email": f"bulk{i}@example.test",
                "created_on": now - dt.timedelta(hours=i % (24 * 80)),
            }
            for i in range(count)
        ],
    )
    session.commit()


def _shown_leads(session, email: str) -> str:
    """The lead card the user's dashboard shows: the tenant's leads, or for a rep the pool they may claim."""
    live = select(func.count()).select_from(Lead).where(Lead.deleted_on.is_(None))
    if email.startswith("rep"):
        pool = live.where(Lead.assigned_to.is_(None), Lead.status.in_(("new", "contacted", "qualified")))
        return f"Unassigned open leads {session.scalar(pool)}"
    return f"Leads {session.scalar(live)}"


@pytest.mark.parametrize("email", ["owner@acme.test", "rep1@acme.test", "viewer@acme.test"])
def test_statement_count_is_constant_from_10_to_5000_leads(app, client, tenant_session, email):
    session = tenant_session("acme")
    keep = list(session.scalars(select(Lead.id).order_by(Lead.created_on.desc()).limit(10)))
    session.execute(update(Lead).where(Lead.id.not_in(keep)).values(deleted_on=func.now()))
    session.commit()
    client.login(email)
    engine = app.extensions["db"].engine
    with count_statements(engine) as few:
        page = client.get("/")
    assert page.status_code == 200
    assert _shown_leads(session, email) in text_of(page)
    _bulk_leads(session, 4990)
    with count_statements(engine) as many:
        page = client.get("/")
    assert page.status_code == 200
    assert _shown_leads(session, email) in text_of(page)
    assert len(many) == len(few)
    assert len(many) <= 8, many


def test_viewers_see_counts_only_and_no_credits(client, tenant_session):
    session = tenant_session("acme")
    some_lead = session.scalars(select(Lead).where(Lead.email.isnot(None))).first()
    client.login("viewer@acme.test")
    page = text_of(client.get("/"))
    assert "Leads per week by source" in page and "Lead funnel" in page
    assert "Credits used" not in page and "Your queue" not in page
    assert some_lead.email not in page


def test_reps_see_their_own_queue(app, client, tenant_session):
    session = tenant_session("acme")
    rep = user_of(session, "rep1@acme.test")
    mine = Counter(
        lead.status
        for lead in session.scalars(select(Lead).where(Lead.assigned_to == rep.id, Lead.deleted_on.is_(None)))
        if lead.status in ("new", "contacted", "qualified")
    )
    board = _board(app, session, "rep1@acme.test")
    assert board.queue == {s: mine[s] for s in ("new", "contacted", "qualified")}
    client.login("rep1@acme.test")
    page = text_of(client.get("/"))
    assert "Your queue" in page and "Spend and conversions" not in page
    assert f"Your open leads {sum(mine.values())}" in page


def test_the_owner_sees_every_chart_with_a_table_fallback(client):
    client.login("owner@acme.test")
    response = client.get("/")
    page = text_of(response)
    for title in (
        "Waiting for approval",
        "Leads per week by source",
        "Lead funnel",
        "Spend and conversions per campaign",
        "This month's deliverables",
        "Credits used",
    ):
        assert title in page
    # every chart carries its data in its canvas (it must survive htmx's boosted navigation) and has a table
    assert (
        response.text.count("<canvas ")
        == response.text.count('data-chart="{')
        == response.text.count("<details>") + 1
    )
    assert "<script>" not in response.text  # data travels as JSON, never as inline code
