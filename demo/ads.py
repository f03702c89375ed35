"""The demo's paid media: campaigns in every status, keywords, 30 days of search terms with their labels,
the recurring reviews and optimisations, and the recommendations."""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_DOWN, Decimal
from typing import Any

from demo import outputs
from demo.builder import TenantSeed, Work, money
from demo.ids import Mint
from demo.runs import agent_work, perform
from demo.scenario import CAMPAIGN_DATES, RECOMMENDATIONS, RECURRING_TITLES, TERM_TRAFFIC
from portal.models import (
    AdCampaign,
    AdKeyword,
    AdOptimizationRecommendation,
    SearchTermClassification,
    SearchTermReport,
)


def ads(seed: TenantSeed) -> None:
    """Campaigns in every status, keywords, 30 days of search terms, their labels and recommendations."""
    p = seed.p
    mint = seed.mint("ads")
    rng = mint.rng
    channel_of = {
        "google_ads": seed.channels.get("google_ads"),
        "meta_ads": seed.channels.get("meta_ads"),
        "linkedin_ads": seed.channels.get("linkedin"),
    }
    cpc = {"INR": (32, 58), "GBP": (3.5, 7.5), "USD": (4, 9)}[p.currency]
    for spec in p.campaigns:
        start, end, share = CAMPAIGN_DATES[spec.status]
        launched = share[1] > 0
        spent = money(spec.budget * rng.uniform(*share)) if launched else money(0)
        clicks = 0 if spec.zero_clicks or not launched else int(spent / Decimal(str(rng.uniform(*cpc))))
        campaign = seed.new(
            mint,
            AdCampaign,
            channel_id=channel_of[spec.platform].id if channel_of[spec.platform] else None,
            name=spec.name,
            platform=spec.platform,
            goal=spec.goal,
            status=spec.status,
            budget=money(spec.budget),
            spent=money(1840 * 28 / 1000) if spec.zero_clicks else spent,
            currency=p.currency,
            start_date=seed.month(start) + dt.timedelta(days=4),
            end_date=seed.month(end) + dt.timedelta(days=20) if end is not None else None,
            external_campaign_id=str(rng.randint(10**9, 10**10 - 1)) if launched else None,
            impressions=1840 if spec.zero_clicks else clicks * rng.randint(14, 40),
            clicks=clicks,
            conversions=int(clicks * rng.uniform(0.04, 0.12)),
            created_by=seed.user("marketer").id if spec.status == "draft" else None,
            created_on=seed.at(seed.month(min(start, 0)), 11) - dt.timedelta(days=12),
        )
        if spec.status in ("client_approved", "active", "paused", "completed", "archived"):
            campaign.client_decided_by = seed.user("owner").id
            campaign.client_decided_on = campaign.created_on + dt.timedelta(days=5)
            campaign.client_decision_note = (
                "Approved."
                if spec.status != "client_approved"
                else ("Approved. Please start on the 1st and keep the daily cap.")
            )
        elif spec.status == "dm_review" and spec.platform == "meta_ads":  # changes requested by the tenant
            campaign.client_decided_by = seed.user("marketer").id
            campaign.client_decided_on = seed.ago(days=2)
            campaign.client_decision_note = (
                "Please mention fixed fees in the headline and drop the stock photo."
            )
        seed.campaigns[spec.key] = campaign
        keywords(seed, mint, spec, campaign)
    goal = next(
        (g.id for g in seed.goals if g.metric_type in ("GOOGLE_ADS_CONVERSIONS", "GA_CONVERSIONS")), None
    )
    reviews = recurring(seed, "search_term_review", goal, weekday=0, every_weeks=1)
    optimisations = recurring(seed, "ad_optimization", goal, weekday=2, every_weeks=2)
    for spec in p.campaigns:
        if spec.terms and spec.status == "active":
            search_terms(seed, mint, spec, seed.campaigns[spec.key], reviews)
    recommendations(seed, mint, optimisations)


