"""The lead list's filters: each is declared once in portal/leads/listing.py, and the page's controls, the
query string and the list's statement all follow that declaration."""

from __future__ import annotations

import re

from portal.leads.listing import LIST_FILTERS
from tests.conftest import text_of
from tests.factories import make_campaign, make_lead, make_tenant, make_user


def _controls(page: str) -> dict[str, list[str]]:
    """The filter form's controls: each name with the values its options offer (an input offers none)."""
    form = page[
        page.index('aria-label="Filter leads"') : page.index(
            "</form>", page.index('aria-label="Filter leads"')
        )
    ]
    controls = {
        name: re.findall(r'<option value="([^"]+)"', body)
        for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S)
    }
    controls.update((name, []) for name in re.findall(r'<input type="(?:date|text)" name="([^"]+)"', form))
    return controls


def test_every_declared_filter_has_a_control_whose_every_option_the_list_accepts(app, client):
    tenant = make_tenant(app)
    make_campaign(tenant)
    rep = make_user(tenant, "sales_rep")
    make_lead(tenant, assigned_to=rep.id)
    client.login(make_user(tenant, "sales_manager").email)
    controls = _controls(client.get("/leads/").get_data(as_text=True))
    assert set(controls) == {declared.name for declared in LIST_FILTERS}
    assert rep.ref_id in controls["assignee"] and len(controls["campaign"]) == 1
    for name, values in controls.items():
        for value in values:
            page = client.get("/leads/", query_string={name: value})
            assert page.status_code == 200 and "Ignored" not in text_of(page), (name, value)


def _listed(client, query: dict) -> set[str]:
    """The refs of the leads a list page shows."""
    page = client.get("/leads/", query_string=query)
    assert page.status_code == 200
    return set(re.findall(r'<td><a href="/leads/([0-9A-Z]{26})"', page.get_data(as_text=True)))


def test_the_utm_source_filter_shows_only_the_leads_from_that_source(app, client):
    tenant = make_tenant(app)
    newsletter = {
        make_lead(tenant, utm_source="newsletter").ref_id,
        make_lead(tenant, utm_source="Newsletter").ref_id,
    }
    others = {make_lead(tenant, utm_source="google").ref_id, make_lead(tenant).ref_id}
    client.login(make_user(tenant, "sales_manager").email)
    assert _listed(client, {}) == newsletter | others
    assert _listed(client, {"utm_source": "newsletter"}) == newsletter
    assert _listed(client, {"utm_source": " NEWSLETTER "}) == newsletter  # as the person typed it
    page = client.get("/leads/", query_string={"utm_source": "newsletter", "status": "new"})
    assert 'name="utm_source" value="newsletter"' in page.get_data(as_text=True)  # the form keeps it
    assert "utm_source=newsletter" in client.get("/leads/?utm_source=newsletter").get_data(as_text=True)
    assert _listed(client, {"utm_source": "bing"}) == set()


def test_a_garbage_utm_source_is_ignored_with_a_notice_and_no_error(app, client):
    tenant = make_tenant(app)
    leads = {make_lead(tenant, utm_source="newsletter").ref_id, make_lead(tenant).ref_id}
    client.login(make_user(tenant, "sales_manager").email)
    page = client.get("/leads/", query_string={"utm_source": "x" * 5000})
    assert page.status_code == 200
    assert "Ignored the UTM source “xxxx" in text_of(page)
    assert _listed(client, {"utm_source": "x" * 5000}) == leads
    for hostile in ("' OR 1=1 --", "%", "_", "\\", "😀" * 50, "<script>"):
        assert _listed(client, {"utm_source": hostile}) == set(), hostile


def test_a_rep_filtering_by_utm_source_still_sees_only_their_leads_and_the_pool(app, client):
    tenant = make_tenant(app)
    rep, other = make_user(tenant, "sales_rep"), make_user(tenant, "sales_rep")
    own = make_lead(tenant, utm_source="newsletter", assigned_to=rep.id).ref_id
    pool = make_lead(tenant, utm_source="newsletter").ref_id
    make_lead(tenant, utm_source="newsletter", assigned_to=other.id)
    make_lead(tenant, utm_source="google", assigned_to=rep.id)
    client.login(rep.email)
    assert _listed(client, {"utm_source": "newsletter"}) == {own, pool}
