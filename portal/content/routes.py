"""``/content``: requests, the review of blog and social posts, the calendar and backlinks."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from portal import audit
from portal.content import service, versions
from portal.content.forms import (
    BacklinkStatusForm,
    BacklinkStepForm,
    BlogRequestForm,
    DecisionForm,
    SocialRequestForm,
)
from portal.content.service import ContentRuleError, EditConflict, OverLimit
from portal.db import get_session
from portal.models import (
    Backlink,
    BlogPost,
    BlogRequest,
    Channel,
    Deliverable,
    SocialMediaRequest,
    SocialPost,
)
from portal.models.content import (
    BACKLINK_SOURCES,
    BACKLINK_STATUSES,
    BLOG_POST_STATUSES,
    SOCIAL_POST_STATUSES,
)
from portal.stores import StoreUnavailable, get_stores
from portal.stores.blobs import BlobMissing
from portal.stores.refs import check_key
from portal.tenancy import current_tenant, get_or_404, require
from portal.web import render, safe_next_url

bp = Blueprint("content", __name__, url_prefix="/content")


# ---------------------------------------------------------------------------------------------- overview


@bp.route("/")
@login_required
@require("content.view")
def index():
    """What waits for the tenant's review, and the ways into the area."""
    return render("content/index.html", posts=service.waiting_posts())


# ---------------------------------------------------------------------------------------------- blog requests


def _blog_choices(form: BlogRequestForm) -> None:
    form.channel.choices = [SelectChoice("", "The agency decides")] + [
        SelectChoice(c.ref_id, c.name) for c in service.channels_for(service.BLOG_CHANNEL_TYPES)
    ]
    form.deliverable.choices = [SelectChoice("", "None")] + [
        SelectChoice(d.ref_id, d.title) for d in service.deliverables_for("blog_post")
    ]


def _blog_data(form: BlogRequestForm) -> dict:
    """The request's columns from a validated form (raises ContentRuleError for keywords)."""
    try:
        keywords = service.clean_keywords(form.keywords.data)
    except ContentRuleError as error:
        form.keywords.errors = [*form.keywords.errors, str(error)]
        raise
    channel = service.row_by_ref(Channel, form.channel.data)
    deliverable = service.row_by_ref(Deliverable, form.deliverable.data)
    return {
        "topic": form.topic.data.strip(),
        "keywords": keywords,
        "brief": (form.brief.data or "").strip() or None,
        "target_audience": (form.target_audience.data or "").strip() or None,
        "tone": form.tone.data or None,
        "target_word_count": form.target_word_count.data,
        "due_on": form.due_on.data,
        "target_channel_id": channel.id if channel else None,
        "deliverable_id": deliverable.id if deliverable else None,
    }


def _save_blog(form: BlogRequestForm, save) -> bool:
    """Validate and save with ``save(data)``; False (with field errors set) when refused."""
    if not form.validate_on_submit():
        return False
    try:
        save(_blog_data(form))
    except EditConflict:
        raise  # the route shows who saved first
    except ContentRuleError as error:
        if not form.keywords.errors:
            form.due_on.errors = [*form.due_on.errors, str(error)]
        return False
    return True


@bp.route("/blog/requests")
@login_required
@require("content.view")
def blog_requests():
    """The tenant's blog requests with a status filter and a search."""
    filters = service.RequestFilter.from_args(request.args)
    page = service.blog_requests(filters, request.args.get("cursor"))
    return render("content/blog_requests.html", "results", page=page, filters=filters)


@bp.route("/blog/requests/new", methods=["GET", "POST"])
@login_required
@require("content.request")
def new_blog_request():
    """Ask the agency for a blog post."""
    form = BlogRequestForm()
    _blog_choices(form)
    if request.method == "POST":
        created = []
        if _save_blog(form, lambda data: created.append(service.create_blog_request(data, current_user))):
            flash("Request sent. The agency will accept it or come back to you.", "success")
            return redirect(url_for("content.blog_request", blog_request_ref=created[0].ref_id))
        return render("content/blog_request_form.html", form=form, editing=None), 400
    return render("content/blog_request_form.html", form=form, editing=None)


