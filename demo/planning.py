"""The demo's planning: strategy versions with their Markdown, goals, deliverables, each month's period
and the activities that fill it, and the human tasks of this month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from demo import content
from demo.builder import TenantSeed, Work, add_months
from demo.ids import Mint
from demo.profiles import DeliverableSpec, GoalSpec, Topic
from demo.runs import agent_work, maker, perform
from demo.scenario import (
    ARCHIVED_DELIVERABLES,
    BLOCKED_NOTES,
    CREDITS,
    CURRENT_PLANS,
    CURRENT_STATUSES,
    HUMAN_TASKS,
    PARENT_KIND,
    PLAN_FOR_STATUS,
    PLATFORM_NAMES,
    REJECTION_NOTES,
    STRATEGIES,
)
from portal.models import Activity, Deliverable, DeliverablePeriod, Goal, Strategy


def planning(seed: TenantSeed) -> None:
    """Strategy versions with their Markdown, the approved one's goals, deliverables and periods."""
    p = seed.p
    mint = seed.mint("planning")
    owner = seed.user("owner")
    versions = STRATEGIES[p.slug]
    approved_start = next(start for _, _, status, start, _, _ in versions if status == "approved")
    approved_specs = [_DeliverableView(d.title, d.monthly_volume, CREDITS[d.type]) for d in p.deliverables]
    archived_specs = [
        _DeliverableView(title, volume, CREDITS[kind])
        for kind, title, volume, *_ in ARCHIVED_DELIVERABLES[p.slug]
    ]
    replaced_on = None
    for version, title, status, start, created, decided in versions:
        created_on = seed.on(*created) if created else seed.ago(days=6 if status == "pending_review" else 1)
        period_start = seed.month(start)
        period_end = add_months(period_start, 6) - dt.timedelta(days=1)
        row = seed.new(
            mint,
            Strategy,
            version=version,
            title=title,
            summary=f"Six months from {period_start:%B %Y}: {title.lower()}.",
            status=status,
            period_start=period_start,
            period_end=period_end,
            created_on=created_on,
        )
        decided_on = seed.on(*decided) if decided else None
        if status in ("approved", "archived"):
            row.approved_by = row.updated_by = owner.id
            row.approved_on = row.updated_on = decided_on
        if status == "approved":
            seed.strategy = row
            replaced_on = decided_on
        elif status == "rejected":
            row.rejected_by = row.updated_by = owner.id
            row.rejected_on = row.updated_on = decided_on
            row.rejection_note = REJECTION_NOTES[p.slug]
        views = archived_specs if status == "archived" else approved_specs
        body = content.strategy_body(p, title, period_start, period_end, p.goals, views)
        object_id = mint.object_id()
        row.content_ref = str(object_id)
        if status == "archived" and "strategy_content" in seed.broken:
            seed.broken.discard("strategy_content")  # deliberately missing document
        else:
            seed.documents["strategies_content"].append(
                {
                    "_id": object_id,
                    "refId": mint.ulid(),
                    "tenantId": seed.tenant_ref,
                    "createdBy": None,
                    "createdOn": created_on,
                    "strategyId": row.ref_id,
                    "body": body,
                }
            )
        # The strategy writer's run that produced this version (the draft is still being written).
        work = agent_work(
            seed,
            mint,
            created_on,
            title=f"Strategy v{version}: {title}",
            type="strategy",
            status="in_progress" if status == "draft" else "done",
            due_on=created_on + dt.timedelta(days=2),
            completed_on=None if status == "draft" else created_on,
            created_on=created_on - dt.timedelta(hours=3),
        )
        perform(seed, work, "running" if status == "draft" else "ok", lambda _v, b=body: ("markdown", b))
    for strategy in seed.rows:
        if isinstance(strategy, Strategy) and strategy.status == "archived":
            strategy.updated_on = replaced_on
    goals_and_deliverables(seed, mint, approved_start)


