"""Invitations: the team page invites an address with a role; the person follows the e-mailed link, chooses
their name and password, and is signed in.

- The link's token is random; only its SHA-256 is stored. It works once, until ``expires_on``
  (INVITATION_DAYS after it was last sent). Resending makes a new token (the old link stops working) and a
  new expiry, at most once per RESEND_AFTER. Revoking ends it.
- An address that already has an account in another tenant gets the inviter the same answer as any other
  (no enumeration across tenants): the invitation is listed as pending like every other, and the e-mail
  to that address says it already has an account and carries no link. E-mail addresses are unique across
  tenants and a user belongs to one tenant, so nothing is created (docs/ARCHITECTURE.md, "Invitations").
- A suspended or cancelled tenant's invitation cannot be accepted.
- Accepting claims the invitation with a conditional UPDATE … RETURNING before the user is written: of two
  submits of the same form, the second finds it used and creates nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from flask import g, render_template
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import audit
from portal.auth import service as auth_service
from portal.auth.passwords import hash_password
from portal.db import get_session, set_tenant
from portal.formatting import localtime
from portal.mail.outbox import queue_email
from portal.models import Invitation, Tenant, User
from portal.team.service import TeamRuleError, check_role_grant
from portal.tenancy import ROLE_LABELS, current_tenant
from portal.web import external_url

INVITATION_DAYS = 7
RESEND_AFTER = dt.timedelta(minutes=5)

NOT_VALID = (
    "This invitation link is not valid. It may have been replaced by a newer one: "
    "use the latest e-mail, or ask whoever invited you to send it again."
)
ACCOUNT_ELSEWHERE = (
    "This address already has an account with another organisation, so it cannot join this one. "
    "Ask them to invite a different address."
)


class InvitationRefused(Exception):
    """The link cannot be used; the message says why, for the person holding it, with an HTTP status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _date(moment: dt.datetime) -> str:
    return localtime(moment, "%d %b %Y")


def email_taken(email: str) -> bool:
    """Whether an account with this e-mail exists in any tenant (e-mails are unique across all tenants)."""
    return get_session().execute(text("SELECT 1 FROM auth_lookup(:e)"), {"e": email}).first() is not None


def pending() -> list[Invitation]:
    """The tenant's invitations not yet accepted or revoked (expired ones too: they can be sent again)."""
    return list(
        get_session().scalars(
            select(Invitation)
            .where(
                Invitation.tenant_id == current_tenant.id,
                Invitation.accepted_on.is_(None),
                Invitation.revoked_on.is_(None),
            )
            .options(joinedload(Invitation.inviter))
            .order_by(Invitation.created_on.desc(), Invitation.id)
        )
    )


def invite(email: str, role: str, actor: User) -> Invitation:
    """Invite an address with a role and e-mail the link (or, for an account elsewhere, say so by e-mail)."""
    check_role_grant(role, actor)
    email = email.strip().lower()
    session = get_session()
    member = session.scalar(
        select(User.id).where(User.tenant_id == current_tenant.id, User.email == email).limit(1)
    )
    if member is not None:
        raise TeamRuleError(f"{email} already has an account in this portal.")
    token = secrets.token_urlsafe(32)
    now = dt.datetime.now(dt.UTC)
    invitation = Invitation(
        tenant_id=current_tenant.id,
        id=uuid.uuid4(),
        email=email,
        role=role,
        invited_by=actor.id,
        created_by=actor.id,
        token_hash=auth_service.token_hash(token),
        expires_on=now + dt.timedelta(days=INVITATION_DAYS),
        last_sent_on=now,
    )
    session.add(invitation)
    try:
        session.flush()
    except IntegrityError as error:
        session.rollback()
        raise TeamRuleError(
            f"{email} has been invited already: send that invitation again from the list below."
        ) from error
    _send(invitation, token, actor)
    audit.record("team.invite", invitation, role=role)
    session.commit()
    return invitation


