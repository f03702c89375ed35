"""Strategy decisions (state, role, concurrency), the diff, goals, deliverables and their months."""

from __future__ import annotations

import datetime as dt
import threading

from flask import g
from flask_login import login_user
from sqlalchemy import delete, select, update

from portal.models import (
    AuditEvent,
    Deliverable,
    DeliverablePeriod,
    Goal,
    Strategy,
    Tenant,
)
from portal.planning import strategies
from portal.stores.documents import STRATEGIES_CONTENT
from tests.conftest import tenant_ids, tenant_of, text_of, user_of

TODAY = dt.date.today()


def _pending(session, version_offset: int = 1, body_ref: str | None = None) -> Strategy:
    """A new strategy version waiting for review, in the session's tenant."""
    top = session.scalar(select(Strategy.version).order_by(Strategy.version.desc()).limit(1)) or 0
    row = Strategy(
        version=top + version_offset,
        title="Grow organic leads, take two",
        status="pending_review",
        period_start=TODAY,
        period_end=TODAY + dt.timedelta(days=182),
        content_ref=body_ref,
    )
    session.add(row)
    session.commit()
    return row


def _events(session, strategy: Strategy) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent).where(AuditEvent.subject_id == strategy.id).order_by(AuditEvent.created_on)
        )
    )


def test_strategy_list_and_detail_show_versions_and_the_decision_buttons(client, tenant_session):
    session = tenant_session("acme")
    pending = _pending(session)
    client.login("owner@acme.test")
    listing = text_of(client.get("/strategy"))
    assert f"v{pending.version}" in listing and "Waiting for your decision" in listing
    page = client.get(f"/strategy/{pending.ref_id}")
    assert page.status_code == 200
    assert "This version waits for your decision" in text_of(page)
    assert f"/strategy/{pending.ref_id}/approve" in page.text
    viewer = client.application.test_client()
    viewer.login("viewer@acme.test")
    seen = viewer.get(f"/strategy/{pending.ref_id}")
    assert seen.status_code == 200 and f"/strategy/{pending.ref_id}/approve" not in seen.text
    assert "waits for a decision by an owner or admin" in text_of(seen)


def test_approving_asks_for_confirmation_then_archives_the_version_in_force(client, tenant_session):
    session = tenant_session("acme")
    before = session.scalars(select(Strategy).where(Strategy.status == "approved")).one()
    pending = _pending(session)
    owner = user_of(session, "owner@acme.test")
    client.login("owner@acme.test")
    confirm = client.get(f"/strategy/{pending.ref_id}/approve")
    assert "Approve version" in text_of(confirm) and "Yes, approve" in text_of(confirm)
    session.expire_all()
    assert (
        session.get(Strategy, (pending.tenant_id, pending.id)).status == "pending_review"
    )  # GET changes nothing
    response = client.post(f"/strategy/{pending.ref_id}/approve", data={"note": "Go"})
    assert response.status_code == 303
    session.expire_all()
    approved = session.get(Strategy, (pending.tenant_id, pending.id))
    assert approved.status == "approved" and approved.approved_by == owner.id and approved.approved_on
    assert session.get(Strategy, (before.tenant_id, before.id)).status == "archived"
    assert session.scalar(select(Strategy.id).where(Strategy.status == "approved")) == pending.id
    events = _events(session, pending)
    assert [(e.action, e.actor_id, e.note) for e in events] == [("strategy.approved", owner.id, "Go")]
    assert "is approved" in text_of(client.get(response.headers["Location"]))


def test_rejecting_needs_a_note_and_records_it(client, tenant_session):
    session = tenant_session("acme")
    pending = _pending(session)
    client.login("admin@acme.test")
    missing = client.post(f"/strategy/{pending.ref_id}/reject", data={"note": "  "})
    assert missing.status_code == 400
    assert "Say why you reject the strategy." in text_of(missing)
    session.expire_all()
    assert session.get(Strategy, (pending.tenant_id, pending.id)).status == "pending_review"
    assert _events(session, pending) == []
    done = client.post(f"/strategy/{pending.ref_id}/reject", data={"note": "Too little on local SEO"})
    assert done.status_code == 303
    session.expire_all()
    row = session.get(Strategy, (pending.tenant_id, pending.id))
    assert row.status == "rejected" and row.rejection_note == "Too little on local SEO" and row.rejected_on
    assert [e.action for e in _events(session, pending)] == ["strategy.rejected"]


