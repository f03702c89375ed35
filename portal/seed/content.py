"""The demo's words: Markdown articles, briefs, reports, the strategy and the client context file, and the
JSON outputs (keyword clusters, ad copy, search-term reviews, …) that agents produce.

Every generator takes the tenant's profile and a seeded ``random.Random`` and returns text, so the same seed
gives the same words. Articles use what the portal's renderer must handle: headings, lists, a table, a fenced
code block, links and an image.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from typing import Any

from portal.seed.profiles import GoalSpec, Profile, Topic

_PARAGRAPHS = {
    "dental": (
        "At {brand} in {area}, we meet patients every week who have put off {thing} because they are not "
        "sure what it involves. This guide walks through what actually happens, what it costs in {city} "
        "and how to decide whether it is right for you.",
        "The short version: when it comes to {thing}, the treatment is routine and predictable, and with "
        "modern local anaesthesia far more comfortable than most people expect. What matters most is an "
        "accurate diagnosis, which is why every plan at our clinic starts with a full examination and, "
        "where needed, a digital X-ray or CBCT scan.",
        "Costs vary with the materials used, the number of visits and whether any preparatory work is "
        "needed first. We always give a written estimate before treatment starts, and we offer EMI at 0% "
        "over 6 or 12 months for treatment above ₹25,000.",
        "Most patients go back to work the same day or the next morning. Mild soreness for two or three "
        "days is normal and settles with the painkillers we prescribe; swelling that grows after day "
        "three, a fever or a bad taste are reasons to call us straight away.",
        "If you have diabetes, take blood thinners or are pregnant, tell us before any procedure. None "
        "of these rules treatment out, but they change how we plan it and how closely we follow up.",
        "Good results last when home care is good: brush twice a day for two minutes with a fluoride "
        "toothpaste, clean between your teeth once a day and keep six-monthly check-ups so small "
        "problems stay small.",
        'Searches for "{keyword}" tend to turn up price lists that leave out what is included. Ask any '
        "clinic whether the quote covers the consultation, X-rays, follow-up visits and the final "
        "restoration.",
        "Our dentists explain every option with photos and models before you decide, and we never start "
        "treatment on the day of your first visit unless you are in pain and want us to.",
        "Waiting rarely makes dental problems cheaper. A small cavity treated now costs a fraction of "
        "the root canal and crown it can turn into within a year or two.",
        "Children copy what they see: brushing together in the evening and keeping sugary snacks to "
        "mealtimes do more for young teeth than any product on the shelf.",
    ),
    "legal": (
        "At {brand} we speak to people every week who are facing {thing} for the first time. This guide "
        "sets out how it works in England and Wales, what it usually costs and the points where advice "
        "makes the biggest difference.",
        "The law here is settled, but the detail matters: deadlines are strict and the paperwork is less "
        "forgiving than it looks. Reading this guide is a good start; it is not a substitute for advice "
        "on your own facts.",
        "Most of our work on {thing} is done for a fixed fee agreed in writing before we start, so you "
        "know the cost up front. Where a fixed fee is not possible we give a realistic estimate and "
        "update it as the matter develops.",
        "Timescales depend on the other side as much as on us. We keep you updated at every stage and "
        "tell you plainly when something is taking longer than it should, and why.",
        "Keep every letter, e-mail and document that relates to the matter, and write down dates while "
        "you still remember them. A clear timeline is often the single most useful thing a client can "
        "bring.",
        'People searching for "{keyword}" often find forum answers that are out of date or from another '
        "jurisdiction. Scottish and US rules in particular differ in ways that can change the outcome.",
        "If there is a deadline, act on it first and ask questions second. Missing a limitation date is "
        "one of the few mistakes in law that usually cannot be put right.",
        "Our team in {area} has handled matters like this for employees, families and businesses across "
        "{city}. The first call is free and without obligation: we will tell you honestly whether we can "
        "help.",
        "Agreements reached early are usually cheaper and less stressful than those reached at a "
        "hearing. Mediation and without-prejudice negotiation are worth considering even when feelings "
        "run high.",
        "Always check who you are instructing: every solicitor in England and Wales appears on the SRA's "
        "register, and firms must publish their complaints procedure and prices for many services.",
    ),
    "plumbing": (
        "At {brand} we fix {thing} problems across {city} every day, and most of them start small.",
        "Upfront pricing means you approve the price before we start; there are no surprises on the invoice.",
    ),
}

_HEADINGS = {
    "dental": (
        "What is involved in {thing}",
        "Who is a good candidate",
        "Step by step: what to expect",
        "The cost of {thing} in {city}",
        "Recovery and aftercare",
        "Warning signs to watch for",
        "How to choose a clinic",
    ),
    "legal": (
        "How {thing} works",
        "Key deadlines",
        "The process step by step",
        "What it costs",
        "Common mistakes to avoid",
        "What to bring to your first meeting",
        "When to take advice",
    ),
}

_BULLETS = {
    "dental": (
        "A list of any medicines you take, including supplements",
        "Previous X-rays or scans, if you have them",
        "Your questions, written down before the visit",
        "Insurance or corporate health-card details",
        "A rough idea of the budget you have in mind",
        "The dates you are travelling or have an event coming up",
    ),
    "legal": (
        "Any letters or e-mails from the other side",
        "Your contract, offer letter or title documents",
        "A timeline of the key dates",
        "Proof of identity and address",
        "Details of any deadline you have been given",
        "The names of everyone involved",
    ),
}

_TABLES = {
    "dental": (
        ("Treatment", "Typical price in Bengaluru", "Visits"),
        (
            ("Consultation and X-ray", "₹500 – ₹1,200", "1"),
            ("Professional cleaning", "₹1,500 – ₹3,000", "1"),
            ("Root canal (molar)", "₹6,000 – ₹12,000", "2 – 3"),
            ("Ceramic crown", "₹8,000 – ₹18,000", "2"),
            ("Single implant with crown", "₹45,000 – ₹90,000", "3 – 4"),
            ("Clear aligners (full case)", "₹1,20,000 – ₹2,80,000", "8 – 12"),
        ),
    ),
    "legal": (
        ("Stage", "Typical timescale", "What you do"),
        (
            ("First call", "Same week", "Tell us the facts and any deadline"),
            ("Advice and plan", "1 – 2 weeks", "Send documents; agree the fee"),
            ("Negotiation", "2 – 8 weeks", "Review offers with us"),
            ("Agreement or proceedings", "1 – 6 months", "Sign, or prepare for a hearing"),
            ("Completion", "Days after agreement", "Keep copies of everything"),
        ),
    ),
}

_FAQ = {
    "dental": (
        (
            "Does it hurt?",
            "Local anaesthesia numbs the area fully; most patients describe pressure, not pain.",
        ),
        (
            "Can I pay in instalments?",
            "Yes. EMI at 0% is available over 6 or 12 months for larger treatments.",
        ),
        (
            "How long does it last?",
            "With good home care and regular check-ups, many years; we explain what to expect for your case.",
        ),
        ("Do you see children?", "Yes, our paediatric dentist sees children from their first tooth."),
    ),
    "legal": (
        ("Is the first call free?", "Yes. We will tell you whether we can help and what it would cost."),
        ("Do you offer fixed fees?", "For most matters, yes, agreed in writing before we start."),
        ("Can we meet online?", "Yes, by video call, or in person at our Shoreditch office."),
        ("How quickly can you start?", "Usually within two working days, sooner where there is a deadline."),
    ),
}


def word_count(text: str) -> int:
    """Words in Markdown text, ignoring markup characters (what the writers' validators count)."""
    return len(re.findall(r"[\w'’₹£$%.,-]*\w[\w'’%.,-]*", re.sub(r"```.*?```", " ", text, flags=re.S)))


def _fill(template: str, profile: Profile, topic: Topic) -> str:
    return template.format(
        brand=profile.name, area=profile.area, city=profile.city, thing=topic.thing, keyword=topic.keyword
    )


def slugify(text: str) -> str:
    """A URL slug of text ("Veneers vs Crowns: Costs" → "veneers-vs-crowns-costs")."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def blog_article(
    profile: Profile, topic: Topic, rng: random.Random, *, rewrite_note: str | None = None
) -> str:
    """A Markdown blog article (~650 words): headings, lists, a table, JSON-LD code, links and an image."""
    intro, *paragraphs = _PARAGRAPHS[profile.industry]
    rng.shuffle(paragraphs)
    headings = rng.sample(_HEADINGS[profile.industry], 4)
    header, rows = _TABLES[profile.industry]
    faqs = rng.sample(_FAQ[profile.industry], 3)
    slug = slugify(topic.title)
    lines = [f"# {topic.title}", ""]
    if rewrite_note:
        lines += [f"> **Revised draft.** Changes made after review: {rewrite_note}", ""]
    lines += [
        _fill(intro, profile, topic),
        "",
        f"![{topic.title}]({profile.website}/images/blog/{slug}.webp)",
        "",
        "**Key takeaways**",
        "",
    ]
    lines += [f"- {_fill(p.split('. ')[0].rstrip('.'), profile, topic)}." for p in paragraphs[:3]]
    lines.append("")
    for number, heading in enumerate(headings):
        lines += [f"## {_fill(heading, profile, topic)}", ""]
        lines += [_fill(paragraphs[number * 2], profile, topic), ""]
        lines += [_fill(paragraphs[number * 2 + 1], profile, topic), ""]
        if number == 1:
            lines += ["What to bring:", ""]
            items = rng.sample(_BULLETS[profile.industry], 4)
            lines += [f"{n}. {item}" for n, item in enumerate(items, start=1)]
            lines.append("")
        if number == 2:
            lines += [f"| {' | '.join(header)} |", f"|{'---|' * len(header)}"]
            lines += [f"| {' | '.join(row)} |" for row in rows]
            lines += ["", "*Prices are indicative and include taxes where applicable.*", ""]
    lines += ["## Frequently asked questions", ""]
    for question, answer in faqs:
        lines += [f"### {question}", "", answer, ""]
    schema = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": q, "acceptedAnswer": {"@type": "Answer", "text": a}}
            for q, a in faqs
        ],
    }
    lines += [
        "## Structured data for this page",
        "",
        "Add this FAQ markup to the page template so Google can show the questions as rich results:",
        "",
        "```json",
        json.dumps(schema, indent=2, ensure_ascii=False),
        "```",
        "",
        f"Ready to talk it through? [Book a consultation]({profile.website}/contact?utm_source=blog"
        f"&utm_medium=organic&utm_campaign={slug}) or read more on the "
        f"[{profile.name} blog]({profile.website}/blog).",
        "",
    ]
    return "\n".join(lines)


def content_brief(profile: Profile, topic: Topic, rng: random.Random) -> str:
    """A Markdown content brief: keyword, intent, outline, competing pages and requirements."""
    words = rng.choice((1200, 1400, 1600, 1800))
    headings = rng.sample(_HEADINGS[profile.industry], 5)
    lines = [
        f"# Content brief: {topic.title}",
        "",
        f"- **Primary keyword:** `{topic.keyword}`",
        f"- **Search intent:** {rng.choice(('commercial investigation', 'informational', 'transactional'))}",
        f"- **Target length:** {words:,} words",
        f"- **Audience:** {profile.audience}",
        f"- **Tone:** {profile.brand_voice['tone']}",
        "",
        "## Outline",
        "",
    ]
    lines += [f"{n}. {_fill(h, profile, topic)}" for n, h in enumerate(headings, start=1)]
    lines += [
        "",
        "## Pages ranking today",
        "",
        "| Position | Page | Words | Gap we can fill |",
        "|---|---|---|---|",
    ]
    for position, competitor in enumerate(profile.competitors[:3], start=1):
        lines.append(
            f"| {position} | {competitor} – {topic.thing} | {rng.randint(900, 2400):,} | "
            f"{rng.choice(('no prices', 'no local detail', 'outdated', 'no FAQ', 'thin on aftercare'))} |"
        )
    lines += [
        "",
        "## Requirements",
        "",
        f"- Mention {profile.area} and {profile.city} naturally, at most three times.",
        "- One table, one FAQ block with schema markup, one call to action.",
        "- Link to two related articles and the contact page.",
        "",
    ]
    return "\n".join(lines)


def monthly_report(profile: Profile, month: dt.date, goals: tuple[GoalSpec, ...], rng: random.Random) -> str:
    """A Markdown monthly performance report with a KPI table and next month's plan."""
    label = month.strftime("%B %Y")
    lines = [
        f"# Performance report: {label}",
        "",
        f"Prepared for {profile.name}.",
        "",
        "## Headline numbers",
        "",
    ]
    lines += ["| Metric | Last month | This month | Change |", "|---|---:|---:|---:|"]
    for goal in goals:
        if goal.status == "archived":
            continue
        now = round(goal.baseline + (goal.current - goal.baseline) * rng.uniform(0.6, 1.0))
        before = round(now / rng.uniform(1.02, 1.15)) or 1
        lines.append(f"| {goal.metric} | {before:,} | {now:,} | {100 * (now - before) / before:+.1f}% |")
    lines += [
        "",
        "## Highlights",
        "",
        f"- {rng.randint(3, 6)} new pages entered the top 10 on Google.",
        f"- Cost per lead from paid search fell {rng.randint(4, 18)}%.",
        f"- {rng.randint(2, 5)} new referring domains, all rated DR 30 or above.",
        "",
        "## Next month",
        "",
        "1. Publish the approved articles and refresh two older ones.",
        "2. Review search terms weekly and push the approved negatives.",
        "3. Test a new offer in paid social.",
        "",
    ]
    return "\n".join(lines)


def short_post(profile: Profile, theme: str, rng: random.Random) -> str:
    """A Markdown Google Business Profile post or newsletter item."""
    body = _fill(rng.choice(_PARAGRAPHS[profile.industry]), profile, Topic(theme, theme, theme))
    return f"## {theme}\n\n{body}\n\n[Find out more]({profile.website}/?utm_source=gbp&utm_medium=organic)\n"


def newsletter(profile: Profile, month: dt.date, topics: list[Topic], rng: random.Random) -> str:
    """A Markdown client newsletter for a month, linking the month's articles."""
    lines = [
        f"# {profile.name} briefing – {month.strftime('%B %Y')}",
        "",
        "Welcome to this month's update.",
        "",
    ]
    for topic in topics:
        lines += [
            f"## {topic.title}",
            "",
            _fill(rng.choice(_PARAGRAPHS[profile.industry]), profile, topic),
            "",
            f"[Read the full guide]({profile.website}/insights/{slugify(topic.title)})",
            "",
        ]
    lines += ["---", "", f"You receive this because you are a client of {profile.name}. [Unsubscribe](#)", ""]
    return "\n".join(lines)


def landing_page(profile: Profile, service: str, rng: random.Random) -> str:
    """A Markdown landing page for a service: hero, proof points, process and a call to action."""
    topic = Topic(service, service.lower(), service.lower())
    lines = [
        f"# {service} in {profile.city}",
        "",
        f"**Fixed fees. Plain English. A response within {profile.sla_hours} working hours.**",
        "",
        _fill(_PARAGRAPHS[profile.industry][0], profile, topic),
        "",
        "## Why clients choose us",
        "",
        "- Rated 4.8/5 from 300+ reviews",
        "- A named solicitor from the first call to the end of the matter",
        "- Video meetings or our Shoreditch office",
        "",
        "## How it works",
        "",
        "1. A free 15-minute call",
        "2. A written quote within a day",
        "3. We start as soon as you say so",
        "",
        f"[Request a call back]({profile.website}/contact?service={slugify(service)})",
        "",
    ]
    return "\n".join(lines)


def strategy_body(
    profile: Profile,
    title: str,
    start: dt.date,
    end: dt.date,
    goals: tuple[GoalSpec, ...],
    deliverables: list[Any],
) -> str:
    """The Markdown six-month strategy: situation, SMART goals, channel plan, roadmap, credits and risks."""
    lines = [
        f"# {title}",
        "",
        f"**Client:** {profile.name} · **Period:** {start:%d %B %Y} – {end:%d %B %Y} · "
        f"**Market:** {profile.city}",
        "",
        "## Where we start",
        "",
        f"{profile.name} serves {profile.audience}. Search demand for its services is growing, but the "
        "site ranks on page two for most commercial terms and paid search carries most of the enquiries. "
        "The plan below shifts the mix towards organic search and local visibility while keeping paid "
        "search efficient.",
        "",
        "## SMART goals",
        "",
        "| Goal | Metric | Baseline | Target | By |",
        "|---|---|---:|---:|---|",
    ]
    for goal in goals:
        if goal.status != "archived":
            lines.append(
                f"| {goal.title} | {goal.metric} | {goal.baseline:,} | {goal.target_value} | {end:%b %Y} |"
            )
    lines += [
        "",
        "Each goal is **specific** (one metric), **measurable** (read weekly from the connected accounts), "
        "**achievable** (benchmarked against the last twelve months), **relevant** (tied to enquiries) and "
        "**time-bound** (the end of the period).",
        "",
        "## Monthly deliverables",
        "",
        "| Deliverable | Per month | Credits per unit |",
        "|---|---:|---:|",
    ]
    lines += [f"| {d.title} | {d.monthly_volume} | {d.credits_per_unit} |" for d in deliverables]
    lines += ["", "## Roadmap", "", "| Month | Focus |", "|---|---|"]
    focuses = (
        "Foundations: tracking, keyword clusters, first briefs",
        "Content velocity and local citations",
        "Paid search restructure and negatives",
        "Conversion-rate work on key landing pages",
        "Outreach links and refreshed top pages",
        "Review, report and plan the next period",
    )
    month = start
    for focus in focuses:
        lines.append(f"| {month:%B %Y} | {focus} |")
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    lines += [
        "",
        "## Risks and how we manage them",
        "",
        "- **Approval bottlenecks:** content waits for review; we batch approvals weekly.",
        "- **Algorithm updates:** we diversify across organic, paid and local.",
        "- **Tracking gaps:** conversions are checked against the CRM every month.",
        "",
    ]
    return "\n".join(lines)


def context_file(profile: Profile) -> str:
    """The client context file (Markdown): business, services, audience, voice, competitors, rules."""
    voice = profile.brand_voice
    lines = [
        f"# Client context file: {profile.name}",
        "",
        "## Business",
        "",
        f"{profile.legal_name}, based in {profile.area}, {profile.city}. Website: <{profile.website}>.",
        "",
        "## Services and typical values",
        "",
        f"| Service | Typical value ({profile.currency}) |",
        "|---|---:|",
    ]
    lines += [f"| {s.name} | {s.low:,} – {s.high:,} |" for s in profile.services]
    lines += [
        "",
        "## Audience",
        "",
        f"Primarily {profile.audience}.",
        "",
        "## Brand voice",
        "",
        f"- **Tone:** {voice['tone']}",
        f"- **Personality:** {', '.join(voice['personality'])}",
        f"- **Use:** {', '.join(voice['vocabulary']['use'])}",
        f"- **Avoid:** {', '.join(voice['vocabulary']['avoid'])}",
        f"- **Style:** {voice['writingStyle']}",
        "",
        "## Competitors",
        "",
    ]
    lines += [f"- {c}" for c in profile.competitors]
    lines += [
        "",
        "## Rules for agents",
        "",
        "1. Never promise outcomes or quote prices not in the table above.",
        "2. Every blog post and social post goes to the client for approval.",
        "3. Publish only to connected channels.",
        "",
    ]
    return "\n".join(lines)


def website_text(profile: Profile) -> str:
    """The crawled text of the tenant's website (plain text), as the onboarding researcher saved it."""
    pages = [f"{profile.website}/\n{profile.name} – {profile.area}, {profile.city}\n"]
    for service in profile.services:
        pages.append(f"{profile.website}/{slugify(service.name)}\n{service.name}\n{service.messages[0]}\n")
    return "\n".join(pages)


def social_caption(profile: Profile, theme: str, platform: str, rng: random.Random, *, long: bool) -> str:
    """A social caption: the theme, a line of copy and a call to action.

    ``long`` makes one deliberately over X's 280-character limit (two paragraphs of copy), so the portal's
    length warning has something to show.
    """
    topic = Topic(theme, theme, theme)
    # Only the lines that read well without a topic ({thing} and {keyword} would repeat the theme).
    lines = [
        line
        for line in _PARAGRAPHS[profile.industry][1:]
        if "{thing}" not in line and "{keyword}" not in line
    ]
    first, second = rng.sample(lines, 2)
    cta = "Book your visit: link in bio." if profile.industry == "dental" else "Talk to us: link in bio."
    if long:
        return f"{theme}\n\n{_fill(first, profile, topic)} {_fill(second, profile, topic)}\n\n{cta}"
    line = _fill(first, profile, topic).split(". ")[0].rstrip(".") + "."
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


AGENCY = "Meridian Growth Labs Private Limited"
_LAW = {
    "IN": ("the Digital Personal Data Protection Act, 2023", "the laws of India; courts at Bengaluru"),
    "GB": (
        "the UK GDPR and the Data Protection Act 2018",
        "the laws of England and Wales; courts of England",
    ),
    "US": (
        "the Illinois Personal Information Protection Act",
        "the laws of the State of Illinois; courts of Cook County",
    ),
}


def contract_blocks(profile: Profile, version: int, sent_on: dt.date) -> list[tuple[str, str]]:
    """The text of the services agreement, version ``version``, as (kind, text) blocks for the PDF writer."""
    privacy, law = _LAW[profile.country]
    fee = f"{profile.currency} {profile.subscription_fee:,.2f}"
    blocks = [
        ("title", "Growth Services Agreement"),
        ("paragraph", f"Version {version} · issued {sent_on:%d %B %Y}"),
        ("heading", "Parties"),
        (
            "paragraph",
            f'(1) {AGENCY} ("the Agency"); and (2) {profile.legal_name}, trading as {profile.name} '
            f'("the Client"), of {profile.area}, {profile.city}.',
        ),
        ("heading", "1. Services"),
        (
            "paragraph",
            "The Agency provides AI-assisted marketing services: strategy, content, search, social, paid "
            "media and lead management, performed by software agents and reviewed by the Agency's "
            "specialists.",
        ),
        ("bullet", "A six-month strategy with SMART goals, proposed for the Client's approval."),
        ("bullet", "Monthly deliverables as listed in the approved strategy."),
        ("bullet", "Access to the client portal for approvals, leads, reports and billing."),
        ("heading", "2. Approvals"),
        (
            "paragraph",
            "No blog post, social post, campaign or change to an advertising account is published or "
            "applied without the Client's approval in the portal. Approvals are recorded with the "
            "approver, time and IP address.",
        ),
        ("heading", "3. Credits and fees"),
        (
            "paragraph",
            f"The {profile.plan} plan includes {profile.monthly_credits} credits a month, allocated on the "
            f"first day of each month; unused credits do not roll over. The subscription fee is {fee} a "
            f"month plus {profile.tax_label}, invoiced monthly in advance and payable within 14 days.",
        ),
        (
            "paragraph",
            "Each agent run reserves credits when it starts, consumes them when it succeeds and releases "
            "them when it fails. At 100% use, new work pauses until the next allocation or a top-up.",
        ),
        ("heading", "4. Data protection"),
        (
            "paragraph",
            f"Each party complies with {privacy}. The Agency processes lead and customer data only on "
            "the Client's instructions and keeps it separate from every other client's data.",
        ),
        ("heading", "5. Intellectual property"),
        (
            "paragraph",
            "Content approved and paid for belongs to the Client. The Agency keeps its tools, prompts "
            "and templates.",
        ),
        ("heading", "6. Term and termination"),
        (
            "paragraph",
            "This agreement runs for twelve months from acceptance and renews monthly after that. "
            "Either party may end it on 30 days' written notice.",
        ),
        ("heading", "7. Governing law"),
        ("paragraph", f"This agreement is governed by {law}."),
    ]
    if version > 1:
        blocks += [
            ("heading", "8. Changes from the previous version"),
            ("bullet", "Credits now reset monthly; the credit prices for top-ups are listed in the portal."),
            ("bullet", f"The data protection clause now refers to {privacy}."),
        ]
    blocks += [
        ("heading", "Acceptance"),
        (
            "paragraph",
            "Accepted electronically in the client portal by an owner of the Client's account. The "
            "portal records the name typed, the time, the IP address, the browser and the SHA-256 of this "
            "file.",
        ),
        ("small", f"{AGENCY} · Registered office: 4th Floor, 80 Feet Road, Koramangala, Bengaluru 560034"),
    ]
    return blocks
