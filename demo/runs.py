"""Agent runs of the demo: their attempts, model and tool calls, outputs (documents and objects) and
working sessions, and the text each kind of activity produces."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from demo import content, outputs
from demo.builder import CreditMove, TenantSeed, Work, add_months
from demo.ids import Mint
from demo.profiles import Profile, Topic
from demo.scenario import (
    AGENT_FOR,
    AGENT_MODELS,
    ATTEMPTS,
    CREDITS,
    PRICES,
    REWRITE_NOTES,
    RUN_ERRORS,
    TOOLS_FOR,
)
from portal.models import Activity, ActivityRun, AgentSession, LlmCall, ToolCall


def output(
    seed: TenantSeed,
    mint: Mint,
    activity: Activity,
    run: ActivityRun,
    text: str,
    when: dt.datetime,
    *,
    fmt: str = "markdown",
) -> str:
    """Store an activity output (document + object) and return its ObjectId as 24 hex digits."""
    object_id, ref = mint.object_id(), mint.ulid()
    if activity.type == "gbp_post" and "output_doc" in seed.broken:
        seed.broken.discard("output_doc")
        return str(object_id)  # deliberately missing: no document, no object
    markdown = fmt == "markdown"
    key = f"{seed.tenant_ref}/activity-outputs/{activity.ref_id}/{ref}.{'md' if markdown else 'json'}"
    body = text.encode()
    content_type = "text/markdown; charset=utf-8" if markdown else "application/json"
    words = content.word_count(text) if markdown else None
    seed.word_counts[str(object_id)] = words
    checks = []
    if markdown:
        checks.append({"rule": "has_title", "passed": text.startswith("# "), "detail": "one H1 heading"})
    if activity.type == "blog_post":
        checks.append(
            {"rule": "min_word_count", "passed": words >= 600, "detail": f"{words} words, minimum 600"}
        )
    if activity.type == "social_post":
        made = json.loads(text)
        limit = made["characterLimit"]
        length = len(made["caption"])
        checks.append({"rule": "character_limit", "passed": length <= limit, "detail": f"{length}/{limit}"})
    seed.documents["activity_outputs"].append(
        {
            "_id": object_id,
            "refId": ref,
            "tenantId": seed.tenant_ref,
            "createdBy": None,
            "createdOn": when,
            "activityId": activity.ref_id,
            "activityRunId": run.ref_id,
            "type": activity.type,
            "format": fmt,
            "s3Key": key,
            "contentType": content_type,
            "bytes": len(body),
            "sha256": hashlib.sha256(body).hexdigest(),
            "metadata": {
                "wordCount": words,
                "charCounts": {"total": len(text), "lines": text.count("\n") + 1},
                "validationResults": checks,
            },
        }
    )
    if activity.type == "blog_post" and "output_object" in seed.broken:
        seed.broken.discard("output_object")  # deliberately missing: the document names no object
    else:
        seed.objects.append((key, body, content_type))
    return str(object_id)


def agent_session(
    seed: TenantSeed, agent: str, goal_id: Any, start: dt.datetime
) -> tuple[AgentSession, tuple]:
    """The agent's working session for this goal and month (created on first use)."""
    key = (agent, goal_id, start.astimezone(seed.tz).strftime("%Y-%m"))
    session = seed.sessions.get(key)
    if session is None:
        session = seed.new(
            seed.mint("sessions"),
            AgentSession,
            goal_id=goal_id,
            agent_name=agent,
            status="ended",
            started_on=start,
            created_on=start,
        )
        seed.sessions[key] = session
    session.started_on = min(session.started_on, start)
    session.created_on = session.started_on
    return session, key


def agent_work(seed: TenantSeed, mint: Mint, when: dt.datetime, **values: Any) -> Work:
    """An agent's activity (``values`` are its columns) as the Work of a run that ends at ``when``."""
    return Work(seed.new(mint, Activity, executor="agent", **values), seed.month_of(when), when)


