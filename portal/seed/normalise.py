"""Normalised lead fields for search under Row Level Security (see TENANCY.md, "Indexes and RLS").

``lower()`` and ILIKE cannot use an index under RLS, so the app writes a folded copy of what people search
by (``leads.search_text``) and the phone's digits (``leads.phone_digits``), and matches them by equality or
a prefix range. These two functions are the one definition of "folded"; the leads service will own them.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NOT_DIGITS = re.compile(r"\D")


def fold(text: str | None) -> str:
    """Lower-case text without accents, white space collapsed ("  Zoë  O'Néill" → "zoe o'neill")."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", stripped.lower()).strip()


def phone_digits(phone: str | None) -> str | None:
    """The digits of a phone number ("+44 7700 900123" → "447700900123"), or None when it has none."""
    digits = _NOT_DIGITS.sub("", phone or "")
    return digits or None


def lead_search_text(
    first_name: str | None,
    last_name: str | None,
    email: str | None,
    company: str | None,
    phone: str | None,
) -> str:
    """The folded "first last email company phone" of a lead (the phone as digits: any format matches)."""
    parts = (first_name, last_name, email, company, phone_digits(phone))
    return fold(" ".join(part for part in parts if part))
