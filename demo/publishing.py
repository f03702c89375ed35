"""The demo's content: blog requests and posts, social requests and posts (with images) and backlinks."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from demo import content
from demo.builder import TenantSeed, Work, add_months
from demo.ids import Mint
from demo.images import social_card
from demo.profiles import Topic
from demo.runs import maker, perform
from demo.scenario import (
    REJECTED_POST_NOTES,
    REJECTED_SOCIAL_NOTES,
    TENANT_BLOG_REQUESTS,
    TENANT_SOCIAL_REQUESTS,
)
from portal.models import (
    Activity,
    Backlink,
    BlogPost,
    BlogRequest,
    Channel,
    Deliverable,
    SocialMediaRequest,
    SocialPost,
    User,
)


def blog(seed: TenantSeed) -> None:
    """Blog requests and posts: one per blog activity, plus the tenant's own requests in every status."""
    p = seed.p
    mint = seed.mint("blog")
    rng = mint.rng
    channel = seed.channels.get("wordpress") or seed.channels.get("blog")
    deliverable = next(d for spec, d in seed.deliverables if spec.type == "blog_post")
    for work in seed.work["blog_post"]:
        status = work.post_status or (
            "published" if work.activity.status == "done" and work.month < 0 else None
        )
        if status is None or not work.outputs:
            continue
        request = blog_request(
            seed,
            mint,
            work.topic,
            "completed" if status == "published" else "in_progress",
            None,
            work.deliverable,
            work.activity,
            channel,
            work.activity.created_on,
        )
        blog_post(seed, mint, work, request, channel, status)
    goal = deliverable.goal_id
    for status, key, title, keyword, brief in TENANT_BLOG_REQUESTS[p.slug]:
        topic = Topic(title, keyword, title.lower())
        asked = seed.ago(days=rng.randint(2, 20), hours=rng.randint(0, 12))
        activity = None
        if status in ("approved", "in_progress"):
            work = Work(
                seed.new(
                    seed.mint("activities"),
                    Activity,
                    goal_id=goal,
                    title=f"Blog post: {title}",
                    type="blog_post",
                    executor="agent",
                    status="pending" if status == "approved" else "awaiting_approval",
                    due_on=seed.at(seed.today + dt.timedelta(days=10), 17),
                    created_on=asked + dt.timedelta(days=1),
                ),
                0,
                seed.ago(hours=rng.randint(2, 20)),
                topic=topic,
            )
            if status == "in_progress":
                perform(seed, work, "ok", maker(seed, work))
            activity = work.activity
        request = blog_request(
            seed, mint, topic, status, seed.user(key), deliverable, activity, channel, asked
        )
        request.brief = brief
        if status == "in_progress":
            blog_post(seed, mint, work, request, channel, "dm_review")


def blog_request(
    seed: TenantSeed,
    mint: Mint,
    topic: Topic,
    status: str,
    requester: User | None,
    deliverable: Deliverable,
    activity: Activity | None,
    channel: Channel | None,
    asked: dt.datetime,
) -> BlogRequest:
    """A blog request (the agency's when requester is None)."""
    rng = mint.rng
    return seed.new(
        mint,
        BlogRequest,
        deliverable_id=deliverable.id,
        activity_id=activity.id if activity else None,
        target_channel_id=channel.id if channel else None,
        topic=topic.title,
        keywords=[topic.keyword, topic.thing],
        brief=f"Answer what people ask before choosing {topic.thing}; include prices and an FAQ.",
        target_audience=seed.p.audience,
        tone=seed.p.brand_voice["tone"],
        target_word_count=rng.choice((600, 700, 800)),
        due_on=(asked + dt.timedelta(days=14)).date(),
        status=status,
        requested_by=requester.id if requester else None,
        created_by=requester.id if requester else None,
        created_on=asked,
        updated_on=asked + dt.timedelta(days=1) if status != "submitted" else None,
    )


