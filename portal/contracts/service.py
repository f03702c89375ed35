"""The rules of the contract: who accepts, what acceptance records, and that it happens exactly once.

Acceptance is one transaction: a conditional ``UPDATE … WHERE status = 'sent' RETURNING`` decides the
winner (the database, not a Python check, so 20 concurrent clicks give one acceptance), and the tenant's
``contract_accepted_on`` and the audit event commit with it. Losers are told who accepted and when.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload

from portal import audit
from portal.db import get_session
from portal.decisions import transition
from portal.formatting import localtime
from portal.models import AuditEvent, Contract, OnboardingRun, Tenant, User
from portal.stores import Stores, get_stores
from portal.stores.refs import Original, fetch_contract_pdf
from portal.team.service import active_in_role
from portal.tenancy import current_tenant

PAGE_SIZE = 25
LIVE = ("sent", "accepted")


class ContractRefused(Exception):
    """An acceptance or decline the rules refuse; the message says why, for the user."""


class AlreadyDecided(ContractRefused):
    """The contract was accepted, declined or superseded already (by someone, at some time)."""

    def __init__(self, contract: Contract) -> None:
        super().__init__(decided_message(contract))
        self.contract = contract


def normalise_name(name: str) -> str:
    """A name compared as people mean it: no accents, case or extra spaces ("  José  Díaz" = "jose diaz")."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


def consent_text(contract: Contract, tenant: Tenant, name: str) -> str:
    """The consent statement the owner ticks; stored exactly as shown (with their typed name)."""
    return (
        f"I, {name}, have read the {contract.title} (version {contract.template_version}) and accept it "
        f"on behalf of {tenant.name}. I agree that typing my name and ticking this box is my electronic "
        "signature."
    )


def decided_message(contract: Contract) -> str:
    """Who decided the contract and when, in the tenant's timezone ("already accepted by X at T")."""
    if contract.status == "accepted":
        who = contract.accepter.full_name if contract.accepter else "someone"
        return f"This contract was already accepted by {who} at {localtime(contract.accepted_on)}."
    if contract.status == "declined":
        who = contract.decliner.full_name if contract.decliner else "someone"
        return f"This contract was already declined by {who} at {localtime(contract.declined_on)}."
    if contract.status == "superseded":
        return f"This version was replaced by a newer one on {localtime(contract.superseded_on)}."
    return "This contract is waiting for the owner's decision."


def with_people():
    """Loader options for the people a contract page names (accepter, decliner)."""
    return (joinedload(Contract.accepter), joinedload(Contract.decliner))


def current_contract() -> Contract | None:
    """The live contract (sent or accepted), else the latest version (e.g. declined), with its people."""
    return (
        get_session()
        .scalars(
            select(Contract)
            .where(Contract.tenant_id == current_tenant.id)
            .options(*with_people())
            .order_by(
                Contract.status.in_(LIVE).desc(), Contract.template_version.desc(), Contract.sent_on.desc()
            )
            .limit(1)
        )
        .first()
    )


def owners() -> list[User]:
    """The tenant's active owners: the people who may accept."""
    return list(get_session().scalars(select(User).where(*active_in_role("owner")).order_by(User.full_name)))


@dataclass(frozen=True)
class HistoryPage:
    """One page of contract versions, newest first, and the cursor of the next page."""

    contracts: list[Contract]
    next_cursor: str | None


def history(cursor: str | None = None) -> HistoryPage:
    """Every version of the contract, newest first (keyset on sent_on, id), 25 per page, people loaded."""
    statement = (
        select(Contract)
        .where(Contract.tenant_id == current_tenant.id)
        .options(*with_people())
        .order_by(Contract.sent_on.desc(), Contract.id.desc())
        .limit(PAGE_SIZE + 1)
    )
    after = _parse_cursor(cursor)
    if after is not None:
        statement = statement.where(
            (Contract.sent_on < after[0]) | ((Contract.sent_on == after[0]) & (Contract.id < after[1]))
        )
    rows = list(get_session().scalars(statement).unique())
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    next_cursor = f"{rows[-1].sent_on.isoformat()}_{rows[-1].id}" if more else None
    return HistoryPage(rows, next_cursor)


