"""No race loses data or breaks a tenant: stale pages, two tabs and two people at the same moment.

Writes from an out-of-date page go through the test client inside the test's transaction; the true races
(two owners at once) run on threads with their own connections, commit for real and clean up after.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time

import pytest
from sqlalchemy import delete, func, select

from portal.auth.passwords import hash_password
from portal.leads.search import lead_search_text
from portal.models import (
    AuditEvent,
    BlogRequest,
    Channel,
    Lead,
    SocialMediaRequest,
    SocialPost,
    User,
    WebSession,
)
from tests.conftest import PASSWORD, signed_in, tenant_ids, text_of, user_of
from tests.queries import waiting_on_locks

# -- leads: a stale page always gets who changed it and the current state ------------------------------------


def _lead(session, with_channel: bool) -> Lead:
    """A new unassigned lead of acme, with or without a source channel (committed in the test's transaction)."""
    owner = user_of(session, "owner@acme.test")
    channel = (
        session.scalars(select(Channel).order_by(Channel.created_on).limit(1)).one() if with_channel else None
    )
    lead = Lead(
        tenant_id=owner.tenant_id,
        source="website_form",
        first_name="Stale",
        last_name="Page",
        email="stale.page@probe.example",
        search_text=lead_search_text("Stale", "Page", "stale.page@probe.example", None, None),
        source_channel_id=channel.id if channel else None,
    )
    session.add(lead)
    session.commit()
    return lead


@pytest.mark.parametrize("with_channel", [True, False], ids=["with-channel", "without-channel"])
def test_a_stale_status_change_says_who_changed_the_lead_and_shows_it_now(
    client, tenant_session, with_channel
):
    session = tenant_session("acme")
    lead = _lead(session, with_channel)
    manager = user_of(session, "manager@acme.test")
    client.login("manager@acme.test")
    assert (
        client.post(f"/leads/{lead.ref_id}/status", data={"status": "contacted", "version": 1}).status_code
        == 302
    )
    # the second tab still shows version 1 and "new"
    stale = client.post(f"/leads/{lead.ref_id}/status", data={"status": "contacted", "version": 1})
    assert stale.status_code == 409
    text = text_of(stale)
    assert f"{manager.full_name} changed this lead a moment ago: it is now contacted." in text
    if with_channel:
        assert "Channel" in text
    session.expire_all()
    assert session.get(Lead, (lead.tenant_id, lead.id)).version == 2


@pytest.mark.parametrize("with_channel", [True, False], ids=["with-channel", "without-channel"])
def test_a_stale_reassignment_says_who_took_the_lead_and_shows_it_now(client, tenant_session, with_channel):
    session = tenant_session("acme")
    lead = _lead(session, with_channel)
    manager, rep1, rep2 = (user_of(session, f"{who}@acme.test") for who in ("manager", "rep1", "rep2"))
    client.login("manager@acme.test")
    assert (
        client.post(f"/leads/{lead.ref_id}/assign", data={"rep": rep1.ref_id, "version": 1}).status_code
        == 302
    )
    stale = client.post(f"/leads/{lead.ref_id}/assign", data={"rep": rep2.ref_id, "version": 1})
    assert stale.status_code == 409
    assert f"Taken by {rep1.full_name} a moment ago (assigned by {manager.full_name})." in text_of(stale)
    session.expire_all()
    assert session.get(Lead, (lead.tenant_id, lead.id)).assigned_to == rep1.id


def test_a_stale_hand_over_says_who_changed_the_lead(app, client, tenant_session):
    session = tenant_session("acme")
    lead = _lead(session, with_channel=True)
    manager, rep1, rep2 = (user_of(session, f"{who}@acme.test") for who in ("manager", "rep1", "rep2"))
    lead.assigned_to = rep1.id
    session.commit()
    client.login("manager@acme.test")
    assert (
        client.post(f"/leads/{lead.ref_id}/status", data={"status": "contacted", "version": 2}).status_code
        == 302
    )
    stale = signed_in(app, "rep1@acme.test").post(
        f"/leads/{lead.ref_id}/hand-over", data={"rep": rep2.ref_id, "version": 2, "reason": "Away"}
    )
    assert stale.status_code == 409
    assert f"{manager.full_name} changed this lead a moment ago: it is now contacted." in text_of(stale)
    session.expire_all()
    assert session.get(Lead, (lead.tenant_id, lead.id)).assigned_to == rep1.id


# -- owners: two owners removing each other at the same moment leave one ---------------------------------------

OWNER_MOVES = {"demote": ("role", {"role": "admin"}), "deactivate": ("active", {"active": "0"})}


def _success(name: str, move: str) -> str:
    """What the team page says after the move went through."""
    return f"{name} is now Admin." if move == "demote" else f"{name} is deactivated."


@pytest.mark.parametrize(
    "first, second",
    [("demote", "demote"), ("deactivate", "deactivate"), ("demote", "deactivate")],
)
def test_two_owners_removing_each_other_at_once_leave_one_active_owner(app, first, second):
    """Both requests are held at the owners' rows by a third transaction, then let go together: without
    a lock both checks had already counted two owners and both changes went through."""
    database, tenant_id = app.extensions["db"], tenant_ids(app)["acme"]
    started = dt.datetime.now(dt.UTC)
    session = database.new_session(tenant_id)
    owner = user_of(session, "owner@acme.test")
    kept = (owner.role, owner.is_active, owner.session_version, owner.updated_by)
    other = User(
        tenant_id=tenant_id,
        full_name="Second Owner",
        email="second.owner@race.example",
        role="owner",
        password_hash=hash_password(PASSWORD),
    )
    session.add(other)
    session.commit()
    blocker = database.new_session(tenant_id)
    try:
        clients = [signed_in(app, "owner@acme.test"), signed_in(app, other.email)]
        targets = [other.ref_id, owner.ref_id]  # each removes the other
        answers: list = [None, None]
        moves = (first, second)

        def act(number: int, move: str) -> None:
            path, data = OWNER_MOVES[move]
            answers[number] = clients[number].post(
                f"/team/users/{targets[number]}/{path}", data=data, follow_redirects=True
            )

        blocker.execute(
            select(User.id)
            .where(User.role == "owner", User.is_active.is_(True))
            .with_for_update(key_share=True)
        ).all()
        threads = [threading.Thread(target=act, args=(number, move)) for number, move in enumerate(moves)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while (held := waiting_on_locks(session)) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        blocker.commit()  # let both go at once
        for thread in threads:
            thread.join(60)

        assert held == 2  # both requests really were in flight together

        assert [answer.status_code for answer in answers] == [200, 200]
        told = [text_of(answer) for answer in answers]
        names = [other.full_name, owner.full_name]
        done = [number for number in (0, 1) if _success(names[number], moves[number]) in told[number]]
        assert len(done) == 1
        # the other is refused; if the winner deactivated them, they are signed out instead
        loser = told[1 - done[0]]
        assert (
            "The portal needs at least one active owner." in loser or "Please sign in to continue." in loser
        )
        session.expire_all()
        owners = session.scalar(
            select(func.count()).where(
                User.role == "owner", User.is_active.is_(True), User.deleted_on.is_(None)
            )
        )
        assert owners == 1
    finally:
        blocker.rollback()
        blocker.close()
        session.rollback()
        session.execute(
            delete(WebSession).where(
                (WebSession.user_id == other.id)
                | ((WebSession.user_id == owner.id) & (WebSession.created_on >= started))
            )
        )
        owner = user_of(session, "owner@acme.test")
        owner.role, owner.is_active, owner.session_version, owner.updated_by = kept
        session.flush()
        session.execute(delete(User).where(User.id == other.id))
        session.commit()
        session.close()


# -- requests: a save from a second tab opened before the first tab's save is refused --------------------------


def _in_two_days() -> str:
    return (dt.date.today() + dt.timedelta(days=2)).isoformat()


def _version_on(page) -> str:
    """The version the edit page was opened at (its hidden field)."""
    return re.search(r'name="version" type="hidden" value="(\d+)"', page.text).group(1)


def test_editing_a_blog_request_in_two_tabs_keeps_the_first_save(client, tenant_session):
    session = tenant_session("acme")
    marketer = user_of(session, "marketer@acme.test")
    row = BlogRequest(
        tenant_id=marketer.tenant_id, topic="Whitening myths", due_on=dt.date.today() + dt.timedelta(days=5)
    )
    session.add(row)
    session.commit()
    client.login("marketer@acme.test")
    edit = f"/content/blog/requests/{row.ref_id}/edit"
    first_tab, second_tab = _version_on(client.get(edit)), _version_on(client.get(edit))
    typed = {"keywords": "", "due_on": _in_two_days(), "channel": "", "deliverable": ""}
    saved = client.post(edit, data={**typed, "topic": "Whitening: five myths", "version": first_tab})
    assert saved.status_code == 302

    late = client.post(edit, data={**typed, "topic": "Whitening at home", "version": second_tab})
    assert late.status_code == 409
    text = text_of(late)
    assert f"Changed by {marketer.full_name} a moment ago" in text
    assert "Topic Whitening: five myths" in text  # how it reads now
    assert 'value="Whitening at home"' in late.text  # what this tab typed, kept
    session.expire_all()
    assert session.get(BlogRequest, (row.tenant_id, row.id)).topic == "Whitening: five myths"

    # saving again from the refused page, now knowing, applies it
    again = client.post(edit, data={**typed, "topic": "Whitening at home", "version": _version_on(late)})
    assert again.status_code == 302
    session.expire_all()
    assert session.get(BlogRequest, (row.tenant_id, row.id)).topic == "Whitening at home"


def test_editing_a_social_request_in_two_tabs_keeps_the_first_save(app, client, tenant_session):
    session = tenant_session("acme")
    owner = user_of(session, "owner@acme.test")
    row = SocialMediaRequest(
        tenant_id=owner.tenant_id,
        brief="Summer opening hours",
        platforms=["x"],
        due_on=dt.date.today() + dt.timedelta(days=5),
    )
    session.add(row)
    session.commit()
    edit = f"/content/social/requests/{row.ref_id}/edit"
    client.login("marketer@acme.test")
    colleague = signed_in(app, "owner@acme.test")
    mine, theirs = _version_on(client.get(edit)), _version_on(colleague.get(edit))
    typed = {"due_on": _in_two_days(), "deliverable": ""}
    assert (
        colleague.post(
            edit, data={**typed, "brief": "Open late on Fridays", "platforms": ["x"], "version": theirs}
        ).status_code
        == 302
    )
    late = client.post(
        edit, data={**typed, "brief": "Closed in August", "platforms": ["linkedin"], "version": mine}
    )
    assert late.status_code == 409
    assert f"Changed by {owner.full_name} a moment ago" in text_of(late)
    assert "Brief Open late on Fridays" in text_of(late) and "Closed in August" in late.text
    session.expire_all()
    assert session.get(SocialMediaRequest, (row.tenant_id, row.id)).brief == "Open late on Fridays"


# -- social posts: over the platform's limit only with an explicit, recorded override ----------------------------


def test_an_x_post_over_280_characters_is_approved_only_with_a_recorded_override(client, tenant_session):
    session = tenant_session("acme")
    owner = user_of(session, "owner@acme.test")
    post = SocialPost(tenant_id=owner.tenant_id, platform="x", caption="a" * 483, status="client_review")
    session.add(post)
    session.commit()
    client.login("owner@acme.test")
    decide = f"/content/social/posts/{post.ref_id}/decision"
    page = text_of(client.get(f"/content/social/posts/{post.ref_id}"))
    assert "483 / 280" in page and "Approve over the limit" in page

    refused = client.post(decide, data={"decision": "approve", "version": "1"})
    assert refused.status_code == 400
    assert "This post is 483 characters, 203 over X's limit of 280." in text_of(refused)
    no_reason = client.post(decide, data={"decision": "approve", "version": "1", "override": "y"})
    assert no_reason.status_code == 400 and "Say why it may go out over the limit." in text_of(no_reason)
    session.expire_all()
    assert session.get(SocialPost, (post.tenant_id, post.id)).status == "client_review"
    assert session.scalar(select(func.count()).where(AuditEvent.subject_id == post.id)) == 0

    approved = client.post(
        decide,
        data={
            "decision": "approve",
            "version": "1",
            "override": "y",
            "override_reason": "Posted as a thread",
        },
    )
    assert approved.status_code == 302
    session.expire_all()
    assert session.get(SocialPost, (post.tenant_id, post.id)).status == "client_approved"
    event = session.scalars(select(AuditEvent).where(AuditEvent.subject_id == post.id)).one()
    assert event.action == "social_post.client_approved" and event.actor_id == owner.id
    assert event.details["override_reason"] == "Posted as a thread"
    assert event.details["over_limit"] == {"platform": "x", "length": 483, "limit": 280}
