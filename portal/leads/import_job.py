"""The worker's side of CSV imports: job ``leads.import`` runs every queued import of its tenant.

The services of portal.leads read the request's session, tenant and URLs; the job gives them the job's
session (RLS set to the job's tenant) and a request context on BASE_URL, so an import run by the worker
writes exactly what the same code wrote inside a request (assignments, notifications, audit).
"""

from __future__ import annotations

import logging

import procrastinate
from flask import current_app, g
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.jobs import tenant_job
from portal.leads import imports
from portal.models import Tenant

log = logging.getLogger("portal.leads.import")


class ImportStopped(Exception):
    """An import broke off and was queued again with the reason (the job fails, and is listed)."""


# A run that breaks off re-queues its import and is tried once more at once (a dropped connection); after a
# second break-off the import waits, saying why, until someone runs it again from its page.
@tenant_job(imports.IMPORT_JOB, retry=procrastinate.RetryStrategy(max_attempts=1))
def run_queued(session: Session) -> None:
    """Run the tenant's queued imports one by one, until none is left."""
    tenant = session.scalars(select(Tenant).where(Tenant.id == session.info["tenant_id"])).one()
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        g.tenant, g.db_session = tenant, session
        while (lead_import := imports.claim_next()) is not None:
            try:
                imports.run(lead_import)
            except Exception as error:  # whatever broke the run, its transaction saved nothing: say so
                log.exception("import %s stopped", lead_import.ref_id)
                imports.stopped(lead_import.id, "The last run stopped before saving anything.")
                raise ImportStopped(lead_import.ref_id) from error
