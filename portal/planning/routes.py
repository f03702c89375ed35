"""Strategy (/strategy), deliverables and the agents' work (/deliverables), My tasks (/tasks)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from portal import audit
from portal.models import (
    Activity,
    ActivityRun,
    Deliverable,
    DeliverablePeriod,
    Strategy,
    ToolCall,
)
from portal.models.execution import ACTIVITY_STATUSES, ACTIVITY_TYPES, EXECUTORS
from portal.navigation import register_banner, register_count
from portal.planning import activities as plan
from portal.planning import configuration, rollups, runs, service, strategies, tasks, usage
from portal.planning.forms import ApproveForm, BlockedForm, DoneForm, RejectForm
from portal.stores.blobs import content_disposition
from portal.tenancy import USER_ID, get_or_404, require
from portal.web import render

bp = Blueprint("planning", __name__)

register_count("planning.my_tasks", lambda: tasks.open_count(USER_ID), figure="tasks.open")
register_banner(usage.usage_banner)
usage.register_figures()


# -- strategy --------------------------------------------------------------------------------------------


@bp.route("/strategy", endpoint="strategies")
@login_required
@require("planning.view")
def strategies_index():
    """The strategy versions, the one in force first."""
    return render(
        "planning/strategies.html",
        "content",
        page=strategies.list_strategies(request.args.get("cursor")),
        current=strategies.approved_strategy(),
    )


@bp.route("/strategy/<ulid:strategy_ref>")
@login_required
@require("planning.view")
def strategy(strategy_ref: str):
    """One version: its body, period, goals, and the decision (for owners and admins)."""
    row = get_or_404(Strategy, strategy_ref, joinedload(Strategy.approver))
    return _strategy_page(row)


def _strategy_page(row: Strategy, form=None, decision: str | None = None, status: int = 200):
    goals = strategies.goals_of(row)
    return (
        render(
            "planning/strategy.html",
            strategy=row,
            goals=goals,
            progress={g.id: service.goal_progress(g) for g in goals},
            previous=strategies.previous_version(row),
            history=audit.history(row),
            form=form,
            decision=decision,
        ),
        status,
    )


@bp.route("/strategy/<ulid:strategy_ref>/diff")
@login_required
@require("planning.view")
def strategy_diff(strategy_ref: str):
    """What changed against the previous version, line by line."""
    row = get_or_404(Strategy, strategy_ref)
    return render("planning/diff.html", diff=strategies.diff(row))


@bp.route("/strategy/<ulid:strategy_ref>/approve", methods=["GET", "POST"])
@login_required
@require("strategy.decide")
def approve_strategy(strategy_ref: str):
    """Confirm (GET), then approve (POST) a strategy waiting for review."""
    return _decide(strategy_ref, "approve", ApproveForm())


@bp.route("/strategy/<ulid:strategy_ref>/reject", methods=["GET", "POST"])
@login_required
@require("strategy.decide")
def reject_strategy(strategy_ref: str):
    """Confirm with a note (GET), then reject (POST) a strategy waiting for review."""
    return _decide(strategy_ref, "reject", RejectForm())


def _decide(strategy_ref: str, decision: str, form):
    row = get_or_404(Strategy, strategy_ref, joinedload(Strategy.approver))
    if request.method == "GET":
        if row.status != "pending_review":
            flash(f"This strategy is no longer waiting for a decision: {strategies.decided_by(row)}.", "info")
            return redirect(url_for("planning.strategy", strategy_ref=row.ref_id))
        return _strategy_page(row, form, decision)
    if not form.validate_on_submit():
        return _strategy_page(row, form, decision, 400)
    try:
        strategies.decide(row, decision, form.note.data, current_user)
    except strategies.DecisionRefused as refused:
        flash(str(refused), "warning")
        return redirect(url_for("planning.strategy", strategy_ref=row.ref_id), 303)
    flash(
        f"Version {row.version} is approved: the agents now work to it."
        if decision == "approve"
        else f"Version {row.version} is rejected; the agency will revise it from your note.",
        "success",
    )
    return redirect(url_for("planning.strategy", strategy_ref=row.ref_id), 303)


@bp.route("/strategy/goals")
@login_required
@require("planning.view")
def goals():
    """The live goals with their progress, deliverables and what the agents spent on each."""
    return _goals(archived=False)


@bp.route("/strategy/goals/archived")
@login_required
@require("planning.view")
def archived_goals():
    """Goals that are archived (from earlier strategies)."""
    return _goals(archived=True)


def _goals(archived: bool):
    page = service.list_goals(archived, request.args.get("cursor"))
    return render(
        "planning/goals.html",
        "content",
        page=page,
        archived=archived,
        progress={g.id: service.goal_progress(g) for g in page.rows},
        spent=rollups.rollup("goal", [g.id for g in page.rows]),
    )


@bp.route("/strategy/configuration")
@login_required
@require("settings.manage")
def configuration_view():
    """Agent configs and templates: what runs on the tenant's behalf, read-only."""
    tab = request.args.get("tab")
    tab = tab if tab in configuration.TABS else "agents"
    return render(
        "planning/configuration.html",
        "content",
        tab=tab,
        page=configuration.listing(tab, request.args.get("cursor")),
        describe_schedule=configuration.describe_schedule,
    )


