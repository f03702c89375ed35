"""Leads: the list, a lead's page and timeline, assignment, settings, imports, export, web form, report."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from portal.extensions import csrf, limiter
from portal.leads import conflicts, decisions, imports, intake, listing, report, visibility, webform
from portal.leads import export as export_csv
from portal.leads.detail import LEAD_PAGE, display_name, timeline
from portal.leads.forms import (
    ActivityForm,
    AddLeadForm,
    AssignForm,
    BulkAssignForm,
    ClaimForm,
    ImportUploadForm,
    SettingsForm,
    StatusForm,
    WebLeadForm,
)
from portal.models import Lead, LeadImport
from portal.navigation import register_count
from portal.stores.blobs import content_disposition
from portal.tenancy import can, current_tenant, get_or_404, require
from portal.web import external_url, render, safe_next_url

bp = Blueprint("leads", __name__, url_prefix="/leads")
# The sidebar's figure is what sidebar_count counts: a rep's own new leads, else the unassigned new ones.
register_count(
    "leads.index",
    visibility.sidebar_count,
    figure=lambda: "leads.mine.new" if can("leads.claim") else "leads.unassigned.new",
)
# Claiming, releasing and handing over are a rep's moves; managers assign instead. These routes are open to
# every leads role (so a lead of another tenant is a 404 for anyone) and refuse the others with this message.
REPS_ONLY = "Only sales reps claim, release or hand over leads; use Assign instead."


def _rep_choices() -> list[SelectChoice]:
    return [SelectChoice(ref, name) for ref, name in listing.filter_choices()["assignable"]]


# -- the list -------------------------------------------------------------------------------------------------


@bp.route("/")
@login_required
@require("leads.view")
def index():
    """The filtered, sorted, cursor-paginated list; htmx asks for the results block only."""
    filters = listing.parse_filters(request.args)
    page = listing.list_leads(filters, current_user)
    choices = listing.filter_choices()
    bulk = BulkAssignForm()
    bulk.rep.choices = [SelectChoice(ref, name) for ref, name in choices["assignable"]]
    return render(
        "leads/index.html",
        "results",
        filters=filters,
        page=page,
        choices=choices,
        bulk=bulk,
        display_name=display_name,
    )


@bp.route("/bulk-assign", methods=["POST"])
@login_required
@require("leads.assign")
def bulk_assign():
    """Assign the checked leads (each sent as ref:version) to one rep."""
    form = BulkAssignForm()
    back = safe_next_url(request.form.get("next")) or url_for("leads.index")
    picked = []
    for value in request.form.getlist("lead")[:500]:
        ref, _, version = value.partition(":")
        if version.isdigit():
            picked.append((ref, int(version)))
    if not form.validate_on_submit() or not picked:
        flash("Tick at least one lead and choose a rep.", "error")
        return redirect(back)
    try:
        result = decisions.bulk_assign(picked, form.rep.data, form.reason.data, current_user)
    except decisions.LeadRuleError as error:
        flash(str(error), "error")
        return redirect(back)
    flash(f"{result.assigned} lead{'s' if result.assigned != 1 else ''} assigned.", "success")
    if result.conflicts:
        flash(
            "Changed by someone else a moment ago, so left as they are: " + ", ".join(result.conflicts[:10]),
            "warning",
        )
    return redirect(back)


# -- adding a lead --------------------------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@login_required
@require("leads.view")
def new():
    """Add a lead by hand, warned when the e-mail or phone is already a lead's."""
    form = AddLeadForm()
    found = []
    if form.validate_on_submit():
        found = intake.duplicates(form.email.data, form.phone.data)
        if not found or form.confirm_duplicate.data:
            lead = intake.add_lead(_new_lead(form), current_user)
            flash(f"{display_name(lead)} added.", "success")
            return redirect(url_for("leads.detail", lead_ref=lead.ref_id))
    status = 400 if form.is_submitted() else 200
    return render("leads/new.html", form=form, duplicates=found, display_name=display_name), status