def perform(
    seed: TenantSeed,
    work: Work,
    plan: str,
    make: Callable[[int], tuple[str, str]] | None,
    *,
    gap: dt.timedelta | None = None,
) -> None:
    """Add the runs of an agent activity per ``plan`` (see ATTEMPTS), ending at ``work.when``.

    ``make(version)`` returns (format, text) of the output a successful attempt produces; ``gap`` is the
    time between attempts (hours for a retry, days for a rewrite after the client's review).
    """
    activity = work.activity
    mint = seed.mint("runs")
    rng = mint.rng
    agent = AGENT_FOR[activity.type]
    credits = CREDITS[activity.type]
    statuses = ATTEMPTS[plan]
    gap = gap or dt.timedelta(hours=rng.randint(1, 5))
    spans = []
    end = work.when
    for _ in statuses:
        start = end - dt.timedelta(minutes=rng.randint(3, 25))
        spans.append((start, end))
        end = start - gap
    spans.reverse()
    version = 0
    for attempt, (status, (start, end)) in enumerate(zip(statuses, spans, strict=True), start=1):
        started = status != "queued"
        session, key = agent_session(seed, agent, activity.goal_id, start) if started else (None, None)
        run = seed.new(
            mint,
            ActivityRun,
            activity_id=activity.id,
            session_id=session.id if session else None,
            attempt=attempt,
            status=status,
            started_on=start if started else None,
            finished_on=end if status in ("succeeded", "failed") else None,
            error=rng.choice(RUN_ERRORS) if status == "failed" else None,
            credits_reserved=credits if started else 0,
            credits_consumed=credits if status == "succeeded" else 0,
            created_on=start,
        )
        if not started:
            continue
        seed.session_runs[key].append(run)
        seed.credit_moves.append(CreditMove(start, -credits, "credit_consumed", run, activity.title))
        if status == "failed":
            seed.credit_moves.append(CreditMove(end, credits, "credit_released", run, activity.title))
        calls(seed, run, activity.type, agent, start, end if status != "running" else start, status)
        if status == "succeeded" and make is not None:
            fmt, text = make(version)
            version += 1
            work.outputs.append(output(seed, mint, activity, run, text, end, fmt=fmt))
            work.texts.append(text)
    if work.outputs:
        activity.output_ref = work.outputs[-1]


def calls(
    seed: TenantSeed,
    run: ActivityRun,
    kind: str,
    agent: str,
    start: dt.datetime,
    end: dt.datetime,
    status: str,
) -> None:
    """The model and tool calls of a run (a failed run's last tool call fails)."""
    mint = seed.mint("calls")
    rng = mint.rng
    _, provider, model = AGENT_MODELS[agent]
    price_in, price_out = PRICES[model]
    span = max((end - start).total_seconds(), 60)
    for number in range(rng.randint(3, 5) if kind in ("blog_post", "strategy") else rng.randint(1, 3)):
        prompt = rng.randint(1800, 14000)
        completion = rng.randint(2500, 5200) if kind in ("blog_post", "strategy") else rng.randint(250, 1800)
        cost = (price_in * prompt + price_out * completion) / 1_000_000
        seed.new(
            mint,
            LlmCall,
            activity_run_id=run.id,
            provider=provider,
            model=model,
            prompt_tokens=prompt,
            completion_tokens=completion,
            cost_usd=cost.quantize(Decimal("0.000001")),
            latency_ms=rng.randint(600, 1500) + completion * rng.randint(8, 20),
            created_on=start + dt.timedelta(seconds=span * (number + 1) / 7),
        )
    tools = TOOLS_FOR[kind]
    chosen = [tools[i % len(tools)] for i in range(rng.randint(1, len(tools) + 1))]
    if kind == "blog_post" and status == "succeeded" and rng.random() < 0.3:
        chosen.append("wordpress_publish")
    for number, tool in enumerate(chosen):
        failed = status == "failed" and number == len(chosen) - 1
        call = seed.new(
            mint,
            ToolCall,
            activity_run_id=run.id,
            tool_name=tool,
            status="failed" if failed else "succeeded",
            duration_ms=rng.randint(120, 9000),
            summary=_tool_summary(tool, failed),
            created_on=start + dt.timedelta(seconds=span * (number + 1) / (len(chosen) + 2)),
        )
        log_id = mint.object_id()
        call.log_ref = str(log_id)
        if failed and "tool_log" in seed.broken:
            seed.broken.discard("tool_log")  # deliberately missing: no tool_call_logs document
            continue
        request, response = _tool_payloads(tool, seed.p, rng, failed)
        seed.documents["tool_call_logs"].append(
            {
                "_id": log_id,
                "refId": mint.ulid(),
                "tenantId": seed.tenant_ref,
                "createdBy": None,
                "createdOn": call.created_on,
                "toolCallId": call.ref_id,
                "activityRunId": run.ref_id,
                "toolName": tool,
                "request": request,
                "response": response,
            }
        )


def finish_sessions(seed: TenantSeed) -> None:
    """Settle each agent session's status from its runs: this month's are active, older ones ended."""
    this_month = seed.today.strftime("%Y-%m")
    for key, session in seed.sessions.items():
        runs = seed.session_runs[key]
        last = max((run.finished_on or run.started_on) for run in runs)
        session.updated_on = last
        if key[2] == this_month:
            session.status = "active"
            session.expires_on = last + dt.timedelta(days=7)
        elif max(runs, key=lambda run: run.started_on).status == "failed":  # gave up after a failure
            session.status = "expired"
            session.expires_on = last + dt.timedelta(days=1)
        else:
            session.ended_on = last


