"""Blog and social content: the tenant's requests, the posts that come of them, and backlinks."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from sqlalchemy import CheckConstraint, Index, String, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from portal.models.base import SoftDeleted, TenantOwned, Updated, check_in, check_range, children, parent

REQUEST_STATUSES = ("submitted", "approved", "rejected", "in_progress", "completed", "withdrawn")
BLOG_POST_STATUSES = ("dm_review", "client_review", "client_approved", "rejected", "published")
SOCIAL_POST_STATUSES = (
    "dm_review",
    "dm_approved",
    "design_pending",
    "client_review",
    "client_approved",
    "rejected",
    "scheduled",
    "published",
)
SOCIAL_PLATFORMS = ("linkedin", "x", "facebook", "instagram")
BACKLINK_SOURCES = ("outreach", "directory_opportunity", "competitor_gap")
LINK_TYPES = ("dofollow", "nofollow", "ugc", "sponsored")
BACKLINK_STATUSES = (
    "prospecting",
    "outreach_sent",
    "agreed",
    "published",
    "opportunity",
    "in_progress",
    "completed",
    "lost",
)


class ContentRequest(TenantOwned, Updated, SoftDeleted):
    """What a blog and a social request share: the deliverable and activity it serves, who asked, when it is
    due, its status and its version."""

    __abstract__ = True
    __parents__: ClassVar[dict[str, str | tuple[str, str]]] = {
        "deliverable_id": "deliverables",
        "activity_id": "activities",
        "requested_by": "users",
    }

    deliverable_id: Mapped[uuid.UUID | None] = mapped_column()
    activity_id: Mapped[uuid.UUID | None] = mapped_column()
    due_on: Mapped[dt.date | None] = mapped_column()
    status: Mapped[str] = mapped_column(server_default="submitted")
    requested_by: Mapped[uuid.UUID | None] = mapped_column()
    # Moves on with every change, so a save from a page opened before another's is told, not applied.
    version: Mapped[int] = mapped_column(server_default="1")

    @declared_attr
    def requester(cls):
        """The user who asked for the content."""
        return parent(cls.__name__, "requested_by", "User")


class BlogRequest(ContentRequest):
    """The tenant (or the agency) asks for a blog post; the agency approves before any writing."""

    __tablename__ = "blog_requests"
    __parents__ = {**ContentRequest.__parents__, "target_channel_id": "channels"}
    __extra_args__ = (
        check_in("status", REQUEST_STATUSES),
        CheckConstraint(
            "target_word_count IS NULL OR target_word_count BETWEEN 100 AND 20000", name="word_count"
        ),
        Index("ix_blog_requests_tenant_status", "tenant_id", "status", "created_on"),
    )

    target_channel_id: Mapped[uuid.UUID | None]
    topic: Mapped[str]
    keywords: Mapped[list[str]] = mapped_column(server_default=text("'{}'::text[]"))
    brief: Mapped[str | None]
    target_audience: Mapped[str | None]
    tone: Mapped[str | None]
    target_word_count: Mapped[int | None]

    target_channel = parent("BlogRequest", "target_channel_id", "Channel")
    posts = children("BlogRequest", "BlogPost", "blog_request_id")


class ContentPost(TenantOwned, Updated):
    """What a blog and a social post share: the channel it goes to, its Markdown (or JSON) in the document
    store, its version, the tenant's decision while it is in ``client_review``, and when it goes out."""

    __abstract__ = True
    __parents__: ClassVar[dict[str, str | tuple[str, str]]] = {
        "channel_id": "channels",
        "client_approved_by": "users",
    }

    channel_id: Mapped[uuid.UUID | None] = mapped_column()
    status: Mapped[str] = mapped_column(server_default="dm_review")
    content_ref: Mapped[str | None] = mapped_column(String(24))
    version: Mapped[int] = mapped_column(server_default="1")
    client_approved_by: Mapped[uuid.UUID | None] = mapped_column()
    client_approved_on: Mapped[dt.datetime | None] = mapped_column()
    client_rejection_note: Mapped[str | None] = mapped_column()
    scheduled_on: Mapped[dt.datetime | None] = mapped_column()
    published_on: Mapped[dt.datetime | None] = mapped_column()

    @declared_attr
    def channel(cls):
        """The channel the post is published on."""
        return parent(cls.__name__, "channel_id", "Channel")


