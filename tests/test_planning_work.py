"""Activities, runs and calls, the payloads, roll-ups, statement counts, credits and My tasks."""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import re
from decimal import Decimal

from flask import g
from sqlalchemy import select

from portal.models import (
    Activity,
    ActivityRun,
    AgentSession,
    AuditEvent,
    BillingEvent,
    Deliverable,
    DeliverablePeriod,
    Goal,
    LlmCall,
    Strategy,
    ToolCall,
)
from portal.planning import rollups, usage
from portal.planning.service import month_bounds
from portal.stores.documents import TOOL_CALL_LOGS
from tests.conftest import signed_in, tenant_of, text_of, user_of
from tests.queries import count_statements

NOW = dt.datetime.now(dt.UTC)


def _period(session, title: str = "Zz load-test posts") -> DeliverablePeriod:
    goal = session.scalars(select(Goal).where(Goal.status != "archived")).first()
    deliverable = Deliverable(
        goal_id=goal.id,
        strategy_id=goal.strategy_id,
        title=title,
        type="blog_post",
        monthly_volume=4,
        credits_per_unit=2,
    )
    session.add(deliverable)
    session.flush()
    first = dt.date.today().replace(day=1)
    period = DeliverablePeriod(
        deliverable_id=deliverable.id,
        period_start=first,
        period_end=first + dt.timedelta(days=27),
        target_count=4,
        status="in_progress",
    )
    session.add(period)
    session.flush()
    return period


def _work(session, period: DeliverablePeriod, activities: int, runs: int, calls: int) -> list[Activity]:
    """Activities (each with a child step), runs with model and tool calls: rows made in the test."""
    made = []
    agent_session = AgentSession(agent_name="content-writer", started_on=NOW)
    session.add(agent_session)
    session.flush()
    for number in range(activities):
        parent = Activity(
            deliverable_period_id=period.id,
            title=f"Post {number:03d}",
            type="blog_post",
            status="in_progress",
            due_on=NOW + dt.timedelta(hours=number),
        )
        session.add(parent)
        session.flush()
        session.add(
            Activity(
                deliverable_period_id=period.id,
                parent_activity_id=parent.id,
                title=f"Brief for post {number:03d}",
                type="content_brief",
                status="done",
                due_on=NOW,
            )
        )
        made.append(parent)
    first = made[0]
    for attempt in range(1, runs + 1):
        run = ActivityRun(
            activity_id=first.id,
            session_id=agent_session.id,
            attempt=attempt,
            status="failed" if attempt % 3 == 0 else "succeeded",
            started_on=NOW - dt.timedelta(minutes=5),
            finished_on=NOW,
            credits_reserved=2,
            credits_consumed=0 if attempt % 3 == 0 else 2,
        )
        session.add(run)
        session.flush()
        for call in range(calls):
            session.add(
                LlmCall(
                    activity_run_id=run.id,
                    provider="anthropic",
                    model="claude-x",
                    prompt_tokens=100 + call,
                    completion_tokens=10 + attempt,
                    cost_usd=Decimal("1.234567"),
                    latency_ms=900,
                )
            )
            session.add(
                ToolCall(activity_run_id=run.id, tool_name="web_search", status="succeeded", duration_ms=50)
            )
    session.commit()
    return made


def test_the_period_page_shows_the_activity_tree(client, tenant_session):
    session = tenant_session("acme")
    period = _period(session)
    _work(session, period, 2, 1, 1)
    brief = session.scalars(select(Activity).where(Activity.title == "Brief for post 000")).one()
    session.add(
        Activity(
            deliverable_period_id=period.id,
            parent_activity_id=brief.id,
            title="Outline of brief 000",
            type="content_brief",
            status="done",
            due_on=NOW,
        )
    )
    session.commit()
    client.login("marketer@acme.test")
    response = client.get(f"/deliverables/periods/{period.ref_id}")
    assert response.status_code == 200
    text = text_of(response)
    # a grandchild comes under its parent, which comes under the root: the recursive part of the tree
    assert (
        text.index("Post 000")
        < text.index("Brief for post 000")
        < text.index("Outline of brief 000")
        < text.index("Post 001")
    )
    assert 'class="wrap plan-depth-1"' in response.text and 'class="wrap plan-depth-2"' in response.text
    filtered = text_of(client.get(f"/deliverables/periods/{period.ref_id}?type=content_brief"))
    assert "Brief for post 000" in filtered and "Post 001 " not in filtered.replace("Brief for post 001", "")
    calendar = client.get(f"/deliverables/periods/{period.ref_id}?view=calendar")
    assert (
        calendar.status_code == 200
        and "Post 000" in calendar.text
        and 'class="plan-calendar"' in calendar.text
    )


