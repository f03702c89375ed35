"""The tenant's channels (website, ad accounts, social profiles) and their daily scores."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Index, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import SoftDeleted, TenantOwned, Updated, check_in, check_range, parent

CHANNEL_TYPES = (
    "website",
    "blog",
    "wordpress",
    "google_analytics",
    "google_search_console",
    "google_ads",
    "meta_ads",
    "facebook",
    "instagram",
    "linkedin",
    "x",
    "google_business_profile",
    "email",
)
CHANNEL_STATUSES = ("connected", "disconnected", "error")


class Channel(TenantOwned, Updated, SoftDeleted):
    """A place the tenant publishes, advertises or measures."""

    __tablename__ = "channels"
    __extra_args__ = (check_in("type", CHANNEL_TYPES), check_in("status", CHANNEL_STATUSES))

    type: Mapped[str]
    name: Mapped[str]
    url: Mapped[str | None]
    status: Mapped[str] = mapped_column(server_default="disconnected")
    connected_on: Mapped[dt.datetime | None]


class ChannelScore(TenantOwned):
    """A channel's health score (0–100) on a day, with the change since the previous one."""

    __tablename__ = "channel_scores"
    __parents__ = {"channel_id": ("channels", "CASCADE")}
    __extra_args__ = (
        check_range("score", 0, 100),
        Index("ux_channel_scores_day", "tenant_id", "channel_id", "scored_on", unique=True),
    )

    channel_id: Mapped[uuid.UUID]
    scored_on: Mapped[dt.date]
    score: Mapped[int]
    delta: Mapped[int | None]
    metrics: Mapped[dict[str, Any]] = mapped_column(server_default=text("'{}'::jsonb"))

    channel = parent("ChannelScore", "channel_id", "Channel")
