"""Every route × every parameter it reads × a corpus of hostile values: no answer is a 5xx, and a post that
is refused (4xx) saves nothing.

Everything is found from ``app.url_map`` and the pages themselves, so a route added later is fuzzed without
editing this file: a plain request to each route records which query or form names its view reads
(``tests/fuzz.py``'s RecordingRequest), the pages' own forms give each post's fields and sensible values,
and their links give each list's states and the cursors they make. Signed in as Acme's owner (every
permission; one role per route, as the route walk tries every role); the public routes signed out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import pytest
from werkzeug.exceptions import HTTPException

from portal.extensions import limiter
from portal.web import PUBLIC_ENDPOINTS
from tests.conftest import PASSWORD, signed_in
from tests.fuzz import (
    FOREIGN_CURSOR,
    PAYLOADS,
    READ,
    Form,
    RecordingRequest,
    fingerprint,
    parse_page,
    path_and_query,
    tenant_tables,
)
from tests.routes import Route, build, path_with, ref_of, routes

# Values a public form needs to get past "required" to the code behind it (the pages show them empty).
TYPICAL = {"email": "owner@acme.test", "password": PASSWORD, "first_name": "Fuzz"}


@dataclass
class Tally:
    """What the fuzz covered, for the summary line."""

    routes: set[str] = field(default_factory=set)
    parameters: set[str] = field(default_factory=set)
    payloads: set[str] = field(default_factory=set)
    requests: int = 0
    refused_posts: int = 0
    errors: list[str] = field(default_factory=list)


class FuzzSummary:
    """Prints the fuzz's summary line at the end of the run (read by the lead, with or without -s)."""

    def __init__(self) -> None:
        self.tally = Tally()

    def pytest_terminal_summary(self, terminalreporter) -> None:
        """``fuzz: R routes × P parameters × N payloads = M requests, E 5xx``."""
        t = self.tally
        terminalreporter.write_line(
            f"fuzz: {len(t.routes)} routes × {len(t.parameters)} parameters × {len(t.payloads)} payloads "
            f"= {t.requests} requests, {len(t.errors)} 5xx ({t.refused_posts} refused posts, none saved anything)"
        )


@pytest.fixture(scope="session")
def fuzz_tally(request) -> Tally:
    """The session's tally, with its summary plugin registered once."""
    plugin = FuzzSummary()
    request.config.pluginmanager.register(plugin, "fuzz-summary")
    return plugin.tally


class Fuzzer:
    """Sends requests as a role (or signed out) and checks each answer."""

    def __init__(self, app, session, tally: Tally) -> None:
        self.app, self.session, self.tally = app, session, tally
        self.clients: dict[str, object] = {}
        self.tables = tenant_tables(session)
        self.before: dict | None = None  # the rows as they were after the last post (None: since changed)

    def client(self, email: str | None):
        """A signed-in client per e-mail (signed in again if a request ended its session); a fresh
        signed-out client for the public routes, so a sign-in that worked leaves nothing behind."""
        if email is None:
            return self.app.test_client()
        if email not in self.clients:
            self.clients[email] = signed_in(self.app, email)
            self.before = None
        return self.clients[email]

    def send(self, email: str | None, route: Route, url: str, label: str, data: dict | None = None):
        """One request; a 5xx is recorded, and a refused post must leave the tenant's rows as they were."""
        limiter.reset()  # the web form's own limit would answer 429 before the code under test
        client = self.client(email)
        if route.method != "GET" and self.before is None:
            self.before = fingerprint(self.session, self.tables)
        response = client.open(url, method=route.method, data=data)
        response.get_data()
        response.close()
        self.tally.requests += 1
        where = f"{route} {label} as {email or 'nobody'} → {response.status_code}"
        if response.status_code >= 500:
            self.tally.errors.append(where)
        if email and response.headers.get("Location", "").startswith("/login"):
            self.clients.pop(email)  # signed out (by /logout or a refused session): sign in again
        if route.method != "GET":
            after = fingerprint(self.session, self.tables)
            if 400 <= response.status_code < 500:
                changed = [t for t in self.tables if after[t] != self.before[t]]
                assert not changed, f"{where} but changed {changed}"
                self.tally.refused_posts += 1
            self.before = after
        else:
            self.before = None  # a page may write too (notifications read, a sign-in's time)
        return response