def blog_post(
    seed: TenantSeed, mint: Mint, work: Work, request: BlogRequest, channel: Channel | None, status: str
) -> None:
    """A blog post in ``status``, with the review trail that status implies."""
    p = seed.p
    rng = mint.rng
    topic = work.topic
    slug = content.slugify(topic.title)
    written = work.when
    post = _post(
        seed,
        mint,
        BlogPost,
        work,
        channel,
        status,
        blog_request_id=request.id,
        title=topic.title,
        slug=slug,
        target_keyword=topic.keyword,
        meta_title=f"{topic.title} | {p.name}"[:70],
        meta_description=f"{topic.title}: costs, process and how to decide. {p.name}, {p.city}."[:160],
        word_count=seed.word_counts.get(work.outputs[-1]),
    )
    if status == "dm_review":
        return
    post.dm_approved_on = min(written + dt.timedelta(hours=rng.randint(3, 20)), seed.ago(minutes=30))
    post.updated_on = post.dm_approved_on
    approver = seed.user(rng.choice(("marketer", "owner")))
    if status in ("client_approved", "published"):
        post.client_approved_by = post.updated_by = approver.id
        post.client_approved_on = post.updated_on = min(
            post.dm_approved_on + dt.timedelta(hours=rng.randint(2, 30)), seed.ago(minutes=20)
        )
    if status == "client_approved":
        post.scheduled_on = seed.at(seed.today + dt.timedelta(days=rng.randint(2, 6)), 9, 30)
    elif status == "published":
        post.published_on = post.updated_on = min(
            post.client_approved_on + dt.timedelta(hours=rng.randint(4, 40)), seed.ago(minutes=10)
        )
        post.published_url = f"{p.website}/blog/{slug}"
        post.scheduled_on = post.published_on
    elif status == "rejected":
        post.client_rejection_note = REJECTED_POST_NOTES[p.slug]
        post.updated_by = approver.id


def social(seed: TenantSeed) -> None:
    """Social requests (the agency's monthly batch and the tenant's own) and the posts per platform."""
    p = seed.p
    mint = seed.mint("social")
    rng = mint.rng
    deliverable = next(d for spec, d in seed.deliverables if spec.type == "social_post")
    months = sorted({w.month for w in seed.work["social_post"] if w.month <= 0})
    for month in months:
        works = [w for w in seed.work["social_post"] if w.month == month]
        calendar = next((w for w in seed.work.get("social_calendar", ()) if w.month == month), None)
        request = seed.new(
            mint,
            SocialMediaRequest,
            deliverable_id=works[0].deliverable.id,
            activity_id=calendar.activity.id if calendar else None,
            platforms=sorted({w.platform for w in works}),
            brief=f"{seed.month(month):%B %Y} posts: " + "; ".join(sorted({w.theme for w in works})),
            due_on=add_months(seed.month(month), 1) - dt.timedelta(days=1),
            status="completed" if month < 0 else "in_progress",
            created_on=seed.at(seed.month(month), 8) - dt.timedelta(days=4),
        )
        for work in works:
            status = work.post_status or (
                "published" if work.activity.status == "done" and month < 0 else None
            )
            if status and work.outputs:
                social_post(seed, mint, work, request, status)
    for status, key, platforms, brief in TENANT_SOCIAL_REQUESTS[p.slug]:
        asked = seed.ago(days=rng.randint(1, 15), hours=rng.randint(0, 10))
        seed.new(
            mint,
            SocialMediaRequest,
            deliverable_id=deliverable.id,
            platforms=list(platforms),
            brief=brief,
            due_on=(asked + dt.timedelta(days=10)).date(),
            status=status,
            requested_by=seed.user(key).id,
            created_by=seed.user(key).id,
            created_on=asked,
            updated_on=asked + dt.timedelta(days=1) if status != "submitted" else None,
        )


def social_post(seed: TenantSeed, mint: Mint, work: Work, request: SocialMediaRequest, status: str) -> None:
    """A social post in ``status``; posts past design carry an image (a small PNG)."""
    p = seed.p
    rng = mint.rng
    made = json.loads(work.texts[-1])
    channel = seed.channels.get(work.platform)
    post = _post(
        seed,
        mint,
        SocialPost,
        work,
        channel,
        status,
        social_media_request_id=request.id,
        platform=work.platform,
        caption=made["caption"],
        hashtags=made["hashtags"],
        cta=made["cta"],
    )
    designed = status in ("client_review", "client_approved", "scheduled", "published")
    if designed and work.platform != "x":
        post.image_s3_key = f"{seed.tenant_ref}/social-images/{post.ref_id}.png"
        if work.platform == "linkedin" and "social_image" in seed.broken:
            seed.broken.discard("social_image")  # deliberately missing object
        else:
            image = social_card(p.brand_color, p.accent_color, variant=len(seed.objects))
            seed.objects.append((post.image_s3_key, image, "image/png"))
    if status in ("dm_review", "dm_approved", "design_pending", "client_review"):
        return
    approver = seed.user(rng.choice(("marketer", "owner")))
    decided = min(work.when + dt.timedelta(hours=rng.randint(4, 30)), seed.ago(minutes=15))
    post.updated_on = decided
    post.updated_by = approver.id
    if status == "rejected":
        post.client_rejection_note = REJECTED_SOCIAL_NOTES[p.slug]
        return
    post.client_approved_by, post.client_approved_on = approver.id, decided
    if status == "scheduled":
        post.scheduled_on = seed.at(seed.today + dt.timedelta(days=rng.randint(1, 5)), 18, 30)
    elif status == "published":
        post.scheduled_on = post.published_on = min(
            decided + dt.timedelta(hours=rng.randint(5, 48)), seed.ago(minutes=5)
        )
        post.post_url = _post_url(work.platform, post.ref_id)