def test_a_decided_strategy_is_refused_with_who_decided_and_nothing_recorded(client, tenant_session):
    session = tenant_session("acme")
    pending = _pending(session)
    client.login("owner@acme.test")
    client.post(f"/strategy/{pending.ref_id}/reject", data={"note": "No"})
    other = client.application.test_client()
    other.login("admin@acme.test")
    again = other.post(f"/strategy/{pending.ref_id}/approve", data={}, follow_redirects=True)
    text = text_of(again)
    owner = user_of(session, "owner@acme.test")
    assert "no longer waiting for a decision" in text and f"{owner.full_name} rejected it on" in text
    session.expire_all()
    assert session.get(Strategy, (pending.tenant_id, pending.id)).status == "rejected"
    assert len(_events(session, pending)) == 1
    confirm = other.get(f"/strategy/{pending.ref_id}/approve", follow_redirects=True)
    assert "no longer waiting for a decision" in text_of(confirm)


def test_a_marketer_cannot_decide(client, tenant_session):
    pending = _pending(tenant_session("acme"))
    client.login("marketer@acme.test")
    assert client.post(f"/strategy/{pending.ref_id}/approve", data={}).status_code == 403
    assert client.get(f"/strategy/{pending.ref_id}/approve").status_code == 403


def test_two_owners_deciding_at_once_end_with_one_decision(app):
    """Two real sessions on the real engine, released together: one approves, the other is refused."""
    database = app.extensions["db"]
    acme = tenant_ids(app)["acme"]
    setup = database.new_session(acme)
    in_force = setup.scalars(select(Strategy).where(Strategy.status == "approved")).first()
    pending = _pending(setup, version_offset=100)
    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[str, str] = {}

    def decide(email: str, decision: str, note: str | None) -> None:
        with app.test_request_context():
            session = database.new_session(acme)
            g.db_session = session
            g.tenant = session.scalars(select(Tenant)).one()
            user = user_of(session, email)
            login_user(user)
            row = session.scalars(select(Strategy).where(Strategy.id == pending.id)).one()
            barrier.wait()
            try:
                strategies.decide(row, decision, note, user)
                outcomes[email] = "won"
            except strategies.DecisionRefused as refused:
                outcomes[email] = str(refused)
            finally:
                session.close()

    threads = [
        threading.Thread(target=decide, args=("owner@acme.test", "approve", None)),
        threading.Thread(target=decide, args=("admin@acme.test", "reject", "Not this one")),
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(15)
        assert sorted(v == "won" for v in outcomes.values()) == [False, True], outcomes
        loser = next(v for v in outcomes.values() if v != "won")
        assert "no longer waiting for a decision" in loser
        setup.expire_all()
        final = setup.get(Strategy, (pending.tenant_id, pending.id))
        assert final.status in ("approved", "rejected")
        assert len(_events(setup, pending)) == 1
        approved = setup.scalars(select(Strategy.id).where(Strategy.status == "approved")).all()
        assert len(approved) == 1
    finally:
        setup.rollback()
        setup.execute(delete(AuditEvent).where(AuditEvent.subject_id == pending.id))
        setup.execute(delete(Strategy).where(Strategy.id == pending.id))
        if in_force is not None:
            setup.execute(update(Strategy).where(Strategy.id == in_force.id).values(status="approved"))
        setup.commit()
        setup.close()


def test_diff_shows_added_and_removed_lines_escaped(app, client, tenant_session):
    session = tenant_session("acme")
    tenant = tenant_of(session)
    documents = app.extensions["stores"].documents
    old = (
        documents[STRATEGIES_CONTENT]
        .insert_one(
            {"tenantId": tenant.ref_id, "body": "# Plan\n\nWrite four posts.\nKeep <b>ads</b> small.\n"}
        )
        .inserted_id
    )
    new = (
        documents[STRATEGIES_CONTENT]
        .insert_one(
            {
                "tenantId": tenant.ref_id,
                "body": "# Plan\n\nWrite six posts.\nKeep <b>ads</b> small.\nAdd a newsletter.\n",
            }
        )
        .inserted_id
    )
    older = _pending(session, 50, str(old))
    newer = _pending(session, 51, str(new))
    client.login("viewer@acme.test")
    response = client.get(f"/strategy/{newer.ref_id}/diff")
    assert response.status_code == 200
    assert 'class="plan-diff-del"' in response.text and 'class="plan-diff-add"' in response.text
    assert "&lt;b&gt;ads&lt;/b&gt;" in response.text and "<b>ads</b>" not in response.text
    text = text_of(response)
    assert "Removed: − Write four posts." in text and "Added: + Write six posts." in text
    assert "+2 added −1 removed" in text
    assert f"Compared with version {older.version}" in text
    assert 'style="' not in response.text


def test_diff_without_a_body_shows_a_placeholder(client, tenant_session):
    session = tenant_session("acme")
    _pending(session, 60, None)
    newer = _pending(session, 61, "0" * 24)
    client.login("owner@acme.test")
    response = client.get(f"/strategy/{newer.ref_id}/diff")
    assert response.status_code == 200
    assert "has no text yet" in text_of(response)


def test_goals_show_baseline_current_target_and_archived_goals_apart(client, tenant_session):
    session = tenant_session("acme")
    strategy = session.scalars(select(Strategy).where(Strategy.status == "approved")).one()
    live = Goal(
        strategy_id=strategy.id,
        title="More qualified leads from search",
        metric="Qualified leads a month",
        metric_type="QUALIFIED_LEADS",
        target_value="60",
        target_numeric_value=60,
        baseline_value=20,
        current_value=30,
        unit="leads",
    )
    gone = Goal(
        strategy_id=strategy.id,
        title="An old goal",
        metric="Clicks",
        metric_type="GSC_CLICKS",
        target_value="+10%",
        status="archived",
    )
    session.add_all([live, gone])
    session.commit()
    client.login("marketer@acme.test")
    text = text_of(client.get("/strategy/goals?cursor=" + "~"))
    assert "More qualified leads from search" in text
    assert "20 → 30 of 60 leads" in text and "25 % of the way" in text
    assert "An old goal" not in text
    archived = text_of(client.get("/strategy/goals/archived"))
    assert "An old goal" in archived and "More qualified leads from search" not in archived


def _deliverable(session, periods: list[tuple[dt.date, int, int, str]]) -> Deliverable:
    goal = session.scalars(select(Goal).where(Goal.status != "archived")).first()
    deliverable = Deliverable(
        goal_id=goal.id,
        strategy_id=goal.strategy_id,
        title="Aaa test newsletters",
        type="email_newsletter",
        monthly_volume=4,
        credits_per_unit=2,
        status="needs_approval",
    )
    session.add(deliverable)
    session.flush()
    for start, target, delivered, status in periods:
        end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        session.add(
            DeliverablePeriod(
                deliverable_id=deliverable.id,
                period_start=start,
                period_end=end,
                target_count=target,
                delivered_count=delivered,
                status=status,
            )
        )
    session.commit()
    return deliverable


def test_period_timeline_shows_delivered_against_target_coloured_by_status(client, tenant_session):
    session = tenant_session("acme")
    this = TODAY.replace(day=1)
    last = (this - dt.timedelta(days=1)).replace(day=1)
    before = (last - dt.timedelta(days=1)).replace(day=1)
    deliverable = _deliverable(
        session, [(before, 4, 4, "delivered"), (last, 4, 1, "missed"), (this, 4, 2, "in_progress")]
    )
    client.login("viewer@acme.test")
    response = client.get(f"/deliverables/{deliverable.ref_id}")
    assert response.status_code == 200
    assert "Needs your approval" in text_of(response)
    assert 'class="minibar h-100 tone-done"' in response.text
    assert 'class="minibar h-25 tone-problem"' in response.text
    assert 'class="minibar h-50 tone-agency"' in response.text
    assert f"{last:%b %Y}: 1 of 4 (missed)" in response.text


def test_this_month_lists_every_deliverable_with_its_progress(client, tenant_session):
    session = tenant_session("acme")
    this = TODAY.replace(day=1)
    _deliverable(session, [(this, 4, 3, "in_progress")])
    totals = session.execute(
        select(DeliverablePeriod.target_count, DeliverablePeriod.delivered_count).where(
            DeliverablePeriod.period_start == this
        )
    ).all()
    client.login("owner@acme.test")
    response = client.get("/deliverables")
    assert response.status_code == 200
    text = text_of(response)
    assert "Aaa test newsletters" in text and f"Delivered in {this:%B} 3 / 4" in text
    delivered, target = sum(r[1] for r in totals), sum(r[0] for r in totals)
    assert f"Delivered {delivered} of {target}" in text


def test_another_tenants_strategy_is_404(client, tenant_session):
    foreign = tenant_session("northwind").scalars(select(Strategy)).first()
    client.login("owner@acme.test")
    assert client.get(f"/strategy/{foreign.ref_id}").status_code == 404
    assert client.post(f"/strategy/{foreign.ref_id}/approve", data={}).status_code == 404


def test_unknown_strategy_is_404(client):
    client.login("owner@acme.test")
    assert client.get("/strategy/01JAAAAAAAAAAAAAAAAAAAAAAA").status_code == 404


def test_schedules_read_as_words_and_odd_rules_stay_as_written():
    from portal.planning.configuration import describe_schedule

    assert describe_schedule("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE") == "Every 2 weeks on Wed"
    assert describe_schedule("FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=8") == "Monthly on day 1 at 08:00"
    assert describe_schedule("RRULE:FREQ=DAILY;BYHOUR=6") == "Daily at 06:00"
    assert describe_schedule("FREQ=SECONDLY") == "FREQ=SECONDLY"
