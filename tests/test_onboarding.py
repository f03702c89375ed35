"""Onboarding: the wizard after the contract (steps saved one by one, skippable, validated, resumable),
the launch, and the review of the client context file."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select, text

from portal.models import AuditEvent, OnboardingRun
from tests.conftest import signed_in, tenant_of, text_of, user_of
from tests.queries import count_statements


def _open_initech(session) -> OnboardingRun:
    """Initech with its contract accepted (in the test's transaction): the wizard is next."""
    session.execute(text("UPDATE tenants SET contract_accepted_on = now()"))
    session.commit()
    return session.scalars(select(OnboardingRun)).one()


def _run(session, run: OnboardingRun) -> OnboardingRun:
    session.expire_all()
    return session.get(OnboardingRun, (run.tenant_id, run.id))


CHANNELS = {
    "channels": ["website", "google_ads", "instagram"],
    "website": "https://initech.example",
    "action": "save",
}


def test_after_acceptance_owners_and_admins_go_to_the_wizard_others_see_a_notice(app, client, tenant_session):
    run = _open_initech(tenant_session("initech"))
    for email in ("owner@initech.test", "admin@initech.test"):
        client.login(email)
        assert client.get("/").headers["Location"] == "/onboarding/"
        assert client.get("/onboarding/").headers["Location"] == f"/onboarding/wizard?step={run.current_step}"
        client.post("/logout")
    client.login("marketer@initech.test")
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert "Your portal is still being set up" in text_of(dashboard)
    assert client.get("/onboarding/").status_code == 403


def test_a_step_saves_its_answers_and_moves_on(client, tenant_session):
    session = tenant_session("initech")
    run = _open_initech(session)
    client.login("owner@initech.test")
    page = client.get("/onboarding/wizard?step=channels")
    assert "Step 1 of 7: Channels" in text_of(page) and "<progress" in page.text
    response = client.post("/onboarding/wizard?step=channels", data=CHANNELS)
    assert response.headers["Location"] == "/onboarding/wizard?step=brand_voice"
    saved = _run(session, run)
    assert saved.inputs["channels"] == ["website", "google_ads", "instagram"]
    assert saved.inputs["website"] == "https://initech.example"
    assert saved.current_step == "brand_voice"


def test_bad_numbers_and_urls_show_field_errors_and_keep_everything(client, tenant_session):
    session = tenant_session("initech")
    run = _open_initech(session)
    client.login("owner@initech.test")
    client.post("/onboarding/wizard?step=channels", data=CHANNELS)
    response = client.post(
        "/onboarding/wizard?step=baseline",
        data={
            "has_website": "y",
            "monthly_visitors": "-5",
            "organic_clicks": "many",
            "has_social": "y",
            "instagram_engagement": "150",
            "instagram_followers": "4200",
            "monthly_leads": "12",
            "action": "save",
        },
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "Visitors cannot be negative." in page
    assert "Not a valid integer value." in page
    assert "Enter a percentage between 0 and 100." in page
    assert 'value="4200"' in response.text and 'value="-5"' in response.text  # typed values kept
    assert "(answered)" in page  # the channels step is still answered
    saved = _run(session, run)
    assert "baseline" not in saved.inputs and saved.inputs["channels"]

    bad_url = client.post(
        "/onboarding/wizard?step=channels", data={"website": "javascript:alert(1)", "action": "save"}
    )
    assert bad_url.status_code == 400
    assert "Enter a web address starting with http:// or https://." in text_of(bad_url)
    assert _run(session, run).inputs["website"] == "https://initech.example"

    docs = client.post(
        "/onboarding/wizard?step=documents",
        data={"links": "Price list | ftp://x.example/p.pdf", "action": "save"},
    )
    assert docs.status_code == 400 and "Line 1 is not a web address" in text_of(docs)
    colours = client.post(
        "/onboarding/wizard?step=brand_assets", data={"colors": "#12ab3f, red", "action": "save"}
    )
    assert colours.status_code == 400 and "Use hex codes like #1f6feb (not red)" in text_of(colours)
    budget = client.post(
        "/onboarding/wizard?step=budget",
        data={"monthly": "-100", "flexibility": "fixed", "horizon": "6", "action": "save"},
    )
    assert budget.status_code == 400 and "The budget cannot be negative." in text_of(budget)


def test_a_section_answered_no_is_not_validated_or_kept(client, tenant_session):
    session = tenant_session("initech")
    run = _open_initech(session)
    client.login("owner@initech.test")
    response = client.post(
        "/onboarding/wizard?step=baseline",
        data={
            "monthly_visitors": "-5",
            "has_paid": "y",
            "googleAds_spend": "1500.50",
            "monthly_leads": "9",
            "action": "save",
        },
    )
    assert response.headers["Location"] == "/onboarding/wizard?step=budget"
    baseline = _run(session, run).inputs["baseline"]
    assert baseline["website"] is None and baseline["social"] is None
    assert baseline["paid"] == {
        "googleAds": {"monthlySpend": "1500.5", "costPerLead": None, "conversions": None}
    }
    assert baseline["monthlyLeads"] == 9


def test_skipping_a_step_keeps_the_other_answers(client, tenant_session):
    session = tenant_session("initech")
    run = _open_initech(session)
    client.login("owner@initech.test")
    client.post("/onboarding/wizard?step=channels", data=CHANNELS)
    response = client.post("/onboarding/wizard?step=brand_voice", data={"tone": "-", "action": "skip"})
    assert response.headers["Location"] == "/onboarding/wizard?step=brand_assets"
    saved = _run(session, run)
    assert saved.inputs["skippedSteps"] == ["brand_voice"] and "brandVoice" not in saved.inputs
    assert saved.inputs["channels"] == CHANNELS["channels"]
    launch = text_of(client.get("/onboarding/wizard?step=launch"))
    assert "Brand voice Skipped" in launch and "Channels Answered" in launch


def test_the_wizard_resumes_after_signing_out(app, client, tenant_session):
    _open_initech(tenant_session("initech"))
    client.login("owner@initech.test")
    client.post("/onboarding/wizard?step=channels", data=CHANNELS)
    client.post(
        "/onboarding/wizard?step=brand_voice",
        data={
            "tone": "dry, precise",
            "personality": "calm, exact",
            "audience": "IT managers",
            "action": "save",
        },
    )
    client.post("/logout")
    again = signed_in(app, "owner@initech.test")
    assert again.get("/onboarding/").headers["Location"] == "/onboarding/wizard?step=brand_assets"
    voice = again.get("/onboarding/wizard?step=brand_voice")
    assert 'value="dry, precise"' in voice.text and 'value="calm, exact"' in voice.text
    channels = again.get("/onboarding/wizard?step=channels").text
    assert re.search(r'<input checked[^>]*value="google_ads"', channels)
    assert not re.search(r'<input checked[^>]*value="facebook"', channels)
    assert 'value="https://initech.example"' in channels


def test_launch_completes_onboarding_and_sends_the_context_file_to_review(client, tenant_session):
    session = tenant_session("initech")
    run = _open_initech(session)
    assert run.context_file_id  # the demo has one ready
    client.login("owner@initech.test")
    client.post("/onboarding/wizard?step=channels", data=CHANNELS)
    response = client.post("/onboarding/launch")
    assert response.headers["Location"] == "/onboarding/"
    launched = _run(session, run)
    assert launched.status == "awaiting_review" and launched.completed_on is not None
    assert tenant_of(session).onboarding_completed_on is not None
    assert client.get("/").status_code == 200  # the portal is open
    page = text_of(client.get("/onboarding/"))
    assert "Waiting for your review" in page
    again = client.post("/onboarding/launch")
    assert again.headers["Location"] == "/onboarding/"  # a second launch changes nothing
    assert session.scalar(select(func.count()).where(AuditEvent.action == "onboarding.launched")) == 1
    assert (
        client.post("/onboarding/wizard?step=budget", data={"monthly": "5", "action": "save"}).status_code
        == 302
    )
    assert "budget" not in _run(session, run).inputs  # launched answers are locked


def test_launch_without_a_context_file_waits_for_the_researcher(client, tenant_session):
    session = tenant_session("initech")
    run = _open_initech(session)
    session.execute(text("UPDATE onboarding_runs SET context_file_id = NULL"))
    session.commit()
    client.login("admin@initech.test")
    client.post("/onboarding/launch")
    launched = _run(session, run)
    assert launched.status == "in_progress" and launched.completed_on is not None
    assert tenant_of(session).onboarding_completed_on is not None
    assert "researcher is writing your client context file" in text_of(client.get("/onboarding/"))


def _northwind_waiting(session) -> OnboardingRun:
    return session.scalars(select(OnboardingRun).where(OnboardingRun.status == "awaiting_review")).one()


def test_the_review_shows_the_context_file_and_the_research(client, tenant_session):
    session = tenant_session("northwind")
    run = _northwind_waiting(session)
    client.login("admin@northwind.test")
    response = client.get("/onboarding/")
    assert f'hx-get="/refs/onboarding_run/{run.ref_id}"' in response.text
    page = text_of(response)
    assert "Research summary" in page and "Main competitors" in page
    assert "Waiting for your review" in page and "History" in page
    fragment = client.get(f"/refs/onboarding_run/{run.ref_id}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and '<div class="prose">' in fragment.text


def test_approving_locks_the_context_file_once(client, tenant_session):
    session = tenant_session("northwind")
    run = _northwind_waiting(session)
    owner = user_of(session, "owner@northwind.test")
    client.login("owner@northwind.test")
    response = client.post(f"/onboarding/runs/{run.ref_id}/approve", data={"notes": "Looks right."})
    assert response.status_code == 302
    approved = _run(session, run)
    assert approved.status == "approved" and approved.reviewed_by == owner.id and approved.reviewed_on
    assert approved.review_notes == "Looks right."
    page = text_of(client.get(f"/onboarding/runs/{run.ref_id}"))
    assert "Approved and locked." in page and "Request a revision" not in page
    again = client.post(f"/onboarding/runs/{run.ref_id}/revision", data={"notes": "Wait"})
    assert again.status_code == 409
    assert f"already approved by {owner.full_name} at" in text_of(again)
    assert _run(session, run).status == "approved"
    assert session.scalar(select(func.count()).where(AuditEvent.action.like("onboarding.%"))) == 1


def test_a_revision_needs_notes(client, tenant_session):
    session = tenant_session("northwind")
    run = _northwind_waiting(session)
    client.login("admin@northwind.test")
    empty = client.post(f"/onboarding/runs/{run.ref_id}/revision", data={"notes": " "})
    assert empty.status_code == 400 and "Tell the agency what to change." in text_of(empty)
    assert _run(session, run).status == "awaiting_review"
    response = client.post(f"/onboarding/runs/{run.ref_id}/revision", data={"notes": "Add our Leeds office."})
    assert response.status_code == 302
    revised = _run(session, run)
    assert revised.status == "revision_requested" and revised.review_notes == "Add our Leeds office."
    assert "With the agency for a revision." in text_of(client.get("/onboarding/"))


def test_the_review_page_runs_the_same_statements_however_many_runs(app, client, tenant_session):
    session = tenant_session("northwind")
    run = _northwind_waiting(session)
    client.login("owner@northwind.test")
    client.get("/onboarding/")
    engine = app.extensions["db"].engine
    with count_statements(engine) as few:
        client.get("/onboarding/")
    owner = user_of(session, "owner@northwind.test")
    for days in range(30):
        session.add(
            OnboardingRun(
                tenant_id=run.tenant_id,
                status="approved",
                started_on=run.started_on - dt.timedelta(days=100 + days),
                completed_on=run.started_on - dt.timedelta(days=99 + days),
                reviewed_by=owner.id,
                reviewed_on=run.started_on - dt.timedelta(days=98 + days),
                inputs={},
            )
        )
    session.commit()
    with count_statements(engine) as many:
        client.get("/onboarding/")
    assert len(many) == len(few)


def test_the_sidebar_counts_a_context_file_waiting_for_review(client, tenant_session):
    run = _northwind_waiting(tenant_session("northwind"))
    client.login("owner@northwind.test")
    sidebar = client.get("/team/").text
    assert re.search(r'Onboarding</span><span class="nav-count">.*?1<', sidebar)
    client.post(f"/onboarding/runs/{run.ref_id}/approve", data={})
    assert not re.search(r'Onboarding</span><span class="nav-count">', client.get("/team/").text)
