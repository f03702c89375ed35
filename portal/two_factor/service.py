"""Two-factor sign-in with TOTP: enrolment, codes (never twice), recovery codes, remembered devices and the
tenant's requirement.

The secret is stored encrypted (Fernet, with a key derived from SECRET_KEY by HKDF), so a copy of the
database alone cannot produce codes; rotating SECRET_KEY therefore turns off every authenticator (users
then sign in with a recovery code and enrol again). Recovery codes and device tokens are random and long,
so their SHA-256 is enough (no slow hash needed).
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import logging
import secrets
from dataclasses import dataclass

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import abort, current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert

from portal.audit import record
from portal.auth import service
from portal.auth.passwords import verify_password
from portal.db import get_session
from portal.ids import is_ulid
from portal.models import RecoveryCode, RememberedDevice, SignInPolicy, Tenant, TwoFactorSecret, User

security_log = logging.getLogger("portal.security")

RECOVERY_CODES = 10
DEVICE_DAYS = 30
# Codes of the step before and after the current one are accepted too: phone clocks drift.
DRIFT_STEPS = 1


class CodeRefused(Exception):
    """The code is wrong, already used, or of a step no later than the last one accepted."""


class AlreadyOn(Exception):
    """Two-factor sign-in is already on for this user."""


class TurnOffRefused(Exception):
    """Two-factor sign-in stays on; the message says why."""


@dataclass
class Overview:
    """What the account's two-factor section shows."""

    enabled_on: dt.datetime | None
    recovery_codes_left: int
    devices: list[RememberedDevice]
    required: bool


@dataclass
class Enrolment:
    """What the enrolment page shows: the secret to type and the QR code holding the same."""

    secret: str
    qr_data_uri: str


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _box() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"portal two-factor secrets").derive(
        current_app.config["SECRET_KEY"].encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def _secret_row(user: User) -> TwoFactorSecret | None:
    return (
        get_session()
        .scalars(
            select(TwoFactorSecret).where(
                TwoFactorSecret.tenant_id == user.tenant_id, TwoFactorSecret.user_id == user.id
            )
        )
        .first()
    )


def is_on(user: User) -> bool:
    """Whether the user signs in with a code."""
    row = _secret_row(user)
    return row is not None and row.enabled_on is not None


def enabled_on(user: User) -> dt.datetime | None:
    """When the user turned two-factor sign-in on, or None."""
    row = _secret_row(user)
    return row.enabled_on if row else None


def is_required(tenant: Tenant) -> bool:
    """Whether the tenant's owner requires two-factor sign-in for everyone."""
    return bool(
        get_session().scalar(
            select(SignInPolicy.require_two_factor).where(SignInPolicy.tenant_id == tenant.id)
        )
    )


def set_required(tenant: Tenant, required: bool, actor: User) -> None:
    """Require two-factor sign-in for everyone of the tenant (from their next sign-in), or stop requiring it."""
    session = get_session()
    values = {"require_two_factor": required, "updated_by": actor.id, "updated_on": func.now()}
    policy = session.scalars(
        insert(SignInPolicy)
        .values(tenant_id=tenant.id, created_by=actor.id, **values)
        .on_conflict_do_update(index_elements=["tenant_id"], set_=values)
        .returning(SignInPolicy)
    ).one()
    record("two_factor.required" if required else "two_factor.not_required", policy)
    session.commit()
    security_log.info("two-factor required=%s tenant=%s by=%s", required, tenant.ref_id, actor.ref_id)


def start_enrolment(user: User) -> None:
    """Draw a new secret for the user (not yet on: a code from it must confirm it first)."""
    row = _secret_row(user)
    if row is not None and row.enabled_on is not None:
        raise AlreadyOn
    secret = _box().encrypt(pyotp.random_base32().encode()).decode()
    if row is None:
        get_session().add(TwoFactorSecret(tenant_id=user.tenant_id, user_id=user.id, secret=secret))
    else:
        row.secret, row.last_counter = secret, None
    get_session().commit()


def pending_enrolment(user: User, tenant: Tenant) -> Enrolment | None:
    """The secret being set up and its QR code, or None if there is none (or it is already on)."""
    row = _secret_row(user)
    if row is None or row.enabled_on is not None:
        return None
    secret = _decrypt(row)
    if secret is None:
        return None
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=f"{tenant.name} portal")
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#000", light="#fff")
    return Enrolment(secret=secret, qr_data_uri=qr)


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Turn two-factor sign-in on with a first code from the app; returns the ten recovery codes (shown once)."""
    row = _secret_row(user)
    if row is None or row.enabled_on is not None:
        raise CodeRefused
    _accept_totp(row, code)
    row.enabled_on = _now()
    codes = _new_recovery_codes(user)
    get_session().commit()
    security_log.info("two-factor on user=%s", user.ref_id)
    return codes


def regenerate_recovery_codes(user: User, code: str) -> list[str]:
    """New recovery codes (the old ones stop working), after a code from the app."""
    row = _secret_row(user)
    if row is None or row.enabled_on is None:
        raise CodeRefused
    _accept_totp(row, code)
    codes = _new_recovery_codes(user)
    get_session().commit()
    security_log.info("recovery codes regenerated user=%s", user.ref_id)
    return codes


def turn_off(user: User, tenant: Tenant, password: str, code: str) -> None:
    """Turn two-factor sign-in off with the password and a code, forgetting the devices and recovery codes."""
    if is_required(tenant):
        raise TurnOffRefused("Your team requires two-factor sign-in, so it cannot be turned off.")
    if not verify_password(user.password_hash, password):
        raise TurnOffRefused("That password or code is not right.")
    try:
        check_code(user, code)
    except CodeRefused:
        raise TurnOffRefused("That password or code is not right.") from None
    session = get_session()
    for model in (TwoFactorSecret, RecoveryCode, RememberedDevice):
        session.execute(delete(model).where(model.tenant_id == user.tenant_id, model.user_id == user.id))
    session.commit()
    security_log.info("two-factor off user=%s", user.ref_id)


def overview(user: User, tenant: Tenant) -> Overview:
    """The user's two-factor state for the account page."""
    on = enabled_on(user)
    return Overview(
        enabled_on=on,
        recovery_codes_left=recovery_codes_left(user) if on else 0,
        devices=devices(user) if on else [],
        required=is_required(tenant),
    )


