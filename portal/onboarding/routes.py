"""``/onboarding``: the wizard (one step per page, saved as you go) and the review of the context file."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required

from portal.models import OnboardingRun
from portal.onboarding import service
from portal.onboarding.forms import STEP_FORMS, ApproveForm, LaunchForm, RevisionForm
from portal.tenancy import current_tenant, get_or_404, require
from portal.web import render

bp = Blueprint("onboarding", __name__, url_prefix="/onboarding")


@bp.route("/")
@login_required
@require("onboarding.edit")
def index():
    """Where onboarding stands: the wizard while it is going, else the latest run's review and the history."""
    run = service.latest_run()
    if current_tenant.onboarding_completed_on is None:
        if run is None:
            return render("onboarding/start.html")
        if service.in_wizard(run):
            return redirect(url_for("onboarding.wizard", step=run.current_step or service.STEPS[0]))
    return _review_page(run)


@bp.route("/start", methods=["POST"])
@login_required
@require("onboarding.edit")
def start():
    """Start the wizard (once: a double click finds the run already going)."""
    form = LaunchForm()
    if not form.validate_on_submit():
        return redirect(url_for("onboarding.index"))
    try:
        run = service.start(current_user)
    except service.OnboardingRefused as refused:
        flash(str(refused), "info")
        return redirect(url_for("onboarding.index"))
    return redirect(url_for("onboarding.wizard", step=run.current_step))


@bp.route("/wizard", methods=["GET", "POST"])
@login_required
@require("onboarding.edit")
def wizard():
    """One step of the wizard (``?step=``): save and continue, skip, or go back; launch at the end."""
    run = service.wizard_run()
    if run is None:
        flash("Onboarding has been launched; here is where it stands.", "info")
        return redirect(url_for("onboarding.index"))
    step = request.args.get("step") or run.current_step or service.STEPS[0]
    if step not in service.STEPS:
        return redirect(url_for("onboarding.wizard", step=run.current_step or service.STEPS[0]))
    if step == "launch":
        return _launch_page(run)
    form_class = STEP_FORMS[step]
    if request.method == "GET":
        form = form_class(formdata=None, data=form_class.prefill(run.inputs or {}))
        return _step_page(run, step, form)
    form = form_class()
    if request.form.get("action") == "skip":
        answers = None  # skipped: nothing to validate (CSRF was checked before the view)
    elif form.validate_on_submit():
        answers = form.answers()
    else:
        return _step_page(run, step, form, 400)
    try:
        following = service.save_step(run, step, answers, current_user)
    except service.OnboardingRefused as refused:
        flash(str(refused), "info")
        return redirect(url_for("onboarding.index"))
    return redirect(url_for("onboarding.wizard", step=following))


def _step_page(run: OnboardingRun, step: str, form, status: int = 200):
    return (
        render(
            "onboarding/wizard.html",
            run=run,
            step=step,
            form=form,
            steps=service.STEPS,
            labels=service.STEP_LABELS,
            states=service.answered_steps(run),
            previous=service.previous_step(step),
            currency=current_tenant.currency,
        ),
        status,
    )


def _launch_page(run: OnboardingRun, status: int = 200):
    return (
        render(
            "onboarding/wizard.html",
            run=run,
            step="launch",
            form=LaunchForm(),
            steps=service.STEPS,
            labels=service.STEP_LABELS,
            states=service.answered_steps(run),
            previous=service.previous_step("launch"),
        ),
        status,
    )


@bp.route("/launch", methods=["POST"])
@login_required
@require("onboarding.edit")
def launch():
    """Launch: onboarding is complete; the context file goes to review when the agents have written it."""
    run = service.wizard_run()
    form = LaunchForm()
    if run is None:
        flash("Onboarding was launched already.", "info")
        return redirect(url_for("onboarding.index"))
    if not form.validate_on_submit():
        return _launch_page(run, 400)
    try:
        launched = service.launch(run, current_user)
    except service.OnboardingRefused as refused:
        flash(str(refused), "info")
        return redirect(url_for("onboarding.index"))
    if launched.awaiting_review:
        flash("Onboarding is complete. Your client context file is ready: please review it below.", "success")
    else:
        flash(
            "Onboarding is complete. The agency's researcher is writing your client context file; "
            "it appears here for your review when ready.",
            "success",
        )
    return redirect(url_for("onboarding.index"))


def _review_page(
    run: OnboardingRun | None,
    approve_form: ApproveForm | None = None,
    revision_form: RevisionForm | None = None,
    refusal: str | None = None,
    status: int = 200,
):
    return (
        render(
            "onboarding/review.html",
            run=run,
            runs=service.runs(),
            research=service.research(run) if run else None,
            states=service.answered_steps(run) if run else {},
            labels=service.STEP_LABELS,
            approve_form=approve_form or ApproveForm(formdata=None),
            revision_form=revision_form or RevisionForm(formdata=None),
            refusal=refusal,
        ),
        status,
    )


@bp.route("/runs/<ulid:onboarding_run_ref>")
@login_required
@require("onboarding.edit")
def show(onboarding_run_ref: str):
    """One onboarding run: its context file, research, answers and review."""
    return _review_page(get_or_404(OnboardingRun, onboarding_run_ref, *service.with_reviewer()))


def _decide(onboarding_run_ref: str, approve: bool, done: str):
    """Review the run with the posted form (approve or revision, by ``approve``); flash ``done`` on success."""
    run = get_or_404(OnboardingRun, onboarding_run_ref, *service.with_reviewer())
    form = ApproveForm() if approve else RevisionForm()
    if not form.validate_on_submit():
        return _review_page(run, **{"approve_form" if approve else "revision_form": form}, status=400)
    try:
        service.review(run, approve, form.notes.data, current_user)
    except service.OnboardingRefused as refused:
        return _review_page(run, refusal=str(refused), status=409)
    flash(done, "success")
    return redirect(url_for("onboarding.show", onboarding_run_ref=run.ref_id))


@bp.route("/runs/<ulid:onboarding_run_ref>/approve", methods=["POST"])
@login_required
@require("onboarding.edit")
def approve(onboarding_run_ref: str):
    """Approve the context file; it is locked from then on."""
    return _decide(
        onboarding_run_ref, True, "The context file is approved and locked. The strategy comes next."
    )


@bp.route("/runs/<ulid:onboarding_run_ref>/revision", methods=["POST"])
@login_required
@require("onboarding.edit")
def request_revision(onboarding_run_ref: str):
    """Ask the agency for a revision of the context file, with notes (required)."""
    return _decide(
        onboarding_run_ref,
        False,
        "Your notes are with the agency. They will revise the context file and send it back.",
    )
