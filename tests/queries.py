"""Counting the SQL statements a request runs (to prove a page's count does not grow with its data), and
watching concurrent requests wait on locks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, text


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


def waiting_on_locks(session) -> int:
    """How many connections to this database wait for a lock right now."""
    # pg_stat_activity is a snapshot kept for the whole transaction: drop it so each look is fresh.
    session.execute(text("SELECT pg_stat_clear_snapshot()"))
    return session.scalar(
        text(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
    )
