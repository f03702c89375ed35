"""The job queue in tests: jobs read committed rows, so a test that runs a worker starts from an empty queue."""

from __future__ import annotations

from sqlalchemy import create_engine, text


def empty_queue(owner_url: str) -> None:
    """Drop every job (the owner may: the queue's tables have no tenant wall) so a worker runs only ours."""
    engine = create_engine(owner_url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM procrastinate.procrastinate_jobs"))
        connection.execute(text("DELETE FROM procrastinate.procrastinate_periodic_defers"))
    engine.dispose()
