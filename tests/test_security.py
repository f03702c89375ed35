"""Holes an attacker's scan found (issue 18, part 4): sign-in throttling that anyone could turn into a
lock-out, absolute URLs taken from the Host header, a content fragment more open than its page, lead
imports outside the route walk, and sessions with no idle timeout."""

from __future__ import annotations

from sqlalchemy import select

from portal.models import OnboardingRun
from tests.conftest import text_of


def _onboarding_run(session) -> OnboardingRun:
    return session.scalars(
        select(OnboardingRun).where(OnboardingRun.context_file_id.is_not(None)).limit(1)
    ).one()


def test_the_onboarding_file_is_refused_to_whom_its_page_refuses(client, tenant_session):
    run = _onboarding_run(tenant_session("acme"))
    for email in ("viewer@acme.test", "marketer@acme.test"):
        client.login(email)
        assert client.get(f"/onboarding/runs/{run.ref_id}").status_code == 403
        assert client.get(f"/refs/onboarding_run/{run.ref_id}/original").status_code == 403, email
        assert client.get(f"/refs/onboarding_run/{run.ref_id}").status_code == 403, email
        client.post("/logout")
    client.login("admin@acme.test")
    download = client.get(f"/refs/onboarding_run/{run.ref_id}/original")
    assert download.status_code == 200 and download.data, text_of(download)