@bp.route("/blog/requests/<ulid:blog_request_ref>")
@login_required
@require("content.view")
def blog_request(blog_request_ref: str):
    """A blog request with the posts that came of it."""
    row = service.blog_request_detail(blog_request_ref)
    titles = service.deliverable_titles([row.deliverable_id])
    return render(
        "content/blog_request.html",
        req=row,
        deliverable=titles.get(row.deliverable_id),
        explanation=service.REQUEST_STATUS_EXPLANATIONS[row.status],
    )


@bp.route("/blog/requests/<ulid:blog_request_ref>/edit", methods=["GET", "POST"])
@login_required
@require("content.request")
def edit_blog_request(blog_request_ref: str):
    """Change a request while the agency has not picked it up."""
    row = get_or_404(BlogRequest, blog_request_ref)
    if request.method == "GET":
        form = BlogRequestForm(formdata=None, obj=row)
        form.keywords.data = ", ".join(row.keywords or [])
        _blog_choices(form)
        form.channel.data = _ref_of(Channel, row.target_channel_id)
        form.deliverable.data = _ref_of(Deliverable, row.deliverable_id)
    else:
        form = BlogRequestForm()
        _blog_choices(form)
    if row.status != "submitted":
        flash(f"This request is {row.status.replace('_', ' ')}, so it can no longer be changed.", "warning")
        return redirect(url_for("content.blog_request", blog_request_ref=row.ref_id))
    if request.method == "POST":
        try:
            if _save_blog(
                form,
                lambda data: service.update_blog_request(
                    row, data, int(form.version.data or 0), current_user
                ),
            ):
                flash("Request updated.", "success")
                return redirect(url_for("content.blog_request", blog_request_ref=row.ref_id))
        except EditConflict as conflict:  # saved in another tab or by a colleague since this page opened
            form.version.data = str(row.version)
            return render(
                "content/blog_request_form.html", form=form, editing=row, conflict=str(conflict)
            ), 409
        except ContentRuleError as error:  # someone else moved it meanwhile
            flash(str(error), "warning")
            return redirect(url_for("content.blog_request", blog_request_ref=row.ref_id))
        return render("content/blog_request_form.html", form=form, editing=row), 400
    return render("content/blog_request_form.html", form=form, editing=row)


@bp.route("/blog/requests/<ulid:blog_request_ref>/withdraw", methods=["POST"])
@login_required
@require("content.request")
def withdraw_blog_request(blog_request_ref: str):
    """Withdraw a request the agency has not picked up."""
    row = get_or_404(BlogRequest, blog_request_ref)
    try:
        service.withdraw_blog_request(row, current_user)
        flash("Request withdrawn.", "success")
    except ContentRuleError as error:
        flash(str(error), "warning")
    return redirect(url_for("content.blog_request", blog_request_ref=row.ref_id))


def _ref_of(model, row_id) -> str:
    """The ref_id of the tenant's row ``row_id`` (a form's select holds refs, never ids)."""
    if row_id is None:
        return ""
    return (
        get_session().scalar(
            select(model.ref_id).where(model.tenant_id == current_tenant.id, model.id == row_id)
        )
        or ""
    )


# ---------------------------------------------------------------------------------------------- blog posts


@bp.route("/blog/posts")
@login_required
@require("content.view")
def blog_posts():
    """The tenant's blog posts, newest first, with a status filter."""
    status = request.args.get("status")
    status = status if status in BLOG_POST_STATUSES else None
    page = service.blog_posts(status, request.args.get("cursor"))
    return render("content/blog_posts.html", "results", page=page, status=status, statuses=BLOG_POST_STATUSES)


def _blog_post_page(post: BlogPost, form: DecisionForm | None = None, status: int = 200):
    names = service.user_names([post.client_approved_by])
    return (
        render(
            "content/blog_post.html",
            post=post,
            form=form or DecisionForm(formdata=None, version=str(post.version)),
            history=audit.history(post),
            approver=names.get(post.client_approved_by),
            explanation=service.BLOG_STATUS_EXPLANATIONS.get(post.status),
        ),
        status,
    )


@bp.route("/blog/posts/<ulid:blog_post_ref>")
@login_required
@require("content.view")
def blog_post(blog_post_ref: str):
    """A blog post: its content, fields, status and decision history; the decision when it is the tenant's."""
    post = service.blog_post_detail(blog_post_ref)
    return _blog_post_page(post)


