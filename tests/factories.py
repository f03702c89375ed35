"""Factories: a test creates the rows it asserts on, instead of leaning on facts of the demo data.

Each factory writes through the real models in the session of the tenant it is given (the session the
tenant row was loaded in, with that tenant's Row Level Security set), inside the test's rolled-back
transaction, and commits: the row is saved, no transaction is left open, and its columns (server
defaults too) stay readable. ``tenant_id`` is always set explicitly: relationships never write it.

    tenant = make_tenant(app)                       # contract accepted, onboarding done: pages open
    manager = make_user(tenant, "sales_manager")    # signs in with signed_in(app, manager.email)
    lead = make_lead(tenant, first_name="Ada")

A demo tenant works too: ``make_lead(tenant_of(tenant_session("acme")))``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
import weakref
from decimal import Decimal
from typing import Any, TypeVar

from flask import Flask
from sqlalchemy.orm import Session, object_session

from portal.auth.passwords import hash_password
from portal.leads.search import lead_search_text, phone_digits
from portal.models import AdCampaign, BlogPost, Lead, SocialPost, Tenant, User
from tests.conftest import PASSWORD

Row = TypeVar("Row")
# Names made unique within the test session (e-mail addresses and slugs are unique across tenants).
_numbers = itertools.count(1)
# object_session() holds a session weakly: a made tenant keeps its session for as long as the row lives.
_sessions_of_made_tenants: weakref.WeakKeyDictionary[Tenant, Session] = weakref.WeakKeyDictionary()


def _unique() -> str:
    return f"{next(_numbers)}-{uuid.uuid4().hex[:6]}"


def session_of(tenant: Tenant) -> Session:
    """The session a tenant row belongs to: its tenant's RLS is set in it (assert, not guess)."""
    session = object_session(tenant)
    assert session is not None, "pass a tenant row loaded in a session (make_tenant's or tenant_of's)"
    assert session.info.get("tenant_id") in (tenant.id, str(tenant.id)), "the session is another tenant's"
    return session


def _save(tenant: Tenant, row: Row) -> Row:
    """Add row in the tenant's session and commit (a savepoint of the test's transaction)."""
    session = session_of(tenant)
    session.add(row)
    session.commit()
    return row


def make_tenant(app: Flask, **overrides: Any) -> Tenant:
    """A new tenant, active, with its contract accepted and onboarding completed, so every page opens."""
    tenant_id = overrides.pop("id", None) or uuid.uuid4()
    now = dt.datetime.now(dt.UTC)
    unique = _unique()
    values = {
        "id": tenant_id,
        "name": f"Factory Tenant {unique}",
        "slug": f"factory-{unique}",
        "status": "active",
        "contract_accepted_on": now,
        "onboarding_completed_on": now,
    }
    session = app.extensions["db"].new_session(tenant_id)
    tenant = Tenant(**(values | overrides))
    session.add(tenant)
    session.commit()
    _sessions_of_made_tenants[tenant] = session
    return tenant


def make_user(tenant: Tenant, role: str, **overrides: Any) -> User:
    """A user of tenant with role, whose password is the demo's (``signed_in(app, user.email)`` works)."""
    unique = _unique()
    values = {
        "tenant_id": tenant.id,
        "full_name": f"{role.replace('_', ' ').title()} {unique}",
        "email": f"{role}-{unique}@{tenant.slug}.test",
        "role": role,
        "password_hash": hash_password(PASSWORD),
    }
    return _save(tenant, User(**(values | overrides)))


def make_lead(tenant: Tenant, **overrides: Any) -> Lead:
    """A lead of tenant (new, unassigned, added by hand), searchable as the app writes it."""
    unique = _unique()
    values = {
        "tenant_id": tenant.id,
        "source": "manual",
        "first_name": "Lead",
        "last_name": f"Person{unique.split('-')[0]}",
        "email": f"lead-{unique}@example.test",
        "company": "Factory Ltd",
        "status": "new",
    } | overrides
    values.setdefault("phone_digits", phone_digits(values.get("phone")))
    values.setdefault(
        "search_text",
        lead_search_text(
            values.get("first_name"),
            values.get("last_name"),
            values.get("email"),
            values.get("company"),
            values.get("phone"),
        ),
    )
    return _save(tenant, Lead(**values))


def make_blog_post(tenant: Tenant, status: str = "client_review", **overrides: Any) -> BlogPost:
    """A blog post of tenant, by default waiting for the tenant's decision."""
    unique = _unique()
    values = {
        "tenant_id": tenant.id,
        "title": f"Blog post {unique}",
        "slug": f"blog-post-{unique}",
        "status": status,
    }
    return _save(tenant, BlogPost(**(values | overrides)))


def make_social_post(tenant: Tenant, status: str = "client_review", **overrides: Any) -> SocialPost:
    """A LinkedIn post of tenant, by default waiting for the tenant's decision."""
    values = {
        "tenant_id": tenant.id,
        "platform": "linkedin",
        "caption": f"Social post {_unique()}",
        "status": status,
    }
    return _save(tenant, SocialPost(**(values | overrides)))


def make_campaign(tenant: Tenant, status: str = "client_review", **overrides: Any) -> AdCampaign:
    """A Google Ads campaign of tenant for leads, by default waiting for the tenant's decision."""
    values = {
        "tenant_id": tenant.id,
        "name": f"Campaign {_unique()}",
        "platform": "google_ads",
        "goal": "leads",
        "status": status,
        "budget": Decimal("50000.00"),
        "currency": tenant.currency,
    }
    return _save(tenant, AdCampaign(**(values | overrides)))
