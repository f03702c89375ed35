"""Sign-in, sign-out, password change and the server-side sessions behind them."""

from __future__ import annotations

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user

from portal.auth import service
from portal.db import set_tenant
from portal.extensions import login_manager
from portal.models import User
from portal.two_factor.pending import ENROL_KEY


def _load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the cookie's session must still be open on the server; sets the tenant."""
    if g.get("without_database"):
        return None  # an error page after a database failure (portal.errors): no query, shown signed out
    tenant_id, token = session.get("tid"), session.get("sid")
    try:
        found = service.load_signed_in(tenant_id, user_id, token) if tenant_id and token else None
    except service.SessionIdle:
        found = None
        g.session_idle = True
    if found is None:
        set_tenant(None)
        session.clear()
        return None
    user, tenant = found
    g.tenant = tenant
    g.user_ref, g.tenant_ref = user.ref_id, tenant.ref_id  # for the request log
    return user


# Pages a user with a one-time password may still open before choosing their own.
FIRST_PASSWORD_ENDPOINTS = {"auth.change_password", "auth.logout", "static", "dashboard.brand_css"}


# Pages a user whose tenant requires two-factor sign-in may open before setting it up.
ENROL_ENDPOINTS = {
    "two_factor.account",
    "two_factor.start",
    "two_factor.setup",
    "auth.logout",
    "static",
    "dashboard.brand_css",
}


# Endpoints that never need the user: they must answer even while PostgreSQL is down.
NO_USER_ENDPOINTS = {"health.healthz", "health.readyz", "static"}


def _duration() -> str:
    minutes = current_app.config["SESSION_IDLE_TIMEOUT"]
    hours, rest = divmod(minutes, 60)
    if rest or not hours:
        return f"{minutes} minutes"
    return "1 hour" if hours == 1 else f"{hours} hours"


def _identify():
    """Load the user (and so the tenant for RLS) before any view runs; send one-time passwords to be changed."""
    if request.endpoint in NO_USER_ENDPOINTS:
        return None
    if not current_user.is_authenticated and g.pop("session_idle", False):
        # Told once, on the sign-in page, instead of Flask-Login's generic "Please sign in".
        flash(f"You were signed out after {_duration()} without activity. Please sign in again.", "info")
        if request.endpoint != "auth.login":
            return redirect(url_for("auth.login"))
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in FIRST_PASSWORD_ENDPOINTS
    ):
        return redirect(url_for("auth.change_password"))
    if session.get(ENROL_KEY) and current_user.is_authenticated and request.endpoint not in ENROL_ENDPOINTS:
        return redirect(url_for("two_factor.account"))
    return None


def init_app(app: Flask) -> None:
    """Bind Flask-Login to our server-side sessions (the routes register with the other areas)."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    # Our sessions are checked on the server at every request; Flask-Login's own protection adds nothing.
    login_manager.session_protection = None
    login_manager.user_loader(_load_user)
    app.before_request(_identify)