def _decide(post, page, endpoint: str, param: str):
    form = DecisionForm()
    if not form.validate_on_submit() or not form.version.data.isdigit():
        form.note.errors = [*form.note.errors, "That decision was not understood; please try again."]
        return page(post, form, 400)
    try:
        status = service.decide(
            post,
            form.decision.data,
            form.note.data,
            int(form.version.data),
            current_user,
            (form.override_reason.data or "") if form.override.data else None,
        )
    except OverLimit as error:
        form.override_reason.errors = [*form.override_reason.errors, str(error)]
        return page(post, form, 400)
    except ContentRuleError as error:
        if form.decision.data == "reject" and not (form.note.data or "").strip():
            form.note.errors = [*form.note.errors, str(error)]
            return page(post, form, 400)
        flash(str(error), "warning")
        return redirect(url_for(endpoint, **{param: post.ref_id}))
    flash(
        "Approved. The agency takes it from here."
        if status == "client_approved"
        else "Sent back with your note.",
        "success",
    )
    return redirect(url_for(endpoint, **{param: post.ref_id}))


@bp.route("/blog/posts/<ulid:blog_post_ref>/decision", methods=["POST"])
@login_required
@require("content.decide")
def decide_blog_post(blog_post_ref: str):
    """Approve, or reject with a note, a post in client_review."""
    post = service.blog_post_detail(blog_post_ref)
    return _decide(post, _blog_post_page, "content.blog_post", "blog_post_ref")


@bp.route("/blog/posts/<ulid:blog_post_ref>/compare")
@login_required
@require("content.view")
def compare_blog_post(blog_post_ref: str):
    """Two versions of a post, line by line (default: the last two)."""
    post = service.blog_post_detail(blog_post_ref)
    all_versions, comparison = versions.compare(
        post, request.args.get("older", type=int), request.args.get("newer", type=int)
    )
    return render(
        "content/compare.html", "comparison", post=post, versions=all_versions, comparison=comparison
    )


# ---------------------------------------------------------------------------------------------- social


def _social_choices(form: SocialRequestForm) -> None:
    form.deliverable.choices = [SelectChoice("", "None")] + [
        SelectChoice(d.ref_id, d.title) for d in service.deliverables_for("social_post")
    ]


def _save_social(form: SocialRequestForm, save) -> bool:
    if not form.validate_on_submit():
        return False
    deliverable = service.row_by_ref(Deliverable, form.deliverable.data)
    data = {
        "brief": form.brief.data.strip(),
        "platforms": list(dict.fromkeys(form.platforms.data)),
        "due_on": form.due_on.data,
        "deliverable_id": deliverable.id if deliverable else None,
    }
    try:
        save(data)
    except EditConflict:
        raise  # the route shows who saved first
    except ContentRuleError as error:
        form.due_on.errors = [*form.due_on.errors, str(error)]
        return False
    return True


@bp.route("/social/requests")
@login_required
@require("content.view")
def social_requests():
    """The tenant's social media requests with a status filter and a search."""
    filters = service.RequestFilter.from_args(request.args)
    page = service.social_requests(filters, request.args.get("cursor"))
    return render("content/social_requests.html", "results", page=page, filters=filters)


@bp.route("/social/requests/new", methods=["GET", "POST"])
@login_required
@require("content.request")
def new_social_request():
    """Ask the agency for social posts."""
    form = SocialRequestForm()
    _social_choices(form)
    if request.method == "POST":
        created = []
        if _save_social(form, lambda data: created.append(service.create_social_request(data, current_user))):
            flash("Request sent. The agency will accept it or come back to you.", "success")
            return redirect(url_for("content.social_request", social_media_request_ref=created[0].ref_id))
        return render("content/social_request_form.html", form=form, editing=None), 400
    return render("content/social_request_form.html", form=form, editing=None)


@bp.route("/social/requests/<ulid:social_media_request_ref>")
@login_required
@require("content.view")
def social_request(social_media_request_ref: str):
    """A social request with the posts that came of it."""
    row = service.social_request_detail(social_media_request_ref)
    titles = service.deliverable_titles([row.deliverable_id])
    return render(
        "content/social_request.html",
        req=row,
        deliverable=titles.get(row.deliverable_id),
        explanation=service.REQUEST_STATUS_EXPLANATIONS[row.status],
        labels=service.PLATFORM_LABELS,
    )