def keywords(seed: TenantSeed, mint: Mint, spec: Any, campaign: AdCampaign) -> None:
    """A campaign's keywords (with metrics once it ran) and its negative keywords.

    The keywords split the campaign's own figures: their shares add up to 70–90 % (the rest came from
    close variants no keyword lists), so no keyword sum exceeds the campaign's total or its budget.
    """
    rng = mint.rng
    ran = campaign.clicks > 0
    state = {"active": "active", "paused": "paused", "archived": "removed"}.get(spec.status, "pending_push")
    weights = [rng.uniform(0.4, 1.6) for _ in spec.keywords]
    covered = rng.uniform(0.7, 0.9) if ran else 0
    for (text, match, bid), weight in zip(spec.keywords, weights, strict=True):
        share = Decimal(str(round(covered * weight / sum(weights), 6)))
        clicks = int(campaign.clicks * share)
        _keyword(
            seed,
            mint,
            campaign,
            text,
            kind="positive",
            match_type=match,
            source="manual",
            status=state,
            max_cpc=Decimal(bid),
            impressions=int(campaign.impressions * share),
            clicks=clicks,
            conversions=min(clicks, int(campaign.conversions * share)),
            cost=(campaign.spent * share).quantize(Decimal("0.01"), rounding=ROUND_DOWN),
            quality_score=rng.randint(4, 9) if ran else None,
            created_on=campaign.created_on,
        )
    for text in spec.negatives:
        _keyword(
            seed,
            mint,
            campaign,
            text,
            kind="negative",
            match_type="phrase",
            source="manual",
            status="active" if state != "removed" else "removed",
            created_on=campaign.created_on,
        )


def _keyword(seed: TenantSeed, mint: Mint, campaign: AdCampaign, text: str, **values: Any) -> None:
    """A keyword or negative keyword of a campaign (``values`` are its other columns)."""
    seed.new(mint, AdKeyword, channel_id=campaign.channel_id, ad_campaign_id=campaign.id, text=text, **values)


def recurring(seed: TenantSeed, kind: str, goal_id: Any, *, weekday: int, every_weeks: int) -> list[Work]:
    """An agent activity on a weekly rhythm over the last six months; the latest awaits review."""
    mint = seed.mint(f"recurring-{kind}")
    day = seed.month(-5)
    day += dt.timedelta(days=(weekday - day.weekday()) % 7)
    works = []
    while day <= seed.today:
        when = min(seed.at(day, 7, 30), seed.ago(minutes=40))
        works.append(
            agent_work(
                seed,
                mint,
                when,
                goal_id=goal_id,
                title=f"{RECURRING_TITLES[kind]} – week of {day:%d %b %Y}",
                type=kind,
                status="done",
                due_on=seed.at(day, 12),
                completed_on=when,
                created_on=when - dt.timedelta(minutes=30),
            )
        )
        day += dt.timedelta(weeks=every_weeks)
    works[-1].activity.status = "awaiting_approval"
    works[-1].activity.completed_on = None
    terms = [t for c in seed.p.campaigns for t in c.terms]
    for work in works:
        if kind == "search_term_review":
            text = json.dumps(outputs.search_term_review(terms, mint.rng), ensure_ascii=False, indent=2)
        else:
            text = json.dumps(outputs.ad_optimization([{"note": "see recommendations"}]), indent=2)
        perform(seed, work, "retry" if mint.rng.random() < 0.08 else "ok", lambda _v, t=text: ("json", t))
    return works


