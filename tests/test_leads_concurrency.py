"""Fifty people assigning and claiming one lead at the same moment, on real connections: one wins.

This test commits for real (threads need their own connections), so it works on a lead it creates and
deletes everything it made in ``finally``.
"""

from __future__ import annotations

import threading
import uuid

from flask import g
from flask_login import login_user
from sqlalchemy import delete, func, select
from werkzeug.exceptions import NotFound

from portal.db import set_tenant
from portal.leads import conflicts, decisions, visibility
from portal.leads.search import lead_search_text
from portal.models import AuditEvent, Lead, LeadActivity, Notification, OutboxEmail, Tenant, User
from tests.conftest import tenant_ids

THREADS = 50


def _attempt(app, tenant_id, lead_ref: str, actor_email: str, target_ref: str | None, barrier, results, lock):
    """One person's click: a rep claims, a manager assigns to target_ref; every click saw version 1."""
    with app.test_request_context():
        set_tenant(tenant_id)
        session = app.extensions["db"].new_session(tenant_id)
        try:
            g.tenant = session.scalars(select(Tenant)).one()
            actor = session.scalars(select(User).where(User.email == actor_email)).one()
        finally:
            session.close()
        login_user(actor)
        barrier.wait()
        try:
            if target_ref is None:
                lead = conflicts.get_lead_to_claim(lead_ref, actor)
                decisions.claim(lead, 1, actor)
            else:
                lead = visibility.get_lead(lead_ref, actor)
                decisions.assign(lead, 1, target_ref, None, actor)
            outcome = ("won", actor_email, target_ref)
        except conflicts.LeadConflict as conflict:
            outcome = ("lost", str(conflict), None)
        except NotFound:
            outcome = ("lost", "404", None)
        with lock:
            results.append(outcome)


def test_fifty_clicks_on_one_lead_give_one_assignee_and_one_trail_entry(app):
    tenant_id = tenant_ids(app)["acme"]
    database = app.extensions["db"]
    session = database.new_session(tenant_id)
    lead_id, lead_ref = uuid.uuid4(), ""
    try:
        reps = {
            u.email: u.ref_id
            for u in session.scalars(select(User).where(User.email.in_(("rep1@acme.test", "rep2@acme.test"))))
        }
        lead = Lead(
            tenant_id=tenant_id,
            id=lead_id,
            source="manual",
            first_name="Race",
            last_name="Condition",
            email="race@probe.example",
            search_text=lead_search_text("Race", "Condition", "race@probe.example", None, None),
        )
        session.add(lead)
        session.commit()
        lead_ref = lead.ref_id

        barrier, lock, results = threading.Barrier(THREADS), threading.Lock(), []
        plans = []
        for number in range(THREADS):
            if number % 2:
                plans.append((f"rep{number % 4 // 2 + 1}@acme.test", None))  # a rep claims
            else:
                plans.append(
                    ("manager@acme.test", reps[f"rep{number % 4 // 2 + 1}@acme.test"])
                )  # a manager assigns
        threads = [
            threading.Thread(
                target=_attempt, args=(app, tenant_id, lead_ref, who, target, barrier, results, lock)
            )
            for who, target in plans
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)

        assert len(results) == THREADS
        winners = [r for r in results if r[0] == "won"]
        assert len(winners) == 1
        losers = [r[1] for r in results if r[0] == "lost"]
        assert all(message.startswith("Taken by ") for message in losers), set(losers)

        session.expire_all()
        final = session.scalars(select(Lead).where(Lead.id == lead_id)).one()
        _, who, target = winners[0]
        expected = target or reps[who]
        assert session.scalar(select(User.ref_id).where(User.id == final.assigned_to)) == expected
        assert final.version == 2
        trail = session.scalars(select(LeadActivity).where(LeadActivity.lead_id == lead_id)).all()
        assert len(trail) == 1 and trail[0].metadata_["toUser"] == expected
        told = session.scalar(select(func.count()).where(Notification.url.contains(lead_ref)))
        assert told <= 1
    finally:
        session.rollback()
        session.execute(delete(Notification).where(Notification.url.contains(str(lead_ref))))
        session.execute(delete(OutboxEmail).where(OutboxEmail.body.contains(str(lead_ref))))
        session.execute(delete(AuditEvent).where(AuditEvent.subject_id == lead_id))
        session.execute(delete(Lead).where(Lead.id == lead_id))
        session.commit()
        session.close()
