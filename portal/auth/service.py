"""Sign-in rules and the server-side sessions that make sign-out, password changes and deactivation final.

The browser's cookie (signed by Flask) carries the tenant id, the user id and a random session token; the
server keeps only the token's SHA-256 in ``portal.web_sessions``. A request's user is loaded with one query
that also checks the token is not revoked or expired and that the user's ``session_version`` has not moved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import bindparam, func, select, text, update

from portal.auth.passwords import hash_password, needs_rehash, verify_password
from portal.db import get_session, set_tenant
from portal.hot.policy import prepared
from portal.models import Notification, Tenant, User, WebSession
from portal.notify import notify
from portal.two_factor import service as two_factor

security_log = logging.getLogger("portal.security")

BLOCKED_TENANT_STATUSES = ("suspended", "cancelled")
SEEN_INTERVAL = dt.timedelta(minutes=5)


class SessionIdle(Exception):
    """The session went unused for longer than SESSION_IDLE_TIMEOUT and has been ended."""


class SignInRefused(Exception):
    """Sign-in did not succeed; ``reason`` is 'credentials' (generic) or 'suspended'."""

    def __init__(self, reason: str, tenant_name: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.tenant_name = tenant_name


@dataclass
class SignedIn:
    """A successful sign-in: who, where, the token for the cookie, and whether 2FA must be set up first."""

    user: User
    tenant: Tenant
    token: str
    must_enrol: bool = False


class CodeDue(Exception):
    """The password is right and the user has two-factor sign-in: a code must follow before the session."""

    def __init__(self, user: User, tenant: Tenant) -> None:
        super().__init__("code due")
        self.user = user
        self.tenant = tenant


def token_hash(token: str) -> str:
    """The SHA-256 (hex) kept instead of a token: a stolen table gives no usable cookie or link."""
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def sign_in(
    email: str, password: str, ip: str | None, user_agent: str | None, device_token: str | None = None
) -> SignedIn:
    """Check the credentials (one generic failure), refuse inactive users and blocked tenants, open a session.

    A user with two-factor sign-in gets ``CodeDue`` instead (unless ``device_token`` is of a remembered
    device); one whose tenant requires it but who has none gets a session that must enrol first.
    """
    session = get_session()
    row = session.execute(text("SELECT * FROM auth_lookup(:email)"), {"email": email}).first()
    # verify_password spends the same time whether or not the e-mail exists.
    if not verify_password(row.password_hash if row else None, password) or not row.is_active:
        # %r escapes CR/LF, so a typed address cannot forge log lines.
        security_log.warning("sign-in failed email=%r ip=%s", email.strip().lower()[:200], ip)
        raise SignInRefused("credentials")
    session.rollback()
    set_tenant(row.tenant_id)
    user, tenant = session.execute(
        select(User, Tenant).join(Tenant, Tenant.id == User.tenant_id).where(User.id == row.user_id)
    ).one()
    if tenant.status in BLOCKED_TENANT_STATUSES:
        security_log.warning(
            "sign-in refused: tenant %s is %s user=%s", tenant.ref_id, tenant.status, user.ref_id
        )
        raise SignInRefused("suspended", tenant.name)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    step = two_factor.step_after_password(user, tenant, device_token)
    if step == "code":
        session.commit()
        raise CodeDue(user, tenant)
    return _signed_in(user, tenant, ip, user_agent, must_enrol=step == "enrol")


def _signed_in(
    user: User, tenant: Tenant, ip: str | None, user_agent: str | None, must_enrol: bool = False
) -> SignedIn:
    user.last_login_on = _now()
    token = _open_session(user, ip, user_agent)
    get_session().commit()
    security_log.info("sign-in user=%s tenant=%s ip=%s", user.ref_id, tenant.ref_id, ip)
    return SignedIn(user=user, tenant=tenant, token=token, must_enrol=must_enrol)


def code_due_user(tenant_id: str, user_id: str) -> tuple[User, Tenant] | None:
    """The user half-way through signing in (password right, code still due), if still allowed in."""
    try:
        tenant_uuid, user_uuid = uuid.UUID(tenant_id), uuid.UUID(user_id)
    except (TypeError, ValueError):
        return None
    set_tenant(tenant_uuid)
    return (
        get_session()
        .execute(
            select(User, Tenant)
            .join(Tenant, Tenant.id == User.tenant_id)
            .where(
                User.id == user_uuid,
                User.is_active.is_(True),
                User.deleted_on.is_(None),
                Tenant.status.not_in(BLOCKED_TENANT_STATUSES),
            )
        )
        .first()
    )


def sign_in_with_code(
    user: User, tenant: Tenant, code: str, remember: bool, ip: str | None, user_agent: str | None
) -> tuple[SignedIn, str | None]:
    """Open the session once the code (or a recovery code) is right; raises two_factor.CodeRefused.

    Returns the sign-in and, when asked to remember this device, the token for its cookie.
    """
    two_factor.check_code(user, code)
    device_token = two_factor.remember_device(user, user_agent, ip) if remember else None
    return _signed_in(user, tenant, ip, user_agent), device_token


THROTTLED = "sign_in_throttled"  # the notification's kind


def tell_user_of_throttling(email: str, window: dt.timedelta) -> None:
    """The account's sign-ins hit the ceiling across all addresses: tell its user, once per window.

    The bell and, when mail is on, an e-mail: someone is guessing their password from many addresses.
    """
    session = get_session()
    row = session.execute(text("SELECT * FROM auth_lookup(:email)"), {"email": email}).first()
    if row is None or not row.is_active:
        return
    session.rollback()
    set_tenant(row.tenant_id)
    user = session.scalars(select(User).where(User.id == row.user_id)).one()
    told = session.scalar(
        select(Notification.id)
        .where(
            Notification.tenant_id == user.tenant_id,
            Notification.user_id == user.id,
            Notification.kind == THROTTLED,
            Notification.created_on > _now() - window,
        )
        .limit(1)
    )
    if told is None:
        title = "Sign-ins to your account are paused for a while after many wrong passwords"
        notify(user, THROTTLED, title, url_for("auth.change_password"), email=True)
        session.commit()
        security_log.warning("sign-in ceiling reached user=%s, the user is told", user.ref_id)
    set_tenant(None)


def _open_session(user: User, ip: str | None, user_agent: str | None) -> str:
    token = secrets.token_urlsafe(32)
    get_session().add(
        WebSession(
            tenant_id=user.tenant_id,
            user_id=user.id,
            token_hash=token_hash(token),
            session_version=user.session_version,
            ip=ip,
            user_agent=(user_agent or "")[:400],
            last_seen_on=_now(),
            expires_on=_now() + dt.timedelta(hours=current_app.config["SESSION_HOURS"]),
        )
    )
    return token


# Built once and planned once: every request runs it, with the user and the token its only values.
_SIGNED_IN = prepared(
    # The session's own row only as the two columns the check needs: its whole entity cost more to load.
    select(User, Tenant, WebSession.id, WebSession.last_seen_on)
    .join(Tenant, Tenant.id == User.tenant_id)
    .join(WebSession, (WebSession.tenant_id == User.tenant_id) & (WebSession.user_id == User.id))
    .where(
        User.id == bindparam("user_id"),
        User.is_active.is_(True),
        User.deleted_on.is_(None),
        WebSession.token_hash == bindparam("token_hash"),
        WebSession.revoked_on.is_(None),
        WebSession.expires_on > func.now(),
        WebSession.session_version == User.session_version,
        Tenant.status.not_in(BLOCKED_TENANT_STATUSES),
    )
)


def load_signed_in(tenant_id: str, user_id: str, token: str) -> tuple[User, Tenant] | None:
    """The user and tenant behind a cookie, if its session is still open; else None. One query.

    A session idle for longer than SESSION_IDLE_TIMEOUT is revoked and ``SessionIdle`` raised. Its
    ``last_seen_on`` is written at most every SEEN_INTERVAL, so it may lag the last request by up to that
    much: the session is then ended up to SEEN_INTERVAL early, never late.
    """
    try:
        tenant_uuid, user_uuid = uuid.UUID(tenant_id), uuid.UUID(user_id)
    except (TypeError, ValueError):
        return None
    set_tenant(tenant_uuid)
    session = get_session()
    found = session.execute(_SIGNED_IN, {"user_id": user_uuid, "token_hash": token_hash(token)}).first()
    if found is None:
        return None
    user, tenant, web_session_id, last_seen_on = found
    idle = dt.timedelta(minutes=current_app.config["SESSION_IDLE_TIMEOUT"])
    if last_seen_on is not None and _now() - last_seen_on > idle:
        session.execute(
            update(WebSession)
            .where(WebSession.tenant_id == user.tenant_id, WebSession.id == web_session_id)
            .values(revoked_on=func.now())
        )
        session.commit()
        security_log.info("session ended after %s idle user=%s", idle, user.ref_id)
        raise SessionIdle
    if last_seen_on is None or _now() - last_seen_on > SEEN_INTERVAL:
        session.execute(
            update(WebSession)
            .where(WebSession.tenant_id == user.tenant_id, WebSession.id == web_session_id)
            .values(last_seen_on=_now())
        )
        session.commit()
    return user, tenant


def sign_out(user: User, token: str) -> None:
    """Revoke this browser's session, so a copy of the cookie no longer works either."""
    session = get_session()
    session.execute(
        update(WebSession)
        .where(WebSession.tenant_id == user.tenant_id, WebSession.token_hash == token_hash(token))
        .values(revoked_on=func.now())
    )
    session.commit()
    security_log.info("sign-out user=%s", user.ref_id)


def change_password(user: User, current: str, new: str, ip: str | None, user_agent: str | None) -> str | None:
    """Change the password if ``current`` is right; end every session (others too) and open a new one.

    Returns the new session token, or None when the current password is wrong.
    """
    if not verify_password(user.password_hash, current):
        security_log.warning("password change refused: wrong current password user=%s", user.ref_id)
        return None
    user.password_hash = hash_password(new)
    user.session_version += 1
    user.must_change_password = False
    user.updated_by = user.id
    token = _open_session(user, ip, user_agent)
    get_session().commit()
    security_log.info("password changed user=%s", user.ref_id)
    return token
