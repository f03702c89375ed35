"""A small, valid PDF 1.4 writer in pure Python: A4 pages of Helvetica text, wrapped and paginated.

Enough for the demo contracts: headings, paragraphs, bullet points and a footer with page numbers. Text is
encoded as WinAnsi (cp1252), the built-in encoding of the standard fonts, so no font is embedded; characters
outside it become "?". The cross-reference table is written with exact byte offsets, so strict readers
(pdf.js, poppler's pdftotext, qpdf --check) open the file without repairing it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN

# Helvetica's advance widths (1/1000 em) for printable ASCII, from the standard AFM; others count as 556.
_WIDTHS = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
        (
            278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
            556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
            1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
            667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
            333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
            556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
        ),
        strict=True,
    )
)  # fmt: skip
_BOLD_FACTOR = 1.06  # Helvetica-Bold runs about 6 % wider; close enough for wrapping


@dataclass(frozen=True)
class Block:
    """A run of text: ``kind`` is title, heading, paragraph, bullet or small."""

    kind: str
    text: str


_STYLES = {  # kind → (font, size, leading, space before)
    "title": ("F2", 18, 24, 0),
    "heading": ("F2", 12, 16, 10),
    "paragraph": ("F1", 10, 14, 4),
    "bullet": ("F1", 10, 14, 2),
    "small": ("F1", 8, 11, 4),
}


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of text in points, set in Helvetica (or Helvetica-Bold) at size."""
    units = sum(_WIDTHS.get(char, 556) for char in text)
    return units * size / 1000 * (_BOLD_FACTOR if bold else 1)


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Break text into lines no wider than width (a word longer than a line gets a line of its own)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi bytes, with the three special characters escaped."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _layout(blocks: list[Block]) -> list[list[tuple[str, float, float, float, str]]]:
    """Place blocks on pages: a list per page of (font, size, x, y, text) lines."""
    pages: list[list[tuple[str, float, float, float, str]]] = [[]]
    y = PAGE_HEIGHT - MARGIN
    bottom = MARGIN + 24  # room for the footer
    for block in blocks:
        font, size, leading, before = _STYLES[block.kind]
        indent = 14 if block.kind == "bullet" else 0
        lines = wrap(block.text, size, TEXT_WIDTH - indent, bold=font == "F2")
        # Keep a heading with the first lines of what follows it.
        needed = before + leading * (len(lines) + (2 if block.kind == "heading" else 0))
        if y - needed < bottom and pages[-1]:
            pages.append([])
            y = PAGE_HEIGHT - MARGIN
        elif pages[-1]:
            y -= before
        for number, line in enumerate(lines):
            if y - leading < bottom:
                pages.append([])
                y = PAGE_HEIGHT - MARGIN
            y -= leading
            if block.kind == "bullet" and number == 0:
                pages[-1].append((font, size, MARGIN + 2, y, "\u2022"))
            pages[-1].append((font, size, MARGIN + indent, y, line))
    return pages


def _text_string(text: str) -> bytes:
    """A PDF text string for the document information: ASCII as a literal, anything else as UTF-16BE.

    (The Info dictionary is read as PDFDocEncoding, not WinAnsi, so cp1252 bytes there would show the wrong
    characters, e.g. an en dash as "Œ".)
    """
    if text.isascii():
        return _pdf_string(text)
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _content_stream(lines: list[tuple[str, float, float, float, str]], footer: str) -> bytes:
    """The page's drawing operators: one BT…ET text object per line, then the footer."""
    parts = []
    for font, size, x, y, text in lines:
        parts.append(b"BT /%s %g Tf %.2f %.2f Td %s Tj ET" % (font.encode(), size, x, y, _pdf_string(text)))
    parts.append(b"0.6 g")
    parts.append(b"BT /F1 8 Tf %.2f %.2f Td %s Tj ET" % (MARGIN, MARGIN - 8, _pdf_string(footer)))
    return b"\n".join(parts) + b"\n"


def _date(moment: dt.datetime) -> bytes:
    """A PDF date string, D:YYYYMMDDHHmmSS+HH'mm'."""
    offset = moment.utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    stamp = moment.strftime("D:%Y%m%d%H%M%S") + f"{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"
    return _pdf_string(stamp)


def render(blocks: list[Block], *, title: str, author: str, created: dt.datetime, footer: str) -> bytes:
    """A complete PDF of blocks; the footer ("… — page n of N") is printed on every page."""
    pages = _layout(blocks)
    objects: list[bytes] = []  # objects[i] is object number i + 1

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled once the page tree's number is known
    page_tree = add(b"")
    regular = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    bold = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    info = add(
        b"<< /Title %s /Author %s /Producer (portal demo seed) /CreationDate %s >>"
        % (_text_string(title), _text_string(author), _date(created))
    )
    kids = []
    for number, lines in enumerate(pages, start=1):
        stream = _content_stream(lines, f"{footer} \u2014 page {number} of {len(pages)}")
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] "
                b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> /Contents %d 0 R >>"
                % (page_tree, PAGE_WIDTH, PAGE_HEIGHT, regular, bold, content)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % page_tree
    objects[page_tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )

    # A binary comment after the header tells transfer tools the file is binary.
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset  # every entry is exactly 20 bytes
    file_id = hashlib.md5(bytes(out), usedforsecurity=False).hexdigest().encode()
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\n" % (
        len(objects) + 1,
        catalog,
        info,
        file_id,
        file_id,
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)
