"""The tenant's web-form endpoint: a secret token in the URL names the tenant (only its SHA-256 is stored).

The post comes with no signed-in user, so the tenant is found through ``lead_form_tenant``, the one
narrowly-scoped SECURITY DEFINER function besides sign-in's ``auth_lookup`` (migration 0004).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import g, jsonify, render_template, request
from sqlalchemy import select, text, update

from portal import audit
from portal.db import get_session, set_tenant
from portal.leads import intake
from portal.models import LeadWebForm, Tenant, User
from portal.tenancy import current_tenant


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def tenant_for(token: str) -> Tenant | None:
    """The tenant whose current web-form token this is (and set it for the request), or None."""
    if not token or len(token) > 200:
        return None
    session = get_session()
    set_tenant(None)
    tenant_id = session.execute(text("SELECT lead_form_tenant(:token)"), {"token": token}).scalar()
    session.rollback()
    if tenant_id is None:
        return None
    set_tenant(tenant_id)
    tenant = session.scalars(select(Tenant).where(Tenant.id == tenant_id)).one_or_none()
    if tenant is None or tenant.status in ("suspended", "cancelled"):
        return None
    g.tenant = tenant
    return tenant


def current() -> LeadWebForm | None:
    """The tenant's web form in use, if one was made."""
    return (
        get_session()
        .scalars(
            select(LeadWebForm)
            .where(LeadWebForm.tenant_id == current_tenant.id, LeadWebForm.revoked_on.is_(None))
            .order_by(LeadWebForm.created_on.desc())
            .limit(1)
        )
        .first()
    )


def rotate(actor: User) -> str:
    """A new token (returned once, stored as its hash); the previous one stops working at once."""
    session = get_session()
    session.execute(
        update(LeadWebForm)
        .where(LeadWebForm.tenant_id == current_tenant.id, LeadWebForm.revoked_on.is_(None))
        .values(revoked_on=dt.datetime.now(dt.UTC))
        .execution_options(synchronize_session=False)
    )
    token = secrets.token_urlsafe(24)
    web_form = LeadWebForm(tenant_id=current_tenant.id, token_hash=_hash(token), created_by=actor.id)
    session.add(web_form)
    session.flush()
    audit.record("leads.web_form_token", web_form)
    session.commit()
    return token


def create(form) -> None:
    """A website_form lead from the posted fields, assigned by the tenant's rule."""

    def value(name: str) -> str | None:
        data = (form[name].data or "").strip()
        return data or None

    new_lead = intake.NewLead(
        first_name=value("first_name"),
        last_name=value("last_name"),
        email=value("email"),
        phone=value("phone"),
        company=value("company"),
        message=value("message"),
        source_url=value("page") or (request.referrer or None),
        utm_source=value("utm_source"),
        utm_medium=value("utm_medium"),
        utm_campaign=value("utm_campaign"),
    )
    intake.insert_leads([new_lead], "website_form", None)
    get_session().commit()


def answer(message: str, status: int):
    """JSON for scripts, a small page for a plain HTML form post."""
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"message": message}), status
    return render_template("leads/web_form_answer.html", message=message, ok=status < 300), status