def resend(invitation: Invitation, actor: User) -> None:
    """A new link and a new expiry for an open invitation (the old link stops working), throttled."""
    check_role_grant(invitation.role, actor)
    _check_open(invitation)
    token = secrets.token_urlsafe(32)
    now = dt.datetime.now(dt.UTC)
    session = get_session()
    sent = session.execute(
        update(Invitation)
        .where(
            Invitation.tenant_id == invitation.tenant_id,
            Invitation.id == invitation.id,
            Invitation.accepted_on.is_(None),
            Invitation.revoked_on.is_(None),
            Invitation.last_sent_on <= now - RESEND_AFTER,
        )
        .values(
            token_hash=auth_service.token_hash(token),
            expires_on=now + dt.timedelta(days=INVITATION_DAYS),
            last_sent_on=now,
        )
        .returning(Invitation.id)
        .execution_options(synchronize_session="fetch")
    ).first()
    if sent is None:
        session.rollback()
        minutes = int(RESEND_AFTER.total_seconds() // 60)
        raise TeamRuleError(
            f"The invitation to {invitation.email} was sent less than {minutes} minutes ago. "
            "Give it a little time before sending it again."
        )
    _send(invitation, token, actor)
    audit.record("team.invitation_resent", invitation)
    session.commit()


def revoke(invitation: Invitation, actor: User) -> None:
    """Withdraw an open invitation: its link stops working at once."""
    check_role_grant(invitation.role, actor)
    _check_open(invitation)
    session = get_session()
    session.execute(
        update(Invitation)
        .where(
            Invitation.tenant_id == invitation.tenant_id,
            Invitation.id == invitation.id,
            Invitation.accepted_on.is_(None),
            Invitation.revoked_on.is_(None),
        )
        .values(revoked_on=func.now(), revoked_by=actor.id)
        .execution_options(synchronize_session="fetch")
    )
    audit.record("team.invitation_revoked", invitation)
    session.commit()


def _check_open(invitation: Invitation) -> None:
    if invitation.accepted_on is not None:
        raise TeamRuleError(f"{invitation.email} has already accepted the invitation.")
    if invitation.revoked_on is not None:
        raise TeamRuleError(f"The invitation to {invitation.email} was already withdrawn.")


def _send(invitation: Invitation, token: str, actor: User) -> None:
    """The invitation e-mail: the link, or for an address with an account elsewhere, why it cannot join."""
    elsewhere = email_taken(invitation.email)
    values = {
        "inviter": actor.full_name,
        "tenant": current_tenant.name,
        "role": ROLE_LABELS[invitation.role],
        "until": _date(invitation.expires_on),
        "link": None if elsewhere else external_url("team.accept_invitation", token=token),
    }
    if elsewhere:
        subject = f"Your invitation to {current_tenant.name}'s client portal"
    else:
        subject = f"{actor.full_name} invited you to {current_tenant.name}'s client portal"
    queue_email(
        invitation.tenant_id,
        invitation.email,
        subject,
        render_template("team/invitation_email.txt", **values),
        render_template("team/invitation_email.html", **values),
    )


def find(token: str) -> Invitation:
    """The open invitation behind a link, its tenant set for the request; else InvitationRefused says why."""
    if not token or len(token) > 200:
        raise InvitationRefused(NOT_VALID, 404)
    session = get_session()
    set_tenant(None)
    tenant_id = session.execute(text("SELECT invitation_tenant(:token)"), {"token": token}).scalar()
    session.rollback()
    if tenant_id is None:
        raise InvitationRefused(NOT_VALID, 404)
    set_tenant(tenant_id)
    found = session.execute(
        select(Invitation, Tenant)
        .join(Tenant, Tenant.id == Invitation.tenant_id)
        .where(Invitation.tenant_id == tenant_id, Invitation.token_hash == auth_service.token_hash(token))
        .options(joinedload(Invitation.inviter))
    ).one_or_none()
    if found is None:  # sent again between the two look-ups
        raise InvitationRefused(NOT_VALID, 404)
    invitation, tenant = found
    g.tenant = tenant
    inviter = invitation.inviter.full_name
    if invitation.accepted_on is not None:
        raise InvitationRefused(
            "This invitation has already been used. Sign in with its address and the password chosen then.",
            410,
        )
    if invitation.revoked_on is not None:
        raise InvitationRefused(
            f"This invitation was withdrawn. Ask {inviter} if you should still join.", 410
        )
    if tenant.status in auth_service.BLOCKED_TENANT_STATUSES:
        raise InvitationRefused(
            f"{tenant.name}'s portal is suspended, so invitations to it cannot be accepted now. "
            f"Ask {inviter} when it will be open again.",
            403,
        )
    if invitation.expired:
        raise InvitationRefused(
            f"This invitation expired on {_date(invitation.expires_on)}. Ask {inviter} to send it again.", 410
        )
    return invitation


def accept(
    invitation: Invitation, full_name: str, password: str, ip: str | None, user_agent: str | None
) -> auth_service.SignedIn:
    """Create the invited user, mark the invitation used (once, whatever the submits), and sign them in."""
    session = get_session()
    if email_taken(invitation.email):
        raise InvitationRefused(ACCOUNT_ELSEWHERE, 409)
    claimed = session.execute(
        update(Invitation)
        .where(
            Invitation.tenant_id == invitation.tenant_id,
            Invitation.id == invitation.id,
            Invitation.accepted_on.is_(None),
            Invitation.revoked_on.is_(None),
            Invitation.expires_on > func.now(),
        )
        .values(accepted_on=func.now())
        .returning(Invitation.id)
        .execution_options(synchronize_session=False)
    ).first()
    if claimed is None:
        session.rollback()
        raise InvitationRefused("This invitation has already been used or is no longer valid.", 410)
    user = User(
        tenant_id=invitation.tenant_id,
        id=uuid.uuid4(),
        full_name=full_name.strip(),
        email=invitation.email,
        role=invitation.role,
        password_hash=hash_password(password),
        created_by=invitation.invited_by,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as error:  # the address got an account elsewhere since the check above
        session.rollback()
        raise InvitationRefused(ACCOUNT_ELSEWHERE, 409) from error
    session.execute(
        update(Invitation)
        .where(Invitation.tenant_id == invitation.tenant_id, Invitation.id == invitation.id)
        .values(user_id=user.id)
        .execution_options(synchronize_session=False)
    )
    audit.record("team.invitation_accepted", invitation, user=user.ref_id)
    session.commit()
    return auth_service.sign_in(user.email, password, ip, user_agent)