def recovery_codes_left(user: User) -> int:
    """How many unused recovery codes the user has."""
    return get_session().scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(
            RecoveryCode.tenant_id == user.tenant_id,
            RecoveryCode.user_id == user.id,
            RecoveryCode.used_on.is_(None),
        )
    )


def check_code(user: User, code: str) -> str:
    """Accept a code from the app or an unused recovery code (used up); returns which. The caller commits."""
    typed = "".join(code.split()).replace("-", "").lower()
    if len(typed) == 6 and typed.isdigit():
        row = _secret_row(user)
        if row is None or row.enabled_on is None:
            raise CodeRefused
        _accept_totp(row, typed)
        return "app"
    used = get_session().scalar(
        update(RecoveryCode)
        .where(
            RecoveryCode.tenant_id == user.tenant_id,
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == service.token_hash(typed),
            RecoveryCode.used_on.is_(None),
        )
        .values(used_on=func.now())
        .returning(RecoveryCode.id)
    )
    if used is None:
        security_log.warning("two-factor code refused user=%s", user.ref_id)
        raise CodeRefused
    security_log.info("recovery code used user=%s", user.ref_id)
    return "recovery"


def _decrypt(row: TwoFactorSecret) -> str | None:
    try:
        return _box().decrypt(row.secret.encode()).decode()
    except InvalidToken:
        security_log.error("two-factor secret unreadable (SECRET_KEY changed?) user_id=%s", row.user_id)
        return None


