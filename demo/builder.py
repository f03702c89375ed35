"""The demo rows of one tenant, with the MongoDB documents and S3 objects they refer to.

A ``TenantSeed`` holds what one tenant's build has made so far and the helpers every step uses; the steps
(one module per area: tenancy, channels, planning, ads, publishing, billing, leads, with the agent runs in
``runs``) fill its ``rows`` (ORM objects with explicit ids, so foreign keys are wired without flushing),
``documents`` (collection → documents) and ``objects`` ((key, bytes, content type)); ``demo.build_tenant``
runs them in order and ``demo.seed_demo`` writes the result in one transaction per tenant. Dates are
relative to ``now``; everything else comes from seeded generators (``ids.Mint``), so two runs produce the
same rows, ids and files.

Conventions the other parts of the portal can rely on:
- The credit ledger debits credits when a run starts (``credit_consumed``, negative) and gives them back
  when it fails (``credit_released``, positive); unused credits expire at the month's end (an
  ``adjustment``), then the month's ``credit_allocation`` arrives. ``credit_balance_after`` is the running
  balance, i.e. what new work can still spend. A month's use is -(consumed + released) in that month.
- Money amounts are positive for what the tenant is charged or pays and negative for money returned
  (refunds); they are in the tenant's currency.
- Agents act with ``*_by`` NULL; lead activities name them in ``actor_id`` (e.g. ``lead-scorer``).

Deliberately broken references (the portal must show "content unavailable", never an error page):
- Acme: the first Google Business Profile post activity (the oldest month) has an ``output_ref`` naming an
  ``activity_outputs`` document that does not exist.
- Acme: the oldest published blog post's ``activity_outputs`` document exists, but its S3 object does not.
- Acme: the first failed tool call's ``log_ref`` names a ``tool_call_logs`` document that does not exist.
- Northwind: the archived strategy (version 1) has a ``content_ref`` with no ``strategies_content`` document.
- Northwind: the first LinkedIn post with an image has an ``image_s3_key`` whose object was never stored.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from demo.ids import Mint
from demo.profiles import Profile, Topic
from demo.scenario import BROKEN
from portal.models import (
    Activity,
    ActivityRun,
    AdCampaign,
    AgentSession,
    Channel,
    Deliverable,
    DeliverablePeriod,
    Goal,
    Strategy,
    Tenant,
    User,
)


def money(value: float | Decimal | int) -> Decimal:
    """A Decimal rounded to cents (numeric(12,2))."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after day's month."""
    year, month = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + year, month + 1, 1)


@dataclass
class Work:
    """An activity and what the content, ads and billing sections need to know about it."""

    activity: Activity
    month: int
    when: dt.datetime
    outputs: list[str] = field(default_factory=list)  # ObjectId hex per successful run, oldest first
    texts: list[str] = field(default_factory=list)  # the text of each of those outputs
    topic: Topic | None = None
    deliverable: Deliverable | None = None
    theme: str = ""
    platform: str = ""
    post_status: str | None = None
    long_caption: bool = False
    parent: Work | None = None


@dataclass
class CreditMove:
    """A debit or credit of the ledger caused by an agent run."""

    when: dt.datetime
    credits: int
    kind: str
    run: ActivityRun
    title: str


class TenantSeed:
    """Builds one tenant's demo data in memory; nothing touches a database or a store here."""

    def __init__(self, profile: Profile, *, seed: int, now: dt.datetime, password_hash: str) -> None:
        """Prepare the builder: the tenant's id and ref_id, its clock and empty collections."""
        self.p = profile
        self.seed = seed
        self.now = now.astimezone(dt.UTC)
        self.tz = ZoneInfo(profile.timezone)
        self.today = self.now.astimezone(self.tz).date()
        self.password_hash = password_hash
        self.rows: list[Any] = []
        self.documents: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.objects: list[tuple[str, bytes, str]] = []
        self.broken = set(BROKEN.get(profile.slug, ()))
        self._mints: dict[str, Mint] = {}
        mint = self.mint("tenant")
        self.tenant_id = mint.uuid()
        self.tenant_ref = mint.ulid()
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.goals: list[Goal] = []
        self.deliverables: list[tuple[Any, Deliverable]] = []
        self.periods: dict[tuple[str, int], DeliverablePeriod] = {}
        self.work: dict[str, list[Work]] = defaultdict(list)
        self.sessions: dict[tuple[str, Any, str], AgentSession] = {}
        self.session_runs: dict[tuple[str, Any, str], list[ActivityRun]] = defaultdict(list)
        self.credit_moves: list[CreditMove] = []
        self.campaigns: dict[str, AdCampaign] = {}
        self.strategy: Strategy | None = None
        self.word_counts: dict[str, int | None] = {}
        # Set by tenancy.tenant_and_users, the first step of every build.
        self.tenant: Tenant | None = None
        self.created: dt.datetime | None = None
        self.deactivated_on: dt.datetime | None = None
        self.users_by_ref: dict[str, User] = {}

    # -- helpers ---------------------------------------------------------------------------------------

    def mint(self, section: str) -> Mint:
        """The section's seeded identifiers and random numbers (one Mint per section)."""
        if section not in self._mints:
            self._mints[section] = Mint(f"{self.seed}/{self.p.slug}/{section}")
        return self._mints[section]

    def new(self, mint: Mint, model: type, /, **values: Any) -> Any:
        """A tenant-owned row with explicit id, ref_id and tenant_id, queued for insertion."""
        row = model(id=mint.uuid(), ref_id=mint.ulid(), tenant_id=self.tenant_id, **values)
        self.rows.append(row)
        return row

    def month(self, offset: int) -> dt.date:
        """The first day of the month ``offset`` months from this one (tenant's calendar)."""
        return add_months(self.today, offset)

    def at(self, day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
        """A moment on day in the tenant's time zone."""
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz)

    def on(self, month: int, day: int, hour: int = 10) -> dt.datetime:
        """Day ``day`` (1-based) of month ``month`` at hour, never later than a minute ago."""
        return min(self.at(self.month(month) + dt.timedelta(days=day - 1), hour), self.ago(minutes=1))

    def ago(self, **delta: float) -> dt.datetime:
        """now minus a timedelta."""
        return self.now - dt.timedelta(**delta)

    def window(self, month: int) -> tuple[dt.datetime, dt.datetime]:
        """The month's span in the tenant's zone, cut at a few minutes ago for the current month."""
        start = self.at(self.month(month), 0, 0)
        end = min(self.at(self.month(month + 1), 0, 0), self.ago(minutes=5))
        return start, max(end, start + dt.timedelta(minutes=1))

    def within(self, month: int, fraction: float) -> dt.datetime:
        """The moment at fraction (0–1) of the month's window."""
        start, end = self.window(month)
        return start + (end - start) * fraction

    def month_of(self, moment: dt.datetime) -> int:
        """The month offset (0 = this month) of a moment, in the tenant's calendar."""
        local = moment.astimezone(self.tz).date()
        return (local.year - self.today.year) * 12 + local.month - self.today.month

    def user(self, key: str) -> User:
        """A demo user by key (owner, admin, marketer, …)."""
        return self.users[key]
