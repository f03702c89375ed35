"""The job queue on the real procrastinate schema of the test database, run by real workers.

Jobs read committed rows on their own connections, so these tests commit: what they make is removed in
their fixtures, and each starts from an empty queue (jobs queued by other tests' commits are dropped).
"""

from __future__ import annotations

import uuid

import procrastinate
import pytest
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import ProgrammingError

from portal.jobs import JOBS, tenant_job
from portal.models import Lead, Notification
from tests.conftest import tenant_ids
from tests.jobqueue import empty_queue, work_off

SEEN: dict[str, dict] = {}


@tenant_job("tests.look_around")
def look_around(session, marker: str, other_tenant: str) -> None:
    """A job that reports what its session can see, and tries to write into another tenant."""
    other = uuid.UUID(other_tenant)
    seen = {
        "role": session.scalar(text("SELECT current_user")),
        "lead_tenants": set(session.scalars(select(Lead.tenant_id).distinct())),
        "leads": session.scalar(select(func.count()).select_from(Lead)),
        "other_updated": session.execute(
            update(Lead).where(Lead.tenant_id == other).values(company="changed by another tenant's job")
        ).rowcount,
    }
    session.rollback()
    try:
        session.execute(
            insert(Notification).values(tenant_id=other, user_id=uuid.uuid4(), kind="probe", title="probe")
        )
        seen["other_inserted"] = True
    except ProgrammingError as refused:
        seen["other_inserted"] = refused.orig.sqlstate  # 42501: the row-level security policy refused it
    session.rollback()
    SEEN[marker] = seen


@tenant_job("tests.always_fails", retry=procrastinate.RetryStrategy(max_attempts=1))
def always_fails(session, marker: str) -> None:
    """A job that raises every time it runs."""
    SEEN.setdefault(marker, {"runs": 0})["runs"] += 1
    raise RuntimeError("the probe job fails on purpose")


@pytest.fixture
def queue(app, database_urls):
    """The test app's queue, empty before and after the test."""
    empty_queue(database_urls[1])
    yield app.extensions["jobs"]
    empty_queue(database_urls[1])


def test_a_job_sees_only_its_tenant_and_cannot_write_another(app, queue):
    acme, northwind = tenant_ids(app)["acme"], tenant_ids(app)["northwind"]
    with app.extensions["db"].new_session(northwind) as session:
        northwind_companies = dict(session.execute(select(Lead.id, Lead.company)).all())
    marker = uuid.uuid4().hex

    assert queue.defer("tests.look_around", acme, marker=marker, other_tenant=str(northwind))
    work_off(queue)

    seen = SEEN.pop(marker)
    assert seen["role"] == "portal_app"
    assert seen["lead_tenants"] == {acme} and seen["leads"] > 0
    assert seen["other_updated"] == 0
    assert seen["other_inserted"] == "42501"
    with app.extensions["db"].new_session(northwind) as session:
        assert dict(session.execute(select(Lead.id, Lead.company)).all()) == northwind_companies


def test_a_job_waiting_for_a_tenant_is_queued_once(app, queue):
    acme, northwind = tenant_ids(app)["acme"], tenant_ids(app)["northwind"]
    marker = uuid.uuid4().hex

    first = queue.defer("tests.look_around", acme, marker=marker, other_tenant=str(northwind))
    again = queue.defer("tests.look_around", acme, marker=marker, other_tenant=str(northwind))
    other = queue.defer("tests.look_around", northwind, marker=f"{marker}-n", other_tenant=str(acme))
    work_off(queue)

    assert (first, again, other) == (True, False, True)
    assert SEEN.pop(f"{marker}-n")["lead_tenants"] == {northwind}
    assert SEEN.pop(marker)["lead_tenants"] == {acme}


def test_a_failing_job_is_retried_then_listed_by_jobs_failed(app, queue):
    acme = tenant_ids(app)["acme"]
    marker = uuid.uuid4().hex
    runner = app.test_cli_runner()
    assert "Failed jobs: 0" in runner.invoke(args=["jobs", "failed"]).output

    queue.defer("tests.always_fails", acme, marker=marker)
    work_off(queue)  # its one retry is due at once (no wait in its strategy)

    assert SEEN.pop(marker)["runs"] == 2
    listing = runner.invoke(args=["jobs", "failed"]).output
    assert "Failed jobs: 1" in listing
    assert "tests.always_fails" in listing and "after 2 attempts" in listing and str(acme) in listing


def test_every_declared_job_is_known_to_the_worker(app):
    assert {"mail.send_outbox", "tests.look_around"} <= set(JOBS)
    tasks = set(app.extensions["jobs"].procrastinate.tasks)
    assert set(JOBS) <= tasks
    assert "mail.send_outbox:each_tenant" in tasks  # the minute-by-minute run of the outbox for every tenant