# -- deliverables ----------------------------------------------------------------------------------------


@bp.route("/deliverables")
@login_required
@require("planning.view")
def this_month():
    """This month across all deliverables: delivered against target, status, credits used."""
    first = service.month_start(request.args.get("month"))
    page = service.this_month(first, request.args.get("cursor"))
    return render(
        "planning/this_month.html",
        "content",
        first=first,
        page=page,
        totals=service.month_totals(first),
        spent=rollups.rollup("deliverable", [r.deliverable.id for r in page.rows], month=first),
        usage=usage.month_usage(first),
        previous=service.previous_month(first),
        following=service.next_month(first),
    )


@bp.route("/deliverables/<ulid:deliverable_ref>")
@login_required
@require("planning.view")
def deliverable(deliverable_ref: str):
    """A deliverable and the timeline of its months."""
    row = get_or_404(Deliverable, deliverable_ref, joinedload(Deliverable.goal))
    page = service.periods_of(row, request.args.get("cursor"))
    months = rollups.rollup("month", deliverable_id=row.id)
    return render(
        "planning/deliverable.html",
        deliverable=row,
        page=page,
        total=rollups.rollup("deliverable", [row.id]).get(row.id, rollups.EMPTY),
        bars={p.id: service.period_bar(p) for p in page.rows},
        months=months,
    )


@bp.route("/deliverables/periods/<ulid:deliverable_period_ref>")
@login_required
@require("planning.view")
def period(deliverable_period_ref: str):
    """A deliverable's month: its activities as a tree or a calendar, filtered."""
    row = get_or_404(DeliverablePeriod, deliverable_period_ref, joinedload(DeliverablePeriod.deliverable))
    return _activities(row, row.period_start)


@bp.route("/deliverables/activities")
@login_required
@require("planning.view")
def activities():
    """The month's activities across every deliverable (by due date), as a tree or a calendar."""
    return _activities(None, service.month_start(request.args.get("month")))


def _activities(period: DeliverablePeriod | None, first):
    filters = plan.Filters.parse(request.args)
    view = "calendar" if request.args.get("view") == "calendar" else "list"
    context = {
        "period": period,
        "first": first,
        "filters": filters,
        "view": view,
        "statuses": ACTIVITY_STATUSES,
        "types": ACTIVITY_TYPES,
        "executors": EXECUTORS,
        "previous": service.previous_month(first),
        "following": service.next_month(first),
    }
    if view == "calendar":
        context["weeks"] = plan.calendar(period, first, filters)
    else:
        page, nodes = plan.activity_tree(
            period, None if period else first, filters, request.args.get("cursor")
        )
        context["page"] = page
        context["rows"] = plan.flatten(nodes)
        context["spent"] = rollups.rollup("activity", [n.activity.id for n in context["rows"]])
    return render("planning/activities.html", "content", **context)


@bp.route("/deliverables/activities/<ulid:activity_ref>")
@login_required
@require("planning.view")
def activity(activity_ref: str):
    """An activity: its output, its place in the tree, and every run with its session, calls and credits."""
    row = get_or_404(
        Activity,
        activity_ref,
        joinedload(Activity.assignee),
        joinedload(Activity.period).joinedload(DeliverablePeriod.deliverable),
        joinedload(Activity.goal),
    )
    return render(
        "planning/activity.html",
        activity=row,
        runs=runs.runs_of(row, request.args.get("cursor")),
        total=rollups.rollup("activity", [row.id]).get(row.id, rollups.EMPTY),
        **plan.activity_context(row),
    )


