"""No race loses data or breaks a tenant: stale pages, two tabs and two people at the same moment.

Writes from an out-of-date page go through the test client inside the test's transaction; the true races
(two owners at once) run on threads with their own connections, commit for real and clean up after.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.leads.search import lead_search_text
from portal.models import Channel, Lead
from tests.conftest import signed_in, text_of, user_of

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