def _parse_cursor(cursor: str | None) -> tuple[dt.datetime, uuid.UUID] | None:
    if not cursor or "_" not in cursor:
        return None
    when, _, ident = cursor.rpartition("_")
    try:
        return dt.datetime.fromisoformat(when), uuid.UUID(ident)
    except ValueError:
        return None


def pdf(contract: Contract) -> Original:
    """The contract's PDF as stored (through the tenant and key checks of the stores)."""
    return fetch_contract_pdf(get_stores(), contract.pdf_s3_key, current_tenant.ref_id)


def _verified_pdf_sha256(contract: Contract) -> str:
    """The SHA-256 of the PDF as read now, refusing when it is missing or differs from the one sent."""
    fetched = pdf(contract)
    if fetched.state == "unavailable":
        raise ContractRefused(
            "The contract document cannot be read right now, so it cannot be accepted. Please try again "
            "in a minute."
        )
    if fetched.state != "found" or fetched.blob is None:
        raise ContractRefused(
            "The contract document is missing, so it cannot be accepted. Please ask the agency to send it "
            "again."
        )
    digest = hashlib.sha256(fetched.blob.body).hexdigest()
    if digest != contract.pdf_sha256:
        raise ContractRefused(
            "The document changed since it was sent to you, so it cannot be accepted. Please ask the "
            "agency to send the contract again."
        )
    return digest


def _reload(session: Session, contract: Contract) -> Contract:
    """The contract as committed by whoever won, with its people."""
    return session.scalars(
        select(Contract)
        .where(Contract.tenant_id == contract.tenant_id, Contract.id == contract.id)
        .options(*with_people())
        .execution_options(populate_existing=True)
    ).one()


def accept(
    contract: Contract,
    typed_name: str,
    actor: User,
    ip: str | None,
    user_agent: str | None,
) -> Contract:
    """Accept the contract for the tenant, recording the evidence; exactly once whatever the concurrency.

    Raises ContractRefused (name, document) or AlreadyDecided (someone decided first; nothing recorded).
    """
    session = get_session()
    if contract.status != "sent":
        raise AlreadyDecided(contract)
    if normalise_name(typed_name) != normalise_name(actor.full_name):
        raise ContractRefused(
            f"The name you typed does not match the name on your account ({actor.full_name}). Type your "
            "full name as it appears there."
        )
    digest = _verified_pdf_sha256(contract)
    name = " ".join(typed_name.split())
    accepted_on = transition(
        contract,
        actor,
        Contract.status == "sent",
        returning=Contract.accepted_on,
        status="accepted",
        accepted_by=actor.id,
        accepted_on=func.now(),
        accepted_ip=ip,
        accepted_user_agent=(user_agent or "")[:400] or None,
        accepted_name=name,
        accepted_sha256=digest,
        consent_text=consent_text(contract, current_tenant, actor.full_name),
    )
    if accepted_on is None:
        session.rollback()
        raise AlreadyDecided(_reload(session, contract))
    current_tenant.contract_accepted_on = accepted_on
    _start_onboarding(session, actor)
    contract = _reload(session, contract)
    audit.record("contract.accepted", contract, version=contract.template_version, sha256=digest)
    session.commit()
    return contract


def _start_onboarding(session: Session, actor: User) -> None:
    """A fresh onboarding run for a tenant that has none going, so the owner lands in the wizard."""
    if current_tenant.onboarding_completed_on is not None:
        return
    going = session.scalar(
        select(func.count())
        .select_from(OnboardingRun)
        .where(OnboardingRun.tenant_id == current_tenant.id, OnboardingRun.completed_on.is_(None))
    )
    if not going:
        session.add(
            OnboardingRun(
                tenant_id=current_tenant.id, current_step="channels", inputs={}, created_by=actor.id
            )
        )


def decline(contract: Contract, reason: str, actor: User) -> Contract:
    """Decline the contract with a reason (the agency sends a revised version); exactly once."""
    session = get_session()
    if contract.status != "sent":
        raise AlreadyDecided(contract)
    declined = transition(
        contract,
        actor,
        Contract.status == "sent",
        status="declined",
        declined_by=actor.id,
        declined_on=func.now(),
        declined_reason=reason.strip(),
    )
    if declined is None:
        session.rollback()
        raise AlreadyDecided(_reload(session, contract))
    contract = _reload(session, contract)
    audit.record("contract.declined", contract, note=reason.strip(), version=contract.template_version)
    session.commit()
    return contract


