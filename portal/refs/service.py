"""Which rows point at content, who may read it, and the one way to resolve and render it.

A source names a model, the column holding the ObjectId, the MongoDB collection and the permission — that of
the page showing the content (the route walk holds every source to its page's permission). The row
is found within the tenant first (404 otherwise), so a ref is only ever resolved for its own tenant; the
stores then check the document's tenantId and the S3 key's prefix again.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from portal.models import Activity, BlogPost, OnboardingRun, SocialPost, Strategy
from portal.stores import documents, get_stores
from portal.stores.refs import Original, Resolution, fetch_original, resolve
from portal.tenancy import current_tenant, get_or_404


@dataclass(frozen=True)
class Source:
    """Where a kind of content is referenced from."""

    name: str
    model: type
    column: str
    collection: str
    permission: str
    label: str


SOURCES = {
    source.name: source
    for source in (
        Source("activity", Activity, "output_ref", documents.ACTIVITY_OUTPUTS, "planning.view", "output"),
        Source("blog_post", BlogPost, "content_ref", documents.ACTIVITY_OUTPUTS, "content.view", "post"),
        Source("social_post", SocialPost, "content_ref", documents.ACTIVITY_OUTPUTS, "content.view", "post"),
        Source(
            "strategy", Strategy, "content_ref", documents.STRATEGIES_CONTENT, "planning.view", "strategy"
        ),
        Source(
            "onboarding_run",
            OnboardingRun,
            "context_file_id",
            documents.SKILLS,
            "onboarding.edit",
            "context file",
        ),
    )
}


@dataclass(frozen=True)
class Content:
    """What a fragment shows: the resolution, and the HTML when found."""

    source: Source
    ref_id: str
    resolution: Resolution
    html: Markup | None


def load(source: Source, ref_id: str) -> Content:
    """Resolve and render the content of the tenant's row ``ref_id`` (404 if the row is not the tenant's).

    A document of another tenant is answered like no row at all: the caller turns ``refused`` into a 404.
    """
    row = get_or_404(source.model, ref_id)
    object_id = getattr(row, source.column)
    if not object_id:
        return Content(source, ref_id, Resolution(state="missing", reason="no ref yet"), None)
    stores = get_stores()
    resolution = resolve(stores, source.collection, object_id, current_tenant.ref_id)
    html = stores.renderer.render(resolution) if resolution.state == "found" else None
    return Content(source, ref_id, resolution, html)


def original(source: Source, ref_id: str) -> Original:
    """The stored bytes (Markdown or JSON as stored) of the row's content, for download."""
    row = get_or_404(source.model, ref_id)
    object_id = getattr(row, source.column)
    if not object_id:
        return Original(state="missing", reason="no ref yet")
    return fetch_original(get_stores(), source.collection, object_id, current_tenant.ref_id)
