"""Normalised lead fields and the search that stays fast under Row Level Security (see docs/TENANCY.md).

``lower()``, ILIKE, trigram and full-text operators cannot use an index under RLS, so the app writes a
folded copy of what people search by (``leads.search_text``) and the phone's digits (``leads.phone_digits``);
a trigger on ``leads`` splits ``search_text`` into ``portal.lead_search_terms`` (one row per word), and a
search word is matched as a prefix with a plain range on the ``(tenant_id, term)`` key, which is leakproof
and so stays an index condition under RLS. This module is the one definition of "folded".
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import ColumnElement, Subquery, and_, bindparam, select

from portal.models import Lead, LeadSearchTerm
from portal.tenancy import TENANT_ID

_SPACES = re.compile(r"\s+")
_NOT_DIGITS = re.compile(r"\D")
_NOT_WORD = re.compile(r"[\W_]+")
_PHONE_LIKE = re.compile(r"^[\d\s()+\-./]+$")
MAX_WORDS = 4


def fold(text: str | None) -> str:
    """Lower-case text with accents stripped and white space collapsed ("  Zoë  O'Néill" → "zoe o'neill")."""
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
    """The folded "first last email company phone" of a lead; the phone as its digits, so any format matches."""
    parts = (first_name, last_name, email, company, phone_digits(phone))
    return fold(" ".join(part for part in parts if part))


def search_words(query: str | None) -> list[str]:
    """The words a search box query looks for: a phone number as its digits, else its folded words."""
    query = (query or "").strip()[:200]
    if not query:
        return []
    if _PHONE_LIKE.match(query) and len(phone_digits(query) or "") >= 3:
        return [phone_digits(query)]
    # Split at punctuation as the trigger does, so "probe.example" finds "zq@probe.example".
    return [word for word in _NOT_WORD.split(fold(query)) if word][:MAX_WORDS]


def _next_prefix(word: str) -> str:
    """The smallest string greater than every string starting with word (in code-point order)."""
    return word[:-1] + chr(ord(word[-1]) + 1)


def word_values(words: list[str]) -> dict[str, str]:
    """The bound values of a search for words (see matches): each word and the end of its prefix range."""
    values = {}
    for i, word in enumerate(words):
        values[f"word_{i}"] = word
        values[f"word_{i}_end"] = _next_prefix(word)
    return values


def _starting_with(i: int) -> ColumnElement[bool]:
    return and_(
        LeadSearchTerm.tenant_id == TENANT_ID,
        LeadSearchTerm.term >= bindparam(f"word_{i}"),
        LeadSearchTerm.term < bindparam(f"word_{i}_end"),
    )


def matches(words: range) -> ColumnElement[bool]:
    """A WHERE clause on Lead: each of these words (bound by number, values from word_values) is the prefix
    of one of the lead's search terms."""
    clauses = [
        Lead.id.in_(select(LeadSearchTerm.lead_id).where(_starting_with(i)).scalar_subquery()) for i in words
    ]
    return and_(*clauses)


def matches_by_created(descending: bool = True) -> Subquery:
    """(lead_id, lead_created_on) of each lead with a term starting with the first word, once, in created
    order — from the terms' key alone (it carries the lead's created_on). Joined in this order under a LIMIT,
    a list reads only the leads of its page instead of every lead a common word matches. (The order is
    inside the subquery so that PostgreSQL keeps it through the join; the list orders again all the same.)"""
    found = select(LeadSearchTerm.lead_id, LeadSearchTerm.lead_created_on).where(_starting_with(0))
    order = (LeadSearchTerm.lead_created_on, LeadSearchTerm.lead_id)
    return (
        found.distinct()
        .order_by(*(column.desc() if descending else column.asc() for column in order))
        .subquery("found")
    )
