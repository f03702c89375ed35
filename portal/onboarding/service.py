"""The rules of onboarding: the wizard's steps saved one at a time, the launch, and the context-file review.

Each step saves into the run's ``inputs`` (and ``current_step``) in its own transaction, so a user can
leave and come back. Launch marks onboarding complete; the run waits for review once the agents' context
file exists. Review decisions are conditional updates (``WHERE status = 'awaiting_review'``): exactly one
decision per run, and a second one is told who decided first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from portal import audit
from portal.db import get_session
from portal.decisions import transition
from portal.formatting import localtime
from portal.models import OnboardingRun, User
from portal.stores import StoreUnavailable, get_stores
from portal.stores.documents import ONBOARDING_RESEARCH, find_by_id, parse_object_id
from portal.tenancy import current_tenant

STEPS = ("channels", "brand_voice", "brand_assets", "documents", "baseline", "budget", "launch")
STEP_LABELS = {
    "channels": "Channels",
    "brand_voice": "Brand voice",
    "brand_assets": "Brand assets",
    "documents": "Documents",
    "baseline": "Baseline",
    "budget": "Budget",
    "launch": "Launch",
}
# The inputs key each step writes, to tell which steps have answers.
STEP_KEYS = {
    "channels": "channels",
    "brand_voice": "brandVoice",
    "brand_assets": "brandAssets",
    "documents": "documents",
    "baseline": "baseline",
    "budget": "budget",
}
HISTORY_LIMIT = 25


class OnboardingRefused(Exception):
    """A change the rules refuse; the message says why, for the user."""


def next_step(step: str) -> str:
    """The step after ``step`` (launch is the last)."""
    index = STEPS.index(step)
    return STEPS[min(index + 1, len(STEPS) - 1)]


def previous_step(step: str) -> str | None:
    """The step before ``step``, or None for the first."""
    index = STEPS.index(step)
    return STEPS[index - 1] if index else None


def with_reviewer():
    """Loader options for the reviewer a run's page names."""
    return (joinedload(OnboardingRun.reviewer),)


def latest_run() -> OnboardingRun | None:
    """The tenant's most recent onboarding run, with its reviewer."""
    return (
        get_session()
        .scalars(
            select(OnboardingRun)
            .where(OnboardingRun.tenant_id == current_tenant.id)
            .options(*with_reviewer())
            .order_by(OnboardingRun.started_on.desc(), OnboardingRun.id.desc())
            .limit(1)
        )
        .first()
    )


def in_wizard(run: OnboardingRun) -> bool:
    """Whether the wizard still edits this run: in progress and not launched."""
    return run.status == "in_progress" and run.completed_on is None


def wizard_run() -> OnboardingRun | None:
    """The run the wizard edits: the latest one, while it is in progress and not launched."""
    run = latest_run()
    return run if run is not None and in_wizard(run) else None


def runs() -> list[OnboardingRun]:
    """The tenant's runs, newest first (the last 25: a tenant has a handful), with reviewers loaded."""
    return list(
        get_session().scalars(
            select(OnboardingRun)
            .where(OnboardingRun.tenant_id == current_tenant.id)
            .options(*with_reviewer())
            .order_by(OnboardingRun.started_on.desc(), OnboardingRun.id.desc())
            .limit(HISTORY_LIMIT)
        )
    )


def start(actor: User) -> OnboardingRun:
    """Start the wizard (a run in progress), unless one is going or onboarding is complete."""
    if current_tenant.onboarding_completed_on is not None:
        raise OnboardingRefused("Onboarding is complete already.")
    run = wizard_run()
    if run is not None:
        return run
    session = get_session()
    run = OnboardingRun(tenant_id=current_tenant.id, current_step=STEPS[0], inputs={}, created_by=actor.id)
    session.add(run)
    session.commit()
    return run


def answered_steps(run: OnboardingRun) -> dict[str, str]:
    """Each step's state: "answered", "skipped" or "open"."""
    skipped = set((run.inputs or {}).get("skippedSteps") or [])
    states = {}
    for step, key in STEP_KEYS.items():
        if key in (run.inputs or {}) and step not in skipped:
            states[step] = "answered"
        elif step in skipped:
            states[step] = "skipped"
        else:
            states[step] = "open"
    return states