@bp.route("/social/requests/<ulid:social_media_request_ref>/edit", methods=["GET", "POST"])
@login_required
@require("content.request")
def edit_social_request(social_media_request_ref: str):
    """Change a social request while the agency has not picked it up."""
    row = get_or_404(SocialMediaRequest, social_media_request_ref)
    form = SocialRequestForm(formdata=None, obj=row) if request.method == "GET" else SocialRequestForm()
    _social_choices(form)
    if request.method == "GET":
        form.deliverable.data = _ref_of(Deliverable, row.deliverable_id)
    back = url_for("content.social_request", social_media_request_ref=row.ref_id)
    if row.status != "submitted":
        flash(f"This request is {row.status.replace('_', ' ')}, so it can no longer be changed.", "warning")
        return redirect(back)
    if request.method == "POST":
        try:
            if _save_social(
                form,
                lambda data: service.update_social_request(
                    row, data, int(form.version.data or 0), current_user
                ),
            ):
                flash("Request updated.", "success")
                return redirect(back)
        except EditConflict as conflict:  # saved in another tab or by a colleague since this page opened
            form.version.data = str(row.version)
            return render(
                "content/social_request_form.html", form=form, editing=row, conflict=str(conflict)
            ), 409
        except ContentRuleError as error:
            flash(str(error), "warning")
            return redirect(back)
        return render("content/social_request_form.html", form=form, editing=row), 400
    return render("content/social_request_form.html", form=form, editing=row)


@bp.route("/social/requests/<ulid:social_media_request_ref>/withdraw", methods=["POST"])
@login_required
@require("content.request")
def withdraw_social_request(social_media_request_ref: str):
    """Withdraw a social request the agency has not picked up."""
    row = get_or_404(SocialMediaRequest, social_media_request_ref)
    try:
        service.withdraw_social_request(row, current_user)
        flash("Request withdrawn.", "success")
    except ContentRuleError as error:
        flash(str(error), "warning")
    return redirect(url_for("content.social_request", social_media_request_ref=row.ref_id))


@bp.route("/social/posts")
@login_required
@require("content.view")
def social_posts():
    """The tenant's social posts, newest first, by status and platform."""
    status = request.args.get("status")
    status = status if status in SOCIAL_POST_STATUSES else None
    platform = request.args.get("platform")
    platform = platform if platform in service.PLATFORM_LABELS else None
    page = service.social_posts(status, platform, request.args.get("cursor"))
    return render(
        "content/social_posts.html",
        "results",
        page=page,
        status=status,
        platform=platform,
        statuses=SOCIAL_POST_STATUSES,
        labels=service.PLATFORM_LABELS,
    )


def _social_post_page(post: SocialPost, form: DecisionForm | None = None, status: int = 200):
    names = service.user_names([post.client_approved_by])
    return (
        render(
            "content/social_post.html",
            post=post,
            form=form or DecisionForm(formdata=None, version=str(post.version)),
            history=audit.history(post),
            approver=names.get(post.client_approved_by),
            explanation=service.SOCIAL_STATUS_EXPLANATIONS.get(post.status),
            previews=service.previews(post),
            labels=service.PLATFORM_LABELS,
        ),
        status,
    )


@bp.route("/social/posts/<ulid:social_post_ref>")
@login_required
@require("content.view")
def social_post(social_post_ref: str):
    """A social post with a preview per platform, its status and decision history."""
    post = service.social_post_detail(social_post_ref)
    return _social_post_page(post)


@bp.route("/social/posts/<ulid:social_post_ref>/decision", methods=["POST"])
@login_required
@require("content.decide")
def decide_social_post(social_post_ref: str):
    """Approve, or reject with a note, a social post in client_review."""
    post = service.social_post_detail(social_post_ref)
    return _decide(post, _social_post_page, "content.social_post", "social_post_ref")


