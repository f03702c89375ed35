"""The pages of blog and social content (lists, request form and page, withdraw, post page and decision):
one view per action, made for a ``Kind``; routes.py gives each kind its URLs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from portal import audit
from portal.content import review, service
from portal.content.forms import BlogRequestForm, DecisionForm, SocialRequestForm
from portal.content.kinds import PLATFORM_LABELS, Kind
from portal.content.service import ContentRuleError, EditConflict, OverLimit
from portal.models import Channel, Deliverable
from portal.tenancy import get_or_404
from portal.web import render


def _render(kind: Kind, template: str, block: str | None = None, **context: Any) -> str:
    """``render`` with the kind's macros (``kind.macros``) as ``k``, looked up once a page: an import in
    each block would check the macros' globals again in every block (in the title's twice)."""
    macros = current_app.jinja_env.get_template(kind.macros).module
    return render(template, block, kind=kind, k=macros, **context)


def listing(kind: Kind, template: str, filters_of: Callable, page_of: Callable) -> Callable:
    """The view of a list of the kind's rows: ``filters_of(args)`` reads its filters from the query string,
    ``page_of(kind, filters, cursor)`` reads a page; the template's "results" block is the fragment."""

    def view():
        filters = filters_of(request.args)
        page = page_of(kind, filters, request.args.get("cursor"))
        return _render(kind, template, "results", page=page, filters=filters, labels=PLATFORM_LABELS)

    view.__doc__ = f"A list of the tenant's {kind.name} content ({template}), newest first, with its filters."
    return view


def _blog_columns(form: BlogRequestForm) -> dict[str, Any]:
    try:
        keywords = service.clean_keywords(form.keywords.data)
    except ContentRuleError as error:
        form.keywords.errors = [*form.keywords.errors, str(error)]
        raise
    channel = service.row_by_ref(Channel, form.channel.data)
    return {
        "topic": form.topic.data.strip(),
        "keywords": keywords,
        "brief": (form.brief.data or "").strip() or None,
        "target_audience": (form.target_audience.data or "").strip() or None,
        "tone": form.tone.data or None,
        "target_word_count": form.target_word_count.data,
        "target_channel_id": channel.id if channel else None,
    }


def _blog_fill(form: BlogRequestForm, row: Any) -> None:
    form.keywords.data = ", ".join(row.keywords or [])
    form.channel.data = service.ref_of(Channel, row.target_channel_id)


def _social_columns(form: SocialRequestForm) -> dict[str, Any]:
    return {"brief": form.brief.data.strip(), "platforms": list(dict.fromkeys(form.platforms.data))}


@dataclass(frozen=True)
class RequestForm:
    """A kind's request form: its class, the channels it offers, and how it reads and fills the columns
    beyond the due date and deliverable every request has."""

    form: type[FlaskForm]
    columns: Callable[[Any], dict[str, Any]]  # raises ContentRuleError with the field's error set
    fill: Callable[[Any, Any], None] = lambda form, row: None
    channel_types: tuple[str, ...] | None = None


FORMS = {
    "blog": RequestForm(BlogRequestForm, _blog_columns, _blog_fill, service.BLOG_CHANNEL_TYPES),
    "social": RequestForm(SocialRequestForm, _social_columns),
}
SENT = "Request sent. The agency will accept it or come back to you."


def _request_url(kind: Kind, row: Any) -> str:
    return url_for(f"content.{kind.name}_request", **{kind.request_param: row.ref_id})


def _form(kind: Kind, row: Any | None) -> FlaskForm:
    """The kind's form: as submitted on POST, else empty (a new request) or filled from ``row``."""
    spec = FORMS[kind.name]
    if request.method == "POST" or row is None:
        form = spec.form()
    else:
        form = spec.form(formdata=None, obj=row)
        spec.fill(form, row)
        form.deliverable.data = service.ref_of(Deliverable, row.deliverable_id)
    if spec.channel_types is not None:
        form.channel.choices = [SelectChoice("", "The agency decides")] + [
            SelectChoice(c.ref_id, c.name) for c in service.channels_for(spec.channel_types)
        ]
    form.deliverable.choices = [SelectChoice("", "None")] + [
        SelectChoice(d.ref_id, d.title) for d in service.deliverables_for(kind.deliverable_type)
    ]
    return form


def _columns(kind: Kind, form: FlaskForm) -> dict[str, Any] | None:
    """The request's columns from a submitted form, or None (with field errors set) when refused."""
    if not form.validate_on_submit():
        return None
    try:
        columns = FORMS[kind.name].columns(form)
    except ContentRuleError:
        return None  # the kind's columns put the message on its field
    deliverable = service.row_by_ref(Deliverable, form.deliverable.data)
    return columns | {"due_on": form.due_on.data, "deliverable_id": deliverable.id if deliverable else None}


def _form_page(kind: Kind, form: FlaskForm, row: Any | None, status: int = 200, conflict: str | None = None):
    return _render(kind, "content/request_form.html", form=form, editing=row, conflict=conflict), status


