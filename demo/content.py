"""The demo's words: Markdown articles, briefs, reports, posts, the strategy, the client context file and
the website's text (the JSON outputs are in ``demo.outputs``, the agreement in ``demo.agreement``).

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

from demo.phrases import BULLETS, FAQ, HEADINGS, PARAGRAPHS, TABLES, fill
from demo.profiles import GoalSpec, Profile, Topic


def word_count(text: str) -> int:
    """Words in Markdown text, ignoring markup characters (what the writers' validators count)."""
    return len(re.findall(r"[\w'’₹£$%.,-]*\w[\w'’%.,-]*", re.sub(r"```.*?```", " ", text, flags=re.S)))


def slugify(text: str) -> str:
    """A URL slug of text ("Veneers vs Crowns: Costs" → "veneers-vs-crowns-costs")."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def blog_article(
    profile: Profile, topic: Topic, rng: random.Random, *, rewrite_note: str | None = None
) -> str:
    """A Markdown blog article (~650 words): headings, lists, a table, JSON-LD code, links and an image."""
    intro, *paragraphs = PARAGRAPHS[profile.industry]
    rng.shuffle(paragraphs)
    headings = rng.sample(HEADINGS[profile.industry], 4)
    header, rows = TABLES[profile.industry]
    faqs = rng.sample(FAQ[profile.industry], 3)
    slug = slugify(topic.title)
    lines = [f"# {topic.title}", ""]
    if rewrite_note:
        lines += [f"> **Revised draft.** Changes made after review: {rewrite_note}", ""]
    lines += [
        fill(intro, profile, topic),
        "",
        f"![{topic.title}]({profile.website}/images/blog/{slug}.webp)",
        "",
        "**Key takeaways**",
        "",
    ]
    lines += [f"- {fill(p.split('. ')[0].rstrip('.'), profile, topic)}." for p in paragraphs[:3]]
    lines.append("")
    for number, heading in enumerate(headings):
        lines += [f"## {fill(heading, profile, topic)}", ""]
        lines += [fill(paragraphs[number * 2], profile, topic), ""]
        lines += [fill(paragraphs[number * 2 + 1], profile, topic), ""]
        if number == 1:
            lines += ["What to bring:", ""]
            items = rng.sample(BULLETS[profile.industry], 4)
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
    headings = rng.sample(HEADINGS[profile.industry], 5)
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
    lines += [f"{n}. {fill(h, profile, topic)}" for n, h in enumerate(headings, start=1)]
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
    body = fill(rng.choice(PARAGRAPHS[profile.industry]), profile, Topic(theme, theme, theme))
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
            fill(rng.choice(PARAGRAPHS[profile.industry]), profile, topic),
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
        fill(PARAGRAPHS[profile.industry][0], profile, topic),
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
    lines += _section(
        "Risks and how we manage them",
        "- **Approval bottlenecks:** content waits for review; we batch approvals weekly.",
        "- **Algorithm updates:** we diversify across organic, paid and local.",
        "- **Tracking gaps:** conversions are checked against the CRM every month.",
        "",
    )
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
    lines += _section("Audience", f"Primarily {profile.audience}.")
    lines += _section(
        "Brand voice",
        f"- **Tone:** {voice['tone']}",
        f"- **Personality:** {', '.join(voice['personality'])}",
        f"- **Use:** {', '.join(voice['vocabulary']['use'])}",
        f"- **Avoid:** {', '.join(voice['vocabulary']['avoid'])}",
        f"- **Style:** {voice['writingStyle']}",
    )
    lines += _section("Competitors", *(f"- {c}" for c in profile.competitors))
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


def _section(heading: str, *lines: str) -> list[str]:
    """A Markdown section: a blank line, its ``##`` heading, a blank line and its lines."""
    return ["", f"## {heading}", "", *lines]


def website_text(profile: Profile) -> str:
    """The crawled text of the tenant's website (plain text), as the onboarding researcher saved it."""
    pages = [f"{profile.website}/\n{profile.name} – {profile.area}, {profile.city}\n"]
    for service in profile.services:
        pages.append(f"{profile.website}/{slugify(service.name)}\n{service.name}\n{service.messages[0]}\n")
    return "\n".join(pages)
