"""Channels: latest score and usage counts, the score trend with its table, and what uses a channel."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from portal.models import AdCampaign, BlogPost, Channel, ChannelScore, Lead, SocialPost
from tests.conftest import text_of
from tests.queries import count_statements


def _busiest(session) -> Channel:
    counts = (
        select(Lead.source_channel_id, func.count().label("n"))
        .where(Lead.source_channel_id.isnot(None), Lead.deleted_on.is_(None))
        .group_by(Lead.source_channel_id)
        .subquery()
    )
    scored = select(ChannelScore.id).where(ChannelScore.channel_id == Channel.id).exists()
    channel = session.scalars(
        select(Channel)
        .join(counts, counts.c.source_channel_id == Channel.id)
        .where(scored)
        .order_by(counts.c.n.desc(), Channel.ref_id)
    ).first()
    assert channel is not None, "the demo data has no scored channel with leads"
    return channel


def test_the_list_shows_each_channels_latest_score_and_uses(client, tenant_session):
    session = tenant_session("acme")
    channel = _busiest(session)
    latest = session.scalars(
        select(ChannelScore)
        .where(ChannelScore.channel_id == channel.id)
        .order_by(ChannelScore.scored_on.desc())
    ).first()
    posts = session.scalar(
        select(func.count()).select_from(BlogPost).where(BlogPost.channel_id == channel.id)
    )
    posts += session.scalar(
        select(func.count()).select_from(SocialPost).where(SocialPost.channel_id == channel.id)
    )
    leads = session.scalar(
        select(func.count())
        .select_from(Lead)
        .where(Lead.source_channel_id == channel.id, Lead.deleted_on.is_(None))
    )
    campaigns = session.scalar(
        select(func.count()).select_from(AdCampaign).where(AdCampaign.channel_id == channel.id)
    )
    client.login("viewer@acme.test")
    html = client.get("/channels/").text
    row = re.sub(r"<[^>]+>", " ", html.split(f'/channels/{channel.ref_id}"', 1)[1].split("</tr>", 1)[0])
    row = " ".join(row.split())
    assert f" {latest.score} " in row.split(latest.scored_on.strftime("%d %b"), 1)[0]
    assert f"{latest.scored_on.strftime('%d %b')} {posts} {leads} {campaigns}" in row


def test_the_score_trend_and_its_table_cover_the_range(client, tenant_session):
    session = tenant_session("acme")
    channel = _busiest(session)
    newest = session.scalar(
        select(func.max(ChannelScore.scored_on)).where(ChannelScore.channel_id == channel.id)
    )
    start = newest - dt.timedelta(days=13)
    scores = list(
        session.scalars(
            select(ChannelScore).where(
                ChannelScore.channel_id == channel.id, ChannelScore.scored_on.between(start, newest)
            )
        )
    )
    client.login("marketer@acme.test")
    response = client.get(f"/channels/{channel.ref_id}?from={start}&to={newest}")
    assert response.status_code == 200
    assert 'id="channel-score" data-chart="{' in response.text
    table = response.text.split("Show the scores as a table", 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == len(scores) + 1  # the header row and one per day


def test_a_channel_lists_what_uses_it_without_lead_details(client, tenant_session):
    session = tenant_session("acme")
    channel = _busiest(session)
    lead = session.scalars(
        select(Lead).where(Lead.source_channel_id == channel.id, Lead.email.isnot(None))
    ).first()
    client.login("viewer@acme.test")
    page = text_of(client.get(f"/channels/{channel.ref_id}"))
    assert "Leads from this channel" in page and lead.email not in page


def test_a_reversed_range_is_refused(client, tenant_session):
    channel = tenant_session("acme").scalars(select(Channel).limit(1)).one()
    client.login("owner@acme.test")
    response = client.get(f"/channels/{channel.ref_id}?from=2026-05-01&to=2026-04-01")
    assert response.status_code == 400 and "reversed" in text_of(response)


def test_sales_roles_do_not_see_channels(client):
    client.login("manager@acme.test")
    assert client.get("/channels/").status_code == 403


def test_the_channel_page_runs_the_same_statements_with_more_data(app, client, tenant_session):
    session = tenant_session("acme")
    channel = _busiest(session)
    client.login("owner@acme.test")
    engine = app.extensions["db"].engine
    with count_statements(engine) as before:
        assert client.get(f"/channels/{channel.ref_id}").status_code == 200
    for number in range(40):
        session.add(BlogPost(channel_id=channel.id, title=f"Extra post {number}", slug=f"extra-{number}"))
        session.add(Lead(source="manual", source_channel_id=channel.id, first_name=f"Extra {number}"))
    session.commit()
    with count_statements(engine) as after:
        page = client.get(f"/channels/{channel.ref_id}")
    assert "Extra post" in text_of(page)
    assert len(after) == len(before) <= 8
