"""The job queue: procrastinate on the portal's own PostgreSQL (schema ``procrastinate``, migration 0016).

A job is declared with ``@tenant_job(name)`` and runs for exactly one tenant: it receives a session whose
Row Level Security tenant is the job's ``tenant_id`` argument, opened by ``db.new_session`` as a request's
is, so a job for tenant A can never read or write tenant B. A job's arguments are ids and small values
only (the queue's tables have no tenant wall). ``cron=`` makes it periodic: at each tick one job per
tenant is queued. ``flask --app app worker`` runs the jobs; start more of them (on any machine reaching
the database) to scale out.
"""

from __future__ import annotations

import importlib
import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import procrastinate
from flask import Flask, current_app
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy import text
from sqlalchemy.engine import make_url

from portal.db import database

# Modules that declare jobs, imported before a queue is built so that every worker knows every job.
JOB_MODULES = ("portal.mail.sender", "portal.leads.import_job", "portal.notifications.jobs")
# A job that raises is tried again 7 times, after 3 s, 9 s, 27 s … 36 min (about an hour in all); then
# it has failed for good and `flask jobs failed` lists it.
DEFAULT_RETRY = procrastinate.RetryStrategy(max_attempts=7, exponential_wait=3)
TENANTS_SERVED = text("SELECT tenant_id FROM job_tenants() WHERE status <> 'cancelled'")
FAILED_JOBS = """
    SELECT j.id, j.task_name, j.args, j.attempts, e.at
    FROM procrastinate_jobs j
    LEFT JOIN LATERAL (SELECT max(at) AS at FROM procrastinate_events WHERE job_id = j.id) e ON true
    WHERE j.status = 'failed'
    ORDER BY j.id DESC
    LIMIT %(limit)s
"""

log = logging.getLogger("portal.jobs")


@dataclass(frozen=True)
class TenantJob:
    """A declared job: its name, its function ``func(session, **kwargs)``, its schedule and retries."""

    name: str
    func: Callable[..., Any]
    cron: str | None
    retry: procrastinate.RetryStrategy


JOBS: dict[str, TenantJob] = {}


def tenant_job(
    name: str, *, cron: str | None = None, retry: procrastinate.RetryStrategy = DEFAULT_RETRY
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a job run for one tenant as ``func(session, **kwargs)`` (the session's tenant is set).

    The job commits its own work; queue it with ``queue().defer(name, tenant_id, **kwargs)``. With
    ``cron`` (e.g. ``"* * * * *"``) it also runs by itself, once per tenant at each tick.
    """

    def declare(func: Callable[..., Any]) -> Callable[..., Any]:
        if name in JOBS:
            raise ValueError(f"A job named {name} is already declared.")
        JOBS[name] = TenantJob(name, func, cron, retry)
        return func

    return declare


def libpq_url(sqlalchemy_url: str) -> str:
    """The libpq form of a SQLAlchemy URL (``postgresql+psycopg://…`` → ``postgresql://…``)."""
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)


class Queue:
    """One Flask app's procrastinate app, with the app's declared jobs bound to the app."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        connector = procrastinate.PsycopgConnector(
            conninfo=libpq_url(app.config["DATABASE_URL"]),
            # procrastinate's SQL names no schema: its connections search the queue's own.
            kwargs={"options": "-c search_path=procrastinate"},
            min_size=1,
            max_size=app.config["WORKER_CONCURRENCY"] + 3,
        )
        self.procrastinate = procrastinate.App(connector=connector)
        self.lock = threading.Lock()
        self.sync_open = False
        self.working = False
        for module in JOB_MODULES:
            importlib.import_module(module)
        for job in JOBS.values():
            self.bind(job)

    def bind(self, job: TenantJob) -> None:
        """Register a declared job (and, when periodic, its per-tenant fan-out) with this app."""

        def run(tenant_id: str, **kwargs: Any) -> Any:
            with self.app.app_context():
                session = database().new_session(uuid.UUID(tenant_id))
                try:
                    return job.func(session, **kwargs)
                finally:
                    session.close()

        self.procrastinate.task(name=job.name, retry=job.retry)(run)
        if job.cron:

            def each_tenant(timestamp: int) -> None:
                for tenant_id in self.tenant_ids():
                    self.defer(job.name, tenant_id)

            task = self.procrastinate.task(
                name=f"{job.name}:each_tenant", queueing_lock=f"{job.name}:each_tenant"
            )
            self.procrastinate.periodic(cron=job.cron, periodic_id=job.name)(task(each_tenant))

    def tenant_ids(self) -> list[uuid.UUID]:
        """Every tenant a periodic job serves (not cancelled), through ``job_tenants()``."""
        with self.app.app_context(), database().engine.connect() as connection:
            return list(connection.execute(TENANTS_SERVED).scalars())

    def open(self) -> None:
        """Open the synchronous pool for queueing, once (a running worker queues through its own)."""
        with self.lock:
            if not self.working and not self.sync_open:
                self.procrastinate.open()
                self.sync_open = True

    def defer(self, name: str, tenant_id: uuid.UUID | str, **kwargs: Any) -> bool:
        """Queue job ``name`` for a tenant; False when the same tenant's job is already waiting to start.

        One waiting job per job and tenant (procrastinate's queueing lock): a job that has not started
        yet will see whatever made us queue it again.
        """
        self.open()
        task = self.procrastinate.configure_task(name, queueing_lock=f"{name}:{tenant_id}")
        try:
            task.defer(tenant_id=str(tenant_id), **kwargs)
        except AlreadyEnqueued:
            return False
        return True

    def run_worker(self, wait: bool = True, **options: Any) -> None:
        """Run jobs until stopped (Ctrl-C, SIGTERM), or with ``wait=False`` until none is waiting."""
        options.setdefault("concurrency", self.app.config["WORKER_CONCURRENCY"])
        # Succeeded jobs are dropped (the minute-by-minute runs would pile up); failed ones stay, listed.
        options.setdefault("delete_jobs", "successful")
        with self.lock:
            # The worker's own pool replaces the synchronous one (procrastinate closes it).
            self.working, self.sync_open = True, False
        try:
            self.procrastinate.run_worker(wait=wait, install_signal_handlers=wait, **options)
        finally:
            self.working = False

    def failed(self, limit: int = 50) -> list[dict[str, Any]]:
        """The newest jobs that failed for good (every retry used): id, task, arguments, attempts, when."""
        self.open()
        connector = self.procrastinate.connector.get_sync_connector()
        return connector.execute_query_all(FAILED_JOBS, limit=limit)


def init_app(app: Flask) -> Queue:
    """Give the app its queue (nothing connects until a job is queued or a worker runs)."""
    app.extensions["jobs"] = Queue(app)
    return app.extensions["jobs"]


def queue() -> Queue:
    """The current app's queue."""
    return current_app.extensions["jobs"]
