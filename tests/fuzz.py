"""What the fuzz test needs to find every parameter of every route by itself, so a new route is covered
without anyone editing the test:

- ``RecordingRequest``: a request class whose query string and form record every name a view reads, so one
  plain request tells which parameters the route reads;
- ``PageParser``: the forms (fields with their current values, where they post) and the links of a page;
- ``PAYLOADS``: the corpus; ``fingerprint``: the tenant's rows, to tell that a refused post saved nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

from flask import Request
from sqlalchemy import text
from sqlalchemy.orm import Session
from werkzeug.datastructures import ImmutableMultiDict

# The names views read during the current request (the test client runs the app in this thread).
READ: set[str] = set()

PAYLOADS = {
    "NUL": "a\x00b",
    "CR/LF": "/x\r\nSet-Cookie: fuzz=1",
    "1 MB": "A" * 1_000_000,
    "negative": "-1",
    "1e309": "1e309",
    "NaN": "NaN",
    "-Infinity": "-Infinity",
    "beyond int64": "99999999999999999999",
    "wrong type": "[object Object]",
    "unicode": "\u202e\ufeffz\u0301\U0001d54f\u200d\uffff",
    "path": "../../etc/passwd%00",
}
# The twelfth payload, found while crawling: a cursor that another list (or another sort) made.
FOREIGN_CURSOR = "another list's cursor"


class RecordingArgs(ImmutableMultiDict):
    """A query string or form that notes each name looked up in it."""

    def get(self, key, default=None, type=None):
        """Record, then look up as usual."""
        READ.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):
        """Record, then look up as usual."""
        READ.add(key)
        return super().getlist(key, type)

    def __getitem__(self, key):
        READ.add(key)
        return super().__getitem__(key)

    def __contains__(self, key) -> bool:
        READ.add(key)
        return super().__contains__(key)


class RecordingRequest(Request):
    """The app's request, with a recording query string and form."""

    parameter_storage_class = RecordingArgs


@dataclass
class Form:
    """A form (or an htmx control) of a page: where it sends what."""

    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)


_CONTROL_ACTIONS = ("hx-post", "hx-put", "hx-patch", "hx-delete")


class PageParser(HTMLParser):
    """The forms, their fields (with the values they show) and the links of one page."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Collect forms, fields, links and htmx controls."""
        a = {k: v or "" for k, v in attrs}
        for name in ("href", "hx-get"):
            if a.get(name) and "?" in a[name]:
                self.links.append(urljoin(self.url, a[name]))
        if tag == "form":
            method = next((m for m in _CONTROL_ACTIONS if m in a), None)
            action = a.get(method, "") if method else a.get("action", "")
            verb = method.removeprefix("hx-").upper() if method else (a.get("method") or "GET").upper()
            self._form = Form(verb, urljoin(self.url, action))
            self.forms.append(self._form)
        elif self._form is None and any(m in a for m in _CONTROL_ACTIONS):
            method = next(m for m in _CONTROL_ACTIONS if m in a)
            control = Form(method.removeprefix("hx-").upper(), urljoin(self.url, a[method]))
            if a.get("name"):
                control.fields[a["name"]] = a.get("value", "")
            if a.get("hx-vals", "").startswith("{"):
                control.fields.update({k: str(v) for k, v in json.loads(a["hx-vals"]).items()})
            self.forms.append(control)
        # The selected option is the select's value, else its first one.
        if (
            tag == "option"
            and self._form is not None
            and self._select
            and ("selected" in a or not self._form.fields[self._select])
        ):
            self._form.fields[self._select] = a.get("value", "")
        if self._form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input" and a.get("type") in ("checkbox", "radio"):
            if "checked" in a or name not in self._form.fields:
                self._form.fields[name] = a.get("value", "on")
        elif tag == "input":
            self._form.fields[name] = a.get("value", "")
        elif tag == "select":
            self._select = name
            self._form.fields.setdefault(name, "")
        elif tag == "textarea":
            self._textarea = name
            self._form.fields[name] = ""
        elif tag == "button" and a.get("value"):
            self._form.fields.setdefault(name, a["value"])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """``<input … />`` is a start tag too."""
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        """A textarea's text is its value."""
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        """Close forms, selects and textareas."""
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_page(url: str, html: str) -> PageParser:
    """The page's forms and links."""
    parser = PageParser(url)
    parser.feed(html)
    return parser


def path_and_query(url: str) -> tuple[str, dict[str, str]]:
    """A URL's path and its query as a dict (last value wins)."""
    parts = urlsplit(url)
    return parts.path, dict(parse_qsl(parts.query, keep_blank_values=True))


def tenant_tables(session: Session) -> list[str]:
    """The tables that hold a tenant's rows (RLS shows the session's tenant only)."""
    return list(
        session.scalars(
            text(
                "SELECT table_name FROM information_schema.columns WHERE column_name = 'tenant_id'"
                " AND table_schema = current_schema() AND table_name IN"
                " (SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE')"
                " ORDER BY table_name"
            )
        )
    )


def fingerprint(session: Session, tables: list[str]) -> dict[str, Any]:
    """Each table's row count and sum of row versions (xmin): any insert, update or delete changes it."""
    query = " UNION ALL ".join(
        f"SELECT '{t}', count(*), coalesce(sum(xmin::text::bigint), 0) FROM {t}" for t in tables
    )
    rows = {name: (count, total) for name, count, total in session.execute(text(query))}
    session.commit()
    return rows
