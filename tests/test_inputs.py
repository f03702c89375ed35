"""Input that no form offers still gets an answer, never a 500: NUL bytes, CR/LF in a ``next`` target, a
page link made for another sort, numbers beyond what a column holds (issue 18's examples, one test each)."""

from __future__ import annotations

import re

from sqlalchemy import func, select, text

from portal.models import AuditEvent, Lead, OnboardingRun
from tests.conftest import PASSWORD, text_of


def test_a_nul_byte_in_the_sign_in_form_is_refused_not_a_500(client):
    response = client.post("/login", data={"email": "owner@acme.test\x00", "password": PASSWORD})
    assert response.status_code == 400
    assert "not allowed" in text_of(response)
    assert client.get("/").status_code == 302  # not signed in


def test_a_nul_byte_in_a_query_parameter_is_refused_not_a_500(client):
    client.login("manager@acme.test")
    response = client.get("/leads/", query_string={"q": "ac\x00me"})
    assert response.status_code == 400
    assert "not allowed" in text_of(response)


def test_a_nul_byte_in_a_web_form_post_stores_nothing(app, client, tenant_session):
    session = tenant_session("acme")
    client.login("manager@acme.test")
    page = client.post("/leads/settings/web-form").get_data(as_text=True)
    token = re.search(r"/leads/form/([A-Za-z0-9_\-]+)", page).group(1)
    before = session.scalar(select(func.count()).select_from(Lead))
    response = app.test_client().post(
        f"/leads/form/{token}", data={"first_name": "Nul\x00l", "email": "nul@site.example"}, csrf=False
    )
    assert response.status_code == 400
    assert session.scalar(select(func.count()).select_from(Lead)) == before


def test_cr_lf_in_the_next_target_signs_in_and_goes_home(client):
    response = client.post(
        "/login?next=/leads/%0d%0aSet-Cookie:%20x=1",
        data={"email": "owner@acme.test", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "x=1" not in " ".join(response.headers.getlist("Set-Cookie"))
    assert client.get("/").status_code == 200  # signed in


def test_a_page_link_made_for_another_sort_shows_the_first_page(client):
    client.login("manager@acme.test")
    first = client.get("/leads/")  # sorted by created: its cursor holds a time
    cursor = re.search(r"cursor=([A-Za-z0-9_\-]+)", first.get_data(as_text=True)).group(1)
    response = client.get("/leads/", query_string={"sort": "score", "cursor": cursor})
    assert response.status_code == 200
    assert "showing the first page" in text_of(response)


def _open_initech(session) -> OnboardingRun:
    session.execute(text("UPDATE tenants SET contract_accepted_on = now()"))
    session.commit()
    return session.scalars(select(OnboardingRun)).one()


def test_a_budget_beyond_any_number_is_a_field_error_and_saves_nothing(client, tenant_session):
    session = tenant_session("initech")
    run = _open_initech(session)
    client.login("owner@initech.test")
    audits = session.scalar(select(func.count()).select_from(AuditEvent))
    for typed in ("1e309", "NaN", "-Infinity", "99999999999"):
        response = client.post(
            "/onboarding/wizard?step=budget",
            data={"monthly": typed, "flexibility": "fixed", "horizon": "6", "action": "save"},
        )
        assert response.status_code == 400, typed
        assert "Enter a number between -9,999,999,999.99 and 9,999,999,999.99." in text_of(response)
        assert f'value="{typed}"' in response.text
    session.expire_all()
    assert "budget" not in session.get(OnboardingRun, (run.tenant_id, run.id)).inputs
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == audits
    assert client.get("/onboarding/wizard?step=budget").status_code == 200


def test_a_budget_saved_as_infinity_before_still_renders(client, tenant_session):
    session = tenant_session("initech")
    run = _open_initech(session)
    session.execute(
        text("UPDATE onboarding_runs SET inputs = inputs || CAST(:budget AS jsonb) WHERE id = :id"),
        {"budget": '{"budget": {"monthly": "Infinity", "flexibility": "fixed"}}', "id": run.id},
    )
    session.commit()
    client.login("owner@initech.test")
    response = client.get("/onboarding/wizard?step=budget")
    assert response.status_code == 200
    assert "Monthly budget" in text_of(response)


def test_the_overdue_queue_takes_its_own_page_links_and_ignores_garbled_ones(client):
    client.login("manager@acme.test")
    assert client.get("/leads/report", query_string={"cursor": "not-a-cursor"}).status_code == 200
