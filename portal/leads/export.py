"""CSV export of leads: the current filter, streamed 1,000 leads at a time by keyset."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from sqlalchemy import tuple_
from sqlalchemy.orm import joinedload

from portal.db import database
from portal.leads import listing
from portal.models import Lead, User
from portal.tenancy import current_tenant

PAGE = 1000

EXPORT_COLUMNS = [
    "ref_id",
    "created_on",
    "status",
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "job_title",
    "source",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "source_url",
    "score_total",
    "score_band",
    "estimated_value",
    "assigned_to",
    "first_contacted_on",
    "last_activity_on",
    "disqualification_reason",
]


def _cell(value: Any) -> str:
    """One CSV cell; text a spreadsheet would run as a formula is prefixed with a quote."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_rows(filters: listing.LeadFilters, user: User) -> Iterator[str]:
    """The CSV of every lead passing the filters, newest first, read 1,000 at a time by keyset."""
    statement = listing.filtered(filters, user).options(joinedload(Lead.assignee))
    # The body is produced after the view returned and the request's session closed: it reads through a
    # session of its own, opened on the first chunk (so an unread response holds no connection).
    open_session, tenant_id = database().new_session, current_tenant.id

    def generate() -> Iterator[str]:
        session = open_session(tenant_id)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(EXPORT_COLUMNS)
        after = None
        try:
            while True:
                page = statement.order_by(Lead.created_on.desc(), Lead.id.desc()).limit(PAGE)
                if after is not None:
                    page = page.where(tuple_(Lead.created_on, Lead.id) < tuple_(*after))
                leads = list(session.scalars(page))
                for lead in leads:
                    row = [getattr(lead, column) for column in EXPORT_COLUMNS]
                    row[EXPORT_COLUMNS.index("assigned_to")] = lead.assignee.email if lead.assignee else None
                    writer.writerow([_cell(v) for v in row])
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
                if len(leads) < PAGE:
                    return
                after = (leads[-1].created_on, leads[-1].id)
        finally:
            session.close()

    return generate()