def goals_and_deliverables(seed: TenantSeed, mint: Mint, start: int) -> None:
    """Goals and deliverables of the approved strategy (six months each) and of the archived one (its
    months until it was replaced), every month with its period and activities."""
    p = seed.p
    strategy = seed.strategy
    archived = next(r for r in seed.rows if isinstance(r, Strategy) and r.status == "archived")
    old_goals = [
        new_goal(seed, mint, archived, p.goals[0], "achieved", p.goals[0].target + 40),
        new_goal(seed, mint, archived, p.goals[2], "missed", round(p.goals[2].target * 0.7)),
    ]
    for spec in p.goals:
        goal = new_goal(seed, mint, strategy, spec, spec.status, spec.current)
        if spec.status == "archived":
            goal.updated_on = seed.on(-2, 10)
            goal.updated_by = seed.user("marketer").id
        seed.goals.append(goal)
    old = [
        (spec, new_deliverable(seed, mint, archived, old_goals[spec.goal], spec))
        for spec in (DeliverableSpec(*values) for values in ARCHIVED_DELIVERABLES[p.slug])
    ]
    seed.deliverables = [
        (spec, new_deliverable(seed, mint, strategy, seed.goals[spec.goal], spec)) for spec in p.deliverables
    ]
    for spec, deliverable in old:
        for month in range(seed.month_of(seed.at(archived.period_start)), start):
            deliverable_month(seed, spec, deliverable, month)
    for spec, deliverable in seed.deliverables:
        for offset in range(6):
            deliverable_month(seed, spec, deliverable, start + offset)
    my_tasks(seed)


def new_goal(
    seed: TenantSeed, mint: Mint, strategy: Strategy, spec: GoalSpec, status: str, current: int
) -> Goal:
    """A goal of a strategy, due at the strategy's end."""
    return _of_strategy(
        seed,
        mint,
        Goal,
        strategy,
        spec.title,
        metric=spec.metric,
        metric_type=spec.metric_type,
        target_value=spec.target_value,
        target_numeric_value=Decimal(spec.target),
        baseline_value=Decimal(spec.baseline if strategy is seed.strategy else round(spec.baseline * 0.8)),
        current_value=Decimal(current),
        unit=spec.unit,
        due_date=strategy.period_end,
        status=status,
    )


def new_deliverable(
    seed: TenantSeed, mint: Mint, strategy: Strategy, goal: Goal, spec: DeliverableSpec
) -> Deliverable:
    """A deliverable of a strategy towards a goal."""
    return _of_strategy(
        seed,
        mint,
        Deliverable,
        strategy,
        spec.title,
        goal_id=goal.id,
        type=spec.type,
        monthly_volume=spec.monthly_volume,
        credits_per_unit=CREDITS[spec.type],
        status=spec.status,
    )


def _of_strategy(
    seed: TenantSeed, mint: Mint, model: type, strategy: Strategy, title: str, **values: Any
) -> Any:
    """A goal or deliverable of a strategy, made when the strategy was approved."""
    return seed.new(
        mint, model, strategy_id=strategy.id, title=title, created_on=strategy.approved_on, **values
    )