@bp.route("/social/posts/<ulid:social_post_ref>/image")
@login_required
@require("content.view")
def social_post_image(social_post_ref: str):
    """The post's image, read from the object store after the tenant checks (never a public bucket URL)."""
    post = get_or_404(SocialPost, social_post_ref)
    key = post.image_s3_key
    if not key or not check_key(key, current_tenant.ref_id):
        abort(404)
    try:
        blob = get_stores().blobs.get(key)
    except BlobMissing:
        abort(404)
    except StoreUnavailable:
        abort(503)
    if not (blob.content_type or "").startswith("image/"):
        abort(404)
    response = Response(blob.body, mimetype=blob.content_type)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


# ---------------------------------------------------------------------------------------------- calendar


@bp.route("/calendar")
@login_required
@require("content.view")
def calendar():
    """A month of scheduled and published posts in the tenant's timezone (?month=YYYY-MM)."""
    first, understood = service.parse_month(request.args.get("month"))
    kind = request.args.get("type") if request.args.get("type") in ("blog", "social") else None
    channel_ref = request.args.get("channel") or None
    month = service.calendar(first, channel_ref, kind)
    return render(
        "content/calendar.html",
        "calendar",
        month=month,
        understood=understood,
        kind=kind,
        channel_ref=channel_ref,
        channels=service.channels_for(),
        today=service.today_local(),
    )


# ---------------------------------------------------------------------------------------------- backlinks


@bp.route("/backlinks")
@login_required
@require("content.view")
def backlinks():
    """Backlinks with filters; directory opportunities with their steps."""
    filters = service.BacklinkFilter.from_args(request.args)
    page = service.backlinks(filters, request.args.get("cursor"))
    return render(
        "content/backlinks.html",
        "results",
        page=page,
        filters=filters,
        statuses=BACKLINK_STATUSES,
        sources=BACKLINK_SOURCES,
        deliverables=service.deliverables_for("backlinks"),
        titles=service.deliverable_titles([b.deliverable_id for b in page.rows]),
    )


CSV_COLUMNS = (
    "source_domain",
    "source_url",
    "target_url",
    "anchor_text",
    "domain_rating",
    "link_type",
    "source_type",
    "status",
    "is_live",
    "is_indexed",
    "last_checked_on",
    "published_on",
)


@bp.route("/backlinks.csv")
@login_required
@require("content.view")
def backlinks_csv():
    """The filtered backlinks as CSV, streamed row by row."""
    filters = service.BacklinkFilter.from_args(request.args)
    links = service.backlinks_for_export(filters, CSV_COLUMNS)

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        for link in links:
            writer.writerow([_csv_value(value) for value in link])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    response = Response(rows(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="backlinks.csv"'
    return response


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@bp.route("/backlinks/<ulid:backlink_ref>/status", methods=["POST"])
@login_required
@require("content.request")
def backlink_status(backlink_ref: str):
    """Mark a directory opportunity in progress or completed."""
    link = get_or_404(Backlink, backlink_ref)
    form = BacklinkStatusForm()
    try:
        if not form.validate_on_submit():
            raise ContentRuleError("That request was not understood.")
        service.set_backlink_status(link, form.status.data, current_user)
        flash(f"{link.source_domain} is now {link.status.replace('_', ' ')}.", "success")
    except ContentRuleError as error:
        flash(str(error), "warning")
    return redirect(request.referrer if _same_site(request.referrer) else url_for("content.backlinks"))


@bp.route("/backlinks/<ulid:backlink_ref>/steps", methods=["POST"])
@login_required
@require("content.request")
def backlink_step(backlink_ref: str):
    """Tick or untick a step of a directory opportunity."""
    link = get_or_404(Backlink, backlink_ref)
    form = BacklinkStepForm()
    try:
        if not form.validate_on_submit() or not form.step.data.isdigit():
            raise ContentRuleError("That request was not understood.")
        service.set_backlink_step(link, int(form.step.data), form.done.data == "1", current_user)
    except ContentRuleError as error:
        flash(str(error), "warning")
    return redirect(request.referrer if _same_site(request.referrer) else url_for("content.backlinks"))


def _same_site(url: str | None) -> bool:
    """Whether a Referer points back into this site (so going back there is safe)."""
    if not url:
        return False
    parts = urlsplit(url)
    return parts.netloc == request.host and safe_next_url(parts.path) is not None