def send_new_version(
    session: Session,
    tenant: Tenant,
    title: str,
    body: bytes,
    stores: Stores,
    sent_by: uuid.UUID | None = None,
) -> Contract:
    """Send a new version of the tenant's contract (the agency's act): the live one is superseded.

    The old version stays readable (status superseded, superseded_on set); the gate turns back on until
    the owner accepts the new one. ``session`` must be bound to ``tenant`` (RLS). One transaction.
    """
    if not body.startswith(b"%PDF-"):
        raise ContractRefused("That file is not a PDF.")
    previous = session.scalars(
        select(Contract)
        .where(Contract.tenant_id == tenant.id)
        .order_by(Contract.template_version.desc())
        .limit(1)
        .with_for_update()
    ).first()
    version = previous.template_version + 1 if previous else 1
    contract_ref = previous.contract_ref_id if previous else None
    contract = Contract(
        tenant_id=tenant.id,
        template_version=version,
        title=title,
        status="sent",
        pdf_s3_key="",
        pdf_sha256=hashlib.sha256(body).hexdigest(),
        created_by=sent_by,
    )
    if contract_ref:
        contract.contract_ref_id = contract_ref
    session.execute(
        update(Contract)
        .where(Contract.tenant_id == tenant.id, Contract.status.in_(LIVE))
        .values(status="superseded", superseded_on=func.now(), updated_on=func.now())
        .execution_options(synchronize_session=False)
    )
    session.add(contract)
    session.flush()  # the row gets its contract_ref_id before the key is made from it
    contract.pdf_s3_key = f"{tenant.ref_id}/contracts/{contract.contract_ref_id}/v{version}.pdf"
    # The object first: a failed upload leaves no row pointing at nothing (the transaction rolls back).
    stores.blobs.put(contract.pdf_s3_key, body, "application/pdf")
    tenant.contract_accepted_on = None
    session.add(
        AuditEvent(
            tenant_id=tenant.id,
            actor_id=sent_by,
            created_by=sent_by,
            action="contract.sent",
            subject_type=Contract.__tablename__,
            subject_id=contract.id,
            subject_version=version,
            details={"sha256": contract.pdf_sha256, "supersedes": previous.ref_id if previous else None},
        )
    )
    session.commit()
    return contract


def certificate_pdf(contract: Contract, tenant: Tenant, accepted_utc: str) -> bytes:
    """The acceptance certificate as a PDF (the same evidence as the printable page), for an accepted version."""
    # fpdf2 and fontTools take a noticeable fraction of a second to import; only this download needs them.
    from portal.pdf import Block, render

    accepter = contract.accepter
    facts = [
        ("Customer", tenant.name),
        ("Document", f"{contract.title} (version {contract.template_version})"),
        ("Contract reference", f"{contract.contract_ref_id} / {contract.ref_id}"),
        ("Sent", localtime(contract.sent_on)),
        ("Accepted by", f"{accepter.full_name} ({accepter.email})" if accepter else "-"),
        ("Name typed", contract.accepted_name or "-"),
        ("Accepted (UTC)", accepted_utc),
        ("Accepted (local)", localtime(contract.accepted_on)),
        ("IP address", contract.accepted_ip or "-"),
        ("Browser", contract.accepted_user_agent or "-"),
    ]
    digest = contract.accepted_sha256 or contract.pdf_sha256
    blocks = [
        Block("title", "Certificate of acceptance"),
        Block("paragraph", f"{contract.title}, version {contract.template_version}"),
        Block("heading", "Evidence"),
        *(Block("bullet", f"{label}: {value}") for label, value in facts),
        Block("heading", "Statement agreed"),
        Block("paragraph", contract.consent_text or "-"),
        Block("heading", "SHA-256 of the document as accepted"),
        Block("paragraph", digest),
        Block(
            "small",
            "To check the file you hold, run sha256sum on it (certutil -hashfile FILE SHA256 on Windows): "
            "the result must equal the value above.",
        ),
    ]
    return render(
        blocks,
        title=f"Certificate of acceptance: {contract.title} v{contract.template_version}",
        author=tenant.name,
        created=contract.accepted_on or dt.datetime.now(dt.UTC),
        footer=f"{contract.title} v{contract.template_version} - acceptance certificate",
    )
