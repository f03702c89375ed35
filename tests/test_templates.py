"""Templates take each rule from its one Python definition: hidden CSRF inputs from csrf_field(), the
values of enumerations (statuses, score bands, lead sources, roles…) from the models, never retyped.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import select

from portal import models
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


def enumerations() -> dict[str, set[str]]:
    """Every enumeration the models define (a module-level tuple of at least three words), by name."""
    found = {}
    for module in pkgutil.iter_modules(models.__path__):
        loaded = importlib.import_module(f"{models.__name__}.{module.name}")
        for name, value in vars(loaded).items():
            words = value if isinstance(value, tuple) and len(value) >= 3 else ()
            if name.isupper() and words and all(isinstance(word, str) for word in words):
                found[f"{module.name}.{name}"] = set(words)
    return found


JINJA_CODE = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.S)
WORD = re.compile(r"""["']([a-z][a-z_]*)["']""")
VALUE_ATTRIBUTE = re.compile(r"""\bvalue=["']([a-z][a-z_]*)["']""")
BRANCH = re.compile(r"\{%-?\s*(if|elif|else|endif)\b(.*?)-?%\}", re.S)
STATUS_WORD = re.compile(
    r"""\.status\s*(?:==|!=)\s*["']([a-z_]+)["']|\.status\s+(?:not\s+)?in\s*[(\[]([^)\]]*)"""
)


def retyped_enumerations(text: str, known: dict[str, set[str]]) -> list[str]:
    """The enumerations of which a template writes three values or more as words of its own (in its Jinja code
    or as form values)."""
    words = {word for code in JINJA_CODE.findall(text) for part in code for word in WORD.findall(part)}
    words |= set(VALUE_ATTRIBUTE.findall(text))
    return sorted(name for name, values in known.items() if len(words & values) >= 3)


def status_chains(text: str) -> list[str]:
    """The if-chains of three branches or more (if, elifs, else) that tell two statuses or more apart by their
    words (one status checked twice, with and without a permission, is a single case)."""
    found, stack = [], []
    for keyword, condition in BRANCH.findall(text):
        if keyword == "if":
            stack.append([condition])
        elif keyword in ("elif", "else") and stack:
            stack[-1].append(condition)
        elif keyword == "endif" and stack:
            chain = stack.pop()
            words = {
                word
                for c in chain
                for one, listed in STATUS_WORD.findall(c)
                for word in [one, *WORD.findall(listed)]
            }
            if len(chain) >= 3 and len(words - {""}) >= 2:
                found.append(" / ".join(condition.strip() or "else" for condition in chain))
    return found


def test_the_scan_finds_retyped_values_and_status_chains():
    known = {"billing.BILLING_STATUSES": {"pending", "paid", "overdue", "void"}}
    assert retyped_enumerations(
        '{{ badge(s, {"pending": "Due", "paid": "Paid", "void": "—"}[s]) }}', known
    ) == ["billing.BILLING_STATUSES"]
    assert retyped_enumerations('<option value="pending">{{ "paid" }}{% if x == "overdue" %}', known) != []
    assert (
        retyped_enumerations('{{ badge(event.status) }} paid, pending or overdue: {{ "paid" }}', known) == []
    )
    chain = '{% if e.status == "paid" %}a{% elif e.status in ("void", "x") %}b{% else %}c{% endif %}'
    assert status_chains(chain) == ['e.status == "paid" / e.status in ("void", "x") / else']
    assert (
        status_chains(
            '{% if e.status == "paid" and a %}a{% elif e.status == "paid" %}b{% else %}c{% endif %}'
        )
        == []
    )
    assert status_chains('{% if e.status == "paid" %}a{% else %}{% if x %}b{% endif %}c{% endif %}') == []


def test_no_template_retypes_the_values_of_an_enumeration():
    known = enumerations()
    assert {"leads.SCORE_BANDS", "leads.LEAD_SOURCES", "leads_portal.IMPORT_STATUSES"} <= known.keys()
    found = {
        str(path.relative_to(TEMPLATES)): names
        for path in _templates()
        if (names := retyped_enumerations(path.read_text(), known))
    }
    assert found == {}, "take the values, labels and tones from the Python definitions (portal/formatting.py)"


def test_no_template_branches_on_status_words():
    found = {
        str(path.relative_to(TEMPLATES)): chains
        for path in _templates()
        if (chains := status_chains(path.read_text()))
    }
    assert found == {}, (
        "branch on a predicate the model or the service defines, or include a template per status"
    )
