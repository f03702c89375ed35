"""The leads area's own tables (schema ``portal``): search terms, CSV imports and the web-form tokens.

- ``lead_search_terms``: every word of a lead's ``search_text`` (and its e-mail split at punctuation), one
  row each, kept by a trigger on ``leads``. A search word is matched as a prefix by a plain range
  (``term >= 'smi' AND term < 'smj'``) on the ``(tenant_id, term)`` key: range operators on text are
  leakproof, so the index stays usable under Row Level Security, and a middle word ("smith" in
  "john smith …") is found, which a prefix of ``leads.search_text`` alone cannot do. Each row carries
  its lead's ``created_on``, so the newest matches are sorted before any lead is read.
- ``lead_imports``: one CSV import, with its file until it is done, its column mapping, its progress and
  its per-row errors.
- ``lead_web_forms``: the tenant's web-form token, stored as its SHA-256 only.
- ``lead_status_counts``: how many live leads the tenant has per status, assigned or not, kept by
  statement-level triggers on ``leads`` (migration 0006), so the dashboard does not count every lead.
- ``lead_day_counts``: how many live leads arrived per day (in the tenant's timezone) and source, kept the
  same way (migration 0007, which also rebuilds a tenant's days when its timezone changes): the
  dashboard's weeks chart.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import BigInteger, ForeignKeyConstraint, Index, PrimaryKeyConstraint, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base
from portal.models.base import CURRENT_TENANT, TenantOwned, check_in

SCHEMA = "portal"
IMPORT_STATUSES = ("mapping", "queued", "processing", "rejected", "done")
IMPORT_RUNNING = ("queued", "processing")  # rows still being checked or saved: the status page polls


class LeadSearchTerm(Base):
    """One searchable word of a lead (written by the database trigger, read by the list's search)."""

    __tablename__ = "lead_search_terms"
    __table_args__ = (
        # The key carries the lead's creation time, so a search's newest matches come from the index alone.
        PrimaryKeyConstraint("tenant_id", "term", "lead_id", postgresql_include=["lead_created_on"]),
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "lead_id"], ["leads.tenant_id", "leads.id"], ondelete="CASCADE"),
        Index("ix_lead_search_terms_lead", "tenant_id", "lead_id"),
        {"schema": SCHEMA},
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(server_default=CURRENT_TENANT)
    # Binary collation: a prefix is then exactly a range of byte strings, in any database locale.
    term: Mapped[str] = mapped_column(Text(collation="C"))
    lead_id: Mapped[uuid.UUID]
    lead_created_on: Mapped[dt.datetime]  # the lead's created_on, kept by the trigger (migration 0008)


class LeadStatusCount(Base):
    """The number of the tenant's live leads with one status, unassigned or not (kept by triggers)."""

    __tablename__ = "lead_status_counts"
    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "status", "unassigned"),
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        {"schema": SCHEMA},
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(server_default=CURRENT_TENANT)
    status: Mapped[str]
    unassigned: Mapped[bool]
    n: Mapped[int] = mapped_column(BigInteger)


class LeadDayCount(Base):
    """The number of the tenant's live leads created on one day (its timezone) from one source (kept by triggers)."""

    __tablename__ = "lead_day_counts"
    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "day", "source"),
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        {"schema": SCHEMA},
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(server_default=CURRENT_TENANT)
    day: Mapped[dt.date]
    source: Mapped[str]
    n: Mapped[int] = mapped_column(BigInteger)


class LeadImport(TenantOwned):
    """A CSV import: uploaded, mapped, checked row by row, then saved all at once or not at all."""

    __tablename__ = "lead_imports"
    __extra_args__ = (
        check_in("status", IMPORT_STATUSES),
        Index("ix_lead_imports_tenant_created", "tenant_id", "created_on"),
        {"schema": SCHEMA},
    )

    filename: Mapped[str]
    status: Mapped[str] = mapped_column(server_default="mapping")
    content: Mapped[str | None]
    header: Mapped[list[Any]] = mapped_column(server_default=text("'[]'::jsonb"))
    mapping: Mapped[dict[str, Any]] = mapped_column(server_default=text("'{}'::jsonb"))
    total_rows: Mapped[int] = mapped_column(server_default="0")
    processed_rows: Mapped[int] = mapped_column(server_default="0")
    created_count: Mapped[int] = mapped_column(server_default="0")
    errors: Mapped[list[Any]] = mapped_column(server_default=text("'[]'::jsonb"))
    finished_on: Mapped[dt.datetime | None]

    @property
    def running(self) -> bool:
        """Whether the import's rows are still being checked or saved (queued or processing)."""
        return self.status in IMPORT_RUNNING


class LeadWebForm(TenantOwned):
    """The tenant's web-form endpoint: the token's SHA-256 (never the token), until revoked."""

    __tablename__ = "lead_web_forms"
    __extra_args__ = (
        Index("ix_lead_web_forms_token", "token_hash"),
        {"schema": SCHEMA},
    )

    token_hash: Mapped[str] = mapped_column(String(64))
    revoked_on: Mapped[dt.datetime | None]