@bp.route("/deliverables/runs/<ulid:activity_run_ref>")
@login_required
@require("planning.view")
def run(activity_run_ref: str):
    """One run: its session, model calls and tool calls (payloads on demand)."""
    row = get_or_404(
        ActivityRun, activity_run_ref, joinedload(ActivityRun.activity), joinedload(ActivityRun.session)
    )
    return render(
        "planning/run.html",
        run=row,
        activity=row.activity,
        agent_session=row.session,
        llm_calls=runs.llm_calls_of(row, request.args.get("llm")),
        tool_calls=runs.tool_calls_of(row, request.args.get("tools")),
    )


@bp.route("/deliverables/tool-calls/<ulid:tool_call_ref>/payload")
@login_required
@require("planning.view")
def tool_call_payload(tool_call_ref: str):
    """The full request and response of a tool call, as a collapsible JSON fragment."""
    row = get_or_404(ToolCall, tool_call_ref)
    found = runs.payload(row)
    if found.state == "refused":
        abort(404)
    body = render("planning/_payload.html", "fragment", tool_call=row, payload=found)
    return body, 503 if found.state == "unavailable" else 200


@bp.route("/deliverables/tool-calls/<ulid:tool_call_ref>/payload.json")
@login_required
@require("planning.view")
def tool_call_payload_download(tool_call_ref: str):
    """The tool call's payload as a JSON file (for payloads too big to show)."""
    row = get_or_404(ToolCall, tool_call_ref)
    found = runs.payload_json(row)
    if found.state == "unavailable":
        abort(503)
    if found.state != "found":
        abort(404)
    response = Response(found.text, mimetype="application/json")
    response.headers["Content-Disposition"] = content_disposition(
        f"tool-call-{row.ref_id}.json", inline=False
    )
    return response


@bp.route("/deliverables/usage", endpoint="usage")
@login_required
@require("planning.view")
def usage_view():
    """Credits this month: allocation, consumed, reserved, remaining, by type; and the last six months."""
    first = service.month_start()
    since = first
    for _ in range(5):
        since = service.previous_month(since)
    return render(
        "planning/usage.html",
        usage=usage.month_usage(first),
        by_type=usage.by_type(first),
        months=sorted(rollups.rollup("month", since=since).items(), reverse=True),
    )


# -- my tasks --------------------------------------------------------------------------------------------


@bp.route("/tasks")
@login_required
@require("tasks.work")
def my_tasks():
    """The human tasks assigned to the signed-in user: open ones by due date, or the finished ones."""
    done = request.args.get("show") == "done"
    return render(
        "planning/tasks.html",
        "content",
        done=done,
        page=tasks.my_tasks(current_user, done, request.args.get("cursor")),
        blocked_form=BlockedForm(formdata=None),
        done_form=DoneForm(formdata=None),
        open_form=None,
    )


@bp.route("/tasks/<ulid:activity_ref>/done", methods=["POST"])
@login_required
@require("tasks.work")
def task_done(activity_ref: str):
    """Mark one of the user's tasks done."""
    row = _my_task(activity_ref)
    if DoneForm().validate_on_submit():
        try:
            tasks.mark_done(row, current_user)
            flash(f"“{row.title}” is done.", "success")
        except tasks.TaskRefused as refused:
            flash(str(refused), "warning")
    return redirect(url_for("planning.my_tasks"), 303)


@bp.route("/tasks/<ulid:activity_ref>/blocked", methods=["POST"])
@login_required
@require("tasks.work")
def task_blocked(activity_ref: str):
    """Mark one of the user's tasks blocked, with a note; a missing note re-renders the list (400)."""
    row = _my_task(activity_ref)
    form = BlockedForm()
    if row.assignee_user_id != current_user.id:
        flash("This task is not assigned to you.", "warning")
        return redirect(url_for("planning.my_tasks"), 303)
    if not form.validate_on_submit():
        return (
            render(
                "planning/tasks.html",
                done=False,
                page=tasks.my_tasks(current_user, False, None),
                blocked_form=form,
                done_form=DoneForm(formdata=None),
                open_form=row.ref_id,
            ),
            400,
        )
    try:
        tasks.mark_blocked(row, current_user, form.note.data)
        flash(f"“{row.title}” is marked blocked; the agency has your note.", "success")
    except tasks.TaskRefused as refused:
        flash(str(refused), "warning")
    return redirect(url_for("planning.my_tasks"), 303)


def _my_task(activity_ref: str) -> Activity:
    """The tenant's activity (404 if not the tenant's); the services refuse it unless it is the user's task."""
    return get_or_404(Activity, activity_ref)
