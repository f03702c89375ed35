"""The attacker's sweep over ``app.url_map``: routes added later are covered without anyone remembering.

- signed out, every route but the public ones sends the user to sign in;
- every unsafe method without a CSRF token is 400 and changes nothing;
- signed in at Acme, every id of Northwind's is 404 (wall one, on its own: RLS would hide the row too, so
  the same walk also runs with RLS out of the way — the app's own tenant filter must still say 404);
- ids that are not ULIDs, huge or SQL-looking are 404;
- every route as each role gives the matrix's answer;
- every content fragment (and its original) refuses the roles its page refuses.
"""

from __future__ import annotations

import logging

import pytest

from portal.refs.service import SOURCES
from portal.tenancy import PERMISSIONS, ROLE_LABELS
from portal.web import CSRF_EXEMPT_ENDPOINTS, PUBLIC_ENDPOINTS
from tests.conftest import signed_in
from tests.routes import BAD_IDS, ROLE_USERS, UNSAFE, build, path_with, ref_of, routes


def _private(app):
    return [r for r in routes(app) if r.endpoint not in PUBLIC_ENDPOINTS]


def test_exempt_endpoints_are_few_and_public():
    """Exemptions are listed in one place; an exemption from CSRF is only for a public endpoint."""
    assert CSRF_EXEMPT_ENDPOINTS <= PUBLIC_ENDPOINTS


def test_the_walk_sees_every_area(app):
    endpoints = {r.endpoint for r in routes(app)}
    assert {"dashboard.index", "team.index", "team.change_role", "auth.logout"} <= endpoints


def test_signed_out_every_private_route_sends_to_sign_in(app, client, tenant_session):
    session = tenant_session("acme")
    for route in _private(app):
        url = build(app, route, lambda name: ref_of(session, name))
        response = client.open(url, method=route.method)
        assert response.status_code == 302, f"{route}: {response.status_code}"
        assert response.headers["Location"].startswith("/login"), route


def test_public_routes_answer_signed_out(app, client):
    assert client.get("/login").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_every_unsafe_route_refuses_a_request_without_csrf(app, client, tenant_session):
    client.login("owner@acme.test")
    session = tenant_session("acme")
    unsafe = [r for r in routes(app) if r.method in UNSAFE and r.endpoint not in CSRF_EXEMPT_ENDPOINTS]
    assert unsafe
    for route in unsafe:
        # A public page's token (an invitation's) is made up: the CSRF check comes before any look-up.
        url = build(
            app, route, lambda name: ref_of(session, name) if name.endswith("_ref") else "made-up-token"
        )
        response = client.open(url, method=route.method, csrf=False)
        assert response.status_code == 400, f"{route}: {response.status_code}"
    signed_out = app.test_client()
    assert (
        signed_out.post("/login", data={"email": "owner@acme.test", "password": "x"}, csrf=False).status_code
        == 400
    )


def test_ids_of_another_tenant_are_404_on_every_route(app, client, tenant_session):
    client.login("owner@acme.test")
    northwind = tenant_session("northwind")
    with_ids = [r for r in _private(app) if r.id_arguments]
    assert with_ids
    for route in with_ids:
        url = build(app, route, lambda name: ref_of(northwind, name))
        response = client.open(url, method=route.method)
        assert response.status_code == 404, f"{route} with Northwind's ids: {response.status_code}"


def test_own_ids_reach_the_view(app, client, tenant_session, caplog):
    """The mirror of the test above: with the tenant's own ids, get_or_404 finds every row.

    (A view may still answer 404 for content that does not exist, e.g. a post without an image, so the
    test watches the tenant look-up itself, which logs every miss.)
    """
    client.login("owner@acme.test")
    acme = tenant_session("acme")
    for route in [r for r in _private(app) if r.id_arguments]:
        url = build(app, route, lambda name: ref_of(acme, name))
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="portal.security"):
            response = client.open(url, method=route.method)
        misses = [r.getMessage() for r in caplog.records if r.getMessage().startswith("not found model=")]
        assert not misses, f"{route} with Acme's own ids: {misses}"
        assert response.status_code < 500, f"{route}: {response.status_code}"


@pytest.mark.parametrize("bad", BAD_IDS)
def test_malformed_ids_are_404(app, client, bad):
    client.login("owner@acme.test")
    for route in [r for r in _private(app) if r.id_arguments]:
        response = client.open(path_with(route, lambda name: bad), method=route.method)
        assert response.status_code == 404, f"{route} with {bad[:20]!r}: {response.status_code}"


def test_matrix_in_the_test_matches_the_code():
    assert set(ROLE_USERS) == set(ROLE_LABELS)
    for _, roles in PERMISSIONS.values():
        assert roles <= set(ROLE_LABELS)


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_every_route_as_each_role_gives_the_matrix_answer(app, tenant_session, role):
    client = signed_in(app, f"{ROLE_USERS[role]}@acme.test")
    acme = tenant_session("acme")
    checked = 0
    for route in _private(app):
        view = app.view_functions[route.endpoint]
        permission = getattr(view, "permission", None)
        if permission is None or route.endpoint == "auth.logout":
            continue
        url = build(app, route, lambda name: ref_of(acme, name))
        response = client.open(url, method=route.method)
        allowed = role in PERMISSIONS[permission][1]
        if allowed:
            assert response.status_code != 403, f"{role} refused {route}"
        else:
            assert response.status_code == 403, f"{role} let into {route}: {response.status_code}"
        checked += 1
    assert checked > 0


def _pages_of(app, source: str) -> list:
    """The pages showing a source's content: GET routes outside /refs whose URL ends in the row's id."""
    return [
        r
        for r in routes(app)
        if r.method == "GET"
        and not r.endpoint.startswith("refs.")
        and r.rule.rule.endswith(f"<ulid:{source}_ref>")
    ]


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_every_content_fragment_refuses_whom_its_page_refuses(app, tenant_session, role):
    client = signed_in(app, f"{ROLE_USERS[role]}@acme.test")
    acme = tenant_session("acme")
    for name in SOURCES:
        pages = _pages_of(app, name)
        assert pages, f"no page shows the content of refs source {name!r}"
        fragments = [r for r in routes(app) if r.endpoint in (f"refs.{name}", f"refs.{name}_original")]
        for page in pages:
            page_status = client.get(build(app, page, lambda arg: ref_of(acme, arg))).status_code
            for fragment in fragments:
                status = client.get(build(app, fragment, lambda arg: ref_of(acme, arg))).status_code
                if page_status == 403:
                    assert status in (403, 404), f"{role} refused {page} but not {fragment}: {status}"
                else:
                    assert status != 403, f"{role} may read {page} but not {fragment}"