def search_terms(seed: TenantSeed, mint: Mint, spec: Any, campaign: AdCampaign, reviews: list[Work]) -> None:
    """30 days of search-term rows for a campaign and a label per term (pending, reviewed, pushed…).

    The rows are scaled to at most half of the campaign's own totals: the month's searches are part
    of what the campaign counted since it started.
    """
    rng = mint.rng
    latest = {}
    cpc = float(spec.keywords[0][2]) * 0.7
    rows = []
    for days_back in range(30, 0, -1):
        day = seed.today - dt.timedelta(days=days_back)
        for term, label, _ in spec.terms:
            if days_back > 1 and rng.random() < 0.3:
                continue
            impressions = rng.randint(*TERM_TRAFFIC[label])
            clicks = min(impressions, int(impressions * rng.uniform(0.02, 0.12)))
            cost = Decimal(str(clicks * cpc * rng.uniform(0.7, 1.3)))
            conversions = int(clicks * rng.uniform(0.05, 0.2)) if label == "add_as_keyword" else 0
            rows.append((day, term, impressions, clicks, cost, conversions))
    totals = [sum(row[i] for row in rows) for i in range(2, 6)]
    wholes = (campaign.impressions, campaign.clicks, campaign.spent, campaign.conversions)
    scale = min([Decimal(1)] + [Decimal(w) / 2 / t for w, t in zip(wholes, totals, strict=True) if t])
    for day, term, impressions, clicks, cost, conversions in rows:
        clicks = int(clicks * scale)
        latest[term] = seed.new(
            mint,
            SearchTermReport,
            channel_id=campaign.channel_id,
            ad_campaign_id=campaign.id,
            search_term=term,
            match_type=rng.choice(("phrase", "broad", "exact")),
            sync_date=day,
            impressions=int(impressions * scale),
            clicks=clicks,
            cost=(cost * scale).quantize(Decimal("0.01"), rounding=ROUND_DOWN),
            conversions=min(clicks, int(conversions * scale)),
            created_on=min(seed.at(day + dt.timedelta(days=1), 6, 10), seed.ago(minutes=90)),
        )
    existing = {text for text, _, _ in spec.keywords}
    reviewer = seed.user("marketer")
    for number, (term, label, rationale) in enumerate(spec.terms):
        report = latest[term]
        row = seed.new(
            mint,
            SearchTermClassification,
            search_term_report_id=report.id,
            ai_classification=label,
            ai_rationale=rationale,
            confidence=Decimal(str(round(rng.uniform(0.55, 0.97), 3))),
            status="pending",
            created_on=report.created_on + dt.timedelta(hours=1),
        )
        if number < 2:  # the newest labels wait for a person
            row.activity_id = reviews[-1].activity.id
            continue
        row.activity_id = reviews[-2 - number % 3].activity.id
        decision = "add_as_negative" if (number == 3 and label == "watch") else label
        row.decision = decision
        row.reviewed_by = row.updated_by = reviewer.id
        row.reviewed_on = row.updated_on = min(row.created_on + dt.timedelta(hours=5), seed.ago(minutes=30))
        if decision in ("watch", "irrelevant"):
            row.status = "skipped"
            continue
        pushed = number % 3 != 0
        row.status = "pushed" if pushed else "reviewed"
        row.pushed_on = row.reviewed_on + dt.timedelta(minutes=20) if pushed else None
        if term not in existing:
            _keyword(
                seed,
                mint,
                campaign,
                term,
                kind="positive" if decision == "add_as_keyword" else "negative",
                match_type="exact" if decision == "add_as_keyword" else "phrase",
                source="search_term_classification",
                status="active" if pushed else "pending_push",
                max_cpc=Decimal(str(round(cpc, 2))) if decision == "add_as_keyword" else None,
                created_by=reviewer.id,
                created_on=row.reviewed_on,
            )


def recommendations(seed: TenantSeed, mint: Mint, optimisations: list[Work]) -> None:
    """One recommendation of every kind, waiting for the tenant, approved, rejected or applied."""
    rng = mint.rng
    for number, (kind, status, key, title, rationale, impact, payload, note) in enumerate(
        RECOMMENDATIONS[seed.p.slug]
    ):
        campaign = seed.campaigns[key]
        source = optimisations[-1] if status == "client_review" else optimisations[-2 - number % 3]
        payload = {
            k: (seed.campaigns[v[1:]].ref_id if isinstance(v, str) and v.startswith("@") else v)
            for k, v in payload.items()
        }
        row = seed.new(
            mint,
            AdOptimizationRecommendation,
            channel_id=campaign.channel_id,
            ad_campaign_id=campaign.id,
            activity_id=source.activity.id,
            kind=kind,
            title=title,
            rationale=rationale,
            expected_impact=impact,
            payload=payload,
            status=status,
            created_on=source.when + dt.timedelta(minutes=5),
        )
        if status == "client_review":
            continue
        row.reviewed_by = row.updated_by = seed.user(rng.choice(("owner", "marketer"))).id
        row.reviewed_on = row.updated_on = min(
            row.created_on + dt.timedelta(hours=rng.randint(3, 40)), seed.ago(minutes=10)
        )
        row.review_note = note
        if status == "applied":
            row.applied_on = row.updated_on = row.reviewed_on + dt.timedelta(minutes=15)
