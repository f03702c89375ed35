"""CSV import of leads (the export is portal/leads/export.py).

An import is uploaded (refused at once if over 50 MB, not UTF-8, without a header or over 100,000 rows),
mapped (the columns guessed from the header, an e-mail or phone column required), then run by the worker
(job ``leads.import``, portal/leads/import_job.py): every row is checked first, with the progress committed
on the import row as it goes (htmx polls it), and only if no row has an error are all leads saved, with
batched multi-row INSERTs in one transaction with their assignments. One bad row: nothing saved. A run that
breaks off (a database error, a killed connection) saved nothing either: the import is queued again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import time
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select, update

from portal import audit
from portal.db import get_session
from portal.jobs import queue
from portal.leads import intake
from portal.leads.search import phone_digits
from portal.models import LeadImport, User
from portal.tenancy import current_tenant

IMPORT_JOB = "leads.import"
MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
CHUNK = 1000
SHOWN_ERRORS = 1000
FIELDS = [
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("email", "E-mail"),
    ("phone", "Phone"),
    ("company", "Company"),
    ("job_title", "Job title"),
    ("message", "Message"),
    ("estimated_value", "Estimated value"),
    ("source_url", "Landing page"),
    ("utm_source", "UTM source"),
    ("utm_medium", "UTM medium"),
    ("utm_campaign", "UTM campaign"),
]
LIMITS = {"first_name": 100, "last_name": 100, "email": 254, "phone": 40, "company": 200, "job_title": 200}
SYNONYMS = {
    "first_name": ("firstname", "first", "givenname", "forename"),
    "last_name": ("lastname", "last", "surname", "familyname"),
    "email": ("email", "emailaddress", "mail", "e_mail"),
    "phone": ("phone", "phonenumber", "mobile", "tel", "telephone", "cell"),
    "company": ("company", "companyname", "organisation", "organization", "account", "business"),
    "job_title": ("jobtitle", "title", "position", "role"),
    "message": ("message", "notes", "note", "comment", "comments"),
    "estimated_value": ("estimatedvalue", "value", "dealvalue", "amount"),
    "source_url": ("sourceurl", "landingpage", "landingurl", "url", "page"),
    "utm_source": ("utmsource",),
    "utm_medium": ("utmmedium",),
    "utm_campaign": ("utmcampaign",),
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[\d\s()+\-./]+$")
log = logging.getLogger("portal.leads.import")


class ImportRefused(Exception):
    """A file or mapping the import cannot take; the message says why and what to do."""


def recent(limit: int = 10) -> list[LeadImport]:
    """The tenant's latest imports."""
    return list(
        get_session().scalars(
            select(LeadImport)
            .where(LeadImport.tenant_id == current_tenant.id)
            .order_by(LeadImport.created_on.desc())
            .limit(limit)
        )
    )


def _read(upload) -> str:
    data = upload.stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportRefused("The file is larger than 50 MB. Split it into smaller files and import each.")
    if b"\x00" in data:
        raise ImportRefused("This is not a CSV text file. Export it from your spreadsheet as “CSV UTF-8”.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            f"The file is not UTF-8 text (byte {error.start + 1} is not valid). "
            "Save it from your spreadsheet as “CSV UTF-8” and upload it again."
        ) from error


def _records(content: str) -> Iterator[tuple[int, list[str]]]:
    """(row number as a spreadsheet shows it, fields) of every non-blank data row; the header is row 1."""
    reader = csv.reader(io.StringIO(content))
    next(reader, None)
    for number, fields in enumerate(reader, start=2):
        if any(f.strip() for f in fields):
            yield number, fields


