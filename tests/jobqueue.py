"""The job queue in tests: jobs read committed rows, so a test that runs a worker starts from an empty queue;
the worker runs in a thread of its own, since the browser tests leave an event loop running in the main one."""

from __future__ import annotations

import threading

from sqlalchemy import create_engine, text


def empty_queue(owner_url: str) -> None:
    """Drop every job (the owner may: the queue's tables have no tenant wall) so a worker runs only ours."""
    engine = create_engine(owner_url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM procrastinate.procrastinate_jobs"))
        connection.execute(text("DELETE FROM procrastinate.procrastinate_periodic_defers"))
    engine.dispose()


def work_off(queue, **options) -> None:
    """Run the queue's worker until no job waits (procrastinate's asyncio.run needs a thread with no loop)."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            queue.run_worker(wait=False, **options)
        except BaseException as error:  # handed to the test's thread
            failures.append(error)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(120)
    assert not worker.is_alive(), "the worker did not finish within 2 minutes"
    if failures:
        raise failures[0]
