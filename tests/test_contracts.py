"""The contract: the gate, the page and its PDF, acceptance and its evidence (exactly once), decline,
versions, history and the acceptance certificate."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import threading
import uuid

from pypdf import PdfReader
from sqlalchemy import func, select, text

from portal.auth.passwords import hash_password
from portal.contracts.service import normalise_name
from portal.ids import new_ulid
from portal.models import AuditEvent, Contract, OnboardingRun, Tenant, User
from tests.conftest import PASSWORD, app_config, build_app, signed_in, tenant_of, text_of, user_of
from tests.queries import count_statements
from tests.routes import routes

GATE_OPEN = {"auth.login", "auth.logout", "auth.change_password", "dashboard.brand_css"}


def _sent(session) -> Contract:
    return session.scalars(select(Contract).where(Contract.status == "sent")).one()


def _accepted(session) -> Contract:
    return session.scalars(select(Contract).where(Contract.status == "accepted")).one()


def _fresh(session, contract: Contract) -> Contract:
    session.expire_all()
    return session.get(Contract, (contract.tenant_id, contract.id))


def _accept(client, contract: Contract, name: str, consent: bool = True):
    data = {"full_name": name}
    if consent:
        data["consent"] = "y"
    return client.post(f"/contract/{contract.ref_id}/accept", data=data)


# -- the gate ---------------------------------------------------------------------------------------------


def test_the_gate_sends_every_initech_page_to_the_contract(app, client):
    """Initech's contract is waiting: every page but the contract's, sign-out and the password goes there."""
    client.login("marketer@initech.test")
    checked = 0
    for route in routes(app):
        if route.endpoint in GATE_OPEN or route.rule.endpoint.split(".")[0] in ("contracts", "health"):
            continue
        if route.endpoint in ("static", "leads.web_form"):
            continue
        path = route.rule.rule
        for name in route.rule.arguments:
            path = re.sub(rf"<(?:[^:>]+:)?{name}>", new_ulid(), path)
        response = client.open(path, method=route.method)
        assert response.status_code == 302, f"{route}: {response.status_code}"
        assert response.headers["Location"] == "/contract/", route
        checked += 1
    assert checked > 10
    assert client.get("/contract/").status_code == 200
    assert client.get("/account/password").status_code == 200


def test_htmx_requests_behind_the_gate_are_redirected_by_htmx(client):
    client.login("owner@initech.test")
    response = client.get("/team/", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/contract/"


def test_the_gate_is_off_for_acme_and_northwind(client):
    for slug in ("acme", "northwind"):
        client.login(f"owner@{slug}.test")
        assert client.get("/").status_code == 200
        assert client.get("/team/").status_code == 200
        client.post("/logout")


# -- the contract page ------------------------------------------------------------------------------------


def test_the_owner_sees_the_pdf_and_the_acceptance_form(client, tenant_session):
    contract = _sent(tenant_session("initech"))
    client.login("owner@initech.test")
    response = client.get("/contract/")
    page = text_of(response)
    assert contract.title in page and f"Version {contract.template_version}" in page
    assert f'src="/contract/{contract.ref_id}/document"' in response.text  # shown inline
    assert f'href="/contract/{contract.ref_id}/document?download=1" hx-boost="false"' in response.text
    assert "Accept the contract" in page and "Decline instead" in page
    assert "have read the Initech" in page  # the consent statement, shown as it will be stored


def test_the_sidebar_shows_the_owner_a_contract_waiting(client):
    client.login("owner@initech.test")
    assert re.search(r'Contract</span><span class="nav-count">.*?1<', client.get("/contract/").text)
    client.post("/logout")
    client.login("admin@initech.test")  # admins cannot accept: nothing waits for them
    assert not re.search(r'Contract</span><span class="nav-count">', client.get("/contract/").text)


def test_others_see_who_must_accept_and_no_form(client, tenant_session):
    owner = user_of(tenant_session("initech"), "owner@initech.test")
    client.login("admin@initech.test")
    response = client.get("/contract/")
    page = text_of(response)
    assert "Only the account owner can accept the contract" in page
    assert owner.full_name in page and "owner@initech.test" in page
    assert "/accept" not in response.text


def test_the_pdf_is_served_inline_and_as_a_download(app, client, tenant_session):
    contract = _sent(tenant_session("initech"))
    client.login("viewer@initech.test")
    inline = client.get(f"/contract/{contract.ref_id}/document")
    assert inline.status_code == 200 and inline.mimetype == "application/pdf"
    assert inline.headers["Content-Disposition"].startswith("inline;")
    assert inline.data.startswith(b"%PDF-")
    download = client.get(f"/contract/{contract.ref_id}/document?download=1")
    assert download.headers["Content-Disposition"].startswith('attachment; filename="initech-contract-v')
    assert hashlib.sha256(download.data).hexdigest() == contract.pdf_sha256


# -- acceptance ---------------------------------------------------------------------------------------------


def test_the_owner_accepts_and_every_piece_of_evidence_is_recorded(client, tenant_session):
    session = tenant_session("initech")
    contract = _sent(session)
    owner = user_of(session, "owner@initech.test")
    client.login("owner@initech.test")
    shown = re.search(
        r'<blockquote class="consent" id="consent-text">([^<]+)</blockquote>', client.get("/contract/").text
    )
    typed = "  " + owner.full_name.upper().replace(" ", "   ") + " "
    response = client.post(
        f"/contract/{contract.ref_id}/accept",
        data={"full_name": typed, "consent": "y"},
        headers={"User-Agent": "TestBrowser/1.0"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/onboarding/"
    accepted = _fresh(session, contract)
    assert accepted.status == "accepted"
    assert accepted.accepted_by == owner.id and accepted.accepted_on is not None
    assert accepted.accepted_ip == "127.0.0.1" and accepted.accepted_user_agent == "TestBrowser/1.0"
    assert accepted.accepted_name == " ".join(typed.split())
    assert accepted.consent_text == re.sub(r"\s+", " ", shown.group(1)).strip().replace("&#39;", "'")
    assert accepted.accepted_sha256 == contract.pdf_sha256
    tenant = tenant_of(session)
    assert tenant.contract_accepted_on == accepted.accepted_on
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "contract.accepted")).all()
    assert len(events) == 1 and events[0].actor_id == owner.id and events[0].subject_id == contract.id
    trail = text_of(client.get(f"/contract/{contract.ref_id}/certificate"))
    assert "Audit trail" in trail and f"{owner.full_name} accepted from 127.0.0.1" in trail
    # The gate opens; the owner goes on to onboarding (Initech's is not done).
    assert client.get("/team/").headers["Location"] == "/onboarding/"


def test_a_second_acceptance_is_told_who_accepted_and_records_nothing(client, tenant_session):
    session = tenant_session("initech")
    contract = _sent(session)
    owner = user_of(session, "owner@initech.test")
    client.login("owner@initech.test")
    assert _accept(client, contract, owner.full_name).status_code == 302
    again = _accept(client, contract, owner.full_name)
    assert again.status_code == 409
    assert f"already accepted by {owner.full_name} at" in text_of(again)
    session.expire_all()
    assert session.scalar(select(func.count()).where(AuditEvent.action == "contract.accepted")) == 1


def test_names_are_compared_without_case_accents_or_extra_spaces():
    assert normalise_name("  José   DÍAZ ") == normalise_name("jose diaz")
    assert normalise_name("Zoë O'Brien") == "zoe o'brien"
    assert normalise_name("Jose Diaz") != normalise_name("Josef Diaz")


def test_accepting_without_name_or_tick_re_renders_with_field_errors(client, tenant_session):
    session = tenant_session("initech")
    contract = _sent(session)
    client.login("owner@initech.test")
    response = _accept(client, contract, "", consent=False)
    assert response.status_code == 400
    page = text_of(response)
    assert "Type your full name to sign." in page and "Tick the statement to accept the contract." in page
    typed = _accept(client, contract, "Someone", consent=False)
    assert 'value="Someone"' in typed.text  # what was typed is kept
    assert _fresh(session, contract).status == "sent"


def test_a_name_that_is_not_the_owners_is_refused(client, tenant_session):
    session = tenant_session("initech")
    contract = _sent(session)
    client.login("owner@initech.test")
    response = _accept(client, contract, "Bill Lumbergh Junior")
    assert response.status_code == 400
    assert "does not match the name on your account" in text_of(response)
    assert _fresh(session, contract).status == "sent"


def test_only_the_owner_may_accept(client, tenant_session):
    session = tenant_session("initech")
    contract = _sent(session)
    admin = user_of(session, "admin@initech.test")
    client.login("admin@initech.test")
    response = _accept(client, contract, admin.full_name)
    assert response.status_code == 403
    assert client.post(f"/contract/{contract.ref_id}/decline", data={"reason": "no"}).status_code == 403
    assert _fresh(session, contract).status == "sent"
    assert tenant_of(session).contract_accepted_on is None


def test_a_changed_document_is_refused(client, tenant_session):
    """The PDF read from S3 now must hash to what was sent; here the row says another hash."""
    session = tenant_session("initech")
    contract = _sent(session)
    owner = user_of(session, "owner@initech.test")
    session.execute(
        text("UPDATE contracts SET pdf_sha256 = :h WHERE id = :id"), {"h": "0" * 64, "id": contract.id}
    )
    session.commit()
    client.login("owner@initech.test")
    response = _accept(client, contract, owner.full_name)
    assert response.status_code == 400
    assert "The document changed since it was sent to you" in text_of(response)
    fresh = _fresh(session, contract)
    assert fresh.status == "sent" and fresh.accepted_on is None
    assert tenant_of(session).contract_accepted_on is None


def test_a_missing_document_blocks_acceptance(client, tenant_session):
    session = tenant_session("initech")
    contract = _sent(session)
    owner = user_of(session, "owner@initech.test")
    tenant = tenant_of(session)
    missing_key = f"{tenant.ref_id}/contracts/{contract.contract_ref_id}/v99.pdf"
    session.execute(
        text("UPDATE contracts SET pdf_s3_key = :k WHERE id = :id"), {"k": missing_key, "id": contract.id}
    )
    session.commit()
    client.login("owner@initech.test")
    response = _accept(client, contract, owner.full_name)
    assert response.status_code == 400
    assert "The contract document is missing" in text_of(response)
    assert _fresh(session, contract).status == "sent"


def test_twenty_concurrent_acceptances_make_one(app, database_urls, tmp_path):
    """20 owners' clicks at once, on real connections: one acceptance, one set of evidence, 19 told who won."""
    config = app_config(database_urls, str(tmp_path))
    # The same stores as the session's app: the embedded document store is one per process and path.
    config.update({k: app.config[k] for k in ("DOCUMENT_STORE_PATH", "OBJECT_STORE_PATH")})
    concurrent = build_app(config)
    database = concurrent.extensions["db"]
    tenant_id = uuid.uuid4()
    slug = f"race-{tenant_id.hex[:8]}"
    email = f"owner@{slug}.test"
    pdf = b"%PDF-1.4\n% a contract for the race\n%%EOF\n"
    session = database.new_session(tenant_id)
    try:
        tenant = Tenant(id=tenant_id, name="Race Ltd", slug=slug)
        session.add(tenant)
        session.flush()
        session.add(
            User(
                tenant_id=tenant_id,
                full_name="Ada Race",
                email=email,
                role="owner",
                password_hash=hash_password(PASSWORD),
            )
        )
        contract = Contract(
            tenant_id=tenant_id,
            template_version=1,
            title="Race Agreement",
            pdf_s3_key="",
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        )
        session.add(contract)
        session.flush()
        contract.pdf_s3_key = f"{tenant.ref_id}/contracts/{contract.contract_ref_id}/v1.pdf"
        session.commit()
        concurrent.extensions["stores"].blobs.put(contract.pdf_s3_key, pdf, "application/pdf")

        clients = [signed_in(concurrent, email) for _ in range(20)]
        barrier = threading.Barrier(len(clients))
        answers: list = [None] * len(clients)

        def click(index: int) -> None:
            barrier.wait()
            response = clients[index].post(
                f"/contract/{contract.ref_id}/accept", data={"full_name": "ada race", "consent": "y"}
            )
            answers[index] = (response.status_code, text_of(response))

        threads = [threading.Thread(target=click, args=(i,)) for i in range(len(clients))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        statuses = sorted(status for status, _ in answers)
        assert statuses == [302] + [409] * 19, statuses
        assert all("already accepted by Ada Race at" in page for status, page in answers if status == 409)
        session.expire_all()
        assert (
            session.scalar(select(func.count()).select_from(Contract).where(Contract.status == "accepted"))
            == 1
        )
        assert (
            session.scalar(
                select(func.count()).select_from(Contract).where(Contract.accepted_on.is_not(None))
            )
            == 1
        )
        assert session.scalar(select(func.count()).where(AuditEvent.action == "contract.accepted")) == 1
        assert session.scalar(select(func.count()).select_from(OnboardingRun)) == 1
        assert session.scalars(select(Tenant)).one().contract_accepted_on is not None
    finally:
        session.rollback()
        session.execute(text("DELETE FROM tenants WHERE id = :id"), {"id": tenant_id})
        session.commit()
        session.close()
        database.engine.dispose()


# -- decline ----------------------------------------------------------------------------------------------


def test_the_owner_declines_with_a_reason(client, tenant_session):
    session = tenant_session("initech")
    contract = _sent(session)
    client.login("owner@initech.test")
    empty = client.post(f"/contract/{contract.ref_id}/decline", data={"reason": "  "})
    assert empty.status_code == 400 and "Tell the agency why" in text_of(empty)
    response = client.post(f"/contract/{contract.ref_id}/decline", data={"reason": "Liability cap too low."})
    assert response.status_code == 302
    declined = _fresh(session, contract)
    assert declined.status == "declined" and declined.declined_reason == "Liability cap too low."
    assert declined.declined_by == user_of(session, "owner@initech.test").id
    page = text_of(client.get("/contract/"))
    assert "Liability cap too low." in page and "Accept the contract" not in page
    assert client.get("/").headers["Location"] == "/contract/"  # the gate stays closed
    again = _accept(client, contract, user_of(session, "owner@initech.test").full_name)
    assert again.status_code == 409 and "already declined by" in text_of(again)


# -- versions, history, certificate -----------------------------------------------------------------------


def test_a_new_version_supersedes_the_old_and_closes_the_gate(app, client, tenant_session, tmp_path):
    session = tenant_session("acme")
    old = _accepted(session)
    pdf = tmp_path / "v3.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% version three\n%%EOF\n")
    result = app.test_cli_runner().invoke(
        args=[
            "send-contract",
            "--colleague",
            "viewer@acme.test",
            "--title",
            "Acme Growth Agreement",
            "--pdf",
            str(pdf),
        ]
    )
    assert result.exit_code == 0, result.output
    session.expire_all()
    superseded = session.get(Contract, (old.tenant_id, old.id))
    assert superseded.status == "superseded" and superseded.superseded_on is not None
    assert superseded.accepted_on is not None  # its evidence stays
    new = _sent(session)
    assert new.template_version == old.template_version + 1 and new.contract_ref_id == old.contract_ref_id
    assert new.pdf_sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert tenant_of(session).contract_accepted_on is None

    client.login("owner@acme.test")
    assert client.get("/").headers["Location"] == "/contract/"
    assert "Acme Growth Agreement" in text_of(client.get("/contract/"))
    old_page = text_of(client.get(f"/contract/{old.ref_id}"))
    assert f"This is version {old.template_version}, kept for your records" in old_page
    history = text_of(client.get("/contract/history"))
    for version in range(1, new.template_version + 1):
        assert f"v{version}" in history
    owner = user_of(session, "owner@acme.test")
    assert _accept(client, new, owner.full_name).status_code == 302
    assert client.get("/").status_code == 200  # Acme's onboarding is done: straight in


