"""The team page: members, roles, deactivation, and the matrix (inviting: tests/test_invitations.py)."""

from __future__ import annotations

from portal.models import User
from portal.tenancy import PERMISSIONS
from tests.conftest import signed_in, text_of, user_of
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
