"""Two-factor sign-in: each user's authenticator secret, recovery codes and remembered devices, and the
tenant's setting that requires it for everyone (schema ``portal``, forced under RLS like web_sessions)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import TenantOwned, Updated

SCHEMA = "portal"


class TwoFactorSecret(TenantOwned):
    """A user's TOTP secret (encrypted with a key derived from SECRET_KEY), on from ``enabled_on``.

    ``last_counter`` is the time step of the last code accepted: a code of that step or an earlier one is
    refused, so a code seen over someone's shoulder cannot be used again within its window.
    """

    __tablename__ = "two_factor_secrets"
    __parents__ = {"user_id": ("users", "CASCADE")}
    __extra_args__ = (
        Index("ux_two_factor_secrets_user", "tenant_id", "user_id", unique=True),
        {"schema": SCHEMA},
    )

    user_id: Mapped[uuid.UUID]
    secret: Mapped[str]
    enabled_on: Mapped[dt.datetime | None]
    last_counter: Mapped[int | None] = mapped_column(BigInteger)


class RecoveryCode(TenantOwned):
    """One of a user's ten single-use recovery codes, stored only as its SHA-256."""

    __tablename__ = "recovery_codes"
    __parents__ = {"user_id": ("users", "CASCADE")}
    __extra_args__ = (
        Index("ux_recovery_codes_code", "tenant_id", "user_id", "code_hash", unique=True),
        {"schema": SCHEMA},
    )

    user_id: Mapped[uuid.UUID]
    code_hash: Mapped[str] = mapped_column(String(64))
    used_on: Mapped[dt.datetime | None]


class RememberedDevice(TenantOwned):
    """A browser that skips the code for 30 days: its cookie's token, stored only as its SHA-256.

    It counts only while ``session_version`` equals the user's, so a password change forgets every device.
    """

    __tablename__ = "remembered_devices"
    __parents__ = {"user_id": ("users", "CASCADE")}
    __extra_args__ = (
        Index("ux_remembered_devices_token", "tenant_id", "token_hash", unique=True),
        Index("ix_remembered_devices_user", "tenant_id", "user_id"),
        {"schema": SCHEMA},
    )

    user_id: Mapped[uuid.UUID]
    token_hash: Mapped[str] = mapped_column(String(64))
    session_version: Mapped[int]
    user_agent: Mapped[str | None]
    ip: Mapped[str | None]
    last_used_on: Mapped[dt.datetime | None]
    expires_on: Mapped[dt.datetime]


class SignInPolicy(TenantOwned, Updated):
    """The tenant's sign-in rules set by its owner (one row per tenant; none means the defaults)."""

    __tablename__ = "sign_in_policies"
    __extra_args__ = (
        Index("ux_sign_in_policies_tenant", "tenant_id", unique=True),
        {"schema": SCHEMA},
    )

    require_two_factor: Mapped[bool] = mapped_column(server_default=text("false"))
