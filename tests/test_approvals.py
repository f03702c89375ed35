"""The approvals inbox (what waits for this user's decision) and the notification bell."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from flask import g
from sqlalchemy import select, update

from portal.models import BlogPost, Notification, Strategy
from tests.conftest import signed_in, tenant_of, text_of, user_of
from tests.factories import make_blog_post, make_social_post, make_tenant, make_user, session_of
from tests.figures import figures_of
from tests.queries import count_statements


def _strategy_in_review(tenant) -> Strategy:
    """A strategy of tenant waiting for its owner's approval."""
    today = dt.date.today()
    strategy = Strategy(
        tenant_id=tenant.id,
        version=1,
        title="Six months of implants",
        status="pending_review",
        period_start=today,
        period_end=today + dt.timedelta(days=182),
    )
    session_of(tenant).add(strategy)
    session_of(tenant).commit()
    return strategy


def test_the_inbox_lists_what_waits_for_this_role_oldest_first(app, client):
    tenant = make_tenant(app)
    now = dt.datetime.now(dt.UTC)
    # made newest first: the inbox must order by when each started waiting, not by when it was written
    waiting = [
        make_blog_post(tenant, title=f"Waiting {days} days", created_on=now - dt.timedelta(days=days))
        for days in (1, 3, 2)
    ]
    make_blog_post(tenant, status="dm_review", title="Still with the agency")
    strategy = _strategy_in_review(tenant)
    client.login(make_user(tenant, "owner").email)
    page = client.get("/approvals")
    text = text_of(page)
    assert strategy.title in text and "Still with the agency" not in text
    assert f'href="/content/blog/posts/{waiting[0].ref_id}"' in page.text
    positions = [text.index(f"Waiting {days} days") for days in (3, 2, 1)]
    assert positions == sorted(positions)


def test_marketers_see_posts_but_not_strategies_and_reps_see_nothing(app, client):
    tenant = make_tenant(app)
    strategy = _strategy_in_review(tenant)
    post = make_blog_post(tenant)
    client.login(make_user(tenant, "marketer").email)
    text = text_of(client.get("/approvals"))
    assert post.title in text and strategy.title not in text
    rep = signed_in(app, make_user(tenant, "sales_rep").email)
    assert "Nothing waits for your decision" in text_of(rep.get("/approvals"))


def test_inbox_statement_count_stays_constant(app, client, tenant_session):
    session = tenant_session("acme")
    client.login("owner@acme.test")
    client.get("/approvals")
    with count_statements(app.extensions["db"].engine) as few:
        client.get("/approvals")
    for number in range(30):
        make_blog_post(tenant_of(session), title=f"Queued post {number}")
    with count_statements(app.extensions["db"].engine) as many:
        page = client.get("/approvals")
    assert len(many) == len(few)
    assert "Older" in text_of(page)  # 25 a page


def test_a_decided_post_leaves_the_inbox(client, tenant_session):
    session = tenant_session("acme")
    post = make_blog_post(tenant_of(session), title="Decide me and I am gone")
    client.login("owner@acme.test")
    assert post.title in text_of(client.get("/approvals"))
    client.post(f"/content/blog/posts/{post.ref_id}/decision", data={"decision": "approve", "version": "1"})
    assert post.title not in text_of(client.get("/approvals"))


def test_the_bell_counts_unread_lists_newest_first_and_marks_all_read(app, client, tenant_session):
    session = tenant_session("acme")
    owner = user_of(session, "owner@acme.test")
    marketer = user_of(session, "marketer@acme.test")
    session.execute(update(Notification).where(Notification.user_id == owner.id).values(read_on=None))
    tenant = tenant_of(session)
    from portal.notify import notify

    with app.test_request_context():
        g.tenant = tenant
        g.db_session = session
        older = notify(owner, "post_review", "Older: a post to review", "/content/")
        # one transaction gives every row the same now(): date the older one back explicitly
        older.created_on = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
        notify(owner, "post_review", "Newer: another post to review", "/approvals")
        notify(marketer, "lead", "Not for the owner", "/leads")
        notify(owner, "odd", "A notification with an outside link", "https://evil.example/")
        session.commit()
    unread = session.scalar(
        select(Notification.id)
        .where(Notification.user_id == owner.id, Notification.read_on.is_(None))
        .limit(1)
    )
    assert unread is not None
    client.login("owner@acme.test")
    page = client.get("/content/")
    assert "unread" in page.text and 'class="bell-count"' in page.text
    panel = client.get("/notifications", headers={"HX-Request": "true"})
    text = text_of(panel)
    assert "<html" not in panel.text
    assert "Not for the owner" not in text
    assert text.index("Newer: another post") < text.index("Older: a post")
    assert 'href="https://evil.example/"' not in panel.text
    assert "Mark all read" in text
    done = client.post("/notifications/read", headers={"HX-Request": "true"})
    assert "Mark all read" not in text_of(done)
    session.expire_all()
    assert (
        session.scalar(
            select(Notification.id)
            .where(Notification.user_id == owner.id, Notification.read_on.is_(None))
            .limit(1)
        )
        is None
    )
    assert session.scalar(
        select(Notification.id)
        .where(Notification.user_id == marketer.id, Notification.read_on.is_(None))
        .limit(1)
    )
    assert 'class="bell-count"' not in client.get("/content/").text
    again = client.post("/notifications/read")
    assert again.status_code == 302


