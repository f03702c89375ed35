"""Issue 18, figures in the data: each figure has one definition, the demo data agrees with itself, and
the pages show what the rows say (campaigns, billing, the lead funnel, deliverables, goals)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from portal.models import (
    Activity,
    ActivityRun,
    AdCampaign,
    AdKeyword,
    BillingEvent,
    BlogPost,
    Deliverable,
    DeliverablePeriod,
    Goal,
    Lead,
    SearchTermReport,
    SocialPost,
    Strategy,
    Tenant,
)
from tests.conftest import TENANTS, signed_in, text_of

LABELS = ("impressions", "clicks", "conversions", "cost")
FIGURE = re.compile(r'data-figure="([^"]+)" data-value="([^"]*)"')


def figures(response) -> dict[str, str]:
    """The page's figures by name (each name shown once per page, or always with one value)."""
    found: dict[str, str] = {}
    for name, value in FIGURE.findall(response.get_data(as_text=True)):
        assert found.setdefault(name, value) == value, f"{name} shows {found[name]} and {value}"
    return found


def this_month(session) -> dt.date:
    """The first day of this month in the tenant's timezone (the seed's current month)."""
    zone = session.scalar(select(Tenant.timezone))
    return session.scalar(select(func.date_trunc("month", func.timezone(zone, func.now())))).date()


# -- campaigns ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", TENANTS)
def test_keywords_add_up_to_no_more_than_their_campaign(tenant_session, slug):
    """A campaign's keywords (and its search terms) never add up to more than the campaign's own totals,
    and what a campaign spent stays within its budget."""
    session = tenant_session(slug)
    for campaign in session.scalars(select(AdCampaign)):
        assert campaign.spent <= campaign.budget, campaign.name
        for model, cost in ((AdKeyword, AdKeyword.cost), (SearchTermReport, SearchTermReport.cost)):
            sums = session.execute(
                select(
                    func.coalesce(func.sum(model.impressions), 0),
                    func.coalesce(func.sum(model.clicks), 0),
                    func.coalesce(func.sum(model.conversions), 0),
                    func.coalesce(func.sum(cost), 0),
                ).where(model.ad_campaign_id == campaign.id)
            ).one()
            totals = (campaign.impressions, campaign.clicks, campaign.conversions, campaign.spent)
            for label, part, whole in zip(LABELS, sums, totals, strict=True):
                assert part <= whole, f"{campaign.name}: {model.__name__} {label} {part} > {whole}"


def test_campaign_figures_agree_on_the_list_and_the_campaign(app, client, tenant_session):
    """The campaign list and a campaign's page show the same spend, clicks and conversions."""
    session = tenant_session("acme")
    campaign = session.scalars(select(AdCampaign).where(AdCampaign.status == "active").limit(1)).one()
    owner = signed_in(app, "owner@acme.test")
    listed = figures(owner.get("/campaigns/"))
    shown = figures(owner.get(f"/campaigns/{campaign.ref_id}"))
    key = f"campaign.{campaign.ref_id}"
    for name in ("cost", "clicks", "conversions"):
        assert listed[f"{key}.{name}"] == shown[f"{key}.{name}"]
    assert shown[f"{key}.cost"] == str(campaign.spent)
    assert shown[f"{key}.clicks"] == str(campaign.clicks)


# -- billing ------------------------------------------------------------------------------------------------


def test_a_void_invoice_is_not_invoiced(app, client, tenant_session):
    """A month with a voided invoice shows as invoiced only what is still owed, on the card and the table."""
    session = tenant_session("acme")
    void = session.scalars(select(BillingEvent).where(BillingEvent.status == "void")).one()
    zone = ZoneInfo(session.scalar(select(Tenant.timezone)))
    month = void.occurred_on.astimezone(zone).strftime("%Y-%m")
    invoices = session.scalars(
        select(BillingEvent).where(BillingEvent.kind == "invoice", BillingEvent.status != "void")
    )
    owed = sum(
        (e.amount for e in invoices if e.occurred_on.astimezone(zone).strftime("%Y-%m") == month),
        Decimal(0),
    )
    shown = figures(signed_in(app, "owner@acme.test").get("/billing/"))
    assert Decimal(shown[f"billing.invoiced.{month}"]) == owed
    assert owed < owed + void.amount  # the voided amount is not in it


@pytest.mark.parametrize("slug", TENANTS[:2])
def test_every_billing_event_shows_an_amount_and_a_status(app, client, tenant_session, slug):
    """Credit movements too carry an amount (no money moved) and a status, and the ledger shows both."""
    session = tenant_session(slug)
    assert session.scalar(select(func.count()).where(BillingEvent.amount.is_(None))) == 0
    page = signed_in(app, f"owner@{slug}.test").get("/billing/").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<td class=\"nowrap\">.*?</tr>", page, re.S)
    assert rows
    for row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        assert cells[2].strip(), f"an event without an amount: {row}"
        assert "badge" in cells[5], f"an event without a status: {row}"


# -- leads --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", TENANTS[:2])
def test_the_lead_funnel_never_widens(app, client, tenant_session, slug):
    """The funnel counts the leads that reached at least each stage: a converted lead was contacted."""
    session = tenant_session(slug)
    by_status = dict(
        session.execute(
            select(Lead.status, func.count()).where(Lead.deleted_on.is_(None)).group_by(Lead.status)
        ).all()
    )
    shown = figures(signed_in(app, f"owner@{slug}.test").get("/"))
    stages = [int(shown[f"leads.funnel.{s}"]) for s in ("received", "contacted", "qualified", "converted")]
    assert stages == sorted(stages, reverse=True)
    assert stages[0] == sum(by_status.values())
    assert stages[1] == sum(by_status.get(s, 0) for s in ("contacted", "qualified", "converted"))
    assert stages[3] == by_status.get("converted", 0)
    # the data agrees: a lead past "new" (but not disqualified) has been contacted
    uncontacted = session.scalar(
        select(func.count()).where(
            Lead.status.in_(("contacted", "qualified", "converted")), Lead.first_contacted_on.is_(None)
        )
    )
    assert uncontacted == 0


