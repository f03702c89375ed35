"""The queue's commands: ``flask --app app worker`` runs jobs; ``flask --app app jobs failed`` lists failures."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from portal.jobs import JOBS
from portal.mail.sender import failed_emails

jobs_group = AppGroup("jobs", help="The job queue.")


@click.command("worker")
@with_appcontext
@click.option("--concurrency", type=int, default=None, help="Jobs run at once (default: WORKER_CONCURRENCY).")
@click.option(
    "--once", is_flag=True, help="Run what is waiting, then stop (instead of running until Ctrl-C)."
)
def worker_command(concurrency: int | None, once: bool) -> None:
    """Run queued and periodic jobs (e-mail, reminders, imports) until stopped; start more to scale out."""
    queue = current_app.extensions["jobs"]
    options = {"concurrency": concurrency} if concurrency else {}
    click.echo(f"Worker started, running: {', '.join(sorted(JOBS))}")
    queue.run_worker(wait=not once, **options)


@jobs_group.command("failed")
@with_appcontext
@click.option("--limit", type=int, default=50, show_default=True)
def failed_command(limit: int) -> None:
    """List the jobs that failed after every retry, and the e-mails the SMTP server kept refusing."""
    queue = current_app.extensions["jobs"]
    jobs = queue.failed(limit)
    click.echo(f"Failed jobs: {len(jobs)}")
    for job in jobs:
        when = f"{job['at']:%Y-%m-%d %H:%M}" if job["at"] else "?"
        click.echo(
            f"  #{job['id']} {job['task_name']} {when} after {job['attempts']} attempts, args {job['args']}"
        )
    mails = failed_emails(limit)
    click.echo(f"E-mails not sent (failed for good): {len(mails)}")
    for tenant, row in mails:
        click.echo(
            f"  {tenant} {row.created_on:%Y-%m-%d %H:%M} to {row.to_address} '{row.subject}'"
            f" after {row.attempts} attempts: {row.error}"
        )


COMMANDS = (worker_command, jobs_group)