def test_sending_something_that_is_not_a_pdf_is_refused(app, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    result = app.test_cli_runner().invoke(
        args=["send-contract", "--colleague", "owner@acme.test", "--title", "X", "--pdf", str(bad)]
    )
    assert result.exit_code != 0 and "not a PDF" in result.output


def test_history_lists_every_version_with_its_evidence(client, tenant_session):
    session = tenant_session("acme")
    contracts = session.scalars(select(Contract)).all()
    client.login("viewer@acme.test")
    page = text_of(client.get("/contract/history"))
    assert len(contracts) == 2
    for contract in contracts:
        assert f"v{contract.template_version}" in page and contract.accepted_ip in page
    assert page.count("Certificate") == 2


def test_history_runs_the_same_statements_however_many_versions(app, client, tenant_session):
    session = tenant_session("northwind")
    client.login("owner@northwind.test")
    client.get("/contract/history")
    engine = app.extensions["db"].engine
    with count_statements(engine) as few:
        client.get("/contract/history")
    live = _accepted(session)
    for version in range(10, 50):
        session.add(
            Contract(
                tenant_id=live.tenant_id,
                contract_ref_id=live.contract_ref_id,
                template_version=version,
                title="Old",
                status="superseded",
                sent_on=live.sent_on + dt.timedelta(hours=version),
                pdf_s3_key=live.pdf_s3_key,
                pdf_sha256=live.pdf_sha256,
                accepted_by=live.accepted_by,
            )
        )
    session.commit()
    with count_statements(engine) as many:
        response = client.get("/contract/history")
    assert len(many) == len(few)
    first = text_of(response)
    assert "v49" in first and "v25" in first and "v24" not in first  # 25 a page, newest first
    following = re.search(r'href="([^"]+)"[^>]*rel="next"', response.text).group(1).replace("&amp;", "&")
    second = text_of(client.get(following))
    assert "v24" in second and "v10" in second and "v49" not in second


def test_the_certificate_hash_is_the_sha256_of_the_downloaded_pdf(client, tenant_session):
    contract = _accepted(tenant_session("acme"))
    client.login("owner@acme.test")
    certificate = client.get(f"/contract/{contract.ref_id}/certificate")
    assert 'class="certificate"' in certificate.text
    shown = re.search(r'<strong class="sha256" id="sha256">([0-9a-f]{64})</strong>', certificate.text).group(
        1
    )
    page = text_of(certificate)
    assert contract.accepted_ip in page and contract.consent_text in page and contract.accepted_name in page
    assert contract.accepted_on.strftime("%Y-%m-%d %H:%M:%S UTC") in page or "UTC" in page
    download = client.get(f"/contract/{contract.ref_id}/document?download=1")
    assert hashlib.sha256(download.data).hexdigest() == shown


def test_the_certificate_as_a_pdf_carries_the_same_evidence(client, tenant_session):
    contract = _accepted(tenant_session("acme"))
    client.login("viewer@acme.test")
    response = client.get(f"/contract/{contract.ref_id}/certificate.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="acme-contract-v')
    words = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert contract.accepted_sha256 in words and contract.accepted_ip in words


def test_a_version_never_accepted_has_no_certificate(client, tenant_session):
    contract = _sent(tenant_session("initech"))
    client.login("owner@initech.test")
    page = text_of(client.get(f"/contract/{contract.ref_id}/certificate"))
    assert "has not been accepted, so there is no certificate" in page
    pdf = client.get(f"/contract/{contract.ref_id}/certificate.pdf")
    assert pdf.status_code == 302 and pdf.headers["Location"] == f"/contract/{contract.ref_id}/certificate"
