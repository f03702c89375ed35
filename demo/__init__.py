"""Demo data: three tenants (Acme Dental, Northwind Legal, Initech Plumbing) with realistic rows in all 31
tables, the MongoDB documents and S3 objects they refer to, and a login per role.

``seed_demo(session_factory, stores, password)`` writes everything; it refuses to run over existing demo
data unless ``reset=True``, which first deletes the demo tenants (their rows cascade from ``tenants``) and
their documents, then writes them again (objects are overwritten: their keys are the same on every run).

Each tenant is written in one transaction whose ``app.tenant_id`` is that tenant (Row Level Security is
forced, so nothing else could see or insert its rows). ``session_factory(tenant_id)`` must return such a
session, e.g. ``app.extensions["db"].new_session``; ``stores`` needs ``.documents`` (a pymongo-style
database: ``find_one``, ``delete_many``, ``insert_many``) and ``.blobs`` (``put(key, body, content_type)``).
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from demo import ads, billing, channels, leads, planning, publishing, runs, tenancy
from demo.builder import TenantSeed
from demo.profiles import PROFILES, Profile
from portal.auth.passwords import hash_password
from portal.db import Base
from portal.leads.search import lead_search_text, phone_digits

__all__ = [
    "DEMO_SLUGS",
    "DemoAlreadySeeded",
    "SeedError",
    "SeedSummary",
    "build_tenant",
    "demo_emails",
    "is_seeded",
    "lead_search_text",
    "phone_digits",
    "seed_demo",
]

SEED = 2024
DEMO_SLUGS = tuple(profile.slug for profile in PROFILES)
COLLECTIONS = ("activity_outputs", "strategies_content", "skills", "onboarding_research", "tool_call_logs")
SessionFactory = Callable[[uuid.UUID | None], Session]


class SeedError(RuntimeError):
    """The demo data cannot be written as asked."""


class DemoAlreadySeeded(SeedError):
    """Demo tenants exist already and no reset was asked for."""


@dataclass(frozen=True)
class DemoLogin:
    """A demo user one can sign in as."""

    email: str
    role: str
    tenant: str
    active: bool


@dataclass
class SeedSummary:
    """What seed_demo wrote: rows per tenant and table, documents, objects, the logins and the time taken."""

    rows: dict[str, Counter] = field(default_factory=dict)
    documents: Counter = field(default_factory=Counter)
    objects: int = 0
    logins: list[DemoLogin] = field(default_factory=list)
    password: str = ""
    seconds: float = 0.0
    reset: bool = False

    def __str__(self) -> str:
        """A printable report: a table of row counts, the stores' totals and the logins."""
        tables = sorted({table for counts in self.rows.values() for table in counts})
        slugs = list(self.rows)
        lines = [f"Demo data {'replaced' if self.reset else 'written'} in {self.seconds:.1f} s.", ""]
        lines.append(f"{'table':32}" + "".join(f"{slug:>11}" for slug in slugs))
        for table in tables:
            lines.append(f"{table:32}" + "".join(f"{self.rows[slug][table]:>11}" for slug in slugs))
        lines += [
            "",
            "Documents: " + ", ".join(f"{name} {count}" for name, count in sorted(self.documents.items())),
        ]
        lines += [f"Objects: {self.objects}", "", f"Logins (password: {self.password}):"]
        for login in self.logins:
            note = "" if login.active else "  (deactivated)"
            lines.append(f"  {login.email:28} {login.role:14} {login.tenant}{note}")
        return "\n".join(lines)


def demo_emails(profiles: tuple[Profile, ...] = PROFILES) -> list[str]:
    """Every demo user's e-mail address."""
    return [f"{person.key}@{profile.email_domain}" for profile in profiles for person in profile.people]


def _demo_tenant_ids(session_factory: SessionFactory) -> set[uuid.UUID]:
    """The ids of tenants that hold demo users, found through the sign-in look-up (no tenant needed)."""
    session = session_factory(None)
    try:
        found = session.execute(
            text(
                "SELECT DISTINCT a.tenant_id FROM unnest(CAST(:emails AS text[])) AS e(email), "
                "auth_lookup(e.email) AS a"
            ),
            {"emails": demo_emails()},
        )
        return set(found.scalars())
    finally:
        session.close()


def is_seeded(session_factory: SessionFactory) -> bool:
    """Whether any demo user exists (the demo tenants are then, at least partly, there)."""
    return bool(_demo_tenant_ids(session_factory))