def test_the_bell_shows_at_most_fifty(app, client, tenant_session):
    session = tenant_session("acme")
    owner = user_of(session, "owner@acme.test")
    tenant = tenant_of(session)
    session.add_all(
        Notification(tenant_id=tenant.id, id=uuid.uuid4(), user_id=owner.id, kind="x", title=f"Note {i}")
        for i in range(60)
    )
    session.commit()
    client.login("owner@acme.test")
    panel = client.get("/notifications", headers={"HX-Request": "true"})
    assert panel.text.count("<li class=") == 50


def test_social_posts_in_review_reach_the_inbox(app, client):
    tenant = make_tenant(app)
    social = make_social_post(tenant)
    drafted = make_social_post(tenant, status="dm_review")
    client.login(make_user(tenant, "admin").email)
    inbox = client.get("/approvals").text
    assert f"/content/social/posts/{social.ref_id}" in inbox
    assert f"/content/social/posts/{drafted.ref_id}" not in inbox


def test_every_inbox_link_opens_a_page(client, tenant_session):
    """Links go to each item's own page where the area has it, else to the area's index: never a 404."""
    import re

    from portal.models import OnboardingRun

    session = tenant_session("acme")
    run = session.scalars(select(OnboardingRun)).first()
    session.execute(update(OnboardingRun).where(OnboardingRun.id == run.id).values(status="awaiting_review"))
    session.commit()
    client.login("owner@acme.test")
    page = client.get("/approvals")
    assert "Your client context file" in text_of(page)
    links = set(re.findall(r'href="(/[^"]+)" role="button" class="secondary btn-sm">Review', page.text))
    assert len(links) >= 3
    for link in links:
        assert client.get(link).status_code == 200, link


def test_the_requester_hears_when_a_colleague_decides_on_their_post(client, tenant_session):
    from portal.models import BlogRequest

    session = tenant_session("acme")
    marketer = user_of(session, "marketer@acme.test")
    owner = user_of(session, "owner@acme.test")
    request = BlogRequest(
        tenant_id=tenant_of(session).id, topic="Whitening", requested_by=marketer.id, status="completed"
    )
    session.add(request)
    session.flush()
    post = BlogPost(
        tenant_id=request.tenant_id,
        blog_request_id=request.id,
        title="Whitening at home or at the clinic?",
        slug="whitening",
        status="client_review",
    )
    session.add(post)
    session.commit()
    client.login("owner@acme.test")
    client.post(f"/content/blog/posts/{post.ref_id}/decision", data={"decision": "approve", "version": "1"})
    told = session.scalars(select(Notification).where(Notification.kind == "content.approve")).all()
    assert [(n.user_id, n.url) for n in told] == [(marketer.id, f"/content/blog/posts/{post.ref_id}")]
    assert told[0].title == f"{owner.full_name} approved “Whitening at home or at the clinic?”"
    marketer_client = signed_in(client.application, "marketer@acme.test")
    panel = marketer_client.get("/notifications", headers={"HX-Request": "true"})
    assert f"{owner.full_name} approved" in text_of(panel)


