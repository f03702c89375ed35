"""The lead counts the writes keep (portal.lead_status_counts, migration 0006) always equal a count of the
leads themselves, whatever moves them; each tenant sees only its own."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select, update

from portal.leads.search import lead_search_text
from portal.models import Lead, LeadStatusCount
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
    assert _kept(session) == _counted(session)  # the seed's leads, counted by the triggers as they went in

    leads = _new_leads(session, rep.tenant_id, 4)
    assert _kept(session) == _counted(session)

    leads[0].status = "contacted"
    session.commit()
    session.execute(
        update(Lead).where(Lead.id.in_([lead.id for lead in leads[1:3]])).values(assigned_to=rep.id)
    )
    session.commit()
    assert _kept(session) == _counted(session)

    leads[3].deleted_on = dt.datetime.now(dt.UTC)
    session.commit()
    assert _kept(session) == _counted(session)
    leads[3].deleted_on = None
    session.commit()
    assert _kept(session) == _counted(session)

    session.execute(delete(Lead).where(Lead.id == leads[2].id))
    session.commit()
    assert _kept(session) == _counted(session)


def test_an_update_that_moves_no_lead_changes_no_count(tenant_session):
    session = tenant_session("acme")
    before = _kept(session)
    session.execute(update(Lead).values(last_activity_on=func.now()))
    session.commit()
    assert _kept(session) == before


def test_a_tenant_sees_only_its_own_counts(tenant_session):
    # (Row Level Security on every tenant table, this one included, is walked in tests/test_rls.py.)
    session = tenant_session("northwind")
    tenants = {row.tenant_id for row in session.scalars(select(LeadStatusCount))}
    assert tenants == {user_of(session, "owner@northwind.test").tenant_id}
    assert sum(_kept(session).values()) == sum(_counted(session).values()) > 0