def _accept_totp(row: TwoFactorSecret, code: str) -> None:
    """Accept a 6-digit code of a step after the last one accepted, and record that step (atomically)."""
    secret = _decrypt(row)
    typed = "".join(code.split())
    if secret is None or len(typed) != 6 or not typed.isdigit():
        raise CodeRefused
    totp = pyotp.TOTP(secret)
    now = totp.timecode(_now())
    matched = [
        step
        for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1)
        if hmac.compare_digest(totp.generate_otp(step), typed)
    ]
    # The conditional UPDATE refuses a replay even when two requests bring the same code at once.
    accepted = matched and get_session().scalar(
        update(TwoFactorSecret)
        .where(
            TwoFactorSecret.tenant_id == row.tenant_id,
            TwoFactorSecret.id == row.id,
            (TwoFactorSecret.last_counter.is_(None)) | (TwoFactorSecret.last_counter < matched[0]),
        )
        .values(last_counter=matched[0])
        .returning(TwoFactorSecret.id)
        .execution_options(synchronize_session=False)
    )
    if not accepted:
        security_log.warning("two-factor code refused (wrong or replayed) user_id=%s", row.user_id)
        raise CodeRefused


def _new_recovery_codes(user: User) -> list[str]:
    session = get_session()
    session.execute(
        delete(RecoveryCode).where(RecoveryCode.tenant_id == user.tenant_id, RecoveryCode.user_id == user.id)
    )
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = base64.b32encode(secrets.token_bytes(7)).decode().lower().rstrip("=")[:10]
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(
            RecoveryCode(tenant_id=user.tenant_id, user_id=user.id, code_hash=service.token_hash(raw))
        )
    return codes


# -- remembered devices ------------------------------------------------------------------------------------


def remember_device(user: User, user_agent: str | None, ip: str | None) -> str:
    """Remember this browser for DEVICE_DAYS; returns the token for its cookie. The caller commits."""
    token = secrets.token_urlsafe(32)
    get_session().add(
        RememberedDevice(
            tenant_id=user.tenant_id,
            user_id=user.id,
            token_hash=service.token_hash(token),
            session_version=user.session_version,
            user_agent=(user_agent or "")[:400],
            ip=ip,
            last_used_on=_now(),
            expires_on=_now() + dt.timedelta(days=DEVICE_DAYS),
        )
    )
    security_log.info("device remembered user=%s", user.ref_id)
    return token


def _live_devices(user: User):
    return select(RememberedDevice).where(
        RememberedDevice.tenant_id == user.tenant_id,
        RememberedDevice.user_id == user.id,
        RememberedDevice.session_version == user.session_version,
        RememberedDevice.expires_on > func.now(),
    )


def is_remembered(user: User, token: str | None) -> bool:
    """Whether the cookie's token names one of the user's live remembered devices (noting its use)."""
    if not token:
        return False
    device = (
        get_session()
        .scalars(_live_devices(user).where(RememberedDevice.token_hash == service.token_hash(token)))
        .first()
    )
    if device is None:
        return False
    device.last_used_on = _now()
    return True


def devices(user: User) -> list[RememberedDevice]:
    """The user's remembered devices, most recently used first."""
    return list(
        get_session().scalars(_live_devices(user).order_by(RememberedDevice.last_used_on.desc().nulls_last()))
    )


def forget_device(user: User, device_ref: str) -> None:
    """Forget one of the user's own devices; any other id (another user's, another tenant's) is a 404."""
    if not is_ulid(device_ref):
        abort(404)
    gone = get_session().scalar(
        delete(RememberedDevice)
        .where(
            RememberedDevice.tenant_id == user.tenant_id,
            RememberedDevice.user_id == user.id,
            RememberedDevice.ref_id == device_ref,
        )
        .returning(RememberedDevice.id)
    )
    if gone is None:
        security_log.info("not found model=RememberedDevice ref_id=%s user=%s", device_ref, user.ref_id)
        abort(404)
    get_session().commit()


# -- the sign-in's second step -----------------------------------------------------------------------------


def step_after_password(user: User, tenant: Tenant, device_token: str | None) -> str | None:
    """What sign-in asks after the right password: "code", "enrol" (the tenant requires it), or None."""
    if is_on(user):
        return None if is_remembered(user, device_token) else "code"
    return "enrol" if is_required(tenant) else None