def test_the_bell_shows_the_exact_unread_count_below_a_hundred_and_99_plus_from_there(client, tenant_session):
    session = tenant_session("acme")
    owner = user_of(session, "owner@acme.test")
    tenant = tenant_of(session)
    session.execute(
        update(Notification).where(Notification.user_id == owner.id).values(read_on=dt.datetime.now(dt.UTC))
    )
    read = [
        Notification(tenant_id=tenant.id, id=uuid.uuid4(), user_id=owner.id, kind="x", title=f"Read {i}")
        for i in range(150)
    ]
    for note in read:
        note.read_on = dt.datetime.now(dt.UTC)
    unread = [
        Notification(tenant_id=tenant.id, id=uuid.uuid4(), user_id=owner.id, kind="x", title=f"Unread {i}")
        for i in range(99)
    ]
    session.add_all(read + unread)
    session.commit()
    client.login("owner@acme.test")
    assert 'aria-label="Notifications, 99 unread"' in client.get("/content/").text

    session.add_all(
        Notification(tenant_id=tenant.id, id=uuid.uuid4(), user_id=owner.id, kind="x", title=f"More {i}")
        for i in range(21)
    )
    session.commit()
    page = client.get("/content/").text
    # 120 unread, counted only up to the cap: the bell and its label say 99+, read ones never counted
    assert (
        'class="bell-count" aria-hidden="true"><data data-figure="notifications.unread" data-value="99+"'
        in page
    )
    assert 'aria-label="Notifications, 99+ unread"' in page


@pytest.mark.parametrize("email", ["owner@acme.test", "marketer@acme.test", "owner@northwind.test"])
def test_what_waits_is_one_number_in_the_sidebar_the_dashboard_and_the_inbox(app, email):
    """The inbox's rows, its sidebar count, the dashboard's card and its breakdown by kind, and each area's
    sidebar count are the same items counted once."""
    client = signed_in(app, email)
    inbox = client.get("/approvals")
    rows = re.findall(
        r'<td><a href="([^"]+)">.*?</a></td>\s*<td><span class="badge[^"]*">([^<]+)</span>', inbox.text, re.S
    )
    assert rows, "the demo data has items waiting"
    sidebar = figures_of(inbox)
    dashboard = figures_of(client.get("/"))
    assert int(sidebar["approvals.waiting"]) == int(dashboard["approvals.waiting"]) == len(rows)
    by_kind = {name: int(v) for name, v in dashboard.items() if name.startswith("approvals.waiting.")}
    assert sum(by_kind.values()) == len(rows)
    campaign_rows = [label for _, label in rows if label in ("Campaign", "Recommendation", "Search terms")]
    assert int(sidebar.get("approvals.area.campaigns", 0)) == len(campaign_rows)
    post_rows = [label for _, label in rows if label in ("Blog post", "Social post")]
    assert int(sidebar.get("approvals.area.content", 0)) == len(post_rows)
    assert f"{len(rows)} waiting for you" in text_of(inbox)


def test_roles_that_decide_nothing_are_not_asked_to_approve(app, db_connection):
    """A viewer reads the dashboard but is never told something waits for their approval; a rep sees no
    strategy figures; nobody but those who decide strategies sees a strategy count in the sidebar."""
    tenant = make_tenant(app)
    _strategy_in_review(tenant)
    make_blog_post(tenant)
    email_of = {role: make_user(tenant, role).email for role in ("viewer", "sales_rep", "sales_manager")}
    email_of |= {role: make_user(tenant, role).email for role in ("marketer", "owner")}
    for email in (email_of["viewer"], email_of["sales_rep"], email_of["sales_manager"]):
        client = signed_in(app, email)
        page = client.get("/")
        text = text_of(page)
        assert "Waiting for your approval" not in text and "Waiting for approval" not in text, email
        assert "Strateg" not in text.split("Good to see you", 1)[1], email
        assert not any(name.startswith("approvals.") for name in figures_of(page)), email
    for email in (email_of["viewer"], email_of["marketer"]):
        page = signed_in(app, email).get("/strategy")
        assert "approvals.area.planning" not in figures_of(page), email
        assert not re.search(r'Strategy</span><span class="nav-count">', page.text), email
    owner = signed_in(app, email_of["owner"]).get("/strategy")
    assert figures_of(owner)["approvals.area.planning"] == "1"


def test_a_contract_waiting_for_the_owner_counts_among_their_approvals(client, tenant_session):
    client.login("owner@initech.test")
    page = client.get("/contract/")
    figures = figures_of(page)
    assert figures["approvals.area.contracts"] == "1" and figures["approvals.waiting"] == "1"