def _new_lead(form) -> intake.NewLead:
    def value(name: str):
        data = getattr(form, name).data
        return (
            data.strip()
            if isinstance(data, str) and data.strip()
            else (None if isinstance(data, str) else data)
        )

    return intake.NewLead(
        first_name=value("first_name"),
        last_name=value("last_name"),
        email=value("email"),
        phone=value("phone"),
        company=value("company"),
        job_title=value("job_title"),
        message=value("message"),
        estimated_value=form.estimated_value.data,
    )


# -- one lead -------------------------------------------------------------------------------------------------


def _detail_page(lead: Lead, status: int = 200, conflict: str | None = None, **forms):
    activity_form = forms.get("activity_form") or ActivityForm(formdata=None)
    assign_form = forms.get("assign_form") or AssignForm(formdata=None, version=lead.version)
    assign_form.rep.choices = [SelectChoice("", "Choose a rep"), *_rep_choices()]
    return (
        render(
            "leads/detail.html",
            lead=lead,
            name=display_name(lead),
            entries=timeline(lead),
            activity_form=activity_form,
            assign_form=assign_form,
            status_form=forms.get("status_form") or StatusForm(formdata=None, version=lead.version),
            next_status=decisions.NEXT_STATUS.get(lead.status),
            open_statuses=decisions.OPEN_STATUSES,
            conflict=conflict,
            error=forms.get("error"),
        ),
        status,
    )


def _lead(lead_ref: str) -> Lead:
    return visibility.get_lead(lead_ref, current_user, *LEAD_PAGE)


@bp.route("/<ulid:lead_ref>")
@login_required
@require("leads.view")
def detail(lead_ref: str):
    """Contact, source, status, score, value, assignee, enrichment and the timeline."""
    return _detail_page(_lead(lead_ref))


def _decide(lead: Lead, action, **forms):
    """Run a decision: success → back to the lead; a refused rule → 400; a lost race → 409 with who won."""
    try:
        action()
    except decisions.LeadRuleError as error:
        return _detail_page(lead, 400, error=str(error), **forms)
    except conflicts.LeadConflict as conflict:
        if not visibility.visible_to_user(conflict.lead, current_user):
            flash(str(conflict), "warning")
            return redirect(url_for("leads.index"))
        return _detail_page(conflict.lead, 409, conflict=str(conflict))
    return redirect(url_for("leads.detail", lead_ref=lead.ref_id))


@bp.route("/<ulid:lead_ref>/status", methods=["POST"])
@login_required
@require("leads.view")
def move_status(lead_ref: str):
    """Move the lead one step on, or disqualify it with a reason."""
    lead = _lead(lead_ref)
    form = StatusForm()
    if not form.validate_on_submit():
        return _detail_page(lead, 400, error="That change was not understood; reload the page.")
    return _decide(
        lead,
        lambda: decisions.move_status(
            lead, form.version.data, form.status.data, form.reason.data, current_user
        ),
        status_form=form,
    )


@bp.route("/<ulid:lead_ref>/activities", methods=["POST"])
@login_required
@require("leads.view")
def add_activity(lead_ref: str):
    """Add a note, or log a call, e-mail or meeting."""
    lead = _lead(lead_ref)
    form = ActivityForm()
    if not form.validate_on_submit():
        return _detail_page(lead, 400, activity_form=form)
    decisions.log_activity(lead, form.type.data, form.description.data, current_user)
    flash("Added to the timeline.", "success")
    return redirect(url_for("leads.detail", lead_ref=lead.ref_id))


