"""Counting the SQL statements a request runs, to prove a page's count does not grow with its data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def count_statements(engine) -> Iterator[list[str]]:
    """Collect every statement executed on engine inside the block (savepoints and set_config excluded)."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        text = statement.strip().upper()
        if (
            text.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
            or "SET_CONFIG" in text
        ):
            return
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)