def maker(seed: TenantSeed, work: Work) -> Callable[[int], tuple[str, str]]:
    """The function producing the activity's output text for each successful attempt."""
    p = seed.p
    kind = work.activity.type
    rng = seed.mint("texts").rng
    first = seed.month(work.month)

    def make(version: int) -> tuple[str, str]:
        if kind == "blog_post":
            note = REWRITE_NOTES[p.slug] if version else None
            return "markdown", content.blog_article(p, work.topic, rng, rewrite_note=note)
        if kind == "content_brief":
            return "markdown", content.content_brief(p, work.topic, rng)
        if kind == "social_post":
            caption = outputs.social_caption(p, work.theme, work.platform, rng, long=work.long_caption)
            return "json", json.dumps(
                {
                    "platform": work.platform,
                    "caption": caption,
                    "hashtags": outputs.hashtags(p, rng),
                    "cta": "Book now" if p.industry == "dental" else "Talk to us",
                    "altText": f"{p.name}: {work.theme}",
                    "characterLimit": 280 if work.platform == "x" else 2200,
                    "withinLimit": len(caption) <= (280 if work.platform == "x" else 2200),
                },
                ensure_ascii=False,
                indent=2,
            )
        if kind == "gbp_post":
            return "markdown", content.short_post(p, work.theme, rng)
        if kind == "monthly_report":
            return "markdown", content.monthly_report(p, add_months(first, -1), p.goals, rng)
        if kind == "email_newsletter":
            return "markdown", content.newsletter(p, first, rng.sample(p.topics, 2), rng)
        if kind == "landing_page":
            return "markdown", content.landing_page(p, rng.choice(p.services).name, rng)
        if kind == "keyword_cluster":
            payload = outputs.keyword_cluster(p, rng)
        elif kind == "social_calendar":
            payload = outputs.social_calendar(p, first, rng)
        elif kind in ("google_ads_copy", "meta_ads_copy"):
            platform = "google_ads" if kind == "google_ads_copy" else "meta_ads"
            names = [c.name for c in p.campaigns if c.platform == platform] or [p.name]
            payload = outputs.ads_copy(p, rng.choice(names), platform, rng)
        else:  # backlinks and backlink research
            payload = outputs.backlink_prospects(p, rng)
        return "json", json.dumps(payload, ensure_ascii=False, indent=2)

    return make


def _tool_summary(tool: str, failed: bool) -> str:
    """One line on what a tool call did."""
    if failed:
        return (
            f"{tool} failed: {'HTTP 502 from upstream' if tool.endswith('_api') else 'timed out after 30 s'}"
        )
    return {
        "serp_lookup": "Fetched the top 10 organic results",
        "web_search": "Searched the web for recent sources",
        "fetch_url": "Fetched and cleaned a competitor page",
        "image_generate": "Generated a 1080×1080 image",
        "keyword_planner": "Pulled volumes for 24 keywords",
        "google_ads_api": "Queried the Google Ads API",
        "meta_graph_api": "Read ad set insights from Meta",
        "ga4_report": "Ran a GA4 report for the last 28 days",
        "gsc_query": "Queried Search Console performance",
        "backlink_index": "Looked up referring domains",
        "send_email": "Sent an outreach e-mail",
        "gbp_api": "Posted an update to Google Business Profile",
        "mailchimp_api": "Created a Mailchimp campaign draft",
        "wordpress_publish": "Sent the article to WordPress (a draft until the client approves)",
    }.get(tool, f"Called {tool}")


def _tool_payloads(tool: str, profile: Profile, rng: Any, failed: bool) -> tuple[dict, dict]:
    """Realistic request and response payloads of a tool call (what tool_call_logs keeps in full)."""
    topic = rng.choice(profile.topics) if profile.topics else Topic(profile.name, profile.name, profile.name)
    request: dict[str, Any] = {"tool": tool}
    if tool in ("serp_lookup", "keyword_planner", "web_search"):
        request["arguments"] = {"query": topic.keyword, "location": profile.city, "language": "en"}
        response: dict[str, Any] = {
            "results": [
                {"position": n, "url": f"https://{site}/", "title": f"{topic.thing.capitalize()} – {site}"}
                for n, (site, _) in enumerate(profile.outreach_sites[:3] or (("example.com", 0),), start=1)
            ]
        }
    elif tool == "fetch_url":
        request["arguments"] = {"url": f"{profile.website}/{content.slugify(topic.title)}", "timeout": 20}
        response = {
            "status": 200,
            "contentType": "text/html; charset=utf-8",
            "bytes": rng.randint(18000, 90000),
        }
    elif tool == "google_ads_api":
        request["arguments"] = {
            "customerId": "4128832190",
            "query": "SELECT search_term_view.search_term, metrics.clicks, metrics.cost_micros "
            "FROM search_term_view WHERE segments.date DURING LAST_7_DAYS",
        }
        response = {"rowCount": rng.randint(40, 400), "nextPageToken": None}
    else:
        request["arguments"] = {"tenant": profile.slug}
        response = {"ok": True, "id": f"{tool}-{rng.randint(10000, 99999)}"}
    if failed:
        response = {"error": {"code": 502, "message": "Bad Gateway", "retryable": True}}
    return request, response
