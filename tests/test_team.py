"""The team page: members, adding one with a one-time password, roles, deactivation, and the matrix."""

from __future__ import annotations

import re

import pytest

from portal.models import User
from portal.tenancy import PERMISSIONS
from tests.conftest import change_password, signed_in, text_of, user_of
from tests.factories import make_tenant, make_user, session_of


def test_team_lists_members_and_shows_the_role_matrix(app, client):
    tenant = make_tenant(app)
    admin, rep = make_user(tenant, "admin"), make_user(tenant, "sales_rep", is_active=False)
    stranger = make_user(make_tenant(app), "owner")
    client.login(admin.email)
    page = text_of(client.get("/team/"))
    assert admin.email in page and f"{rep.full_name} {rep.email}" in page and "Deactivated" in page
    assert stranger.email not in page
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
    changed = change_password(newcomer, password, "dana-own-secret")
    assert changed.status_code == 302
    assert newcomer.get("/").status_code == 200


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            {"full_name": "Fox Mulder", "email": "not-an-email", "role": "viewer"},
            "Enter a valid e-mail address.",
        ),
        ({"full_name": "Copy", "email": "owner@northwind.test", "role": "viewer"}, "already has an account"),
        ({"full_name": "Eve", "email": "eve@acme.test", "role": "superuser"}, "Not a valid choice"),
    ],
    ids=["not an e-mail", "an e-mail of any tenant", "an unknown role"],
)
def test_a_refused_user_is_told_why_and_keeps_what_was_typed(client, typed, message):
    client.login("owner@acme.test")
    response = client.post("/team/users", data=typed)
    assert response.status_code == 400
    assert message in text_of(response)
    assert f'value="{typed["full_name"]}"' in response.text and f'value="{typed["email"]}"' in response.text


def test_change_role(app, client):
    tenant = make_tenant(app)
    viewer = make_user(tenant, "viewer")
    client.login(make_user(tenant, "owner").email)
    response = client.post(f"/team/users/{viewer.ref_id}/role", data={"role": "marketer"})
    assert response.status_code == 302
    assert session_of(tenant).get(User, (tenant.id, viewer.id), populate_existing=True).role == "marketer"


def test_admin_cannot_make_an_owner_and_nobody_changes_their_own_role(app, client):
    tenant = make_tenant(app)
    viewer, admin = make_user(tenant, "viewer"), make_user(tenant, "admin")
    client.login(admin.email)
    client.post(f"/team/users/{viewer.ref_id}/role", data={"role": "owner"})
    assert "Only an owner can make or change an owner." in text_of(client.get("/team/"))
    client.post(f"/team/users/{admin.ref_id}/role", data={"role": "viewer"})
    assert "You cannot change your own role." in text_of(client.get("/team/"))
    session = session_of(tenant)
    session.expire_all()
    assert (user_of(session, viewer.email).role, user_of(session, admin.email).role) == ("viewer", "admin")


def test_the_last_owner_stays(app, client):
    tenant = make_tenant(app)
    owner = make_user(tenant, "owner")  # the tenant's only owner
    client.login(owner.email)
    client.post(f"/team/users/{owner.ref_id}/active", data={"active": "0"})
    assert "You cannot deactivate yourself." in text_of(client.get("/team/"))
    session = session_of(tenant)
    session.expire_all()
    assert user_of(session, owner.email).is_active


def test_roles_without_team_permission_are_refused(app, db_connection):
    tenant = make_tenant(app)
    for role in ("marketer", "sales_manager", "sales_rep", "viewer"):
        assert signed_in(app, make_user(tenant, role).email).get("/team/").status_code == 403, role