def _request_form(kind: Kind, row: Any | None):
    """The form of a new request (``row`` None) or of a change to ``row``, saved when posted."""
    form = _form(kind, row)
    if request.method == "GET":
        return _form_page(kind, form, row)
    data = _columns(kind, form)
    if data is not None:
        try:
            if row is None:
                row, message = service.create_request(kind, data, current_user), SENT
            else:
                service.update_request(row, data, int(form.version.data or 0), current_user)
                message = "Request updated."
        except EditConflict as conflict:  # saved in another tab or by a colleague since this page opened
            form.version.data = str(row.version)
            return _form_page(kind, form, row, 409, str(conflict))
        except ContentRuleError as error:
            form.due_on.errors = [*form.due_on.errors, str(error)]
        else:
            flash(message, "success")
            return redirect(_request_url(kind, row))
    return _form_page(kind, form, row, 400)


def new(kind: Kind) -> Callable:
    """The view asking the agency for content of ``kind``."""

    def view():
        return _request_form(kind, None)

    view.__doc__ = f"Ask the agency for {kind.name} content."
    return view


def request_page(kind: Kind) -> Callable:
    """The view of one request of ``kind``, with the posts that came of it."""

    def view(**refs: str):
        row = service.request_detail(kind, refs[kind.request_param])
        titles = service.deliverable_titles([row.deliverable_id])
        return _render(
            kind,
            "content/request.html",
            title=kind.request_title(row),
            req=row,
            deliverable=titles.get(row.deliverable_id),
            explanation=service.REQUEST_STATUS_EXPLANATIONS[row.status],
            labels=PLATFORM_LABELS,
        )

    view.__doc__ = f"A {kind.name} request with the posts that came of it."
    return view


def edit(kind: Kind) -> Callable:
    """The view changing a request of ``kind`` while the agency has not picked it up."""

    def view(**refs: str):
        row = get_or_404(kind.request_model, refs[kind.request_param])
        if row.status != "submitted":
            flash(
                f"This request is {row.status.replace('_', ' ')}, so it can no longer be changed.", "warning"
            )
            return redirect(_request_url(kind, row))
        return _request_form(kind, row)

    view.__doc__ = f"Change a {kind.name} request while the agency has not picked it up."
    return view


def withdraw(kind: Kind) -> Callable:
    """The view withdrawing a request of ``kind`` the agency has not picked up."""

    def view(**refs: str):
        row = get_or_404(kind.request_model, refs[kind.request_param])
        try:
            service.withdraw_request(row, current_user)
            flash("Request withdrawn.", "success")
        except ContentRuleError as error:
            flash(str(error), "warning")
        return redirect(_request_url(kind, row))

    view.__doc__ = f"Withdraw a {kind.name} request the agency has not picked up."
    return view


def _post_page(kind: Kind, post: Any, form: DecisionForm | None = None, status: int = 200):
    if form is None:
        form = DecisionForm(formdata=None)
    form.version.data = str(post.version)  # a decision is on the version the page shows
    names = service.user_names([post.client_approved_by])
    return (
        _render(
            kind,
            "content/post.html",
            title=kind.post_title(post),
            post=post,
            form=form,
            history=audit.history(post),
            approver=names.get(post.client_approved_by),
            explanation=kind.post_explanations.get(post.status),
            previews=review.previews(post),
            labels=PLATFORM_LABELS,
        ),
        status,
    )


def post(kind: Kind) -> Callable:
    """The view of one post of ``kind``."""

    def view(**refs: str):
        return _post_page(kind, review.post_detail(kind, refs[kind.post_param]))

    view.__doc__ = (
        f"A {kind.name} post: its content, status and decision history; the decision when it is the tenant's."
    )
    return view


def decide(kind: Kind) -> Callable:
    """The view taking the tenant's decision on a post of ``kind``."""

    def view(**refs: str):
        post = review.post_detail(kind, refs[kind.post_param])
        back = url_for(f"content.{kind.name}_post", **{kind.post_param: post.ref_id})
        form = DecisionForm()
        if not form.validate_on_submit() or not form.version.data.isdigit():
            form.note.errors = [*form.note.errors, "That decision was not understood; please try again."]
            return _post_page(kind, post, form, 400)
        try:
            status = review.decide(
                post,
                form.decision.data,
                form.note.data,
                int(form.version.data),
                current_user,
                (form.override_reason.data or "") if form.override.data else None,
            )
        except OverLimit as error:
            form.override_reason.errors = [*form.override_reason.errors, str(error)]
            return _post_page(kind, post, form, 400)
        except ContentRuleError as error:
            if form.decision.data == "reject" and not (form.note.data or "").strip():
                form.note.errors = [*form.note.errors, str(error)]
                return _post_page(kind, post, form, 400)
            flash(str(error), "warning")
            return redirect(back)
        approved = status == "client_approved"
        flash(
            "Approved. The agency takes it from here." if approved else "Sent back with your note.", "success"
        )
        return redirect(back)

    view.__doc__ = f"Approve, or reject with a note, a {kind.name} post in client_review."
    return view
