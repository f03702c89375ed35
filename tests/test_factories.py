"""The test factories: their rows belong to their tenant alone, and a made tenant is one people can use."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.models import Tenant
from tests.conftest import signed_in, text_of
from tests.factories import (
    make_blog_post,
    make_campaign,
    make_lead,
    make_social_post,
    make_tenant,
    make_user,
)


def _rows_seen(app, tenant: Tenant, row) -> tuple[int, int]:
    """(that very row, every row of its table) as a fresh session of tenant sees them (RLS)."""
    model = type(row)
    with app.extensions["db"].new_session(tenant.id) as session:
        return (
            session.scalar(select(func.count()).select_from(model).where(model.id == row.id)),
            session.scalar(select(func.count()).select_from(model)),
        )


def test_each_factorys_row_is_visible_to_its_tenant_only(app, db_connection):
    mine, other = make_tenant(app), make_tenant(app)
    rows = [
        make_user(mine, "viewer"),
        make_lead(mine),
        make_blog_post(mine),
        make_social_post(mine),
        make_campaign(mine),
    ]
    for row in rows:
        assert row.tenant_id == mine.id, type(row).__name__
        assert _rows_seen(app, mine, row) == (1, 1), type(row).__name__
        assert _rows_seen(app, other, row) == (0, 0), type(row).__name__
    assert _rows_seen(app, other, mine) == (0, 1)  # a tenant sees its own tenant row only


def test_a_fresh_tenants_owner_signs_in_and_opens_the_dashboard(app, db_connection):
    tenant = make_tenant(app, name="Hooli Dental")
    owner = make_user(tenant, "owner", full_name="Gavin Belson")
    client = signed_in(app, owner.email)
    page = client.get("/")
    assert page.status_code == 200
    assert "Good to see you, Gavin" in text_of(page) and "Hooli Dental" in text_of(page)


def test_a_made_lead_shows_on_the_lead_list_of_a_made_sales_manager(app, db_connection):
    tenant = make_tenant(app)
    manager = make_user(tenant, "sales_manager")
    lead = make_lead(tenant, first_name="Ada", last_name="Lovelace", company="Analytical Engines")
    listed = signed_in(app, manager.email).get("/leads/")
    assert listed.status_code == 200
    assert "Ada Lovelace" in text_of(listed) and f'href="/leads/{lead.ref_id}"' in listed.text
    # the only lead of the tenant, unassigned: the sidebar's count (kept by triggers) says so
    assert "Leads ( 1 waiting for you)" in text_of(listed)


def test_a_made_lead_is_found_by_search_and_by_phone(app, db_connection):
    tenant = make_tenant(app)
    manager = signed_in(app, make_user(tenant, "sales_manager").email)
    make_lead(tenant, first_name="Zoë", last_name="Quist", phone="+44 7700 900123")
    for query in ("zoe", "QUIST", "+44 7700 900123", "4477009"):
        assert "Zoë Quist" in text_of(manager.get("/leads/", query_string={"q": query})), query
