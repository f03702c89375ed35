"""Blog and social content are one shape: a request the tenant may change while ``submitted``, and posts
the tenant decides on while in ``client_review``. A ``Kind`` says what tells the two apart; the rules,
routes and templates take the kind instead of being written twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
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


NAMES = ("blog", "social")
# What the pages call things and say, blog's wording first and social's second: one entry a word, so the
# two kinds' wordings sit side by side (templates read them as ``kind.words.ask``).
WORDING = {
    "requests_title": ("Blog requests", "Social requests"),
    "ask": ("Request a blog post", "Request social posts"),
    "posts_title": ("Blog posts", "Social posts"),
    "requests_section": ("blog", "social"),  # the tabs of content/_tabs.html
    "posts_section": ("posts", "social_posts"),
    "icon": ("content", "social"),
    "no_requests": (
        "No blog requests yet. Ask the agency for a post and it will show up here with its status.",
        "No social requests yet. Ask for posts on LinkedIn, X, Facebook or Instagram and follow them here.",
    ),
    "no_posts": (
        "No posts here yet. Posts appear once the agency has written what you asked for.",
        "No social posts here yet. They appear once the agency has written what you asked for.",
    ),
    "no_request_posts": (
        "No post yet. Once the agency has written it, it appears here and you get a notification to review it.",
        "No posts yet. Once the agency has written them, they appear here and you get a notification to "
        "review them.",
    ),
    "withdraw_confirm": (
        "Withdraw this request? The agency will not write it.",
        "Withdraw this request? The agency will not write the posts.",
    ),
    "form_intro": (
        "Tell the agency what to write about. You can change or withdraw the request until they accept it.",
        "Say what the posts should be about and where they go. You can change or withdraw the request until "
        "the agency accepts it.",
    ),
}


def subject(model: Any) -> str:
    """The snake-case name of a model's row (``blog_request``): audit actions, URL parameters, columns."""
    return model.__tablename__[:-1]


@dataclass(eq=False)
class Kind:
    """One kind of content: its models and what its lists and pages load, search and explain."""

    name: str  # "blog" or "social": the URL segment and the prefix of the endpoints
    request_model: Any
    post_model: Any
    post_statuses: tuple[str, ...]
    post_explanations: dict[str, str]
    request_loads: tuple[Any, ...]  # the relationships a request's list and page show
    request_search: tuple[Any, ...]  # the columns the request search looks in
    post_loads: tuple[Any, ...]  # the relationships a post list shows
    has_platforms: bool  # posts for one platform each, with its caption limit
    approved_statuses: tuple[str, ...]  # the statuses of a post the tenant approved
    # What a request's and a post's page are called (their <title> and header).
    request_title: Callable[[Any], str]
    post_title: Callable[[Any], str]
    # Named after the models: the URL parameters (the route walk reads the model from them), the
    # deliverables a request counts towards, and the template of what this kind's pages show differently.
    request_param: str = field(init=False)
    post_param: str = field(init=False)
    deliverable_type: str = field(init=False)
    macros: str = field(init=False)
    words: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.request_param = f"{subject(self.request_model)}_ref"
        self.post_param = f"{subject(self.post_model)}_ref"
        self.deliverable_type = subject(self.post_model)
        self.macros = f"content/_{self.name}.html"
        self.words = {key: said[NAMES.index(self.name)] for key, said in WORDING.items()}

    def request_id_of(self, post: Any) -> Any:
        """The id of the request a post came of (None for a post asked for outside the portal)."""
        return getattr(post, f"{subject(self.request_model)}_id")


BLOG = Kind(
    name="blog",
    request_model=BlogRequest,
    post_model=BlogPost,
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
    approved_statuses=("client_approved", "published"),
    request_title=attrgetter("topic"),
    post_title=attrgetter("title"),
)
SOCIAL = Kind(
    name="social",
    request_model=SocialMediaRequest,
    post_model=SocialPost,
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
    approved_statuses=("client_approved", "scheduled", "published"),
    request_title=lambda request: "Social request",
    post_title=lambda post: f"{PLATFORM_LABELS[post.platform]} post",
)
KINDS = (BLOG, SOCIAL)


def kind_of(row: Any) -> Kind:
    """The kind of a request or a post."""
    return next(k for k in KINDS if isinstance(row, k.request_model | k.post_model))