@bp.route("/<ulid:lead_ref>/assign", methods=["POST"])
@login_required
@require("leads.assign")
def assign(lead_ref: str):
    """Assign or reassign the lead to an active rep."""
    lead = _lead(lead_ref)
    form = AssignForm()
    form.rep.choices = _rep_choices()
    if not form.validate_on_submit():
        return _detail_page(lead, 400, assign_form=form, error="Choose an active sales rep of your team.")
    return _decide(
        lead,
        lambda: decisions.assign(lead, form.version.data, form.rep.data, form.reason.data, current_user),
        assign_form=form,
    )


@bp.route("/<ulid:lead_ref>/claim", methods=["POST"])
@login_required
@require("leads.view")
def claim(lead_ref: str):
    """A rep takes the lead from the pool."""
    try:  # get_lead_to_claim loads the assignee itself: it names who took the lead
        lead = conflicts.get_lead_to_claim(lead_ref, current_user, *LEAD_PAGE[1:])
    except conflicts.LeadConflict as conflict:
        flash(str(conflict), "warning")
        return redirect(url_for("leads.index"))
    if not can("leads.claim"):
        return _detail_page(lead, 400, error=REPS_ONLY)
    form = ClaimForm()
    if not form.validate_on_submit():
        return _detail_page(lead, 400, error="That request was not understood; reload the page.")
    return _decide(lead, lambda: decisions.claim(lead, form.version.data, current_user))


@bp.route("/<ulid:lead_ref>/release", methods=["POST"])
@login_required
@require("leads.view")
def release(lead_ref: str):
    """A rep gives their lead back to the pool."""
    lead = _lead(lead_ref)
    if not can("leads.claim"):
        return _detail_page(lead, 400, error=REPS_ONLY)
    form = AssignForm()
    if not form.version.data:
        return _detail_page(lead, 400, error="That request was not understood; reload the page.")
    return _decide(lead, lambda: decisions.release(lead, form.version.data, current_user, form.reason.data))


@bp.route("/<ulid:lead_ref>/hand-over", methods=["POST"])
@login_required
@require("leads.view")
def hand_over(lead_ref: str):
    """A rep hands their lead to another active rep, with a reason."""
    lead = _lead(lead_ref)
    if not can("leads.claim"):
        return _detail_page(lead, 400, error=REPS_ONLY)
    form = AssignForm()
    form.rep.choices = _rep_choices()
    if not form.validate_on_submit():
        return _detail_page(lead, 400, assign_form=form, error="Choose an active sales rep of your team.")
    return _decide(
        lead,
        lambda: decisions.hand_over(
            lead, form.version.data, current_user, form.rep.data, form.reason.data or ""
        ),
        assign_form=form,
    )


# -- settings -------------------------------------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
@login_required
@require("leads.assign")
def settings():
    """How new leads are assigned, and the web form's address."""
    form = SettingsForm(mode=current_tenant.lead_assignment_mode)
    status = 200
    if form.validate_on_submit():
        intake.set_assignment_mode(form.mode.data, current_user)
        flash("Saved: new leads follow the rule you chose.", "success")
        return redirect(url_for("leads.settings"))
    if form.is_submitted():
        status = 400
    return render("leads/settings.html", form=form, web_form=webform.current()), status


@bp.route("/settings/web-form", methods=["POST"])
@login_required
@require("leads.assign")
def new_web_form_token():
    """Make a new web-form address (the old one stops working); its token is shown once."""
    token = webform.rotate(current_user)
    form = SettingsForm(formdata=None, mode=current_tenant.lead_assignment_mode)
    return render(
        "leads/settings.html",
        form=form,
        web_form=webform.current(),
        new_url=external_url("leads.web_form", token=token),
    ), 201


# -- import and export ----------------------------------------------------------------------------------------


@bp.route("/export.csv")
@login_required
@require("leads.export")
def export():
    """The current filter as CSV, streamed."""
    filters = listing.parse_filters(request.args)
    return Response(
        export_csv.export_rows(filters, current_user),
        mimetype="text/csv",
        headers={"Content-Disposition": content_disposition("leads.csv", inline=False)},
    )


