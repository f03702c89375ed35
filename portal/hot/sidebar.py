"""The sidebar's counts: every registered count of a role in one FixedStatement (portal.navigation)."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from sqlalchemy import Select, select

from portal.hot.fixed import FixedStatement


def counts_statement(
    role: str, build: Callable[[], dict[str, Select]]
) -> tuple[list[str], FixedStatement | None]:
    """(keys, statement) of the role's counts, built once per role and app from build() (key → scalar
    SELECT); the statement selects one column per key, or is None when the role has no count."""
    # Per role and app: which counts a role sees depends on the app's routes, never on the request.
    cache = current_app.extensions.setdefault("hot_sidebar_counts", {})
    if role not in cache:
        selects = build()
        statement = None
        if selects:
            statement = FixedStatement(select(*(s.scalar_subquery() for s in selects.values())))
        cache[role] = (list(selects), statement)
    return cache[role]
