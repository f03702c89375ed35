"""Content fragments through the app: the row in the tenant → its document → its object → safe HTML."""

from __future__ import annotations

import logging
import time

from sqlalchemy import select, update

from portal.models import Activity, Strategy, Tenant
from portal.stores.documents import ACTIVITY_OUTPUTS
from portal.stores.refs import resolve
from tests.conftest import signed_in, text_of


def _found_activity(app, session) -> Activity:
    """An activity of the session's tenant whose output resolves (the demo leaves a few missing on purpose)."""
    tenant = session.scalars(select(Tenant)).one()
    stores = app.extensions["stores"]
    for activity in session.scalars(select(Activity).where(Activity.output_ref.is_not(None))):
        if resolve(stores, ACTIVITY_OUTPUTS, activity.output_ref, tenant.ref_id).state == "found":
            return activity
    raise AssertionError(f"no activity with a found output in {tenant.name}")


def test_fragment_renders_the_output_as_safe_html(app, client, tenant_session):
    client.login("marketer@acme.test")
    activity = _found_activity(app, tenant_session("acme"))
    response = client.get(f"/refs/activity/{activity.ref_id}", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert '<div class="prose">' in response.text
    assert "<html" not in response.text  # a fragment, not a page
    assert "Download original" in response.text
    page = client.get(f"/refs/activity/{activity.ref_id}")
    assert "<html" in page.text and '<div class="prose">' in page.text  # without htmx, a whole page


def test_download_original_streams_the_stored_bytes(app, client, tenant_session):
    client.login("owner@acme.test")
    activity = _found_activity(app, tenant_session("acme"))
    response = client.get(f"/refs/activity/{activity.ref_id}/original")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert len(response.data) > 0


def test_a_row_without_content_says_not_produced_yet(client, tenant_session):
    client.login("owner@acme.test")
    session = tenant_session("acme")
    activity = session.scalars(select(Activity).where(Activity.output_ref.is_(None))).first()
    response = client.get(f"/refs/activity/{activity.ref_id}", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Not produced yet" in text_of(response)


def test_a_document_of_another_tenant_is_404_and_logged(app, client, tenant_session, caplog):
    northwind = tenant_session("northwind")
    foreign_output = northwind.scalars(
        select(Activity.output_ref).where(Activity.output_ref.is_not(None))
    ).first()
    acme = tenant_session("acme")
    activity = acme.scalars(select(Activity)).first()
    acme.execute(update(Activity).where(Activity.id == activity.id).values(output_ref=foreign_output))
    acme.commit()
    client.login("owner@acme.test")
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        response = client.get(f"/refs/activity/{activity.ref_id}")
    assert response.status_code == 404
    assert any("refused" in record.getMessage().lower() for record in caplog.records)


def test_strategy_body_kept_in_the_document_renders(client, tenant_session):
    client.login("owner@acme.test")
    strategy = (
        tenant_session("acme").scalars(select(Strategy).where(Strategy.content_ref.is_not(None))).first()
    )
    response = client.get(f"/refs/strategy/{strategy.ref_id}", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<h" in response.text


def test_roles_outside_planning_cannot_read_outputs(app, tenant_session):
    activity = tenant_session("acme").scalars(select(Activity)).first()
    rep = signed_in(app, "rep1@acme.test")
    assert rep.get(f"/refs/activity/{activity.ref_id}").status_code == 403


def test_mongodb_down_gives_the_unavailable_fragment_quickly(app, dead_document_store, tenant_session):
    """A dead document store: the fragment says so, offers a retry, and answers in under 3 s."""
    activity = _found_activity(app, tenant_session("acme"))
    client = signed_in(dead_document_store, "owner@acme.test")
    started = time.monotonic()
    response = client.get(f"/refs/activity/{activity.ref_id}", headers={"HX-Request": "true"})
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert "temporarily unavailable" in text_of(response)
    assert "Retry" in text_of(response)