def save_step(run: OnboardingRun, step: str, answers: dict[str, Any] | None, actor: User) -> str:
    """Save a step's answers (None: the step is skipped) and move the run on; returns the next step.

    Skipping keeps earlier answers of that step; the other steps' answers are never touched.
    """
    _check_editable(run)
    inputs = dict(run.inputs or {})
    skipped = [s for s in inputs.get("skippedSteps") or [] if s != step]
    if answers is None:
        skipped.append(step)
    else:
        inputs.update(answers)
    inputs["skippedSteps"] = skipped
    following = next_step(step)
    run.inputs = inputs  # a new dict, so SQLAlchemy sees the JSONB change
    run.current_step = following
    run.updated_by = actor.id
    get_session().commit()
    return following


def _check_editable(run: OnboardingRun) -> None:
    if not in_wizard(run):
        raise OnboardingRefused("This onboarding has been launched; its answers can no longer change.")


@dataclass(frozen=True)
class Launched:
    """What launching did: whether the context file is ready for review."""

    run: OnboardingRun
    awaiting_review: bool


def launch(run: OnboardingRun, actor: User) -> Launched:
    """Finish the wizard: onboarding is complete; the run awaits review if the context file exists. Once."""
    session = get_session()
    completed_on = transition(
        run,
        actor,
        OnboardingRun.status == "in_progress",
        OnboardingRun.completed_on.is_(None),
        returning=OnboardingRun.completed_on,
        status=case((OnboardingRun.context_file_id.is_not(None), "awaiting_review"), else_="in_progress"),
        completed_on=func.now(),
        current_step=None,
    )
    if completed_on is None:
        session.rollback()
        raise OnboardingRefused("This onboarding was launched already.")
    if current_tenant.onboarding_completed_on is None:
        current_tenant.onboarding_completed_on = completed_on
    run = _reload(run)
    audit.record("onboarding.launched", run, steps=answered_steps(run))
    session.commit()
    return Launched(run, run.status == "awaiting_review")


def _reload(run: OnboardingRun) -> OnboardingRun:
    """The run as committed (after a conditional update), with its reviewer."""
    return (
        get_session()
        .scalars(
            select(OnboardingRun)
            .where(OnboardingRun.tenant_id == run.tenant_id, OnboardingRun.id == run.id)
            .options(*with_reviewer())
            .execution_options(populate_existing=True)
        )
        .one()
    )


def decided_message(run: OnboardingRun) -> str:
    """Who reviewed the run and when ("already approved by X at T"), or why it cannot be reviewed."""
    who = run.reviewer.full_name if run.reviewer else "someone"
    if run.status == "approved":
        return f"This context file was already approved by {who} at {localtime(run.reviewed_on)}."
    if run.status == "revision_requested":
        return f"A revision was already requested by {who} at {localtime(run.reviewed_on)}."
    return "This context file is not waiting for your review."


def review(run: OnboardingRun, approve: bool, notes: str | None, actor: User) -> OnboardingRun:
    """Approve the context file (it is locked from then on) or ask for a revision with notes. Once."""
    session = get_session()
    notes = (notes or "").strip() or None
    if not approve and not notes:
        raise OnboardingRefused("Tell the agency what to change.")
    if run.status != "awaiting_review":
        raise OnboardingRefused(decided_message(run))
    decided = transition(
        run,
        actor,
        OnboardingRun.status == "awaiting_review",
        status="approved" if approve else "revision_requested",
        reviewed_by=actor.id,
        reviewed_on=func.now(),
        review_notes=notes,
    )
    if decided is None:
        session.rollback()
        raise OnboardingRefused(decided_message(_reload(run)))
    run = _reload(run)
    audit.record("onboarding.approved" if approve else "onboarding.revision_requested", run, note=notes)
    session.commit()
    return run


@dataclass(frozen=True)
class Research:
    """The research summary behind a run: state found/missing/unavailable, and the document's parts."""

    state: str
    summary: str | None = None
    sources: tuple[str, ...] = ()


def research(run: OnboardingRun) -> Research:
    """The onboarding_research document of the run, only if it is this tenant's."""
    object_id = parse_object_id(run.research_id)
    if object_id is None:
        return Research("missing")
    try:
        document = find_by_id(get_stores().documents, ONBOARDING_RESEARCH, object_id)
    except StoreUnavailable:
        return Research("unavailable")
    if not document or document.get("tenantId") != current_tenant.ref_id or document.get("deletedOn"):
        return Research("missing")
    sources = tuple(s for s in document.get("sources") or [] if isinstance(s, str))
    return Research("found", summary=str(document.get("summary") or ""), sources=sources)
