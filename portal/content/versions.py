"""The versions of a blog post and a line-by-line comparison of two of them.

What is compared: each time the writer agent produced the post (a first draft, then a rewrite after a
rejection) it stored one activity output; the post points at the latest. The versions are therefore the
activity outputs of the post's request activity, oldest first (version n = the n-th output), plus any other
posts of the same request. Title, meta fields and word count exist only for the current version (they are
columns of the post), so for older versions only the text and its word count are compared.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from sqlalchemy import select

from portal.db import get_session
from portal.models import Activity, BlogPost, BlogRequest
from portal.stores import StoreUnavailable, get_stores
from portal.stores.documents import ACTIVITY_OUTPUTS, unavailable_on_failure
from portal.stores.refs import fetch_original, resolve
from portal.tenancy import current_tenant

MAX_VERSIONS = 20


@dataclass(frozen=True)
class Version:
    """One version of a post: its number, its output's ObjectId and what is known about it."""

    number: int
    object_id: str
    word_count: int | None
    label: str
    title: str | None = None
    meta_title: str | None = None
    meta_description: str | None = None


@dataclass
class Comparison:
    """Two versions side by side: the diff lines, or why there are none."""

    state: str  # "found", "unavailable" or "missing"
    older: Version | None = None
    newer: Version | None = None
    lines: list[tuple[str, str]] = field(default_factory=list)  # (kind: same/add/del/hunk, text)
    added: int = 0
    removed: int = 0


def versions_of(post: BlogPost) -> list[Version] | None:
    """The post's versions, oldest first; None when the document store does not answer."""
    tenant_ref = current_tenant.ref_id
    session = get_session()
    activity_ref = None
    if post.blog_request_id is not None:
        activity_ref = session.scalar(
            select(Activity.ref_id)
            .join(
                BlogRequest,
                (BlogRequest.tenant_id == Activity.tenant_id) & (BlogRequest.activity_id == Activity.id),
            )
            .where(BlogRequest.tenant_id == post.tenant_id, BlogRequest.id == post.blog_request_id)
        )
    versions: list[Version] = []
    seen: set[str] = set()
    if activity_ref:
        try:
            with unavailable_on_failure():
                documents = list(
                    get_stores()
                    .documents[ACTIVITY_OUTPUTS]
                    .find({"tenantId": tenant_ref, "activityId": activity_ref, "type": "blog_post"})
                    .limit(MAX_VERSIONS)
                )
        except StoreUnavailable:
            return None
        documents.sort(key=lambda d: (d.get("createdOn") is None, d.get("createdOn"), str(d["_id"])))
        for number, document in enumerate(documents, start=1):
            object_id = str(document["_id"])
            seen.add(object_id)
            words = (document.get("metadata") or {}).get("wordCount")
            versions.append(Version(number, object_id, words, f"Version {number}"))
    # Other posts of the same request (a request may have produced more than one post over time).
    siblings = (
        session.scalars(
            select(BlogPost)
            .where(BlogPost.tenant_id == post.tenant_id, BlogPost.blog_request_id == post.blog_request_id)
            .order_by(BlogPost.created_on)
        ).all()
        if post.blog_request_id is not None
        else [post]
    )
    for sibling in siblings:
        if sibling.content_ref and sibling.content_ref not in seen:
            seen.add(sibling.content_ref)
            versions.append(
                Version(
                    len(versions) + 1, sibling.content_ref, sibling.word_count, f"Post {sibling.title[:40]}"
                )
            )
    return [_with_post_fields(v, post) for v in versions]


def _with_post_fields(version: Version, post: BlogPost) -> Version:
    """The current version carries the post's title and meta fields (older ones have none stored)."""
    if version.object_id != post.content_ref:
        return version
    return Version(
        version.number,
        version.object_id,
        post.word_count if post.word_count is not None else version.word_count,
        f"Version {version.number} (current)",
        post.title,
        post.meta_title,
        post.meta_description,
    )


def markdown_of(object_id: str) -> str | bool | None:
    """The Markdown text of an output: str when found, None when missing, False when the store is down."""
    stores = get_stores()
    tenant_ref = current_tenant.ref_id
    resolution = resolve(stores, ACTIVITY_OUTPUTS, object_id, tenant_ref)
    if resolution.state == "unavailable":
        return False
    if resolution.state != "found":
        return None
    if resolution.text is not None:
        return resolution.text
    # Only the cached HTML came back: fetch the original bytes for the Markdown.
    original = fetch_original(stores, ACTIVITY_OUTPUTS, object_id, tenant_ref)
    if original.state == "unavailable":
        return False
    if original.state != "found":
        return None
    return original.blob.body.decode("utf-8", errors="replace")


def compare(
    post: BlogPost, older_number: int | None, newer_number: int | None
) -> tuple[list[Version], Comparison]:
    """Compare two versions (default: the last two); the lines are plain text, escaped by the template."""
    versions = versions_of(post)
    if versions is None:
        return [], Comparison("unavailable")
    by_number = {v.number: v for v in versions}
    if len(versions) < 2:
        return versions, Comparison("missing", newer=versions[0] if versions else None)
    newer = by_number.get(newer_number or 0) or versions[-1]
    older = by_number.get(older_number or 0) or versions[-2]
    if older.number == newer.number:
        older = versions[-2] if newer.number == versions[-1].number else versions[-1]
    if older.number > newer.number:
        older, newer = newer, older
    old_text, new_text = markdown_of(older.object_id), markdown_of(newer.object_id)
    if old_text is False or new_text is False:
        return versions, Comparison("unavailable", older, newer)
    comparison = Comparison("found", older, newer)
    diff = difflib.unified_diff(
        (old_text or "").splitlines(), (new_text or "").splitlines(), lineterm="", n=2
    )
    for line in list(diff)[2:]:  # skip the ---/+++ file headers
        if line.startswith("@@"):
            comparison.lines.append(("hunk", "…"))
        elif line.startswith("+"):
            comparison.lines.append(("add", line[1:]))
            comparison.added += 1
        elif line.startswith("-"):
            comparison.lines.append(("del", line[1:]))
            comparison.removed += 1
        else:
            comparison.lines.append(("same", line[1:]))
    return versions, comparison
