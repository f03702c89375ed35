"""PDF documents of text blocks (the demo contracts, the acceptance certificate), written with fpdf2.

Text is set in Noto Sans from Debian's ``fonts-noto-core`` (``scripts/ensure-system.sh`` installs it). For a
name in an Indian script, Arabic, Hebrew, Thai or Sinhala, the package's face for that script is the
fallback and HarfBuzz shapes the text (conjuncts, vowel signs), so it prints as typed and a reader copies
it back as the same characters. Fonts are subset into the file; nothing is fetched at run time.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/noto")
FAMILY = "NotoSans"
# Faces of fonts-noto-core for the scripts Noto Sans itself lacks, tried in this order for a missing glyph.
FALLBACK_SCRIPTS = (
    "Devanagari",
    "Bengali",
    "Gurmukhi",
    "Gujarati",
    "Oriya",
    "Tamil",
    "Telugu",
    "Kannada",
    "Malayalam",
    "Sinhala",
    "Arabic",
    "Hebrew",
    "Thai",
)

PAGE_FORMAT = "A4"
MARGIN = 56  # points
FOOTER_ROOM = 24  # points kept free above the bottom margin for the footer


@dataclass(frozen=True)
class Block:
    """A run of text: ``kind`` is title, heading, paragraph, bullet or small."""

    kind: str
    text: str


@dataclass(frozen=True)
class _Style:
    bold: bool
    size: float
    leading: float
    before: float


_STYLES = {
    "title": _Style(True, 18, 24, 0),
    "heading": _Style(True, 12, 16, 10),
    "paragraph": _Style(False, 10, 14, 4),
    "bullet": _Style(False, 10, 14, 2),
    "small": _Style(False, 8, 11, 4),
}
BULLET_INDENT = 14


def needs_shaping(text: str) -> bool:
    """Whether text has combining marks or a script past Armenian, which need HarfBuzz and a fallback face."""
    return any(0x0590 <= ord(char) < 0x2000 or unicodedata.category(char).startswith("M") for char in text)


class _Document(FPDF):
    """An A4 document in points whose every page ends with ``footer_text — page n of N``."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(unit="pt", format=PAGE_FORMAT)
        self.footer_text = footer_text

    def footer(self) -> None:
        """fpdf2 calls this at the end of every page."""
        self.set_y(-MARGIN)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(153)
        self.set_text_shaping(needs_shaping(self.footer_text))
        self.cell(text=f"{self.footer_text} \u2014 page {self.page_no()} of {{nb}}")


def _add_fonts(document: FPDF, complex_text: bool) -> None:
    """Register Noto Sans, and the other scripts' faces only when the text uses one (parsing them is slow)."""
    document.add_font(FAMILY, "", FONT_DIR / f"{FAMILY}-Regular.ttf")
    document.add_font(FAMILY, "B", FONT_DIR / f"{FAMILY}-Bold.ttf")
    if not complex_text:
        return
    for script in FALLBACK_SCRIPTS:
        document.add_font(f"{FAMILY}{script}", "", FONT_DIR / f"{FAMILY}{script}-Regular.ttf")
        document.add_font(f"{FAMILY}{script}", "B", FONT_DIR / f"{FAMILY}{script}-Bold.ttf")
    document.set_fallback_fonts([f"{FAMILY}{script}" for script in FALLBACK_SCRIPTS])


def _write(document: FPDF, block: Block) -> None:
    """Set one block at the current position, starting a page first if a heading would be left alone."""
    style = _STYLES[block.kind]
    document.set_font(FAMILY, "B" if style.bold else "", style.size)
    document.set_text_shaping(needs_shaping(block.text))
    # A heading needs room for itself and two lines of what follows it.
    needed = style.before + style.leading * (3 if block.kind == "heading" else 1)
    if document.get_y() > document.t_margin and document.will_page_break(needed):
        document.add_page()
    elif document.get_y() > document.t_margin:
        document.ln(style.before)
    indent = BULLET_INDENT if block.kind == "bullet" else 0
    if indent:
        document.set_x(MARGIN + 2)
        document.cell(w=indent - 2, h=style.leading, text="\u2022")
    document.multi_cell(
        w=document.epw - indent,
        h=style.leading,
        text=block.text or " ",
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )


def render(blocks: list[Block], *, title: str, author: str, created: dt.datetime, footer: str) -> bytes:
    """A complete PDF of blocks; the footer ("… — page n of N") is printed on every page."""
    document = _Document(footer)
    document.set_margins(MARGIN, MARGIN, MARGIN)
    document.set_auto_page_break(True, margin=MARGIN + FOOTER_ROOM)
    _add_fonts(document, any(needs_shaping(text) for text in (title, footer, *(b.text for b in blocks))))
    document.set_title(title)
    document.set_author(author)
    document.set_creation_date(created)
    document.add_page()
    for block in blocks:
        _write(document, block)
    return bytes(document.output())