def _clear(stores: Any, tenant_ref: str) -> None:
    """Delete a tenant's documents from every collection the demo writes."""
    for name in COLLECTIONS:
        collection = stores.documents[name]
        # Asked first because montydb's delete_many fails on a collection that was never written.
        if collection.find_one({"tenantId": tenant_ref}, {"_id": 1}) is not None:
            collection.delete_many({"tenantId": tenant_ref})


def _delete_tenant(session_factory: SessionFactory, stores: Any, tenant_id: uuid.UUID) -> None:
    """Delete one demo tenant: its rows go by ON DELETE CASCADE from tenants, its documents by tenantId."""
    session = session_factory(tenant_id)
    try:
        ref = session.execute(text("SELECT ref_id FROM tenants WHERE id = :id"), {"id": tenant_id}).scalar()
        session.execute(text("DELETE FROM tenants WHERE id = :id"), {"id": tenant_id})
        if ref:
            _clear(stores, ref)
        session.commit()
    finally:
        session.close()


def build_tenant(profile: Profile, *, seed: int, now: dt.datetime, password_hash: str) -> TenantSeed:
    """Build every row, document and object of one tenant (a subset for a tenant still onboarding)."""
    built = TenantSeed(profile, seed=seed, now=now, password_hash=password_hash)
    steps = [
        tenancy.tenant_and_users,
        tenancy.contracts,
        tenancy.onboarding,
        channels.channels_and_scores,
        channels.agent_settings,
    ]
    if profile.status == "active":
        steps += [
            planning.planning,
            ads.ads,
            publishing.blog,
            publishing.social,
            publishing.backlinks,
            billing.top_up_usage,
            billing.billing,
        ]
    # Sessions are settled last: every step before may have added runs to them.
    for step in [*steps, leads.leads, leads.lead_import, runs.finish_sessions]:
        step(built)
    return built


def _write(session: Session, builder: TenantSeed) -> Counter:
    """Insert the builder's rows table by table, parents first: one flush (batched INSERTs) per table."""
    by_table: dict[str, list[Any]] = {}
    for row in builder.rows:
        by_table.setdefault(row.__table__.name, []).append(row)
    counts = Counter()
    for table in Base.metadata.sorted_tables:
        rows = by_table.get(table.name)
        if rows:
            session.add_all(rows)
            session.flush()
            counts[table.name] = len(rows)
    return counts


def seed_demo(
    session_factory: SessionFactory,
    stores: Any,
    password: str,
    reset: bool = False,
    *,
    now: dt.datetime | None = None,
) -> SeedSummary:
    """Write the three demo tenants; refuse if they exist unless reset, which replaces them.

    ``now`` anchors every date (default: the current time), so the demo always has a current month.
    """
    started = time.perf_counter()
    existing = _demo_tenant_ids(session_factory)
    if existing and not reset:
        raise DemoAlreadySeeded(
            f"Demo data is already present ({len(existing)} demo tenant(s), e.g. owner@acme.test). "
            "Seed with reset=True to delete and write it again."
        )
    for tenant_id in existing:
        _delete_tenant(session_factory, stores, tenant_id)
    now = now or dt.datetime.now(dt.UTC)
    # One argon2 hash shared by all 24 demo users: hashing costs ~50 ms each, and they share the password.
    password_hash = hash_password(password)
    summary = SeedSummary(password=password, reset=bool(existing))
    for profile in PROFILES:
        builder = build_tenant(profile, seed=SEED, now=now, password_hash=password_hash)
        session = session_factory(builder.tenant_id)
        try:
            counts = _write(session, builder)
            # The stores are written before the commit: if they fail, the tenant's rows roll back with them.
            _clear(stores, builder.tenant_ref)  # documents left by an earlier run whose rows are gone
            for name in COLLECTIONS:
                documents = builder.documents.get(name, [])
                if documents:
                    stores.documents[name].insert_many(documents)
                summary.documents[name] += len(documents)
            for key, body, content_type in builder.objects:
                stores.blobs.put(key, body, content_type)
            session.commit()
        except IntegrityError as exc:
            session.rollback()
            raise SeedError(
                f"Could not write the demo tenant {profile.slug!r}: {exc.orig}. A tenant with that slug or a "
                "user with a demo e-mail may exist outside the demo; remove it first."
            ) from exc
        finally:
            session.close()
        summary.rows[profile.slug] = counts
        summary.objects += len(builder.objects)
        summary.logins += [
            DemoLogin(user.email, user.role, profile.name, user.is_active) for user in builder.users.values()
        ]
    summary.seconds = time.perf_counter() - started
    return summary
