"""The periodic jobs of notifications: the daily digest and the reminders (reminders.py)."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.jobs import tenant_job
from portal.models import Tenant
from portal.notifications.reminders import send_reminders
from portal.notifications.service import DIGEST_HOUR, local_now, send_digests

DIGEST_JOB = "notifications.daily_digest"
REMINDERS_JOB = "notifications.reminders"


def _moment(now: str | None) -> dt.datetime:
    """The job's time: ``now`` (ISO 8601, for a run at a chosen time) or the clock's."""
    return dt.datetime.fromisoformat(now) if now else dt.datetime.now(dt.UTC)


# Every hour, since tenants live in different timezones: each sends at DIGEST_HOUR of its own day.
@tenant_job(DIGEST_JOB, cron="0 * * * *")
def daily_digest(session: Session, now: str | None = None) -> int:
    """At DIGEST_HOUR in the tenant's timezone send each user their digest of the day (once per user and
    day, however often it runs); at any other hour, or with MAIL_ENABLED off, nothing. Returns how many."""
    tenant = session.scalars(select(Tenant)).first()
    session.commit()
    if tenant is None or not current_app.config["MAIL_ENABLED"]:
        return 0
    local = local_now(tenant, _moment(now))
    if local.hour != DIGEST_HOUR:
        return 0
    return send_digests(session, tenant.id, local.date())


# Hourly: a reminder falls due at any hour, and each is given once (reminders.py), so a late run is harmless.
@tenant_job(REMINDERS_JOB, cron="15 * * * *")
def reminders(session: Session, now: str | None = None) -> int:
    """Give the tenant's users the reminders now due (contract, approvals, leads past their deadline)."""
    # The reminders' links are built with url_for, as a page's are.
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        return send_reminders(session, _moment(now))
