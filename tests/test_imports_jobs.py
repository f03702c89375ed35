"""CSV imports run by a real worker on the real queue: the page answers at once, the job checks and saves.

The worker reads committed rows, so these tests sign in outside the rolled-back test transaction (their
uploads commit) and remove what they made afterwards, starting and ending with an empty queue.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from sqlalchemy import create_engine, func, select, text

from portal.leads.imports import IMPORT_JOB
from portal.models import AuditEvent, Lead, LeadActivity, LeadImport, Notification, OutboxEmail
from tests.conftest import signed_in, tenant_ids, text_of
from tests.jobqueue import empty_queue, work_off

HEADER = "First name,Last name,Email,Phone,Company\n"
KILLER = "Kill the worker"
LEADS = Lead.__table__.fullname
MADE_HERE = (LeadActivity, Lead, Notification, AuditEvent, OutboxEmail, LeadImport)


@pytest.fixture
def queue(app, database_urls):
    """The test app's queue, empty before and after; the rows the test committed are removed after it."""
    owner = create_engine(database_urls[1])
    with owner.connect() as connection:
        started = connection.scalar(text("SELECT clock_timestamp()"))
    empty_queue(database_urls[1])
    yield app.extensions["jobs"]
    empty_queue(database_urls[1])
    for slug in ("acme", "northwind"):
        with owner.begin() as connection:
            # Row Level Security is forced on the owner too: it deletes one tenant's rows at a time.
            connection.execute(
                text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_ids(app)[slug])}
            )
            for model in MADE_HERE:
                connection.execute(model.__table__.delete().where(model.created_on >= started))
    owner.dispose()


def _csv(count: int, last: str | None = None) -> bytes:
    rows = [f"Job{n},Importer,job{n}@jobimport.example,,Co{n}\n" for n in range(count)]
    if last is not None:
        rows[-1] = last
    return (HEADER + "".join(rows)).encode()


def _queued(client, content: bytes) -> str:
    """Upload and map a file (the guessed columns); the import's ref, queued for its run."""
    uploaded = client.post("/leads/import", data={"file": (io.BytesIO(content), "leads.csv")})
    assert uploaded.status_code == 302, text_of(uploaded)
    ref = uploaded.headers["Location"].removeprefix("/leads/imports/")
    mapped = client.post(
        f"/leads/imports/{ref}/mapping",
        data={"map_first_name": "0", "map_last_name": "1", "map_email": "2", "map_company": "4"},
    )
    assert mapped.status_code == 302, text_of(mapped)
    return ref


def _leads(app, slug: str) -> int:
    with app.extensions["db"].new_session(tenant_ids(app)[slug]) as session:
        return session.scalar(
            select(func.count()).select_from(Lead).where(Lead.email.like("%@jobimport.example"))
        )


def _import(app, ref: str) -> LeadImport:
    with app.extensions["db"].new_session(tenant_ids(app)["acme"]) as session:
        return session.scalars(select(LeadImport).where(LeadImport.ref_id == ref)).one()


def test_the_run_answers_at_once_and_the_worker_imports_every_row(app, queue):
    client = signed_in(app, "manager@acme.test")
    ref = _queued(client, _csv(2500))

    started = dt.datetime.now(dt.UTC)
    answer = client.post(f"/leads/imports/{ref}/run", headers={"HX-Request": "true"})
    took = dt.datetime.now(dt.UTC) - started

    assert answer.status_code == 200 and "Checking rows" in text_of(answer)
    assert 'hx-trigger="every 1s"' in answer.text  # the fragment polls the import's progress
    assert took < dt.timedelta(seconds=5)
    assert _leads(app, "acme") == 0 and _import(app, ref).status == "queued"

    work_off(queue)

    assert "2500 leads imported" in text_of(client.get(f"/leads/imports/{ref}"))
    assert _leads(app, "acme") == 2500
    done = _import(app, ref)
    assert (done.status, done.processed_rows, done.created_count, done.content) == ("done", 2500, 2500, None)
    # a second run of a finished import changes nothing
    client.post(f"/leads/imports/{ref}/run", headers={"HX-Request": "true"})
    work_off(queue)
    assert _leads(app, "acme") == 2500


