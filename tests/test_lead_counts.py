"""The lead counts the writes keep (portal.lead_status_counts, migration 0006, and portal.lead_day_counts,
migration 0007) always equal a count of the leads themselves, whatever moves them; each tenant sees only
its own."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, update

from portal.leads.search import lead_search_text
from portal.models import Lead, LeadDayCount, LeadStatusCount, Tenant
from tests.conftest import user_of


def _kept(session) -> dict[tuple[str, bool], int]:
    rows = session.execute(select(LeadStatusCount.status, LeadStatusCount.unassigned, LeadStatusCount.n))
    return {(status, unassigned): n for status, unassigned, n in rows if n}


def _counted(session) -> dict[tuple[str, bool], int]:
    rows = session.execute(
        select(Lead.status, Lead.assigned_to.is_(None), func.count())
        .where(Lead.deleted_on.is_(None))
        .group_by(Lead.status, Lead.assigned_to.is_(None))
    )
    return {(status, unassigned): n for status, unassigned, n in rows}


def _kept_days(session) -> Counter:
    rows = session.execute(select(LeadDayCount.day, LeadDayCount.source, LeadDayCount.n))
    return Counter({(day, source): n for day, source, n in rows if n})


def _counted_days(session) -> Counter:
    """Each live lead's day in its tenant's timezone, worked out here rather than in SQL."""
    zone = ZoneInfo(session.scalar(select(Tenant.timezone)))
    leads = session.execute(select(Lead.created_on, Lead.source).where(Lead.deleted_on.is_(None)))
    return Counter((created.astimezone(zone).date(), source) for created, source in leads)


def _both_kept(session) -> bool:
    return _kept(session) == _counted(session) and _kept_days(session) == _counted_days(session)


def _new_leads(session, tenant_id, count: int) -> list[Lead]:
    leads = [
        Lead(
            tenant_id=tenant_id,
            source="manual",
            first_name=f"Count{number}",
            last_name="Probe",
            search_text=lead_search_text(f"Count{number}", "Probe", None, None, None),
        )
        for number in range(count)
    ]
    session.add_all(leads)
    session.commit()
    return leads


def test_the_kept_counts_follow_every_kind_of_write(tenant_session):
    session = tenant_session("acme")
    rep = user_of(session, "rep1@acme.test")
    assert _both_kept(session)  # the seed's leads, counted by the triggers as they went in

    leads = _new_leads(session, rep.tenant_id, 4)
    assert _both_kept(session)

    leads[0].status = "contacted"
    leads[1].source = "website_form"
    leads[2].created_on = dt.datetime(2026, 11, 1, 20, 0, tzinfo=dt.UTC)  # 2 Nov, 01:30 in Kolkata
    session.commit()
    session.execute(
        update(Lead).where(Lead.id.in_([lead.id for lead in leads[1:3]])).values(assigned_to=rep.id)
    )
    session.commit()
    assert _both_kept(session)

    leads[3].deleted_on = dt.datetime.now(dt.UTC)
    session.commit()
    assert _both_kept(session)
    leads[3].deleted_on = None
    session.commit()
    assert _both_kept(session)

    session.execute(delete(Lead).where(Lead.id == leads[2].id))
    session.commit()
    assert _both_kept(session)


def test_an_update_that_moves_no_lead_changes_no_count(tenant_session):
    session = tenant_session("acme")
    before = _kept(session)
    days_before = _kept_days(session)
    session.execute(update(Lead).values(last_activity_on=func.now()))
    session.commit()
    assert _kept(session) == before and _kept_days(session) == days_before


def test_a_new_timezone_moves_the_leads_to_their_days_there(tenant_session):
    session = tenant_session("acme")
    rep = user_of(session, "rep1@acme.test")
    lead = _new_leads(session, rep.tenant_id, 1)[0]
    lead.created_on = dt.datetime(2026, 11, 1, 20, 0, tzinfo=dt.UTC)  # 2 Nov in Kolkata, 1 Nov in Chicago
    session.commit()
    assert _kept_days(session)[(dt.date(2026, 11, 2), "manual")] >= 1

    tenant = session.get(Tenant, rep.tenant_id)
    tenant.timezone = "America/Chicago"
    session.commit()
    assert _kept_days(session) == _counted_days(session)
    assert _kept_days(session)[(dt.date(2026, 11, 1), "manual")] >= 1


def test_a_tenant_sees_only_its_own_counts(tenant_session):
    # (Row Level Security on every tenant table, this one included, is walked in tests/test_rls.py.)
    session = tenant_session("northwind")
    own = {user_of(session, "owner@northwind.test").tenant_id}
    assert {row.tenant_id for row in session.scalars(select(LeadStatusCount))} == own
    assert {row.tenant_id for row in session.scalars(select(LeadDayCount))} == own
    assert sum(_kept(session).values()) == sum(_counted(session).values()) > 0
    assert _kept_days(session) == _counted_days(session)