class BlogPost(ContentPost):
    """A written post; the tenant decides on it while it is in ``client_review``."""

    __tablename__ = "blog_posts"
    __parents__ = {**ContentPost.__parents__, "blog_request_id": "blog_requests", "dm_approved_by": "users"}
    __extra_args__ = (
        check_in("status", BLOG_POST_STATUSES),
        Index("ix_blog_posts_tenant_status", "tenant_id", "status", "created_on"),
        Index("ix_blog_posts_tenant_request", "tenant_id", "blog_request_id"),
        Index("ix_blog_posts_tenant_published", "tenant_id", "published_on"),
    )

    blog_request_id: Mapped[uuid.UUID | None]
    title: Mapped[str]
    slug: Mapped[str]
    target_keyword: Mapped[str | None]
    meta_title: Mapped[str | None]
    meta_description: Mapped[str | None]
    word_count: Mapped[int | None]
    dm_approved_by: Mapped[uuid.UUID | None]
    dm_approved_on: Mapped[dt.datetime | None]
    published_url: Mapped[str | None]

    request = parent("BlogPost", "blog_request_id", "BlogRequest")


class SocialMediaRequest(ContentRequest):
    """The tenant asks for social posts on some platforms."""

    __tablename__ = "social_media_requests"
    __extra_args__ = (
        check_in("status", REQUEST_STATUSES),
        Index("ix_social_media_requests_tenant_status", "tenant_id", "status", "created_on"),
    )

    platforms: Mapped[list[str]] = mapped_column(server_default=text("'{}'::text[]"))
    brief: Mapped[str]

    posts = children("SocialMediaRequest", "SocialPost", "social_media_request_id")


class SocialPost(ContentPost):
    """A social post for one platform; the tenant decides on it while it is in ``client_review``."""

    __tablename__ = "social_posts"
    __parents__ = {**ContentPost.__parents__, "social_media_request_id": "social_media_requests"}
    __extra_args__ = (
        check_in("status", SOCIAL_POST_STATUSES),
        check_in("platform", SOCIAL_PLATFORMS),
        Index("ix_social_posts_tenant_status", "tenant_id", "status", "created_on"),
        Index("ix_social_posts_tenant_scheduled", "tenant_id", "scheduled_on"),
    )

    social_media_request_id: Mapped[uuid.UUID | None]
    platform: Mapped[str]
    caption: Mapped[str]
    hashtags: Mapped[list[str]] = mapped_column(server_default=text("'{}'::text[]"))
    cta: Mapped[str | None]
    image_s3_key: Mapped[str | None]
    post_url: Mapped[str | None]

    request = parent("SocialPost", "social_media_request_id", "SocialMediaRequest")


class Backlink(TenantOwned, Updated):
    """A link to the tenant's site: won by outreach, or a directory opportunity the tenant completes."""

    __tablename__ = "backlinks"
    __parents__ = {"activity_id": "activities", "deliverable_id": "deliverables"}
    __extra_args__ = (
        check_in("source_type", BACKLINK_SOURCES),
        check_in("link_type", LINK_TYPES),
        check_in("status", BACKLINK_STATUSES),
        check_range("domain_rating", 0, 100),
        check_range("relevance_score", 1, 10),
        Index("ix_backlinks_tenant_status", "tenant_id", "status", "created_on"),
    )

    activity_id: Mapped[uuid.UUID | None]
    deliverable_id: Mapped[uuid.UUID | None]
    source_type: Mapped[str]
    source_domain: Mapped[str]
    source_url: Mapped[str | None]
    target_url: Mapped[str]
    anchor_text: Mapped[str | None]
    domain_rating: Mapped[int | None]
    link_type: Mapped[str] = mapped_column(server_default="dofollow")
    relevance_score: Mapped[int | None]
    status: Mapped[str]
    steps: Mapped[list[Any]] = mapped_column(server_default=text("'[]'::jsonb"))
    is_live: Mapped[bool] = mapped_column(server_default=text("false"))
    is_indexed: Mapped[bool] = mapped_column(server_default=text("false"))
    published_on: Mapped[dt.datetime | None]
    completed_on: Mapped[dt.datetime | None]
    last_checked_on: Mapped[dt.datetime | None]
