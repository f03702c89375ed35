"""The browser's side of two-factor sign-in: the half-signed-in state between the password and the code
(in Flask's signed session cookie, for ten minutes, with no server session open yet), the flag that keeps a
user whose tenant requires 2FA on the enrolment page, and the remembered device's cookie."""

from __future__ import annotations

import time

from flask import current_app, redirect, request, session, url_for

from portal.auth import service
from portal.two_factor.service import DEVICE_DAYS

PENDING_KEY = "code_due"
ENROL_KEY = "must_enrol"
DEVICE_COOKIE = "portal_device"
PENDING_SECONDS = 600


def device_token() -> str | None:
    """The remembered-device token this browser sent, if any."""
    return request.cookies.get(DEVICE_COOKIE)


def hold_for_code(due: service.CodeDue, next_url: str | None):
    """Keep who typed the right password (nothing else), and send them to the code page."""
    session.clear()
    session[PENDING_KEY] = {
        "tid": str(due.tenant.id),
        "uid": str(due.user.id),
        "until": int(time.time()) + PENDING_SECONDS,
        "next": next_url,
    }
    return redirect(url_for("two_factor.code"))


def held() -> dict | None:
    """The half-signed-in state, or None when there is none or its ten minutes are over."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or pending.get("until", 0) < time.time():
        return None
    return pending


def held_account() -> str:
    """The user id of the half-signed-in state, for throttling code attempts per account."""
    return (held() or {}).get("uid", "")


def remember(response, token: str) -> None:
    """Set the remembered device's cookie on the response (HttpOnly, for DEVICE_DAYS)."""
    response.set_cookie(
        DEVICE_COOKIE,
        token,
        max_age=DEVICE_DAYS * 24 * 3600,
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
    )


def enrolled() -> None:
    """Two-factor sign-in is set up: the rest of the portal opens."""
    session.pop(ENROL_KEY, None)


def must_enrol() -> bool:
    """Whether this session may open nothing but the enrolment until two-factor sign-in is set up."""
    return bool(session.get(ENROL_KEY))
