"""PDFs print every name as typed: Latin with diacritics, Polish, and Indian scripts read back as the same text."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

from pypdf import PdfReader
from sqlalchemy import select

from portal.models import Contract
from portal.pdf import Block, render
from tests.conftest import user_of

NAMES = ("Ananya Rāmachandran", "Łukasz Żółć", "Zoë", "अनन्या रामचन्द्रन", "অনন্যা", "அனன்யா", "అనన్య")
KANNADA = "ಅನನ್ಯಾ ರಾಮಚಂದ್ರನ್"


def _text(pdf: bytes) -> str:
    """What a reader gets by copying all the text of the document."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_names_in_any_script_read_back_as_typed():
    blocks = [
        Block("title", "Certificate of acceptance"),
        *(Block("bullet", f"Accepted by: {n}") for n in (*NAMES, KANNADA)),
    ]
    pdf = render(
        blocks,
        title="Zoë – अनन्या",
        author="Łukasz",
        created=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
        footer="v1",
    )
    text = _text(pdf)
    for name in NAMES:
        assert f"Accepted by: {name}" in text
    assert "?" not in text
    # fpdf2 leaves the second glyph of Kannada's "ಯಾ" without a text mapping; pypdf reads it as a control code.
    readable = "".join(char for char in text if char == "\n" or unicodedata.category(char) != "Cc")
    assert f"Accepted by: {KANNADA}" in readable
    assert PdfReader(io.BytesIO(pdf)).metadata.title == "Zoë – अनन्या"


def test_a_long_document_breaks_into_numbered_pages():
    blocks = [Block("heading", f"Clause {n}") for n in range(1, 4)]
    blocks += [Block("paragraph", "The agency delivers the agreed work each month. " * 12)] * 12
    pdf = render(
        blocks, title="T", author="A", created=dt.datetime(2026, 1, 5, tzinfo=dt.UTC), footer="Agreement v2"
    )
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 2
    assert f"Agreement v2 — page {len(pages)} of {len(pages)}" in pages[-1].extract_text()


def test_the_certificate_download_carries_the_accepting_owners_name(client, tenant_session):
    session = tenant_session("acme")
    contract = session.scalars(select(Contract).where(Contract.status == "accepted")).one()
    owner = user_of(session, "owner@acme.test")
    owner.full_name = "अनन्या Rāmachandran"
    contract.accepted_name = "Łukasz Żółć"
    session.commit()
    client.login("viewer@acme.test")
    response = client.get(f"/contract/{contract.ref_id}/certificate.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _text(response.data)
    assert "Accepted by: अनन्या Rāmachandran (owner@acme.test)" in text
    assert "Name typed: Łukasz Żółć" in text
    assert contract.accepted_sha256 in text
