"""The post pages of both kinds (list, page, decision): one view per action, made for a ``Kind``;
routes.py gives each kind its URLs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, request, url_for
from flask_login import current_user

from portal import audit
from portal.content import review, service
from portal.content.forms import DecisionForm
from portal.content.kinds import PLATFORM_LABELS, Kind
from portal.content.service import ContentRuleError, OverLimit
from portal.web import render


def _post_page(kind: Kind, post: Any, form: DecisionForm | None = None, status: int = 200):
    if form is None:
        form = DecisionForm(formdata=None)
    form.version.data = str(post.version)  # a decision is on the version the page shows
    names = service.user_names([post.client_approved_by])
    return (
        render(
            "content/post.html",
            kind=kind,
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


def listing(kind: Kind) -> Callable:
    """The view of the tenant's posts of ``kind``, newest first, with their filters."""

    def view():
        filters = review.PostFilter.from_args(kind, request.args)
        page = review.posts(kind, filters, request.args.get("cursor"))
        return render(
            "content/posts.html", "results", kind=kind, page=page, filters=filters, labels=PLATFORM_LABELS
        )

    view.__doc__ = f"The tenant's {kind.name} posts, newest first, with a status filter."
    return view


def detail(kind: Kind) -> Callable:
    """The view of one post of ``kind``."""

    def view(**refs: str):
        return _post_page(kind, review.post_detail(kind, refs[kind.post_param]))

    view.__doc__ = (
        f"A {kind.name} post: its content, status and decision history; the decision when it is the tenant's."
    )
    return view


def decision(kind: Kind) -> Callable:
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
