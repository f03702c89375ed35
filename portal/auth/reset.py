"""Password reset by e-mail: a single-use link, valid for 30 minutes, stored only as its token's SHA-256.

Asking for a link answers the same, after the same time, whether or not the address has an account; only
an active user of an open tenant gets an e-mail. The link carries nothing but its random token, so the
one look-up of its tenant goes through ``password_reset_tenant()`` (migration 0015), which answers only to
the token itself; everything else is read under RLS with that tenant set. Using the link sets the
password, ends every session of the user, and tells them by e-mail.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import time
from dataclasses import dataclass

from flask import current_app, g
from sqlalchemy import func, select, text, update

from portal import audit
from portal.auth.passwords import hash_password
from portal.auth.service import BLOCKED_TENANT_STATUSES, token_hash
from portal.db import get_session, set_tenant
from portal.mail.outbox import queue_email
from portal.models import PasswordReset, Tenant, User
from portal.web import external_url

security_log = logging.getLogger("portal.security")

LIFETIME = dt.timedelta(minutes=30)
# secrets.token_urlsafe(32) gives 43 such characters; anything else was never issued (and may not reach SQL).
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")

REFUSALS = {
    "invalid": "This reset link is not valid. Check that you copied the whole link, or ask for a new one.",
    "expired": "This reset link has expired: links work for 30 minutes. Ask for a new one.",
    "used": "This reset link was already used. If you still cannot sign in, ask for a new one.",
    "inactive": "This account is not active, so its password cannot be reset. Ask an administrator of your team.",
}


class ResetRefused(Exception):
    """A reset link that cannot be used; ``message`` says why, for the person holding it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = REFUSALS[reason]


@dataclass
class ResetLink:
    """A usable link: its row, the user whose password it resets, and their tenant."""

    reset: PasswordReset
    user: User
    tenant: Tenant


def request_reset(email: str, ip: str | None) -> None:
    """E-mail a reset link to ``email``'s user if that is an active account of an open tenant.

    Returns nothing either way, and never before PASSWORD_RESET_MIN_SECONDS have passed, so neither the
    answer nor its time tells whether the address has an account.
    """
    started = time.monotonic()
    try:
        _send_link(email, ip)
    finally:
        set_tenant(None)
        floor = current_app.config["PASSWORD_RESET_MIN_SECONDS"]
        time.sleep(max(0.0, floor - (time.monotonic() - started)))


def _send_link(email: str, ip: str | None) -> None:
    session = get_session()
    row = session.execute(text("SELECT * FROM auth_lookup(:email)"), {"email": email}).first()
    if row is None or not row.is_active:
        # %r escapes CR/LF, so a typed address cannot forge log lines.
        security_log.info(
            "password reset asked for %s email=%r ip=%s",
            "an inactive user" if row else "an unknown address",
            email.strip().lower()[:200],
            ip,
        )
        return
    session.rollback()
    set_tenant(row.tenant_id)
    user, tenant = session.execute(
        select(User, Tenant).join(Tenant, Tenant.id == User.tenant_id).where(User.id == row.user_id)
    ).one()
    if tenant.status in BLOCKED_TENANT_STATUSES:
        security_log.info(
            "password reset refused: tenant %s is %s user=%s", tenant.ref_id, tenant.status, user.ref_id
        )
        return
    token = secrets.token_urlsafe(32)
    session.add(
        PasswordReset(
            tenant_id=user.tenant_id,
            user_id=user.id,
            token_hash=token_hash(token),
            expires_on=dt.datetime.now(dt.UTC) + LIFETIME,
            requested_ip=ip,
        )
    )
    link = external_url("auth.reset_password", token=token)
    queue_email(
        user.tenant_id,
        user.email,
        f"Reset your password for {tenant.name}'s portal",
        f"Someone, hopefully you, asked to reset the password of {user.email} on {tenant.name}'s portal.\n\n"
        f"Choose a new password here (the link works once, for 30 minutes):\n{link}\n\n"
        "If you did not ask, ignore this e-mail: your password stays as it is.\n",
    )
    session.commit()
    security_log.info("password reset link sent user=%s ip=%s", user.ref_id, ip)


def find_link(token: str) -> ResetLink:
    """The usable link behind ``token``, with the request's tenant set to its own; else ResetRefused."""
    if not TOKEN_SHAPE.fullmatch(token):
        raise ResetRefused("invalid")
    session = get_session()
    tenant_id = session.execute(text("SELECT password_reset_tenant(:token)"), {"token": token}).scalar()
    if tenant_id is None:
        security_log.warning("password reset with an unknown token")
        raise ResetRefused("invalid")
    session.rollback()
    set_tenant(tenant_id)
    reset, user, tenant = session.execute(
        select(PasswordReset, User, Tenant)
        .join(User, (User.tenant_id == PasswordReset.tenant_id) & (User.id == PasswordReset.user_id))
        .join(Tenant, Tenant.id == PasswordReset.tenant_id)
        .where(PasswordReset.token_hash == token_hash(token))
    ).one()
    if reset.used_on is not None:
        raise ResetRefused("used")
    if reset.expires_on <= dt.datetime.now(dt.UTC):
        raise ResetRefused("expired")
    if not user.is_active or user.deleted_on is not None or tenant.status in BLOCKED_TENANT_STATUSES:
        security_log.warning("password reset refused: user=%s is inactive", user.ref_id)
        raise ResetRefused("inactive")
    g.tenant = tenant  # the audit event's tenant (nobody is signed in)
    return ResetLink(reset, user, tenant)


def reset_password(link: ResetLink, new_password: str, ip: str | None) -> None:
    """Use the link once: set the password, end every session of the user, and tell them by e-mail.

    The link is claimed by a conditional UPDATE, so of two submits only one resets; the other is refused
    as "used" and changes nothing.
    """
    session = get_session()
    user, reset = link.user, link.reset
    claimed = session.execute(
        update(PasswordReset)
        .where(
            PasswordReset.tenant_id == reset.tenant_id,
            PasswordReset.id == reset.id,
            PasswordReset.used_on.is_(None),
            PasswordReset.expires_on > func.now(),
        )
        .values(used_on=func.now())
        .returning(PasswordReset.id)
    ).first()
    if claimed is None:
        session.rollback()
        raise ResetRefused("used")
    # The user's other links die with this one: the password they were for is gone.
    session.execute(
        update(PasswordReset)
        .where(
            PasswordReset.tenant_id == user.tenant_id,
            PasswordReset.user_id == user.id,
            PasswordReset.used_on.is_(None),
        )
        .values(used_on=func.now())
    )
    user.password_hash = hash_password(new_password)
    user.session_version += 1  # every open session of the user fails its next check
    user.must_change_password = False
    user.updated_by = user.id
    audit.record("password.reset", user, note="New password chosen from an e-mailed reset link")
    queue_email(
        user.tenant_id,
        user.email,
        f"Your password for {link.tenant.name}'s portal was changed",
        f"The password of {user.email} on {link.tenant.name}'s portal was just changed with a reset link "
        f"(from address {ip or 'unknown'}), and every device signed in to it was signed out.\n\n"
        "If this was you, there is nothing to do. If it was not, reset it again at once and tell an "
        f"administrator of your team:\n{external_url('auth.forgot_password')}\n",
    )
    session.commit()
    security_log.info("password reset user=%s ip=%s", user.ref_id, ip)
