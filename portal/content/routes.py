"""``/content``: requests, the review of blog and social posts, the calendar and backlinks.

Blog and social requests and posts share their views (pages.py), one per action;
the loop below gives each kind its URLs: ``/content/<blog|social>/requests…`` and ``…/posts…``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from functools import partial
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from portal.content import backlinks as backlink_rules
from portal.content import pages, review, schedule, service, versions
from portal.content.forms import BacklinkStatusForm, BacklinkStepForm
from portal.content.kinds import BLOG, KINDS, PLATFORM_LABELS
from portal.content.service import ContentRuleError
from portal.models import Backlink, SocialPost
from portal.models.content import BACKLINK_SOURCES, BACKLINK_STATUSES
from portal.stores import StoreUnavailable, get_stores
from portal.stores.blobs import BlobMissing, content_disposition
from portal.stores.refs import check_key
from portal.tenancy import current_tenant, get_or_404, require
from portal.web import render, safe_next_url

bp = Blueprint("content", __name__, url_prefix="/content")


def _add(
    rule: str, endpoint: str, view: Callable, permission: str, methods: tuple[str, ...] = ("GET",)
) -> None:
    """Route ``rule`` to ``view`` for signed-in users whose role holds ``permission``."""
    bp.add_url_rule(rule, endpoint, login_required(require(permission)(view)), methods=list(methods))


for _kind in KINDS:
    _requests, _request = f"/{_kind.name}/requests", f"/{_kind.name}/requests/<ulid:{_kind.request_param}>"
    _posts, _post = f"/{_kind.name}/posts", f"/{_kind.name}/posts/<ulid:{_kind.post_param}>"
    _add(
        _requests,
        f"{_kind.name}_requests",
        pages.listing(_kind, "content/requests.html", service.RequestFilter.from_args, service.requests),
        "content.view",
    )
    _add(
        f"{_requests}/new", f"new_{_kind.name}_request", pages.new(_kind), "content.request", ("GET", "POST")
    )
    _add(_request, f"{_kind.name}_request", pages.request_page(_kind), "content.view")
    _add(
        f"{_request}/edit",
        f"edit_{_kind.name}_request",
        pages.edit(_kind),
        "content.request",
        ("GET", "POST"),
    )
    _add(
        f"{_request}/withdraw",
        f"withdraw_{_kind.name}_request",
        pages.withdraw(_kind),
        "content.request",
        ("POST",),
    )
    _add(
        _posts,
        f"{_kind.name}_posts",
        pages.listing(_kind, "content/posts.html", partial(review.PostFilter.from_args, _kind), review.posts),
        "content.view",
    )
    _add(_post, f"{_kind.name}_post", pages.post(_kind), "content.view")
    _add(f"{_post}/decision", f"decide_{_kind.name}_post", pages.decide(_kind), "content.decide", ("POST",))


@bp.route("/")
@login_required
@require("content.view")
def index():
    """What waits for the tenant's review, and the ways into the area."""
    return render("content/index.html", posts=review.waiting_posts(), labels=PLATFORM_LABELS)


@bp.route("/blog/posts/<ulid:blog_post_ref>/compare")
@login_required
@require("content.view")
def compare_blog_post(blog_post_ref: str):
    """Two versions of a post, line by line (default: the last two)."""
    post = review.post_detail(BLOG, blog_post_ref)
    all_versions, comparison = versions.compare(
        post, request.args.get("older", type=int), request.args.get("newer", type=int)
    )
    return render(
        "content/compare.html", "comparison", post=post, versions=all_versions, comparison=comparison
    )


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
    first, understood = schedule.parse_month(request.args.get("month"))
    kind = request.args.get("type") if request.args.get("type") in ("blog", "social") else None
    channel_ref = request.args.get("channel") or None
    month = schedule.calendar(first, channel_ref, kind)
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


# What the backlinks page offers whatever it lists: its filters' choices and the forms of an opportunity.
BACKLINK_PAGE = {
    "statuses": BACKLINK_STATUSES,
    "sources": BACKLINK_SOURCES,
    "step_form": BacklinkStepForm,
    "status_form": BacklinkStatusForm,
    "moves": backlink_rules.tenant_moves,
}


@bp.route("/backlinks")
@login_required
@require("content.view")
def backlinks():
    """Backlinks with filters; directory opportunities with their steps."""
    filters = backlink_rules.BacklinkFilter.from_args(request.args)
    page = backlink_rules.backlinks(filters, request.args.get("cursor"))
    listed = {
        "page": page,
        "opportunities": [link for link in page.rows if backlink_rules.is_open_opportunity(link)],
        "filters": filters,
        "deliverables": {d.ref_id: d.title for d in service.deliverables_for("backlinks")},
        "titles": service.deliverable_titles([b.deliverable_id for b in page.rows]),
    }
    return render("content/backlinks.html", "results", **listed, **BACKLINK_PAGE)


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
    filters = backlink_rules.BacklinkFilter.from_args(request.args)
    links = backlink_rules.backlinks_for_export(filters, CSV_COLUMNS)

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
    response.headers["Content-Disposition"] = content_disposition("backlinks.csv", inline=False)
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


def _set_status(link: Backlink, form: BacklinkStatusForm) -> None:
    backlink_rules.set_backlink_status(link, form.status.data, current_user)
    flash(f"{link.source_domain} is now {link.status.replace('_', ' ')}.", "success")


def _set_step(link: Backlink, form: BacklinkStepForm) -> None:
    backlink_rules.set_backlink_step(link, int(form.step.data), form.done.data == "1", current_user)


def _backlink_change(form_class: type, change: Callable, doc: str) -> Callable:
    """A view applying ``change(link, form)`` to a directory opportunity, then back to the page it was on."""

    def view(backlink_ref: str):
        link = get_or_404(Backlink, backlink_ref)
        form = form_class()
        try:
            if not form.validate_on_submit():
                raise ContentRuleError("That request was not understood.")
            change(link, form)
        except ContentRuleError as error:
            flash(str(error), "warning")
        return redirect(request.referrer if _same_site(request.referrer) else url_for("content.backlinks"))

    view.__doc__ = doc
    return view


_backlink = "/backlinks/<ulid:backlink_ref>"
_add(
    f"{_backlink}/status",
    "backlink_status",
    _backlink_change(
        BacklinkStatusForm, _set_status, "Mark a directory opportunity in progress or completed."
    ),
    "content.request",
    ("POST",),
)
_add(
    f"{_backlink}/steps",
    "backlink_step",
    _backlink_change(BacklinkStepForm, _set_step, "Tick or untick a step of a directory opportunity."),
    "content.request",
    ("POST",),
)


def _same_site(url: str | None) -> bool:
    """Whether a Referer points back into this site (so going back there is safe)."""
    if not url:
        return False
    parts = urlsplit(url)
    return parts.netloc == request.host and safe_next_url(parts.path) is not None
