"""The team page: members, adding one with a one-time password, roles, deactivation, and the matrix."""

from __future__ import annotations

import re

from portal.tenancy import PERMISSIONS
from tests.conftest import signed_in, text_of, user_of


def test_team_lists_members_and_shows_the_role_matrix(client):
    client.login("admin@acme.test")
    page = text_of(client.get("/team/"))
    assert "owner@acme.test" in page and "rep2@acme.test" in page
    assert "northwind.test" not in page
    for label, _ in PERMISSIONS.values():
        assert label in page


def test_add_a_user_shows_the_one_time_password_once_and_it_works(app, client):
    client.login("owner@acme.test")
    response = client.post(
        "/team/users", data={"full_name": "Dana Scully", "email": "Dana@Acme.test", "role": "marketer"}
    )
    assert response.status_code == 201
    password = re.search(r'<code class="secret">([^<]+)</code>', response.text).group(1)
    assert "dana@acme.test" in text_of(response)
    assert password not in client.get("/team/").text  # shown once

    newcomer = app.test_client()
    first = newcomer.login("dana@acme.test", password)
    assert first.status_code == 302
    assert newcomer.get("/").headers["Location"] == "/account/password"  # must choose their own
    changed = newcomer.post(
        "/account/password",
        data={
            "current_password": password,
            "new_password": "dana-own-secret",
            "confirm_password": "dana-own-secret",
        },
    )
    assert changed.status_code == 302
    assert newcomer.get("/").status_code == 200


def test_add_a_user_with_errors_keeps_what_was_typed(client):
    client.login("owner@acme.test")
    response = client.post(
        "/team/users", data={"full_name": "Fox Mulder", "email": "not-an-email", "role": "viewer"}
    )
    assert response.status_code == 400
    assert "Enter a valid e-mail address." in text_of(response)
    assert 'value="Fox Mulder"' in response.text and 'value="not-an-email"' in response.text


def test_an_email_of_any_tenant_cannot_be_added_twice(client):
    client.login("owner@acme.test")
    response = client.post(
        "/team/users", data={"full_name": "Copy", "email": "owner@northwind.test", "role": "viewer"}
    )
    assert response.status_code == 400
    assert "already has an account" in text_of(response)


def test_an_unknown_role_is_refused(client, tenant_session):
    client.login("owner@acme.test")
    response = client.post(
        "/team/users", data={"full_name": "Eve", "email": "eve@acme.test", "role": "superuser"}
    )
    assert response.status_code == 400
    assert "Not a valid choice" in text_of(response)


def test_change_role(client, tenant_session):
    client.login("owner@acme.test")
    session = tenant_session("acme")
    viewer = user_of(session, "viewer@acme.test")
    response = client.post(f"/team/users/{viewer.ref_id}/role", data={"role": "marketer"})
    assert response.status_code == 302
    session.expire_all()
    assert user_of(session, "viewer@acme.test").role == "marketer"


def test_admin_cannot_make_an_owner_and_nobody_changes_their_own_role(client, tenant_session):
    client.login("admin@acme.test")
    session = tenant_session("acme")
    viewer = user_of(session, "viewer@acme.test")
    admin = user_of(session, "admin@acme.test")
    client.post(f"/team/users/{viewer.ref_id}/role", data={"role": "owner"})
    assert "Only an owner can make or change an owner." in text_of(client.get("/team/"))
    client.post(f"/team/users/{admin.ref_id}/role", data={"role": "viewer"})
    assert "You cannot change your own role." in text_of(client.get("/team/"))
    session.expire_all()
    assert (user_of(session, "viewer@acme.test").role, user_of(session, "admin@acme.test").role) == (
        "viewer",
        "admin",
    )


def test_the_last_owner_stays(app, client, tenant_session):
    session = tenant_session("acme")
    owner = user_of(session, "owner@acme.test")
    client.login("owner@acme.test")
    client.post(f"/team/users/{owner.ref_id}/active", data={"active": "0"})
    assert "You cannot deactivate yourself." in text_of(client.get("/team/"))
    session.expire_all()
    assert user_of(session, "owner@acme.test").is_active


def test_roles_without_team_permission_are_refused(app):
    for email in ("marketer@acme.test", "manager@acme.test", "rep1@acme.test", "viewer@acme.test"):
        assert signed_in(app, email).get("/team/").status_code == 403