def test_activity_page_shows_runs_sessions_tokens_and_credits_but_never_usd(client, tenant_session):
    session = tenant_session("acme")
    period = _period(session)
    activity = _work(session, period, 1, 3, 2)[0]
    client.login("viewer@acme.test")
    response = client.get(f"/deliverables/activities/{activity.ref_id}")
    assert response.status_code == 200
    text = text_of(response)
    assert "3 runs" in text and "content-writer" in text
    # tokens: per run 2 calls of (100 + 101) in and 2 × (10 + attempt) out
    total_tokens = sum(201 + 2 * (10 + attempt) for attempt in (1, 2, 3))
    assert f"{total_tokens:,} tokens" in text and "4 credits used" in text
    assert "1.234567" not in response.text and "1.23" not in text and "USD" not in text
    run = session.scalars(select(ActivityRun).where(ActivityRun.activity_id == activity.id)).first()
    run_page = client.get(f"/deliverables/runs/{run.ref_id}")
    assert run_page.status_code == 200 and "claude-x" in run_page.text and "1.234567" not in run_page.text
    assert "web_search" in run_page.text


def test_rollups_match_sums_computed_here(app, client, tenant_session):
    session = tenant_session("acme")
    period = _period(session)
    activity = _work(session, period, 2, 4, 3)[0]
    deliverable_id = session.scalar(
        select(DeliverablePeriod.deliverable_id).where(DeliverablePeriod.id == period.id)
    )
    goal_id = session.scalar(select(Deliverable.goal_id).where(Deliverable.id == deliverable_id))
    runs = session.scalars(select(ActivityRun).where(ActivityRun.activity_id == activity.id)).all()
    calls = session.scalars(select(LlmCall).where(LlmCall.activity_run_id.in_([r.id for r in runs]))).all()
    expected_consumed = sum(r.credits_consumed for r in runs)
    expected_tokens = sum(c.prompt_tokens + c.completion_tokens for c in calls)
    # every run and call of the goal and of this month, summed in Python from the rows
    all_runs = session.scalars(select(ActivityRun)).all()
    all_activities = {a.id: a for a in session.scalars(select(Activity))}
    all_periods = {p.id: p for p in session.scalars(select(DeliverablePeriod))}
    all_deliverables = {d.id: d for d in session.scalars(select(Deliverable))}
    all_calls = session.scalars(select(LlmCall)).all()
    tokens_by_run: dict = {}
    for call in all_calls:
        tokens_by_run[call.activity_run_id] = (
            tokens_by_run.get(call.activity_run_id, 0) + call.prompt_tokens + call.completion_tokens
        )

    def goal_of(run):
        a = all_activities[run.activity_id]
        if a.goal_id:
            return a.goal_id
        p = all_periods.get(a.deliverable_period_id)
        return all_deliverables[p.deliverable_id].goal_id if p else None

    goal_runs = [r for r in all_runs if goal_of(r) == goal_id]
    with app.test_request_context():
        g.db_session = session
        g.tenant = tenant_of(session)
        zone = __import__("portal.formatting", fromlist=["tenant_zone"]).tenant_zone()
        month = NOW.astimezone(zone).date().replace(day=1)
        start, end = month_bounds(month)
        month_runs = [r for r in all_runs if r.started_on and start <= r.started_on < end]
        by_activity = rollups.rollup("activity", [activity.id])[activity.id]
        by_deliverable = rollups.rollup("deliverable", [deliverable_id])[deliverable_id]
        by_goal = rollups.rollup("goal", [goal_id])[goal_id]
        by_month = rollups.rollup("month", [month])[month]
        since_month = rollups.rollup("month", since=month)
        deliverable_in_month = rollups.rollup("deliverable", [deliverable_id], month=month)
        deliverable_months = rollups.rollup("month", deliverable_id=deliverable_id)
    assert (by_activity.runs, by_activity.tokens, by_activity.credits_consumed) == (
        4,
        expected_tokens,
        expected_consumed,
    )
    assert by_activity.credits_reserved == 8 and by_activity.failed == 1
    assert (by_deliverable.runs, by_deliverable.tokens) == (4, expected_tokens)
    assert by_goal.runs == len(goal_runs)
    assert by_goal.credits_consumed == sum(r.credits_consumed for r in goal_runs)
    assert by_goal.tokens == sum(tokens_by_run.get(r.id, 0) for r in goal_runs)
    assert by_month.runs == len(month_runs)
    assert by_month.credits_consumed == sum(r.credits_consumed for r in month_runs)
    assert by_month.tokens == sum(tokens_by_run.get(r.id, 0) for r in month_runs)
    # the other shapes of the statement: from a month on, one month's deliverables, one deliverable's months
    later_runs = [r for r in all_runs if r.started_on and r.started_on >= start]
    assert sum(r.runs for r in since_month.values()) == len(later_runs)
    assert since_month[month] == by_month

    def deliverable_of(run):
        period_of_run = all_periods.get(all_activities[run.activity_id].deliverable_period_id)
        return period_of_run.deliverable_id if period_of_run else None

    deliverable_runs = [r for r in all_runs if deliverable_of(r) == deliverable_id and r.started_on]
    assert deliverable_in_month[deliverable_id].runs == len(
        [r for r in deliverable_runs if start <= r.started_on < end]
    )
    runs_per_month: dict = {}
    for run in deliverable_runs:
        local_month = run.started_on.astimezone(zone).date().replace(day=1)
        runs_per_month[local_month] = runs_per_month.get(local_month, 0) + 1
    assert {m: r.runs for m, r in deliverable_months.items()} == runs_per_month


