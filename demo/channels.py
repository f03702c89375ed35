"""The demo tenant's channels with 60 days of scores, its agent configurations, activity templates and
recurring task templates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from demo import content
from demo.builder import TenantSeed
from demo.scenario import AGENT_FOR, AGENT_MODELS, TOOLS_FOR
from portal.models import ActivityTemplate, AgentConfig, Channel, ChannelScore, RecurringTaskTemplate


def channels_and_scores(seed: TenantSeed) -> None:
    """The tenant's channels and, for connected ones, a daily score over the last 60 days."""
    mint = seed.mint("channels")
    rng = mint.rng
    for kind, name, url, status in seed.p.channels:
        connected = seed.created + dt.timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 8))
        channel = seed.new(
            mint,
            Channel,
            type=kind,
            name=name,
            url=url,
            status=status,
            connected_on=connected if status != "disconnected" else None,
            created_by=seed.user("admin").id,
            created_on=connected - dt.timedelta(hours=1),
        )
        if status == "error":
            channel.updated_on = seed.ago(days=3)
        seed.channels[kind] = channel
        if status != "connected":
            continue
        score = rng.randint(42, 78)
        previous = None
        for days_back in range(59, -1, -1):
            score = max(0, min(100, score + rng.choice((-3, -2, -1, 0, 0, 1, 1, 2, 3, 4))))
            seed.new(
                mint,
                ChannelScore,
                channel_id=channel.id,
                scored_on=seed.today - dt.timedelta(days=days_back),
                score=score,
                delta=None if previous is None else score - previous,
                metrics=_channel_metrics(kind, score, rng),
                created_on=min(
                    seed.at(seed.today - dt.timedelta(days=days_back), 6, 15), seed.ago(minutes=20)
                ),
            )
            previous = score


def agent_settings(seed: TenantSeed) -> None:
    """Agent configs, activity templates and recurring task templates (some derived from others)."""
    mint = seed.mint("agents")
    admin = seed.user("admin")
    for agent, (adapter, _, model) in AGENT_MODELS.items():
        tools = sorted(
            {tool for kind, name in AGENT_FOR.items() if name == agent for tool in TOOLS_FOR[kind]}
        )
        seed.new(
            mint,
            AgentConfig,
            agent_name=agent,
            adapter=adapter,
            model=model,
            # A tenant still onboarding has no leads worth enriching yet.
            enabled=agent != "enrichment-agent" or seed.p.status != "onboarding",
            settings={"temperature": 0.4, "maxOutputTokens": 6000, "reviewGate": "dm", "tools": tools},
            created_on=seed.created,
        )
    # A retired configuration, kept soft-deleted for the audit trail.
    seed.new(
        mint,
        AgentConfig,
        agent_name="blog-writer",
        adapter="openai-agents",
        model="gpt-4.1",
        enabled=False,
        settings={"temperature": 0.7},
        created_on=seed.created,
        deleted_on=seed.created + dt.timedelta(days=20),
        deleted_by=admin.id,
    )
    if seed.p.status == "onboarding":
        return
    steps = {
        "blog_post": [
            "Research the keyword",
            "Write the outline",
            "Draft the article",
            "Check facts and links",
            "Send for review",
        ],
        "social_post": ["Pick the theme", "Write the caption", "Generate the image", "Send for review"],
        "monthly_report": ["Pull GA4 and Search Console", "Pull ad platforms", "Write the summary"],
        "search_term_review": ["Sync the search terms", "Label each term", "Queue for human review"],
        "backlinks": [
            "Find prospects",
            "Qualify by rating and relevance",
            "Send outreach",
            "Verify the link",
        ],
    }
    base = {}
    for kind, items in steps.items():
        base[kind] = seed.new(
            mint,
            ActivityTemplate,
            name=f"{kind.replace('_', ' ').capitalize()} (standard)",
            type=kind,
            description="The agency's standard recipe.",
            steps=[{"key": content.slugify(s), "title": s} for s in items],
            created_on=seed.created,
        )
    derived = steps["blog_post"] + ["Add the FAQ schema block"]
    seed.new(
        mint,
        ActivityTemplate,
        source_template_id=base["blog_post"].id,
        name=f"Blog post ({seed.p.industry}, with FAQ schema)",
        type="blog_post",
        description=f"The standard recipe plus an FAQ block, for {seed.p.name}.",
        steps=[{"key": content.slugify(s), "title": s} for s in derived],
        created_by=seed.user("marketer").id,
        created_on=seed.created + dt.timedelta(days=20),
    )
    weekly = seed.new(
        mint,
        RecurringTaskTemplate,
        name="Weekly search-term review",
        activity_type="search_term_review",
        schedule="FREQ=WEEKLY;BYDAY=MO;BYHOUR=7",
        variables={"lookbackDays": 7, "minImpressions": 10},
        created_on=seed.created,
    )
    for name, kind, rule, variables, enabled, source in (
        (
            "Fortnightly ad optimisation",
            "ad_optimization",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
            {"maxChanges": 5},
            True,
            None,
        ),
        (
            "Monthly performance report",
            "monthly_report",
            "FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=8",
            {},
            True,
            None,
        ),
        (
            "Daily backlink check",
            "backlink_research",
            "FREQ=DAILY;BYHOUR=6",
            {"checkIndexed": True},
            True,
            None,
        ),
        (
            "Google Business Profile post",
            "gbp_post",
            "FREQ=WEEKLY;BYDAY=TH",
            {"withPhoto": True},
            False,
            None,
        ),
        (
            "Search-term review (top campaign)",
            "search_term_review",
            "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=7",
            {"lookbackDays": 3, "campaigns": 1},
            True,
            weekly.id,
        ),
    ):
        seed.new(
            mint,
            RecurringTaskTemplate,
            source_template_id=source,
            name=name,
            activity_type=kind,
            schedule=rule,
            variables=variables,
            enabled=enabled,
            created_on=seed.created + dt.timedelta(days=1 if source is None else 30),
        )


def _channel_metrics(kind: str, score: int, rng: Any) -> dict[str, Any]:
    """The day's raw numbers behind a channel's score."""
    if kind in ("website", "google_analytics"):
        return {"sessions": 180 + score * rng.randint(3, 6), "bounceRate": round(rng.uniform(0.35, 0.6), 2)}
    if kind == "google_search_console":
        clicks = 40 + score * rng.randint(1, 3)
        return {
            "clicks": clicks,
            "impressions": clicks * rng.randint(25, 40),
            "position": round(rng.uniform(8, 22), 1),
        }
    if kind in ("google_ads", "meta_ads"):
        return {"conversions": rng.randint(1, 9), "costPerConversion": round(rng.uniform(9, 60), 2)}
    if kind == "google_business_profile":
        return {"views": 90 + score * 4, "calls": rng.randint(2, 14), "directionRequests": rng.randint(1, 10)}
    if kind == "email":
        return {"openRate": round(rng.uniform(0.28, 0.46), 2), "clickRate": round(rng.uniform(0.02, 0.07), 3)}
    return {"followers": 800 + score * 40, "engagementRate": round(rng.uniform(0.8, 4.5), 2)}
