"""Leads coming in and going out: CSV import (all or nothing), the assignment rules, export, the web form."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import func, select

from portal.jobs import JOBS
from portal.leads.imports import IMPORT_JOB
from portal.models import Lead, LeadActivity, LeadImport, LeadWebForm, Tenant
from tests.conftest import signed_in, tenant_ids, text_of, user_of

HEADER = "First name,Last name,Email,Phone,Company,Deal value\n"


def _upload(client, content: bytes, name: str = "leads.csv"):
    return client.post(
        "/leads/import", data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data"
    )


def _import(client, content: bytes, mapping: dict[str, int] | None = None):
    """Upload, map (the guessed mapping unless given), run; returns the import's ref_id."""
    uploaded = _upload(client, content)
    assert uploaded.status_code == 302, text_of(uploaded)
    ref = uploaded.headers["Location"].removeprefix("/leads/imports/")
    page = client.get(f"/leads/imports/{ref}").get_data(as_text=True)
    if mapping is None:
        mapping = {}
        for name, options in re.findall(r'<select name="map_(\w+)"[^>]*>(.*?)</select>', page, re.S):
            chosen = re.search(r'value="(\d+)" selected', options)
            if chosen:
                mapping[name] = int(chosen.group(1))
    form = {f"map_{name}": str(index) for name, index in mapping.items()}
    mapped = client.post(f"/leads/imports/{ref}/mapping", data=form)
    assert mapped.status_code == 302, text_of(mapped)
    client.post(f"/leads/imports/{ref}/run", headers={"HX-Request": "true"})
    run_import_job(client.application, "acme")
    return ref


def run_import_job(app, slug: str) -> None:
    """Run the worker's import job for a demo tenant inside the test's transaction, as the worker would.

    (A real worker reads committed rows only: tests/test_imports_jobs.py runs it on committed imports.)
    """
    with app.app_context():
        session = app.extensions["db"].new_session(tenant_ids(app)[slug])
        try:
            JOBS[IMPORT_JOB].func(session)
        finally:
            session.close()


def _rows(count: int, start: int = 0) -> list[str]:
    return [
        f"Ann{n},Importer{n},ann{n}@import.example,+44 7700 {900000 + n},Co{n},{n}.50\n"
        for n in range(start, start + count)
    ]


def test_a_good_file_is_previewed_mapped_and_imported_with_the_assignment_rule(client, tenant_session):
    session = tenant_session("acme")
    client.login("manager@acme.test")
    uploaded = _upload(client, (HEADER + "".join(_rows(3))).encode())
    preview = text_of(client.get(uploaded.headers["Location"]))
    assert "First rows of the file" in preview and "ann1@import.example" in preview
    ref = _import(client, (HEADER + "".join(_rows(12))).encode())
    result = client.get(f"/leads/imports/{ref}")
    assert "12 leads imported" in text_of(result)
    imported = session.scalars(select(Lead).where(Lead.email.like("%@import.example"))).all()
    assert len(imported) == 12
    assert {lead.estimated_value for lead in imported if lead.email == "ann3@import.example"} == {
        __import__("decimal").Decimal("3.50")
    }
    # acme assigns new leads by round robin: every imported lead has a rep and an assignment entry
    assert all(lead.assigned_to for lead in imported)
    entries = session.scalars(
        select(LeadActivity).where(LeadActivity.lead_id.in_([lead.id for lead in imported]))
    ).all()
    assert len(entries) == 12 and {e.metadata_["rule"] for e in entries} == {"round_robin"}
    assert {e.actor_type for e in entries} == {"system"}


def test_5000_rows_with_7_bad_are_rejected_listing_exactly_those_rows(client, tenant_session):
    session = tenant_session("acme")
    rows = _rows(5000)
    bad = {
        12: "Bad,Email,not-an-email,,Co,\n",
        345: "Bad,Phone,bp@import.example,call me,Co,\n",
        1000: "No,Contact,,,Co,\n",
        2222: "Short,Row\n",
        3003: "Bad,Value,bv@import.example,,Co,lots\n",
        4000: "X" * 101 + ",Long,lg@import.example,,Co,\n",
        4999: "Neg,Value,nv@import.example,,Co,-5\n",
    }
    for index, line in bad.items():
        rows[index] = line
    client.login("manager@acme.test")
    before = session.scalar(select(func.count()).select_from(Lead))
    ref = _import(client, (HEADER + "".join(rows)).encode())
    page = client.get(f"/leads/imports/{ref}")
    text = text_of(page)
    assert "Nothing was imported. 7 rows of 5000 need fixing." in text
    lead_import = session.scalars(select(LeadImport).where(LeadImport.ref_id == ref)).one()
    listed = [error["row"] for error in lead_import.errors if "row" in error]
    # row numbers as a spreadsheet shows them: the header is row 1
    assert listed == sorted(index + 2 for index in bad)
    assert lead_import.status == "rejected" and lead_import.content is None
    assert session.scalar(select(func.count()).select_from(Lead)) == before
    assert "has 2 columns where the header has 6" in text and "e-mail “not-an-email” is not valid" in text


