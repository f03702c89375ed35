"""Invitations to join a tenant's team (schema portal): the e-mailed link's token is stored as its SHA-256."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import CheckConstraint, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import TenantOwned, check_in, parent
from portal.models.tenancy import ROLES


class Invitation(TenantOwned):
    """An address invited with a role: pending until accepted, revoked, or past ``expires_on``.

    Resending replaces ``token_hash`` (the old link stops working) and moves ``expires_on``.
    """

    __tablename__ = "invitations"
    __parents__ = {"invited_by": "users", "user_id": "users", "revoked_by": "users"}
    __extra_args__ = (
        check_in("role", ROLES),
        CheckConstraint("email = lower(email)", name="email_lower"),
        # The public acceptance page finds the tenant by the token alone (invitation_tenant, migration 0014).
        Index("ix_invitations_token", "token_hash"),
        # One open invitation per address and tenant; the team page lists them through this index too.
        Index(
            "ux_invitations_open_email",
            "tenant_id",
            "email",
            unique=True,
            postgresql_where=text("accepted_on IS NULL AND revoked_on IS NULL"),
        ),
        {"schema": "portal"},
    )

    email: Mapped[str]
    role: Mapped[str]
    invited_by: Mapped[uuid.UUID]
    token_hash: Mapped[str] = mapped_column(String(64))
    expires_on: Mapped[dt.datetime]
    last_sent_on: Mapped[dt.datetime]
    accepted_on: Mapped[dt.datetime | None]
    user_id: Mapped[uuid.UUID | None]
    revoked_on: Mapped[dt.datetime | None]
    revoked_by: Mapped[uuid.UUID | None]

    inviter = parent("Invitation", "invited_by", "User")

    @property
    def expired(self) -> bool:
        """Whether the link's time is up (it may still be sent again while open)."""
        return self.expires_on <= dt.datetime.now(dt.UTC)
