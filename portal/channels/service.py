"""Reading channels: the list with latest scores and usage counts, and one channel's trend and users."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, literal, literal_column, null, select, union_all
from sqlalchemy.dialects.postgresql import distinct_on

from portal.campaigns.listing import DateRange
from portal.db import get_session
from portal.models import AdCampaign, BlogPost, Channel, ChannelScore, Lead, SocialPost
from portal.tenancy import current_tenant

RECENT = 10  # posts shown per kind on a channel's page (the total is shown beside them)


@dataclass(frozen=True)
class ChannelRow:
    """A channel with its latest score and how many posts, leads and campaigns use it."""

    channel: Channel
    score: int | None
    delta: int | None
    scored_on: dt.date | None
    posts: int
    leads: int
    campaigns: int


def _uses(model, column, channel_id, *criteria):
    return (
        select(func.count())
        .select_from(model)
        .where(model.tenant_id == Channel.tenant_id, column == channel_id, *criteria)
        .correlate(Channel)
        .scalar_subquery()
    )


def list_channels() -> list[ChannelRow]:
    """Every live channel (a tenant has a handful, one per type at most), with scores and uses, in one statement."""
    tenant_id = current_tenant.id
    latest = (
        select(ChannelScore.channel_id, ChannelScore.score, ChannelScore.delta, ChannelScore.scored_on)
        .where(ChannelScore.tenant_id == tenant_id)
        .ext(distinct_on(ChannelScore.channel_id))
        .order_by(ChannelScore.channel_id, ChannelScore.scored_on.desc())
        .subquery()
    )
    rows = get_session().execute(
        select(
            Channel,
            latest.c.score,
            latest.c.delta,
            latest.c.scored_on,
            _uses(BlogPost, BlogPost.channel_id, Channel.id)
            + _uses(SocialPost, SocialPost.channel_id, Channel.id),
            _uses(Lead, Lead.source_channel_id, Channel.id, Lead.deleted_on.is_(None)),
            _uses(AdCampaign, AdCampaign.channel_id, Channel.id),
        )
        .outerjoin(latest, latest.c.channel_id == Channel.id)
        .where(Channel.tenant_id == tenant_id, Channel.deleted_on.is_(None))
        .order_by(Channel.status, Channel.name)
    )
    return [ChannelRow(*row) for row in rows]


def score_trend(channel: Channel, dates: DateRange) -> list[ChannelScore]:
    """The channel's daily scores in the range, oldest first."""
    return list(
        get_session().scalars(
            select(ChannelScore)
            .where(
                ChannelScore.tenant_id == channel.tenant_id,
                ChannelScore.channel_id == channel.id,
                ChannelScore.scored_on.between(dates.start, dates.end),
            )
            .order_by(ChannelScore.scored_on)
        )
    )


@dataclass(frozen=True)
class ContentRow:
    """A post using the channel, as its list shows it."""

    kind: str  # "blog" or "social"
    text: str
    platform: str | None
    status: str
    created_on: dt.datetime


@dataclass(frozen=True)
class Usage:
    """What uses a channel: its latest posts (and totals), lead counts by status, and its campaigns."""

    content: list[ContentRow]
    blog_total: int
    social_total: int
    leads_by_status: dict[str, int]
    campaigns: list[AdCampaign]


def _latest_posts(model, kind: str, text, platform, tenant_id, channel_id):
    """The channel's RECENT latest posts of one kind, each carrying the kind's total (a window count)."""
    return (
        select(
            literal(kind).label("kind"),
            text.label("text"),
            platform.label("platform"),
            model.status.label("status"),
            model.created_on.label("created_on"),
            func.count().over().label("total"),
        )
        .where(model.tenant_id == tenant_id, model.channel_id == channel_id)
        .order_by(model.created_on.desc())
        .limit(RECENT)
        .subquery()
    )


def usage(channel: Channel) -> Usage:
    """The content, leads (counts only: no contact details here) and campaigns using the channel.

    Two statements: the latest blog and social posts with their totals and the lead counts; the campaigns.
    """
    session = get_session()
    tenant_id, channel_id = channel.tenant_id, channel.id
    blog = _latest_posts(BlogPost, "blog", BlogPost.title, null(), tenant_id, channel_id)
    social = _latest_posts(
        SocialPost, "social", SocialPost.caption, SocialPost.platform, tenant_id, channel_id
    )
    # the lead counts by status travel in the same statement, as rows of kind "lead" (text = the status)
    leads = select(
        literal("lead").label("kind"),
        Lead.status.label("text"),
        null().label("platform"),
        Lead.status.label("status"),
        func.max(Lead.created_on).label("created_on"),
        func.count().label("total"),
    ).where(Lead.tenant_id == tenant_id, Lead.source_channel_id == channel_id, Lead.deleted_on.is_(None))
    rows = session.execute(
        union_all(select(blog), select(social), leads.group_by(Lead.status)).order_by(
            literal_column("created_on").desc()
        )
    ).all()
    posts = [r for r in rows if r.kind != "lead"]
    totals = {row.kind: row.total for row in posts}
    campaigns = session.scalars(
        select(AdCampaign)
        .where(AdCampaign.tenant_id == tenant_id, AdCampaign.channel_id == channel_id)
        .order_by(AdCampaign.created_on.desc())
    )
    return Usage(
        [ContentRow(r.kind, r.text, r.platform, r.status, r.created_on) for r in posts],
        totals.get("blog", 0),
        totals.get("social", 0),
        {r.text: r.total for r in rows if r.kind == "lead"},
        list(campaigns),
    )
