"""Password resets by e-mail: the link's token is stored only as its SHA-256, used once, for 30 minutes."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import TenantOwned, parent

SCHEMA = "portal"


class PasswordReset(TenantOwned):
    """A reset link sent to a user: the token's SHA-256 (never the token), its expiry and its one use."""

    __tablename__ = "password_resets"
    __parents__ = {"user_id": ("users", "CASCADE")}
    __extra_args__ = (
        # The link carries no tenant: public.password_reset_tenant() finds the row by hash across tenants.
        Index("ix_password_resets_token", "token_hash"),
        Index("ix_password_resets_user", "tenant_id", "user_id"),
        {"schema": SCHEMA},
    )

    user_id: Mapped[uuid.UUID]
    token_hash: Mapped[str] = mapped_column(String(64))
    expires_on: Mapped[dt.datetime]
    used_on: Mapped[dt.datetime | None]
    requested_ip: Mapped[str | None]

    user = parent("PasswordReset", "user_id", "User")