def _post(
    seed: TenantSeed, mint: Mint, model: type, work: Work, channel: Channel | None, status: str, **values: Any
) -> Any:
    """A blog or social post in ``status`` of the agent's latest output for ``work``."""
    return seed.new(
        mint,
        model,
        channel_id=channel.id if channel else None,
        status=status,
        content_ref=work.outputs[-1],
        version=len(work.outputs),
        created_on=work.when,
        **values,
    )


def backlinks(seed: TenantSeed) -> None:
    """Backlinks won by outreach (one per backlinks activity) and directory listings the tenant does."""
    p = seed.p
    mint = seed.mint("backlinks")
    rng = mint.rng
    deliverable = next(d for spec, d in seed.deliverables if spec.type == "backlinks")
    outcome = {"done": "published", "failed": "lost", "cancelled": "lost"}
    current = {
        "done": "agreed",
        "in_progress": "outreach_sent",
        "queued": "prospecting",
        "pending": "prospecting",
    }
    for number, work in enumerate(w for w in seed.work["backlinks"] if w.month <= 0):
        status = (outcome if work.month < 0 else current).get(work.activity.status, "prospecting")
        domain, rating = p.outreach_sites[number % len(p.outreach_sites)]
        topic = p.topics[number % len(p.topics)]
        live = status == "published"
        seed.new(
            mint,
            Backlink,
            activity_id=work.activity.id,
            deliverable_id=work.deliverable.id,
            source_type="competitor_gap" if number % 4 == 3 else "outreach",
            source_domain=domain,
            source_url=f"https://{domain}/{content.slugify(topic.thing)}-guide" if live else None,
            target_url=f"{p.website}/blog/{content.slugify(topic.title)}",
            anchor_text=topic.keyword if number % 3 else p.name,
            domain_rating=rating,
            link_type=("dofollow", "dofollow", "nofollow", "dofollow", "ugc", "sponsored")[number % 6],
            relevance_score=rng.randint(5, 10),
            status=status,
            is_live=live,
            is_indexed=live and rng.random() < 0.8,
            published_on=work.when if live else None,
            last_checked_on=seed.ago(hours=rng.randint(2, 20)) if live else None,
            created_on=work.activity.created_on,
        )
    task = next(iter(seed.work.get("task:backlinks", ())), None)
    statuses = ("in_progress", "completed", "completed", "opportunity", "opportunity")
    for directory, status in zip(p.directories, statuses, strict=False):
        done = {"completed": len(directory.steps), "in_progress": 2}.get(status, 0)
        found = seed.ago(days=rng.randint(20, 80))
        completed = found + dt.timedelta(days=rng.randint(3, 12)) if status == "completed" else None
        seed.new(
            mint,
            Backlink,
            activity_id=task.activity.id if status == "in_progress" and task else None,
            deliverable_id=deliverable.id,
            source_type="directory_opportunity",
            source_domain=directory.domain,
            source_url=f"https://{directory.domain}/",
            target_url=p.website,
            anchor_text=p.name,
            domain_rating=directory.rating,
            link_type="nofollow",
            relevance_score=rng.randint(7, 10),
            status=status,
            steps=[{"title": step, "done": n < done} for n, step in enumerate(directory.steps)],
            is_live=status == "completed",
            is_indexed=status == "completed",
            completed_on=completed,
            published_on=completed,
            last_checked_on=seed.ago(hours=rng.randint(2, 20)) if completed else None,
            created_on=found,
            updated_on=completed or (seed.ago(days=2) if status == "in_progress" else None),
        )


def _post_url(platform: str, ref: str) -> str:
    """A plausible public URL of a published social post."""
    code = ref[-11:].lower()
    return {
        "instagram": f"https://www.instagram.com/p/{code}/",
        "facebook": f"https://www.facebook.com/permalink.php?story_fbid={int(code, 36) % 10**15}",
        "linkedin": f"https://www.linkedin.com/feed/update/urn:li:activity:{int(code, 36) % 10**19}",
        "x": f"https://x.com/i/status/{int(code, 36) % 10**19}",
    }[platform]