def start(upload, actor: User) -> LeadImport:
    """Check the file and keep it on a new import, waiting for its column mapping."""
    content = _read(upload)
    try:
        header = next(csv.reader(io.StringIO(content)), None)
        if not header or not any(h.strip() for h in header):
            raise ImportRefused("The file has no header row. Its first row must name the columns.")
        rows = 0
        for _ in _records(content):
            rows += 1
            if rows > MAX_ROWS:
                raise ImportRefused(f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files.")
    except csv.Error as error:
        raise ImportRefused(f"This file is not valid CSV: {error}.") from error
    if rows == 0:
        raise ImportRefused("The file has a header but no rows of leads.")
    lead_import = LeadImport(
        tenant_id=current_tenant.id,
        filename=(upload.filename or "leads.csv")[:200],
        content=content,
        header=[h.strip()[:100] for h in header],
        total_rows=rows,
        created_by=actor.id,
    )
    session = get_session()
    session.add(lead_import)
    session.commit()
    return lead_import


def preview(lead_import: LeadImport, rows: int = 5) -> list[list[str]]:
    """The first rows of the file, for the mapping page."""
    if lead_import.status != "mapping" or not lead_import.content:
        return []
    shown = []
    for _, fields in _records(lead_import.content):
        shown.append(fields)
        if len(shown) == rows:
            break
    return shown


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def guess_mapping(lead_import: LeadImport) -> dict[str, str]:
    """Field → column index (as text) guessed from the header's names."""
    keys = [_key(h) for h in lead_import.header]
    guess = {}
    for name, _ in FIELDS:
        for synonym in SYNONYMS[name]:
            if _key(synonym) in keys:
                guess[name] = str(keys.index(_key(synonym)))
                break
    if "first_name" not in guess and "last_name" not in guess and "name" in keys:
        guess["first_name"] = str(keys.index("name"))
    return guess


def set_mapping(lead_import: LeadImport, mapping: dict[str, str]) -> None:
    """Keep the mapping and queue the import; it needs an e-mail or a phone column."""
    if lead_import.status != "mapping":
        raise ImportRefused("This import has started already.")
    columns = len(lead_import.header)
    chosen = {}
    for name, value in mapping.items():
        if value == "":
            continue
        if not value.isdigit() or int(value) >= columns:
            raise ImportRefused("Choose columns of the file for each field, or leave a field out.")
        chosen[name] = int(value)
    if len(set(chosen.values())) != len(chosen):
        raise ImportRefused("Each column can fill one field only.")
    if "email" not in chosen and "phone" not in chosen:
        raise ImportRefused("The file needs an e-mail or a phone column: map one of them.")
    if not {"first_name", "last_name", "company", "email"} & chosen.keys():
        raise ImportRefused("Map a name, company or e-mail column, so each lead can be told apart.")
    session = get_session()
    done = session.execute(
        update(LeadImport)
        .where(
            LeadImport.tenant_id == current_tenant.id,
            LeadImport.id == lead_import.id,
            LeadImport.status == "mapping",
        )
        .values(mapping=chosen, status="queued")
        .returning(LeadImport.id)
        .execution_options(synchronize_session=False)
    ).first()
    session.commit()
    if done is None:
        raise ImportRefused("This import has started already.")


def check_row(
    fields: list[str], mapping: dict[str, int], width: int
) -> tuple[intake.NewLead | None, list[str]]:
    """The lead of one CSV row, or the list of what is wrong with it."""
    problems = []
    if len(fields) != width:
        problems.append(f"has {len(fields)} columns where the header has {width}")
        return None, problems
    values: dict[str, Any] = {}
    for name, index in mapping.items():
        value = fields[index].strip()
        if value and name in LIMITS and len(value) > LIMITS[name]:
            problems.append(f"{name.replace('_', ' ')} is longer than {LIMITS[name]} characters")
        values[name] = value or None
    email, phone = values.get("email"), values.get("phone")
    if email and not _EMAIL.match(email):
        problems.append(f"e-mail “{email[:60]}” is not valid")
    if phone and (not _PHONE.match(phone) or not 6 <= len(phone_digits(phone) or "") <= 15):
        problems.append(f"phone “{phone[:40]}” is not a phone number")
    if not email and not phone:
        problems.append("has neither an e-mail nor a phone")
    elif not (values.get("first_name") or values.get("last_name") or values.get("company") or email):
        problems.append("has no name or company")
    raw_value = values.pop("estimated_value", None)
    if raw_value:
        try:
            amount = Decimal(raw_value.replace(",", ""))
            if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
                raise InvalidOperation
            values["estimated_value"] = amount.quantize(Decimal("0.01"))
        except InvalidOperation:
            problems.append(f"estimated value “{raw_value[:30]}” is not an amount")
    if problems:
        return None, problems
    return intake.NewLead(**values), []


def queue_run(lead_import: LeadImport) -> None:
    """Hand a queued import (or one whose last run stopped) to the worker; the page polls its progress."""
    session = get_session()
    waiting = session.execute(
        update(LeadImport)
        .where(
            LeadImport.tenant_id == current_tenant.id,
            LeadImport.id == lead_import.id,
            LeadImport.status == "queued",
        )
        .values(processed_rows=0)
        .returning(LeadImport.id)
        .execution_options(synchronize_session=False)
    ).first()
    session.commit()
    if waiting is not None:
        queue().defer(IMPORT_JOB, current_tenant.id)


def claim_next() -> LeadImport | None:
    """Mark the tenant's oldest queued import as processing and return it (None when none waits).

    The conditional UPDATE with SKIP LOCKED means two workers never run the same import.
    """
    session = get_session()
    oldest = (
        select(LeadImport.id)
        .where(LeadImport.tenant_id == current_tenant.id, LeadImport.status == "queued")
        .order_by(LeadImport.created_on)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    claimed = session.scalars(
        update(LeadImport)
        .where(
            LeadImport.tenant_id == current_tenant.id, LeadImport.id == oldest, LeadImport.status == "queued"
        )
        .values(status="processing", processed_rows=0, errors=[])
        .returning(LeadImport)
        .execution_options(synchronize_session=False)
    ).first()
    session.commit()
    return claimed


def run(lead_import: LeadImport) -> None:
    """Check every row of a claimed import, then save all its leads in one transaction, or none.

    Progress is committed every CHUNK rows while checking (nothing is written yet); the leads, their
    assignment entries, the import's end and its audit event then go in one transaction.
    """
    session = get_session()
    began = time.monotonic()
    actor = session.scalars(
        select(User).where(User.tenant_id == current_tenant.id, User.id == lead_import.created_by)
    ).first()
    mapping = {name: int(index) for name, index in lead_import.mapping.items()}
    width = len(lead_import.header)
    new_leads, errors, error_count, processed = [], [], 0, 0
    for number, fields in _records(lead_import.content or ""):
        new_lead, problems = check_row(fields, mapping, width)
        if problems:
            error_count += 1
            if len(errors) < SHOWN_ERRORS:
                errors.append({"row": number, "problems": problems})
        elif not error_count:
            new_leads.append(new_lead)
        processed += 1
        if processed % CHUNK == 0:
            _progress(lead_import, processed=processed)
    if error_count:
        _progress(
            lead_import,
            status="rejected",
            processed=processed,
            errors=[{"count": error_count}, *errors],
            content=None,
            finished_on=dt.datetime.now(dt.UTC),
        )
        return
    _progress(lead_import, processed=processed)
    checked = time.monotonic()
    log.info("import %s: %d rows checked in %.2f s", lead_import.ref_id, processed, checked - began)
    intake.insert_leads(new_leads, "import", actor)
    session.execute(
        update(LeadImport)
        .where(LeadImport.tenant_id == current_tenant.id, LeadImport.id == lead_import.id)
        .values(
            status="done",
            processed_rows=processed,
            created_count=len(new_leads),
            content=None,
            finished_on=dt.datetime.now(dt.UTC),
        )
        .execution_options(synchronize_session=False)
    )
    by = f" by {actor.email}" if actor else ""
    audit.record("leads.import", lead_import, note=f"{len(new_leads)} leads from {lead_import.filename}{by}")
    session.commit()
    log.info(
        "import %s: %d leads saved in %.2f s", lead_import.ref_id, len(new_leads), time.monotonic() - checked
    )


def stopped(lead_import_id: Any, reason: str) -> None:
    """After a run that broke off (its transaction rolled back): queue it again, saying why it stopped."""
    session = get_session()
    session.rollback()
    session.execute(
        update(LeadImport)
        .where(
            LeadImport.tenant_id == current_tenant.id,
            LeadImport.id == lead_import_id,
            LeadImport.status == "processing",
        )
        .values(status="queued", processed_rows=0, errors=[{"stopped": reason[:300]}])
        .execution_options(synchronize_session=False)
    )
    session.commit()


def _progress(lead_import: LeadImport, processed: int, **values: Any) -> None:
    """Commit the import row's progress (no lead is written before every row is checked)."""
    if "status" in values:
        values.setdefault("errors", [])
    session = get_session()
    session.execute(
        update(LeadImport)
        .where(LeadImport.tenant_id == current_tenant.id, LeadImport.id == lead_import.id)
        .values(processed_rows=processed, **values)
        .execution_options(synchronize_session=False)
    )
    session.commit()