def deliverable_month(seed: TenantSeed, spec: Any, deliverable: Deliverable, month: int) -> None:
    """One deliverable's period for a month and the activities that fill it."""
    mint = seed.mint("activities")
    rng = mint.rng
    first = seed.month(month)
    period = seed.new(
        mint,
        DeliverablePeriod,
        deliverable_id=deliverable.id,
        period_start=first,
        period_end=add_months(first, 1) - dt.timedelta(days=1),
        target_count=spec.monthly_volume,
        delivered_count=0,
        status="upcoming" if month > 0 else "in_progress",
        created_on=deliverable.created_on,
    )
    seed.periods[(spec.type, month)] = period
    if month > 1:
        return
    volume = spec.monthly_volume
    if month < 0:
        missed = rng.random() < 0.15 or (spec.type == "backlinks" and month == -2)
        plans = [("done", "retry" if rng.random() < 0.15 else "ok", None) for _ in range(volume)]
        if missed:
            plans[-1] = ("failed", "fail", None) if rng.random() < 0.6 else ("cancelled", None, None)
    elif month == 0:
        plans = _current_plans(seed.p.slug, spec.type, volume)
    else:
        plans = [("pending", None, None)] * volume
    days = (period.period_end - first).days + 1
    for index, (status, plan, post_status) in enumerate(plans):
        due = seed.at(first + dt.timedelta(days=int(days * (index + 1) / (volume + 1))), 17)
        if month < 0:
            when = seed.within(month, (index + 0.2 + rng.random() * 0.6) / volume)
        elif status in ("in_progress", "queued") and plan in ("running", "queued", "rewrite_running"):
            when = seed.within(0, rng.uniform(0.93, 0.99))
        else:
            when = seed.within(0, rng.uniform(0.1, 0.9) * (index + 1) / volume)
        work = new_work(seed, spec.type, month, index, status, when, due, period, deliverable)
        parent = work.parent
        if parent is not None and spec.type == "content_brief" and status == "done":
            # A brief is written before its article: halfway between the month's start and the article.
            start = seed.window(month)[0]
            work.when = work.activity.completed_on = start + (max(parent.when, start) - start) / 2
            work.activity.updated_on = work.when
            work.activity.created_on = min(work.activity.created_on, work.when - dt.timedelta(hours=2))
        work.post_status = post_status
        # X refuses posts over 280 characters, so only drafts under review may be too long.
        work.long_caption = work.platform == "x" and post_status in ("dm_review", "client_review")
        if plan:
            gap = dt.timedelta(days=rng.randint(2, 4)) if plan.startswith("rewrite") else None
            perform(seed, work, plan, maker(seed, work), gap=gap)
        if status == "done":
            period.delivered_count += 1
    if month < 0:
        period.status = "delivered" if period.delivered_count >= volume else "missed"
        period.updated_on = seed.at(period.period_end + dt.timedelta(days=1), 6)


def new_work(
    seed: TenantSeed,
    kind: str,
    month: int,
    index: int,
    status: str,
    when: dt.datetime,
    due: dt.datetime,
    period: DeliverablePeriod,
    deliverable: Deliverable,
) -> Work:
    """An agent activity of a deliverable's month, with its topic or theme and its parent if any."""
    p = seed.p
    rng = seed.mint("activities").rng
    position = (month + 6) * 8 + index
    topic = p.topics[position % len(p.topics)] if p.topics else None
    parent = None
    parent_kind = PARENT_KIND.get(kind)
    siblings = [w for w in seed.work.get(parent_kind, ()) if w.month == month]
    if siblings:
        parent = siblings[min(index, len(siblings) - 1)] if kind == "content_brief" else siblings[0]
        topic = parent.topic if kind == "content_brief" else topic
    theme = ""
    platform = ""
    if kind == "social_post":
        platform = _platforms(p.slug, month)[index % 8]
        theme = p.social_themes[position % len(p.social_themes)]
    elif kind == "gbp_post":
        theme = p.gbp_themes[position % len(p.gbp_themes)]
    title = _activity_title(kind, topic, theme, platform, seed.month(month))
    activity = seed.new(
        seed.mint("activities"),
        Activity,
        deliverable_period_id=period.id,
        goal_id=deliverable.goal_id,
        parent_activity_id=parent.activity.id if parent else None,
        title=title,
        type=kind,
        executor="agent",
        status=status,
        due_on=due,
        completed_on=when if status == "done" else None,
        blocked_note=BLOCKED_NOTES.get(kind) if status == "blocked" else None,
        created_on=min(seed.at(seed.month(month), 8) - dt.timedelta(days=3), when - dt.timedelta(hours=2))
        if month <= 0
        else seed.ago(days=rng.randint(1, 4)),
    )
    if status in ("done", "failed", "cancelled", "awaiting_approval"):
        activity.updated_on = when
    work = Work(activity, month, when, topic=topic, deliverable=deliverable, theme=theme, platform=platform)
    seed.work[kind].append(work)
    return work