def _count(app, client, url: str) -> int:
    with count_statements(app.extensions["db"].engine) as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


def test_statement_counts_do_not_grow_with_activities_runs_or_calls(app, client, tenant_session):
    session = tenant_session("acme")
    small, large = _period(session, "Zz small"), _period(session, "Zz large")
    few = _work(session, small, 10, 10, 10)[0]
    many = _work(session, large, 500, 500, 2)[0]
    client.login("owner@acme.test")
    client.get("/deliverables")  # warm-up: first-request work (sign-in checks, caches) is not the page's
    for url_of in (
        lambda p, a: f"/deliverables/periods/{p.ref_id}",
        lambda p, a: f"/deliverables/periods/{p.ref_id}?view=calendar",
        lambda p, a: f"/deliverables/activities/{a.ref_id}",
        lambda p, a: "/deliverables",
        lambda p, a: "/deliverables/activities",
    ):
        assert _count(app, client, url_of(small, few)) == _count(app, client, url_of(large, many)), url_of(
            small, few
        )
    run_few = session.scalars(select(ActivityRun).where(ActivityRun.activity_id == few.id)).first()
    run_many = session.scalars(select(ActivityRun).where(ActivityRun.activity_id == many.id)).first()
    assert _count(app, client, f"/deliverables/runs/{run_few.ref_id}") == _count(
        app, client, f"/deliverables/runs/{run_many.ref_id}"
    )
    page = client.get(f"/deliverables/periods/{large.ref_id}")
    assert page.text.count('class="wrap plan-depth-0"') == 25 and "Next page" in page.text


def _tool_call(session, document_id: str | None) -> ToolCall:
    period = _period(session)
    activity = _work(session, period, 1, 1, 0)[0]
    run = session.scalars(select(ActivityRun).where(ActivityRun.activity_id == activity.id)).one()
    call = ToolCall(activity_run_id=run.id, tool_name="crawl", status="failed", log_ref=document_id)
    session.add(call)
    session.commit()
    return call