def test_an_import_has_its_own_address_that_another_tenant_cannot_open(app, client):
    client.login("manager@acme.test")
    uploaded = _upload(client, (HEADER + "".join(_rows(2))).encode())
    assert re.fullmatch(r"/leads/imports/[0-9A-HJKMNP-TV-Z]{26}", uploaded.headers["Location"])
    ref = uploaded.headers["Location"].removeprefix("/leads/imports/")
    assert "ann1@import.example" in text_of(client.get(f"/leads/imports/{ref}"))
    intruder = signed_in(app, "manager@northwind.test")
    assert intruder.get(f"/leads/imports/{ref}").status_code == 404
    assert intruder.post(f"/leads/imports/{ref}/mapping", data={"map_email": "2"}).status_code == 404
    assert intruder.post(f"/leads/imports/{ref}/run").status_code == 404
    assert client.get(f"/leads/imports/{ref}").status_code == 200  # still waiting for its mapping


def test_files_that_cannot_be_imported_are_refused_with_a_reason(client):
    client.login("manager@acme.test")
    latin = _upload(client, (HEADER + "Zoë,Müller,z@m.example,,Café,\n").encode("latin-1"))
    assert latin.status_code == 400 and "not UTF-8 text" in text_of(latin)
    empty = _upload(client, HEADER.encode())
    assert empty.status_code == 400 and "no rows of leads" in text_of(empty)
    many = _upload(client, ("Email\n" + "a@b.example\n" * 100_001).encode())
    assert many.status_code == 400 and "more than 100,000 rows" in text_of(many)
    huge = _upload(client, b"Email\n" + b"a" * (50 * 1024 * 1024))
    assert huge.status_code == 400 and "larger than 50 MB" in text_of(huge)
    ref = _upload(client, b"Name,Company\nAnn,Co\n").headers["Location"].removeprefix("/leads/imports/")
    unmapped = client.post(f"/leads/imports/{ref}/mapping", data={"map_first_name": "0", "map_company": "1"})
    assert unmapped.status_code == 400 and "needs an e-mail or a phone column" in text_of(unmapped)


def test_round_robin_over_three_reps_with_one_deactivated_splits_99_leads_49_50(client, tenant_session):
    session = tenant_session("acme")
    client.login("manager@acme.test")
    assert client.post("/leads/settings", data={"mode": "round_robin"}).status_code == 302
    _import(client, (HEADER + "".join(_rows(99))).encode())
    counts = dict(
        session.execute(
            select(Lead.assigned_to, func.count())
            .where(Lead.email.like("%@import.example"))
            .group_by(Lead.assigned_to)
        ).all()
    )
    rep1, rep2, rep3 = (user_of(session, f"rep{n}@acme.test") for n in (1, 2, 3))
    assert rep3.id not in counts and None not in counts
    assert sorted([counts[rep1.id], counts[rep2.id]]) == [49, 50]


def test_capacity_gives_the_new_lead_to_the_least_loaded_rep(client, tenant_session):
    session = tenant_session("acme")
    rep1, rep2 = user_of(session, "rep1@acme.test"), user_of(session, "rep2@acme.test")
    open_of = {
        rep.id: session.scalar(
            select(func.count()).where(
                Lead.assigned_to == rep.id, Lead.status.in_(("new", "contacted", "qualified"))
            )
        )
        for rep in (rep1, rep2)
    }
    lighter = min((rep1, rep2), key=lambda rep: open_of[rep.id])
    client.login("manager@acme.test")
    client.post("/leads/settings", data={"mode": "capacity"})
    assert (
        client.post("/leads/new", data={"company": "Capacity Co", "email": "cap@probe.example"}).status_code
        == 302
    )
    lead = session.scalars(select(Lead).where(Lead.company == "Capacity Co")).one()
    assert lead.assigned_to == lighter.id
    entry = session.scalars(select(LeadActivity).where(LeadActivity.lead_id == lead.id)).one()
    assert entry.metadata_["rule"] == "capacity"