def test_the_worker_reports_every_bad_row_and_saves_none(app, queue):
    client = signed_in(app, "manager@acme.test")
    ref = _queued(client, _csv(1500, last="Bad,Email,not-an-email,,Co\n"))
    client.post(f"/leads/imports/{ref}/run", headers={"HX-Request": "true"})
    work_off(queue)

    page = text_of(client.get(f"/leads/imports/{ref}"))
    assert "Nothing was imported. 1 row of 1500 needs fixing." in page
    assert "e-mail “not-an-email” is not valid" in page and re.search(r"\b1501\b", page)
    assert _leads(app, "acme") == 0


@pytest.fixture
def killing_row(database_urls):
    """A trigger that terminates the inserting backend (the worker's connection) at the lead named KILLER."""
    owner = create_engine(database_urls[1])
    with owner.begin() as connection:
        connection.execute(
            text(
                "CREATE FUNCTION portal.test_kill_importer() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$"
            )
        )
        connection.execute(
            text(
                f"CREATE TRIGGER test_kill_importer BEFORE INSERT ON {LEADS} FOR EACH ROW "
                f"WHEN (NEW.company = '{KILLER}') EXECUTE FUNCTION portal.test_kill_importer()"
            )
        )

    def remove() -> None:
        with owner.begin() as connection:
            connection.execute(text(f"DROP TRIGGER IF EXISTS test_kill_importer ON {LEADS}"))
            connection.execute(text("DROP FUNCTION IF EXISTS portal.test_kill_importer()"))

    yield remove
    remove()
    owner.dispose()


def test_a_worker_killed_mid_save_leaves_no_lead_and_the_import_runs_again(app, queue, killing_row):
    client = signed_in(app, "manager@acme.test")
    # the last of 2,000 rows is saved in the second batch of 1,000: the first is in when the backend dies
    ref = _queued(client, _csv(2000, last=f"Last,Row,last@jobimport.example,,{KILLER}\n"))
    client.post(f"/leads/imports/{ref}/run", headers={"HX-Request": "true"})
    work_off(queue)

    assert _leads(app, "acme") == 0
    stopped = _import(app, ref)
    assert stopped.status == "queued" and stopped.content
    page = client.get(f"/leads/imports/{ref}", headers={"HX-Request": "true"})
    assert "Nothing was imported. The last run stopped before saving anything." in text_of(page)
    assert "Run it again" in text_of(page)

    killing_row()
    client.post(f"/leads/imports/{ref}/run", headers={"HX-Request": "true"})
    work_off(queue)

    assert _leads(app, "acme") == 2000
    assert "2000 leads imported" in text_of(client.get(f"/leads/imports/{ref}"))


def test_a_job_for_another_tenant_runs_nothing_of_this_one(app, queue):
    client = signed_in(app, "manager@acme.test")
    ref = _queued(client, _csv(10))

    assert queue.defer(IMPORT_JOB, tenant_ids(app)["northwind"])
    work_off(queue)

    assert _import(app, ref).status == "queued"
    assert _leads(app, "acme") == 0 and _leads(app, "northwind") == 0
    queue.defer(IMPORT_JOB, tenant_ids(app)["acme"])
    work_off(queue)
    assert _leads(app, "acme") == 10 and _leads(app, "northwind") == 0


def test_the_run_is_refused_to_another_tenant_and_to_a_role_without_imports(app, queue):
    ref = _queued(signed_in(app, "manager@acme.test"), _csv(3))

    assert signed_in(app, "manager@northwind.test").post(f"/leads/imports/{ref}/run").status_code == 404
    assert signed_in(app, "viewer@acme.test").post(f"/leads/imports/{ref}/run").status_code == 403
    work_off(queue)
    assert _import(app, ref).status == "queued" and _leads(app, "acme") == 0
