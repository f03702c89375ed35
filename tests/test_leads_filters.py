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
