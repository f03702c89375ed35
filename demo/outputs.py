"""The demo's JSON outputs and short copy that agents produce: social captions and hashtags, keyword
clusters, social calendars, ad copy, backlink prospects, search-term reviews and ad optimisations.

Every generator takes the tenant's profile (or its terms) and a seeded ``random.Random``, so the same seed
gives the same output.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from demo.phrases import PARAGRAPHS, fill
from demo.profiles import Profile, Topic


def social_caption(profile: Profile, theme: str, platform: str, rng: random.Random, *, long: bool) -> str:
    """A social caption: the theme, a line of copy and a call to action.

    ``long`` makes one deliberately over X's 280-character limit (two paragraphs of copy), so the portal's
    length warning has something to show.
    """
    topic = Topic(theme, theme, theme)
    # Only the lines that read well without a topic ({thing} and {keyword} would repeat the theme).
    lines = [
        line for line in PARAGRAPHS[profile.industry][1:] if "{thing}" not in line and "{keyword}" not in line
    ]
    first, second = rng.sample(lines, 2)
    cta = "Book your visit: link in bio." if profile.industry == "dental" else "Talk to us: link in bio."
    if long:
        return f"{theme}\n\n{fill(first, profile, topic)} {fill(second, profile, topic)}\n\n{cta}"
    line = fill(first, profile, topic).split(". ")[0].rstrip(".") + "."
    caption = f"{theme}\n\n{line}\n\n{cta}"
    if platform == "x" and len(caption) > 280:
        caption = f"{theme}\n\n{cta}"
    return caption


def hashtags(profile: Profile, rng: random.Random) -> list[str]:
    """A few hashtags for the tenant's posts."""
    pool = {
        "dental": (
            "#Bengaluru",
            "#Indiranagar",
            "#DentalCare",
            "#SmileMakeover",
            "#HealthyTeeth",
            "#Dentist",
        ),
        "legal": ("#EmploymentLaw", "#UKLaw", "#Conveyancing", "#FamilyLaw", "#London", "#Solicitors"),
        "plumbing": ("#Chicago", "#Plumbing"),
    }[profile.industry]
    return rng.sample(pool, 3)


def keyword_cluster(profile: Profile, rng: random.Random) -> dict[str, Any]:
    """A keyword cluster output (JSON): pillars with keywords, volumes, difficulty and intent."""
    clusters = []
    for topic in rng.sample(profile.topics, 3):
        keywords = [
            {
                "keyword": variant,
                "volume": rng.choice((90, 140, 210, 320, 480, 720, 1300, 2400)),
                "difficulty": rng.randint(8, 62),
                "intent": rng.choice(("commercial", "informational", "transactional")),
                "cpc": f"{rng.uniform(0.4, 9) if profile.currency != 'INR' else rng.uniform(12, 80):.2f}",
            }
            for variant in (
                topic.keyword,
                f"{topic.keyword} near me",
                f"best {topic.thing}",
                f"{topic.thing} cost",
            )
        ]
        clusters.append({"name": topic.thing, "pillar": topic.title, "keywords": keywords})
    return {"market": profile.city, "currency": profile.currency, "clusters": clusters}


def social_calendar(profile: Profile, month: dt.date, rng: random.Random) -> dict[str, Any]:
    """A month's social calendar (JSON): a post per slot with platform and theme."""
    entries = []
    for week in range(4):
        for platform in rng.sample(("instagram", "facebook", "linkedin", "x"), 2):
            entries.append(
                {
                    "date": (month + dt.timedelta(days=week * 7 + rng.randint(0, 4))).isoformat(),
                    "platform": platform,
                    "theme": rng.choice(profile.social_themes),
                    "format": rng.choice(("single image", "carousel", "short video", "text")),
                }
            )
    return {"month": month.strftime("%Y-%m"), "entries": entries}


def ads_copy(profile: Profile, campaign: str, platform: str, rng: random.Random) -> dict[str, Any]:
    """Ad copy (JSON): Google responsive search ad assets or Meta primary text and headlines."""
    services = [s.name for s in profile.services]
    if platform == "google_ads":
        headlines = [f"{s} in {profile.city}"[:30] for s in rng.sample(services, 3)] + [
            "Book a Free Consultation",
            f"Rated 4.8★ in {profile.area}"[:30],
            "Clear, Upfront Prices",
        ]
        descriptions = [
            f"Speak to {profile.name} today. Same-week appointments and a written estimate.",
            "Trusted by 3,000+ local clients. Book online in under a minute.",
        ]
        return {
            "campaign": campaign,
            "headlines": headlines,
            "descriptions": descriptions,
            "limits": [30, 90],
        }
    return {
        "campaign": campaign,
        "primaryText": f"{rng.choice(services)} from {profile.name}: clear prices, expert care. Tap to book.",
        "headlines": ["Book your free call", "Limited slots this month"],
        "callToAction": "LEARN_MORE",
    }


def backlink_prospects(profile: Profile, rng: random.Random) -> dict[str, Any]:
    """Backlink research output (JSON): prospects with rating, relevance and a pitch angle."""
    return {
        "prospects": [
            {
                "domain": domain,
                "domainRating": rating,
                "relevance": rng.randint(5, 10),
                "angle": rng.choice(("expert quote", "guest article", "local resource page", "broken link")),
            }
            for domain, rating in rng.sample(profile.outreach_sites, 4)
        ]
    }


def search_term_review(terms: list[tuple[str, str, str]], rng: random.Random) -> dict[str, Any]:
    """A search-term review output (JSON): each term with the agent's label and confidence."""
    return {
        "terms": [
            {
                "searchTerm": term,
                "label": label,
                "confidence": round(rng.uniform(0.55, 0.98), 3),
                "rationale": why,
            }
            for term, label, why in terms
        ]
    }


def ad_optimization(changes: list[dict[str, Any]]) -> dict[str, Any]:
    """An ad-optimisation batch (JSON): the changes the agent recommends."""
    return {"changes": changes, "requiresApproval": True}