def test_no_input_answers_5xx_and_a_refused_post_saves_nothing(app, tenant_session, fuzz_tally, monkeypatch):
    monkeypatch.setattr(app, "request_class", RecordingRequest)
    acme = tenant_session("acme")
    fuzz = Fuzzer(app, acme, fuzz_tally)
    page = fuzz.client("owner@acme.test").post("/leads/settings/web-form").get_data(as_text=True)
    token = page.split("/leads/form/")[1].split('"')[0].split("<")[0]
    adapter = app.url_map.bind("localhost")

    def values(name: str) -> str:
        return ref_of(acme, name) if name.endswith("_ref") else token

    all_routes = list(routes(app))
    urls = {str(route): build(app, route, values) for route in all_routes}
    reads: dict[str, set[str]] = {}
    forms: dict[str, list[Form]] = {str(route): [] for route in all_routes}
    states: dict[str, list[dict[str, str]]] = {}
    by_key = {(r.rule.rule, r.method): r for r in all_routes}

    def rule_of(path: str, method: str) -> Route | None:
        try:
            rule, _ = adapter.match(path, method=method, return_rule=True)
        except HTTPException:  # a link outside the app's routes: not ours to fuzz
            return None
        return by_key.get((rule.rule, method))

    # 1. Every page once, as its users see it: what each view reads, and the forms and links it shows.
    for route in [r for r in all_routes if r.method == "GET"]:
        email = _email(route)
        READ.clear()
        response = fuzz.send(email, route, urls[str(route)], "as is")
        reads[str(route)] = set(READ)
        if "html" not in response.content_type:
            continue
        parsed = parse_page(urls[str(route)], response.get_data(as_text=True))
        for form in parsed.forms:
            path, query = path_and_query(form.action)
            target = rule_of(path, form.method)
            if target is not None:
                forms[str(target)].append(form)
                if form.method == "GET":
                    reads.setdefault(str(target), set()).update(form.fields)
        for link in parsed.links:
            path, query = path_and_query(link)
            target = rule_of(path, "GET")
            if target is not None:
                states.setdefault(target.rule.rule, []).append(query)

    cursors = {rule: [s["cursor"] for s in seen if s.get("cursor")] for rule, seen in states.items() if seen}

    def foreign_cursor(route: Route) -> str:
        """A cursor made by another list."""
        return next((c[0] for rule, c in cursors.items() if c and rule != route.rule.rule), "x~y")

    # 2. Each parameter the route reads (and each field of its forms) with each payload.
    for route in all_routes:
        corpus = {**PAYLOADS, FOREIGN_CURSOR: foreign_cursor(route)}
        if route.method == "GET":
            _fuzz_get(fuzz, _email(route), route, values, reads.get(str(route), set()), corpus)
        else:
            _fuzz_post(fuzz, _email(route), route, values, forms[str(route)], corpus)
        fuzz_tally.routes.add(str(route))
        fuzz_tally.payloads.update(corpus)
        _fuzz_cursors(fuzz, route, urls[str(route)], states.get(route.rule.rule, []))
    assert not fuzz_tally.errors, "\n".join(fuzz_tally.errors[:40])


def _email(route: Route) -> str | None:
    """Signed out for the public routes; else the owner, who holds every permission (one role per route
    keeps the run within its time: the route walk already tries every role on every route)."""
    return None if route.endpoint in PUBLIC_ENDPOINTS else "owner@acme.test"


def _with_query(url: str, query: dict[str, str]) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(query)}"


def _path_arguments(route: Route) -> list[str]:
    """The route's path parameters that are not ids (ids are the route walk's: malformed ones are 404)."""
    return [name for name in route.rule.arguments if not name.endswith("_ref")]


def _in_path(route: Route, values, name: str, payload: str) -> str:
    """The route's URL with the payload as its path parameter ``name``."""
    return path_with(route, lambda n: quote(payload, safe="") if n == name else values(n))


def _fuzz_get(fuzz: Fuzzer, email, route: Route, values, names: set[str], corpus: dict[str, str]) -> None:
    url = build(fuzz.app, route, values)
    for name in sorted(names | set(_path_arguments(route))):
        fuzz.tally.parameters.add(f"{route} {name}")
        for label, payload in corpus.items():
            if name in route.rule.arguments:
                target = _in_path(route, values, name, payload)
            else:
                target = _with_query(url, {name: payload})
            fuzz.send(email, route, target, f"{name}={label}")


def _fuzz_post(fuzz: Fuzzer, email, route: Route, values, forms: list[Form], corpus: dict[str, str]) -> None:
    url = build(fuzz.app, route, values)
    targets = {f.action: f for f in forms} or {url: Form(route.method, url)}
    for action, form in list(targets.items())[:3]:
        base = {k: v or TYPICAL.get(k, "") for k, v in form.fields.items() if k != "csrf_token"}
        READ.clear()
        fuzz.send(email, route, action, "as shown", data=base)
        names = (set(base) | READ) - {"csrf_token"}
        if not form.fields:
            # A form no page shows (the web form lives on the tenant's site): the names its view read.
            base = {name: TYPICAL[name] for name in names if name in TYPICAL}
        for name in sorted(names):
            fuzz.tally.parameters.add(f"{route} {name}")
            for label, payload in corpus.items():
                fuzz.send(email, route, action, f"{name}={label}", data={**base, name: payload})
        for name in _path_arguments(route):
            fuzz.tally.parameters.add(f"{route} {name}")
            for label, payload in corpus.items():
                target = _in_path(route, values, name, payload)
                fuzz.send(email, route, target, f"{name}={label}", data=base)


def _fuzz_cursors(fuzz: Fuzzer, route: Route, url: str, seen: list[dict[str, str]]) -> None:
    """Each state of a list (its sorts and filters, from its own links) with the cursors other states made."""
    made = [({k: v for k, v in s.items() if k != "cursor"}, s["cursor"]) for s in seen if s.get("cursor")]
    plain = [dict(t) for t in dict.fromkeys(tuple(sorted(s.items())) for s in seen if "cursor" not in s)]
    for state in plain[:12]:
        for cursor in [c for other, c in made if other != state][:2]:
            fuzz.send(
                _email(route),
                route,
                _with_query(url, {**state, "cursor": cursor}),
                "another state's cursor",
            )