@bp.route("/import", methods=["GET", "POST"])
@login_required
@require("leads.export")
def import_upload():
    """Upload a CSV: checked for size, encoding and rows, then shown for mapping."""
    form = ImportUploadForm()
    if form.validate_on_submit():
        try:
            lead_import = imports.start(form.file.data, current_user)
        except imports.ImportRefused as error:
            form.file.errors.append(str(error))
        else:
            return redirect(url_for("leads.import_status", lead_import_ref=lead_import.ref_id))
    status = 400 if form.is_submitted() else 200
    return render("leads/import.html", form=form, recent=imports.recent()), status


@bp.route("/imports/<ulid:lead_import_ref>")
@login_required
@require("leads.export")
def import_status(lead_import_ref: str):
    """An import: mapping, progress (polled by htmx), its errors or its result."""
    lead_import = get_or_404(LeadImport, lead_import_ref)
    return render(
        "leads/import_status.html",
        "progress",
        lead_import=lead_import,
        preview=imports.preview(lead_import),
        fields=imports.FIELDS,
        guess=imports.guess_mapping(lead_import),
    )


@bp.route("/imports/<ulid:lead_import_ref>/mapping", methods=["POST"])
@login_required
@require("leads.export")
def import_mapping(lead_import_ref: str):
    """Save the column mapping and queue the import."""
    lead_import = get_or_404(LeadImport, lead_import_ref)
    mapping = {name: request.form.get(f"map_{name}", "") for name, _ in imports.FIELDS}
    try:
        imports.set_mapping(lead_import, mapping)
    except imports.ImportRefused as error:
        flash(str(error), "error")
        return render(
            "leads/import_status.html",
            lead_import=lead_import,
            preview=imports.preview(lead_import),
            fields=imports.FIELDS,
            guess=mapping,
        ), 400
    return redirect(url_for("leads.import_status", lead_import_ref=lead_import.ref_id))


@bp.route("/imports/<ulid:lead_import_ref>/run", methods=["POST"])
@login_required
@require("leads.export")
def import_run(lead_import_ref: str):
    """Hand the import to the worker and answer at once with its progress (htmx polls it)."""
    lead_import = get_or_404(LeadImport, lead_import_ref)
    imports.queue_run(lead_import)
    return render(
        "leads/import_status.html",
        "progress",
        lead_import=get_or_404(LeadImport, lead_import_ref),
        preview=[],
        fields=imports.FIELDS,
        guess={},
    )


# -- the web form ---------------------------------------------------------------------------------------------


@bp.route("/form/<token>", methods=["POST"])
@csrf.exempt
@limiter.limit("20 per minute")
def web_form(token: str):
    """A lead from the tenant's own site: the secret token names the tenant; a filled honeypot is dropped."""
    tenant = webform.tenant_for(token)
    if tenant is None:
        return webform.answer(
            "This form address is not valid. Ask the site's owner for the current one.", 404
        )
    form = WebLeadForm()
    if form.website.data:
        return webform.answer("Thank you, we will be in touch.", 201)  # a bot: same answer, nothing stored
    if not form.validate():
        errors = "; ".join(f"{form[name].label.text}: {' '.join(msgs)}" for name, msgs in form.errors.items())
        return webform.answer(f"Please check the form: {errors}", 400)
    webform.create(form)
    return webform.answer("Thank you, we will be in touch.", 201)


# -- the sales report -----------------------------------------------------------------------------------------


@bp.route("/report")
@login_required
@require("leads.view_all")
def sales_report():
    """Per rep: open, converted and disqualified in a period, median time to first contact; the overdue queue."""
    period = report.parse_period(request.args)
    return render(
        "leads/report.html",
        period=period,
        rows=report.per_rep(period),
        queue=report.overdue(request.args.get("cursor", "")),
        sla_hours=current_tenant.first_contact_sla_hours,
        can=can,
    )