def test_tool_call_payload_is_escaped_collapsible_json(app, client, tenant_session):
    session = tenant_session("acme")
    tenant = tenant_of(session)
    documents = app.extensions["stores"].documents
    oid = (
        documents[TOOL_CALL_LOGS]
        .insert_one(
            {
                "tenantId": tenant.ref_id,
                "request": {"url": "https://x.test/<script>"},
                "response": {"status": 500},
            }
        )
        .inserted_id
    )
    call = _tool_call(session, str(oid))
    client.login("viewer@acme.test")
    response = client.get(f"/deliverables/tool-calls/{call.ref_id}/payload", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert (
        "<details" in response.text and "&lt;script&gt;" in response.text and "<script>" not in response.text
    )
    assert "<html" not in response.text
    download = client.get(f"/deliverables/tool-calls/{call.ref_id}/payload.json")
    assert json.loads(download.data)["response"] == {"status": 500}


def test_a_payload_over_one_megabyte_is_truncated_with_a_download_link(app, client, tenant_session):
    session = tenant_session("acme")
    tenant = tenant_of(session)
    big = {"tenantId": tenant.ref_id, "request": {"q": "x"}, "response": {"html": "a" * (1024 * 1024 + 10)}}
    oid = app.extensions["stores"].documents[TOOL_CALL_LOGS].insert_one(big).inserted_id
    call = _tool_call(session, str(oid))
    client.login("owner@acme.test")
    response = client.get(f"/deliverables/tool-calls/{call.ref_id}/payload", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "too big to show here" in text_of(response)
    assert f"/deliverables/tool-calls/{call.ref_id}/payload.json" in response.text
    assert len(response.data) < 20_000


def test_a_payload_of_another_tenant_is_404_and_logged(app, client, tenant_session, caplog):
    northwind = tenant_of(tenant_session("northwind"))
    oid = (
        app.extensions["stores"]
        .documents[TOOL_CALL_LOGS]
        .insert_one({"tenantId": northwind.ref_id, "request": {}, "response": {}})
        .inserted_id
    )
    call = _tool_call(tenant_session("acme"), str(oid))
    client.login("owner@acme.test")
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        response = client.get(f"/deliverables/tool-calls/{call.ref_id}/payload")
    assert response.status_code == 404
    assert any("refused" in r.getMessage() for r in caplog.records if r.name == "portal.security")
    missing = _tool_call(tenant_session("acme"), "0123456789abcdef01234567")
    gone = client.get(f"/deliverables/tool-calls/{missing.ref_id}/payload")
    assert gone.status_code == 200 and "no longer available" in text_of(gone)


def _ledger_use(session, month_start: dt.datetime, month_end: dt.datetime) -> tuple[int, int]:
    events = session.scalars(
        select(BillingEvent).where(
            BillingEvent.occurred_on >= month_start, BillingEvent.occurred_on < month_end
        )
    ).all()
    used = -sum(e.credits for e in events if e.kind in ("credit_consumed", "credit_released"))
    topups = sum(e.credits for e in events if e.kind == "credit_topup")
    return used, topups


def test_usage_figures_and_the_80_and_100_percent_states(app, client, tenant_session):
    acme, northwind = tenant_session("acme"), tenant_session("northwind")
    client.login("owner@acme.test")
    page = client.get("/deliverables/usage")
    with app.test_request_context():
        g.tenant = tenant_of(acme)
        start, end = month_bounds(
            dt.datetime.now(__import__("zoneinfo").ZoneInfo(g.tenant.timezone)).date().replace(day=1)
        )
    used, topups = _ledger_use(acme, start, end)
    allocation = tenant_of(acme).monthly_credit_allocation + topups
    percent = used * 100 // allocation
    assert 50 <= percent < 80  # the demo: Acme around 60 %
    assert f"{used} of {allocation} credits ({percent} %)" in text_of(page)
    assert "of this month's credits" not in text_of(client.get("/strategy"))  # no banner below 80 %

    other = client.application.test_client()
    other.login("viewer@northwind.test")
    banner = text_of(other.get("/deliverables"))
    with app.test_request_context():
        g.tenant = tenant_of(northwind)
        start, end = month_bounds(
            dt.datetime.now(__import__("zoneinfo").ZoneInfo(g.tenant.timezone)).date().replace(day=1)
        )
    used, topups = _ledger_use(northwind, start, end)
    nw_percent = used * 100 // (tenant_of(northwind).monthly_credit_allocation + topups)
    assert 80 <= nw_percent < 100
    assert f"You have used {nw_percent} % of this month's credits." in banner
    northwind.add(BillingEvent(kind="credit_consumed", credits=-500, occurred_on=dt.datetime.now(dt.UTC)))
    northwind.commit()
    paused = text_of(other.get("/deliverables/activities"))
    assert "new work is paused until the month rolls over or credits are topped up" in paused
    assert usage.PAUSED_AT == 100


def _human_task(session, email: str, title: str, status: str = "pending") -> Activity:
    task = Activity(
        title=title,
        type="context_file",
        executor="human",
        status=status,
        assignee_user_id=user_of(session, email).id,
        due_on=dt.datetime.now(dt.UTC) + dt.timedelta(days=2),
    )
    session.add(task)
    session.commit()
    return task


def test_my_tasks_lists_only_mine_and_marks_done_once(client, tenant_session):
    session = tenant_session("acme")
    mine = _human_task(session, "marketer@acme.test", "Send us your brand photos")
    theirs = _human_task(session, "admin@acme.test", "Confirm the pricing page")
    client.login("marketer@acme.test")
    text = text_of(client.get("/tasks"))
    assert "Send us your brand photos" in text and "Confirm the pricing page" not in text
    assert client.post(f"/tasks/{mine.ref_id}/done", data={}).status_code == 303
    session.expire_all()
    done = session.get(Activity, (mine.tenant_id, mine.id))
    assert done.status == "done" and done.completed_on is not None
    again = client.post(f"/tasks/{mine.ref_id}/done", data={}, follow_redirects=True)
    assert "already done" in text_of(again)
    events = session.scalars(select(AuditEvent).where(AuditEvent.subject_id == mine.id)).all()
    assert [e.action for e in events] == ["task.done"]
    refused = client.post(f"/tasks/{theirs.ref_id}/done", data={}, follow_redirects=True)
    assert "not assigned to you" in text_of(refused)
    session.expire_all()
    assert session.get(Activity, (theirs.tenant_id, theirs.id)).status == "pending"
    assert "Send us your brand photos" in text_of(client.get("/tasks?show=done"))


def test_blocking_a_task_needs_a_note(client, tenant_session):
    session = tenant_session("acme")
    task = _human_task(session, "rep1@acme.test", "Approve the call script")
    client.login("rep1@acme.test")
    empty = client.post(f"/tasks/{task.ref_id}/blocked", data={"note": ""})
    assert empty.status_code == 400 and "Say what blocks the task." in text_of(empty)
    ok = client.post(
        f"/tasks/{task.ref_id}/blocked", data={"note": "Waiting for legal"}, follow_redirects=True
    )
    assert "Blocked: Waiting for legal" in text_of(ok)
    session.expire_all()
    row = session.get(Activity, (task.tenant_id, task.id))
    assert row.status == "blocked" and row.blocked_note == "Waiting for legal"
    viewer = client.application.test_client()
    viewer.login("viewer@acme.test")
    assert viewer.get("/tasks").status_code == 403


def test_configuration_is_for_owners_and_admins_and_shows_derivation(client, tenant_session):
    client.login("admin@acme.test")
    for tab in ("agents", "activity", "recurring"):
        response = client.get(f"/strategy/configuration?tab={tab}")
        assert response.status_code == 200
        assert "Nothing configured here yet" not in text_of(response)
    marketer = client.application.test_client()
    marketer.login("marketer@acme.test")
    assert marketer.get("/strategy/configuration").status_code == 403


def test_a_dead_document_store_gives_placeholders_not_errors(dead_document_store, tenant_session):
    """MongoDB down: the payload fragment offers a retry (503), the strategy diff says try again (200)."""
    session = tenant_session("acme")
    call = _tool_call(session, "0123456789abcdef01234567")
    strategy = session.scalars(
        select(Strategy).where(Strategy.content_ref.is_not(None), Strategy.version > 1)
    ).first()
    client = signed_in(dead_document_store, "owner@acme.test")
    payload = client.get(f"/deliverables/tool-calls/{call.ref_id}/payload", headers={"HX-Request": "true"})
    assert payload.status_code == 503
    assert "can't be loaded right now" in text_of(payload) and "Retry" in text_of(payload)
    diff = client.get(f"/strategy/{strategy.ref_id}/diff")
    assert diff.status_code == 200
    assert "can't be loaded right now" in text_of(diff)


def test_the_calendar_shows_four_a_day_and_how_many_more(client, tenant_session):
    session = tenant_session("acme")
    period = _period(session)
    due = dt.datetime.now(dt.UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    for number in range(6):
        session.add(
            Activity(
                deliverable_period_id=period.id, title=f"Same-day {number}", type="blog_post", due_on=due
            )
        )
    session.commit()
    client.login("owner@acme.test")
    page = client.get(f"/deliverables/periods/{period.ref_id}?view=calendar")
    text = text_of(page)
    assert sum(f"Same-day {n}" in text for n in range(6)) == 4
    assert "+2 more" in text
    assert client.get("/deliverables/activities?month=9999-12").status_code == 200  # a typo, not a 500


def test_an_activity_pages_through_its_runs_by_attempt_each_once(client, tenant_session):
    session = tenant_session("acme")
    activity = _work(session, _period(session), 1, 30, 0)[0]
    client.login("owner@acme.test")
    url, attempts = f"/deliverables/activities/{activity.ref_id}", []
    for _ in range(3):
        page = client.get(url)
        assert page.status_code == 200
        attempts += [
            int(n) for n in re.findall(r'href="/deliverables/runs/[0-9A-Z]{26}">(\d+)</a>', page.text)
        ]
        found = re.search(r'href="([^"]+)"[^>]*rel="next"', page.text)
        if not found:
            break
        url = html.unescape(found.group(1))
    assert attempts == list(range(1, 31))
