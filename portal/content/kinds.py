"""Blog and social content are one shape: a request the tenant may change while ``submitted``, and posts
the tenant decides on while in ``client_review``. A ``Kind`` says what tells the two apart; the rules,
routes and templates take the kind instead of being written twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func

from portal.models import BlogPost, BlogRequest, SocialMediaRequest, SocialPost
from portal.models.content import BLOG_POST_STATUSES, SOCIAL_POST_STATUSES

# Per-platform caption limits (characters), as the platforms document them.
PLATFORM_LIMITS = {"x": 280, "linkedin": 3000, "facebook": 63206, "instagram": 2200}
PLATFORM_LABELS = {"linkedin": "LinkedIn", "x": "X", "facebook": "Facebook", "instagram": "Instagram"}

# What the tenant reads about a post it cannot decide on (every status but client_review).
WITH_THE_AGENCY = "With the agency for review. It comes to you once they have checked it."
SENT_BACK = "Sent back for a rewrite. The agent writes a new version with your note."


def subject(model: Any) -> str:
    """The snake-case name of a model's row (``blog_request``): audit actions, URL parameters, columns."""
    return model.__tablename__[:-1]


@dataclass(frozen=True, eq=False)
class Kind:
    """One kind of content: its models and what its lists and pages load, search and explain."""

    name: str  # "blog" or "social": the URL segment and the prefix of the endpoints
    request_model: Any
    post_model: Any
    deliverable_type: str  # the deliverables a request may count towards
    post_statuses: tuple[str, ...]
    post_explanations: dict[str, str]
    request_loads: tuple[Any, ...]  # the relationships a request's list and page show
    request_search: tuple[Any, ...]  # the columns the request search looks in
    post_loads: tuple[Any, ...]  # the relationships a post list shows
    has_platforms: bool  # posts for one platform each, with its caption limit

    @property
    def request_param(self) -> str:
        """The URL parameter of a request (``blog_request_ref``), named after its model for the route walk."""
        return f"{subject(self.request_model)}_ref"

    @property
    def post_param(self) -> str:
        """The URL parameter of a post (``blog_post_ref``)."""
        return f"{subject(self.post_model)}_ref"

    @property
    def macros(self) -> str:
        """The template with what this kind's pages show differently, imported by the pages both share."""
        return f"content/_{self.name}.html"

    def request_id_of(self, post: Any) -> Any:
        """The id of the request a post came of (None for a post asked for outside the portal)."""
        return getattr(post, f"{subject(self.request_model)}_id")


BLOG = Kind(
    name="blog",
    request_model=BlogRequest,
    post_model=BlogPost,
    deliverable_type="blog_post",
    post_statuses=BLOG_POST_STATUSES,
    post_explanations={
        "dm_review": WITH_THE_AGENCY,
        "client_approved": "Approved, publishing. The agency publishes it on the channel.",
        "rejected": SENT_BACK,
        "published": "Published.",
    },
    request_loads=(BlogRequest.requester, BlogRequest.target_channel),
    request_search=(
        BlogRequest.topic,
        BlogRequest.brief,
        func.array_to_string(BlogRequest.keywords, " "),
    ),
    post_loads=(BlogPost.channel,),
    has_platforms=False,
)
SOCIAL = Kind(
    name="social",
    request_model=SocialMediaRequest,
    post_model=SocialPost,
    deliverable_type="social_post",
    post_statuses=SOCIAL_POST_STATUSES,
    post_explanations={
        "dm_review": WITH_THE_AGENCY,
        "dm_approved": "Approved by the agency; the image is being prepared next.",
        "design_pending": "The image is being designed. It comes to you when it is ready.",
        "client_approved": "Approved. The agency schedules it on the platform.",
        "rejected": SENT_BACK,
        "scheduled": "Scheduled.",
        "published": "Published.",
    },
    request_loads=(SocialMediaRequest.requester,),
    request_search=(SocialMediaRequest.brief,),
    post_loads=(),
    has_platforms=True,
)
KINDS = (BLOG, SOCIAL)


def kind_of(row: Any) -> Kind:
    """The kind of a request or a post."""
    return next(k for k in KINDS if isinstance(row, k.request_model | k.post_model))