# -- deliverables, periods, goals ---------------------------------------------------------------------------


@pytest.mark.parametrize("slug", TENANTS[:2])
def test_on_target_counts_the_deliverables_that_delivered_their_target(app, client, tenant_session, slug):
    """ "On target n of m" counts every deliverable at its target this month, finished or not."""
    session = tenant_session(slug)
    first = this_month(session)
    periods = list(session.scalars(select(DeliverablePeriod).where(DeliverablePeriod.period_start == first)))
    at_target = sum(1 for p in periods if p.delivered_count >= p.target_count)
    assert at_target > 0
    response = signed_in(app, f"owner@{slug}.test").get("/deliverables")
    shown = figures(response)
    assert shown[f"month.{first:%Y-%m}.on_target"] == str(at_target)
    assert f"On target {at_target} of {len(periods)}" in text_of(response)
    for period in periods:
        assert shown[f"period.{period.ref_id}.delivered"] == str(period.delivered_count)


@pytest.mark.parametrize("slug", TENANTS[:2])
def test_a_period_lists_what_it_delivered(app, client, tenant_session, slug):
    """A month of a deliverable lists every activity of that month, so "n of m delivered" is the number
    of its agents' activities listed as done (a social post whose calendar is in another month too)."""
    session = tenant_session(slug)
    periods = session.execute(
        select(DeliverablePeriod, Deliverable.type)
        .join(Deliverable, Deliverable.id == DeliverablePeriod.deliverable_id)
        .where(DeliverablePeriod.period_start == this_month(session))
    ).all()
    owner = signed_in(app, f"owner@{slug}.test")
    for period, kind in periods:
        done = set(
            session.scalars(
                select(Activity.ref_id).where(
                    Activity.deliverable_period_id == period.id,
                    Activity.status == "done",
                    Activity.executor == "agent",
                    Activity.type == kind,
                )
            )
        )
        assert len(done) == period.delivered_count, kind
        response = owner.get(f"/deliverables/periods/{period.ref_id}")
        listed = set(re.findall(r"/deliverables/activities/([0-9A-Z]{26})", response.get_data(as_text=True)))
        assert done <= listed, f"{kind}: {len(done - listed)} delivered activities not listed"
        assert figures(response)[f"period.{period.ref_id}.delivered"] == str(period.delivered_count)


@pytest.mark.parametrize("slug", TENANTS)
def test_an_achieved_goal_has_evidence(app, client, tenant_session, slug):
    """A goal shown as achieved reached its target, has deliverables serving it and agents' runs for it."""
    session = tenant_session(slug)
    for goal in session.scalars(select(Goal).where(Goal.status == "achieved")):
        assert goal.current_value >= goal.target_numeric_value, goal.title
        deliverables = session.scalar(select(func.count()).where(Deliverable.goal_id == goal.id))
        runs = session.scalar(
            select(func.count())
            .select_from(ActivityRun)
            .join(Activity, Activity.id == ActivityRun.activity_id)
            .where(Activity.goal_id == goal.id)
        )
        assert deliverables and runs, f"{goal.title}: {deliverables} deliverables, {runs} runs"


def test_goal_progress_is_one_figure(app, client, tenant_session):
    """A goal's progress is the same on the goals page and on its strategy's page."""
    session = tenant_session("acme")
    goal = session.scalars(select(Goal).where(Goal.status == "active").limit(1)).one()
    owner = signed_in(app, "owner@acme.test")
    strategy_ref = session.scalar(select(Strategy.ref_id).where(Strategy.id == goal.strategy_id))
    name = f"goal.{goal.ref_id}.progress"
    assert (
        figures(owner.get("/strategy/goals"))[name] == figures(owner.get(f"/strategy/{strategy_ref}"))[name]
    )


@pytest.mark.parametrize("slug", TENANTS[:2])
def test_the_daily_check_runs_and_is_charged_once_a_day(tenant_session, slug):
    """Each recurring check runs at most once a day, and the ledger charges it at most once a day."""
    session = tenant_session(slug)
    titles = Counter(
        session.scalars(select(Activity.title).where(Activity.title.like("Daily backlink check – %")))
    )
    assert titles and max(titles.values()) == 1
    charges = Counter(
        session.scalars(
            select(BillingEvent.description).where(
                BillingEvent.kind == "credit_consumed",
                BillingEvent.description.like("Run: Daily backlink check – %"),
            )
        )
    )
    assert charges and max(charges.values()) == 1


# -- orderings ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", TENANTS[:2])
def test_posts_waiting_for_review_are_oldest_first(app, client, tenant_session, slug):
    """The review list says "oldest first": blog and social posts together, by how long they have waited."""
    session = tenant_session(slug)
    waiting = {
        post.ref_id: post.updated_on or post.created_on
        for model in (BlogPost, SocialPost)
        for post in session.scalars(select(model).where(model.status == "client_review"))
    }
    page = signed_in(app, f"owner@{slug}.test").get("/content/").get_data(as_text=True)
    assert "oldest first" in page
    shown = [
        ref for ref in re.findall(r"/content/(?:blog|social)/posts/([0-9A-Z]{26})", page) if ref in waiting
    ]
    assert len(shown) == len(waiting) >= 2
    assert [waiting[ref] for ref in shown] == sorted(waiting.values())
