"""Every figure agrees wherever it is shown (issue 18).

Pages tag each number they show with ``figure(name, value)`` of macros/ui.html: an element carrying
``data-figure="<name>"`` and ``data-value="<canonical value>"``. For each demo tenant and role this test
loads every GET page the role may open (the route walk of tests/routes.py; for one user also each page
as its htmx fragment) and asserts that each figure name has one value across all of that user's pages,
so a figure added later is checked without anyone listing it here. A capped count ("99+") only says "more
than 99". An element with ``data-figure-sum="<name>"`` declares that the figures inside it are the parts
of that total: they must add up to it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation

import pytest

from portal.tenancy import can
from tests.conftest import signed_in
from tests.figures import Container, FigureParser
from tests.routes import ROLE_USERS, build, ref_of, routes

TENANTS = ("acme", "northwind")
# Pages that are no HTML view of the portal's figures: signing out, files and feeds.
SKIPPED = {"auth.logout", "static"}


def _number(value: str) -> Decimal:
    try:
        return Decimal(value.removesuffix("+"))
    except InvalidOperation:
        raise AssertionError(f"figure value {value!r} is not canonical (an integer or a decimal)") from None


def _agree(values: set[str]) -> bool:
    # One exact value; a capped count "99+" agrees with any exact value above 99.
    exact = {v for v in values if not v.endswith("+")}
    if len(exact) > 1:
        return False
    if not exact:
        return len(values) == 1
    (only,) = exact
    return all(_number(only) > _number(v) for v in values - exact)


def _pages(app, session, role: str) -> list[str]:
    """The URL of every GET page the role may open, ids filled with the tenant's latest rows."""
    urls = []
    for route in routes(app):
        if route.method != "GET" or route.endpoint in SKIPPED:
            continue
        permission = getattr(app.view_functions[route.endpoint], "permission", None)
        if permission is not None and not can(permission, role):
            continue
        urls.append(build(app, route, lambda name: ref_of(session, name) if name.endswith("_ref") else "x"))
    return urls


@pytest.mark.parametrize("tenant", TENANTS)
@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_every_figure_has_one_value_across_the_pages_of_each_user(app, tenant_session, role, tenant):
    session = tenant_session(tenant)
    client = signed_in(app, f"{ROLE_USERS[role]}@{tenant}.test")
    seen: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    sums: list[tuple[str, Container]] = []
    for url in _pages(app, session, role):
        # htmx fragments for one user (they are blocks of the same templates): the run stays under a minute.
        for htmx in (False, True) if (role, tenant) == ("owner", "acme") else (False,):
            response = client.get(url, headers={"HX-Request": "true"} if htmx else {})
            assert response.status_code < 500, f"{url}: {response.status_code}"
            if response.status_code != 200 or response.mimetype != "text/html":
                response.close()
                continue
            parser = FigureParser()
            parser.feed(response.get_data(as_text=True))
            where = f"{url}{' (htmx)' if htmx else ''}"
            for name, value in parser.figures:
                seen[name][value].append(where)
            sums.extend((where, container) for container in parser.sums)

    assert seen, f"{role}@{tenant}: no page showed a single tagged figure"
    disagreements = [
        f"{name}: "
        + "; ".join(f"{value} on {', '.join(sorted(set(pages))[:3])}" for value, pages in values.items())
        for name, values in sorted(seen.items())
        if not _agree(set(values))
    ]
    assert not disagreements, f"{role}@{tenant}: figures that differ between pages:\n" + "\n".join(
        disagreements
    )

    for where, container in sums:
        assert container.total in seen, f"{where}: parts of {container.total}, which no page shows"
        (total,) = {v for v in seen[container.total] if not v.endswith("+")} or seen[container.total]
        parts = sum((_number(v) for v in container.parts), Decimal(0))
        assert parts == _number(total) or (total.endswith("+") and parts > _number(total)), (
            f"{role}@{tenant} {where}: the parts of {container.total} add up to {parts}, the total is {total}"
        )