def my_tasks(seed: TenantSeed) -> None:
    """Human activities assigned to tenant users ("My tasks"), in this month's periods."""
    mint = seed.mint("tasks")
    for key, kind, title, status, due_days, note in HUMAN_TASKS[seed.p.slug]:
        period = seed.periods.get((kind, 0))
        goal_id = next((d.goal_id for spec, d in seed.deliverables if spec.type == kind), None)
        created = seed.within(0, 0.3)
        task = seed.new(
            mint,
            Activity,
            deliverable_period_id=period.id if period else None,
            goal_id=goal_id,
            assignee_user_id=seed.user(key).id,
            title=title,
            type=kind,
            executor="human",
            status=status,
            due_on=seed.at(seed.today + dt.timedelta(days=due_days), 18),
            completed_on=seed.within(0, 0.6) if status == "done" else None,
            blocked_note=note,
            created_by=seed.user("marketer").id,
            created_on=created,
        )
        seed.work[f"task:{kind}"].append(Work(task, 0, created))


@dataclass(frozen=True)
class _DeliverableView:
    """What the strategy's Markdown shows of a deliverable."""

    title: str
    monthly_volume: int
    credits_per_unit: int


def _current_plans(slug: str, kind: str, volume: int) -> list[tuple[str, str | None, str | None]]:
    """This month's units of a deliverable: (activity status, run plan, post status)."""
    if (slug, kind) in CURRENT_PLANS:
        plans = list(CURRENT_PLANS[(slug, kind)])
        return (plans + [("pending", None, None)] * volume)[:volume]
    statuses = CURRENT_STATUSES.get((slug, kind)) or CURRENT_STATUSES.get(kind) or ("pending",)
    statuses = (list(statuses) * volume)[:volume]
    return [(status, PLAN_FOR_STATUS.get(status), None) for status in statuses]


def _platforms(slug: str, month: int) -> list[str]:
    """The platform of each social post of a month (this month's order puts a long X post up for review)."""
    if month == 0:
        return {
            "acme": ["instagram", "facebook", "x", "instagram", "linkedin", "facebook", "x", "instagram"],
            "northwind": ["linkedin", "x", "x", "linkedin", "facebook", "instagram", "linkedin", "x"],
        }[slug]
    cycle = (
        ["instagram", "facebook", "linkedin", "x"]
        if slug == "acme"
        else ["linkedin", "x", "facebook", "instagram"]
    )
    return [cycle[(month + n) % 4] for n in range(8)]


def _activity_title(kind: str, topic: Topic | None, theme: str, platform: str, month: dt.date) -> str:
    """The title of a deliverable's activity."""
    if kind == "blog_post":
        return f"Blog post: {topic.title}"
    if kind == "content_brief":
        return f"Content brief: {topic.title}"
    if kind == "social_post":
        return f"{PLATFORM_NAMES[platform]} post: {theme}"
    if kind == "gbp_post":
        return f"Google Business Profile post: {theme}"
    previous = add_months(month, -1)
    return {
        "keyword_cluster": f"Keyword clusters for {month:%B %Y}",
        "social_calendar": f"Social calendar for {month:%B %Y}",
        "monthly_report": f"Performance report for {previous:%B %Y}",
        "email_newsletter": f"Client newsletter – {month:%B %Y}",
        "landing_page": f"Practice-area landing page – {month:%B %Y}",
        "google_ads_copy": f"Google Ads copy refresh – {month:%B %Y}",
        "meta_ads_copy": f"Meta lead ad copy – {month:%B %Y}",
        "backlinks": f"Backlink outreach – {month:%B %Y}",
    }[kind]