def test_manual_mode_leaves_new_leads_in_the_pool(client, tenant_session):
    session = tenant_session("acme")
    client.login("manager@acme.test")
    client.post("/leads/settings", data={"mode": "manual"})
    client.post("/leads/new", data={"company": "Pool Co", "email": "pool@probe.example"})
    assert session.scalars(select(Lead.assigned_to).where(Lead.company == "Pool Co")).one() is None


def test_the_export_is_the_current_filter_and_parses_back(client, tenant_session):
    session = tenant_session("acme")
    client.login("manager@acme.test")
    response = client.get("/leads/export.csv?status=contacted")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    expected = session.scalar(
        select(func.count()).where(Lead.status == "contacted", Lead.deleted_on.is_(None))
    )
    assert len(rows) == expected > 0
    assert {row["status"] for row in rows} == {"contacted"}
    refs = set(session.scalars(select(Lead.ref_id).where(Lead.status == "contacted")))
    assert {row["ref_id"] for row in rows} == refs


def test_export_neutralises_formulas(client, tenant_session):
    session = tenant_session("acme")
    client.login("manager@acme.test")
    client.post("/leads/new", data={"company": '=HYPERLINK("x")', "email": "f@probe.example"})
    rows = list(
        csv.DictReader(io.StringIO(client.get("/leads/export.csv?q=probe.example").get_data(as_text=True)))
    )
    assert [row["company"] for row in rows] == ['\'=HYPERLINK("x")']
    assert session  # the lead was added in the test's transaction


def _token(client) -> str:
    page = client.post("/leads/settings/web-form").get_data(as_text=True)
    return re.search(r"/leads/form/([A-Za-z0-9_\-]+)", page).group(1)


def test_the_web_form_creates_a_lead_and_refuses_a_wrong_token(app, client, tenant_session):
    session = tenant_session("acme")
    client.login("manager@acme.test")
    token = _token(client)
    stored = session.scalars(select(LeadWebForm.token_hash).where(LeadWebForm.revoked_on.is_(None))).one()
    assert token not in stored and len(stored) == 64
    site = app.test_client()
    posted = site.post(
        f"/leads/form/{token}",
        data={"first_name": "Webby", "email": "webby@site.example", "utm_source": "newsletter"},
        csrf=False,
    )
    assert posted.status_code == 201 and "Thank you" in text_of(posted)
    lead = session.scalars(select(Lead).where(Lead.email == "webby@site.example")).one()
    assert lead.source == "website_form" and lead.utm_source == "newsletter"
    assert session.scalars(select(Tenant.slug).where(Tenant.id == lead.tenant_id)).one() == "acme"
    wrong = site.post("/leads/form/not-the-token", data={"email": "x@site.example"}, csrf=False)
    assert wrong.status_code == 404
    invalid = site.post(
        f"/leads/form/{token}", data={"email": "nope"}, csrf=False, headers={"Accept": "application/json"}
    )
    assert invalid.status_code == 400 and "valid e-mail" in invalid.get_json()["message"]
    # a new address revokes the old one
    client.post("/leads/settings/web-form")
    assert (
        site.post(f"/leads/form/{token}", data={"email": "late@site.example"}, csrf=False).status_code == 404
    )


def test_the_honeypot_is_dropped_silently(app, client, tenant_session):
    session = tenant_session("acme")
    client.login("manager@acme.test")
    token = _token(client)
    bot = app.test_client().post(
        f"/leads/form/{token}", data={"email": "bot@spam.example", "website": "http://spam"}, csrf=False
    )
    assert bot.status_code == 201
    assert session.scalar(select(func.count()).where(Lead.email == "bot@spam.example")) == 0


def test_the_web_form_is_rate_limited(app, client):
    client.login("manager@acme.test")
    token = _token(client)
    site = app.test_client()
    answers = [
        site.post(f"/leads/form/{token}", data={"email": f"r{n}@site.example"}, csrf=False).status_code
        for n in range(21)
    ]
    assert answers[:20] == [201] * 20 and answers[20] == 429
