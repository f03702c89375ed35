"""Templates take each rule from its one Python definition: hidden CSRF inputs from csrf_field(), the
values of enumerations (statuses, score bands, lead sources, roles…) from the models, never retyped.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import select

from portal.models import Lead
from tests.conftest import signed_in

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CSRF_MACRO = TEMPLATES / "macros" / "ui.html"


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


class _Ids(HTMLParser):
    """Collects every id attribute of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name == "id")


def duplicate_ids(page: str) -> list[str]:
    """The ids a page uses more than once."""
    parser = _Ids()
    parser.feed(page)
    return [name for name, count in parser.ids.items() if count > 1]


def test_no_template_writes_a_csrf_input_by_hand():
    by_hand = re.compile(r"name=[\"']csrf_token[\"']|\.hidden_tag\(|\.csrf_token\b")
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in _templates()
        if path != CSRF_MACRO
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if by_hand.search(line)
    ]
    assert found == [], "render CSRF inputs with csrf_field() from macros/ui.html"


def test_pages_with_several_forms_have_no_duplicate_ids(app, client, tenant_session):
    lead = tenant_session("acme").scalars(select(Lead).where(Lead.status == "new").limit(1)).one()
    owner = signed_in(app, "owner@acme.test")
    for url in ("/team/", f"/leads/{lead.ref_id}"):
        page = owner.get(url)
        assert page.status_code == 200
        assert page.text.count("<form") >= 2, url
        assert duplicate_ids(page.text) == [], url
    gated = signed_in(app, "owner@initech.test").get("/contract/")
    assert gated.text.count("<form") >= 2
    assert duplicate_ids(gated.text) == []


def test_a_form_rendered_with_csrf_field_is_accepted(app, client):
    client.login("owner@acme.test")
    page = client.get("/team/").text
    token = re.search(r'<input type="hidden" name="csrf_token" value="([^"]+)">', page).group(1)
    response = client.post("/logout", data={"csrf_token": token}, csrf=False)
    assert response.status_code == 302
    assert client.get("/team/").status_code == 302  # signed out: the token was the session's


def test_score_bands_and_import_statuses_are_worded_by_portal_formatting(app):
    with app.test_request_context():
        render = app.jinja_env.from_string(
            '{% from "macros/ui.html" import badge %}{{ badge(band) }}|{{ status_label(state, "lead_import") }}'
        ).render
        assert render(band="hot", state="done") == '<span class="badge badge-problem">Hot</span>|Imported'
        assert render(band="warm", state="mapping").startswith('<span class="badge badge-waiting">Warm')
        assert render(band="cold", state="queued").endswith('neutral">Cold</span>|Queued')
