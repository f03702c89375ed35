"""Each user's choice per kind of notification, and the daily digest that sends the ones chosen for it.

A kind without a row takes its default (DEFAULTS). The bell always shows every notification; the choice
adds an e-mail now, or a line in the next daily digest. Kinds outside KINDS (decisions on content, security
notices) keep what their caller asks (``notify(email=...)``).
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from portal.mail.outbox import queue_email
from portal.models import Digest, DigestItem, Notification, NotificationPreference, Tenant, User
from portal.web import absolute_url

KINDS = {
    "approval_waiting": "Something waits for your approval",
    "lead_assigned": "A lead is assigned to you",
    "mention": "Someone mentions you",
    "reminder": "Reminders (contract, approvals, leads past their deadline)",
}
CHOICES = {"bell": "Bell only", "email": "E-mail now", "digest": "Daily digest"}
# Approvals and reminders can wait for the morning; a new lead should be called quickly; mentions are rare.
DEFAULTS = {"approval_waiting": "digest", "lead_assigned": "email", "mention": "bell", "reminder": "digest"}
# The digest goes out at 07:00 in the tenant's timezone.
DIGEST_HOUR = 7


def preferences(session: Session, user: User) -> dict[str, str]:
    """The user's choice for each kind (the default where they have not chosen)."""
    chosen = dict(
        session.execute(
            select(NotificationPreference.kind, NotificationPreference.choice).where(
                NotificationPreference.tenant_id == user.tenant_id, NotificationPreference.user_id == user.id
            )
        ).all()
    )
    return {kind: chosen.get(kind, DEFAULTS[kind]) for kind in KINDS}


def save_preferences(session: Session, user: User, choices: dict[str, str]) -> None:
    """Store the user's choice for each kind (one row per kind, replaced), and commit."""
    for kind, choice in choices.items():
        if kind not in KINDS or choice not in CHOICES:
            raise ValueError(f"Unknown notification kind or choice: {kind}={choice}")
        session.execute(
            insert(NotificationPreference)
            .values(tenant_id=user.tenant_id, id=uuid.uuid4(), user_id=user.id, kind=kind, choice=choice)
            .on_conflict_do_update(index_elements=["tenant_id", "user_id", "kind"], set_={"choice": choice})
        )
    session.commit()


def choice_for(session: Session, user: User, kind: str) -> str | None:
    """The user's choice for a kind of KINDS, or None for a kind that has no preference."""
    if kind not in KINDS:
        return None
    chosen = session.scalar(
        select(NotificationPreference.choice).where(
            NotificationPreference.tenant_id == user.tenant_id,
            NotificationPreference.user_id == user.id,
            NotificationPreference.kind == kind,
        )
    )
    return chosen or DEFAULTS[kind]


def local_now(tenant: Tenant, now: dt.datetime) -> dt.datetime:
    """``now`` in the tenant's timezone."""
    return now.astimezone(zoneinfo.ZoneInfo(tenant.timezone))


def send_digests(session: Session, tenant_id: uuid.UUID, day: dt.date) -> int:
    """Send each user of the tenant one e-mail with their notifications waiting for a digest, marked sent
    with ``day``; a user who already had the day's digest gets nothing (run twice, sent once). Commits;
    returns how many e-mails were queued."""
    sent = 0
    waiting = select(DigestItem.user_id).where(
        DigestItem.tenant_id == tenant_id, DigestItem.digest_day.is_(None)
    )
    for user_id in session.scalars(waiting.distinct()).all():
        # The unique (user, day) row is the claim: a second run, or a second worker, gets nothing back.
        claimed = session.scalar(
            insert(Digest)
            .values(tenant_id=tenant_id, id=uuid.uuid4(), user_id=user_id, day=day)
            .on_conflict_do_nothing(index_elements=["tenant_id", "user_id", "day"])
            .returning(Digest.id)
        )
        if claimed is None:
            continue
        ids = session.scalars(
            update(DigestItem)
            .where(
                DigestItem.tenant_id == tenant_id,
                DigestItem.user_id == user_id,
                DigestItem.digest_day.is_(None),
            )
            .values(digest_day=day)
            .returning(DigestItem.notification_id)
        ).all()
        user = session.get(User, (tenant_id, user_id))
        if not user.is_active or user.deleted_on is not None:
            continue
        items = session.scalars(
            select(Notification)
            .where(Notification.tenant_id == tenant_id, Notification.id.in_(ids))
            .order_by(Notification.created_on, Notification.id)
        ).all()
        queue_email(
            tenant_id,
            user.email,
            f"Your daily digest: {len(items)} new",
            _digest_text(items),
            session=session,
        )
        sent += 1
    session.commit()
    return sent


def _digest_text(items: list[Notification]) -> str:
    lines = [f"- {n.title}\n  {absolute_url(n.url or '/')}" for n in items]
    return "Since your last digest:\n\n" + "\n".join(lines) + "\n"
