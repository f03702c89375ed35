"""The demo tenant itself: its row and users, every version of its contract with the PDF, and its
onboarding runs (wizard answers, research and the client context file)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from demo import agreement, content
from demo.builder import TenantSeed
from demo.ids import Mint
from demo.runs import agent_work, perform
from demo.scenario import ONBOARDING_RUNS, USER_AGENT
from portal.models import Contract, Invitation, OnboardingRun, Tenant, User
from portal.pdf import Block, render

# The tenant's columns that are its profile's fields of the same name.
TENANT_FIELDS = ("name", "slug", "status", "plan", "timezone", "currency", "brand_color")


def tenant_and_users(seed: TenantSeed) -> None:
    """The tenant and its eight users (one sales rep deactivated)."""
    p = seed.p
    mint = seed.mint("users")
    if p.months_active:
        created = seed.at(seed.month(-p.months_active) + dt.timedelta(days=2), 10)
    else:
        created = seed.ago(days=9)
    seed.created = created
    seed.tenant = Tenant(
        id=seed.tenant_id,
        ref_id=seed.tenant_ref,
        **{name: getattr(p, name) for name in TENANT_FIELDS},
        monthly_credit_allocation=p.monthly_credits,
        lead_assignment_mode=p.assignment_mode,
        first_contact_sla_hours=p.sla_hours,
        created_on=created,
    )
    seed.rows.append(seed.tenant)
    for number, person in enumerate(p.people):
        joined = created + dt.timedelta(hours=number * 5)
        user = seed.new(
            mint,
            User,
            full_name=person.full_name,
            email=f"{person.key}@{p.email_domain}",
            role=person.role,
            password_hash=seed.password_hash,
            is_active=person.active,
            session_version=1 if person.active else 2,
            last_login_on=seed.ago(hours=mint.rng.randint(1, 200)) if person.key != "viewer" else None,
            phone=person.phone,
            created_by=seed.users["owner"].id if seed.users else None,
            created_on=joined,
        )
        if not person.active:  # deactivated by the admin; the version bump ends their sessions
            user.last_login_on = joined + dt.timedelta(days=20)
            left = max(joined + dt.timedelta(days=20), seed.ago(days=40))
            user.updated_on = seed.deactivated_on = min(left, seed.ago(days=2))
            user.updated_by = seed.users["admin"].id
        seed.users[person.key] = user
    seed.users_by_ref = {user.ref_id: user for user in seed.users.values()}
    invitations(seed)


def invitations(seed: TenantSeed) -> None:
    """One invitation waiting on the team page, sent by the admin two days ago (its link is nobody's)."""
    mint = seed.mint("invitations")
    sent = seed.ago(days=2)
    seed.new(
        mint,
        Invitation,
        email=f"new.colleague@{seed.p.email_domain}",
        role="marketer",
        invited_by=seed.user("admin").id,
        created_by=seed.user("admin").id,
        token_hash=hashlib.sha256(mint.ulid().encode()).hexdigest(),
        expires_on=sent + dt.timedelta(days=7),
        last_sent_on=sent,
        created_on=sent,
    )


def contracts(seed: TenantSeed) -> None:
    """Every version of the contract with its PDF; accepted ones carry the acceptance evidence."""
    p = seed.p
    mint = seed.mint("contracts")
    rng = mint.rng
    owner = seed.user("owner")
    contract_ref = mint.ulid()  # one contract, several template versions
    history = p.contract_history
    previous: Contract | None = None
    for version, status in enumerate(history, start=1):
        if version == 1:
            sent = seed.created + dt.timedelta(hours=3)
        elif status == "sent":
            sent = seed.ago(days=2, hours=3)
        else:
            sent = seed.on(-2, 4)
        title = f"{p.name} – Growth Services Agreement"
        blocks = [Block(kind, text) for kind, text in agreement.contract_blocks(p, version, sent.date())]
        pdf = render(
            blocks,
            title=f"{title} (v{version})",
            author=agreement.AGENCY,
            created=sent,
            footer=f"{title} v{version}",
        )
        key = f"{seed.tenant_ref}/contracts/{contract_ref}/v{version}.pdf"
        seed.objects.append((key, pdf, "application/pdf"))
        digest = hashlib.sha256(pdf).hexdigest()
        row = seed.new(
            mint,
            Contract,
            contract_ref_id=contract_ref,
            template_version=version,
            title=title,
            status=status,
            pdf_s3_key=key,
            pdf_sha256=digest,
            sent_on=sent,
            created_on=sent,
        )
        if previous is not None and previous.status == "superseded":
            previous.superseded_on = previous.updated_on = sent
        if status in ("accepted", "superseded"):
            accepted = sent + dt.timedelta(hours=rng.randint(5, 40))
            row.accepted_by = row.updated_by = owner.id
            row.accepted_on = row.updated_on = accepted
            row.accepted_ip = rng.choice(("203.0.113.24", "198.51.100.7", "192.0.2.61"))
            row.accepted_user_agent = USER_AGENT
            row.accepted_name = owner.full_name
            row.accepted_sha256 = digest
            row.consent_text = (
                f"I, {owner.full_name}, have read the {title} (version {version}) and accept it on "
                f"behalf of {p.legal_name}."
            )
            seed.tenant.contract_accepted_on = accepted
        elif status == "declined":
            row.declined_by = row.updated_by = owner.id
            row.declined_on = row.updated_on = sent + dt.timedelta(days=1)
            row.declined_reason = "Payment terms: we need 30 days, not 14. Please send a revised version."
        previous = row


def onboarding(seed: TenantSeed) -> None:
    """The onboarding runs (see ONBOARDING_RUNS): wizard answers, research and the client context file."""
    p = seed.p
    mint = seed.mint("onboarding")
    owner = seed.user("owner")
    if p.status == "onboarding":
        onboarding_run(seed, mint, "in_progress", seed.ago(days=2), None, inputs={}, step="channels")
        return
    started = seed.created + dt.timedelta(days=3)
    seed.tenant.onboarding_completed_on = started + dt.timedelta(days=4)  # the wizard's launch
    for status, note in ONBOARDING_RUNS[p.slug]:
        if status == "awaiting_review":  # a refresh of the context file, waiting for the tenant
            started, completed = seed.ago(days=10), seed.ago(days=3)
        else:
            completed = started + dt.timedelta(days=4 if status == "revision_requested" else 1)
        run = onboarding_run(seed, mint, status, started, completed, inputs=wizard_inputs(seed), step=None)
        if note:
            run.reviewed_by = run.updated_by = owner.id
            run.reviewed_on = run.updated_on = completed + dt.timedelta(days=1)
            run.review_notes = note
            started = run.reviewed_on + dt.timedelta(hours=3)


def onboarding_run(
    seed: TenantSeed,
    mint: Mint,
    status: str,
    started: dt.datetime,
    completed: dt.datetime | None,
    *,
    inputs: dict,
    step: str | None,
) -> OnboardingRun:
    """One onboarding run with its research document, website text and context file document."""
    p = seed.p
    run = seed.new(
        mint,
        OnboardingRun,
        status=status,
        inputs=inputs,
        current_step=step,
        started_on=started,
        completed_on=completed,
        created_by=seed.user("owner").id,
        created_on=started,
    )
    skill_id, research_id = mint.object_id(), mint.object_id()
    run.context_file_id, run.research_id = str(skill_id), str(research_id)
    text_key = f"{seed.tenant_ref}/onboarding/{run.ref_id}/website.txt"
    seed.objects.append((text_key, content.website_text(p).encode(), "text/plain; charset=utf-8"))
    researched = started + dt.timedelta(hours=6)
    seed.documents["onboarding_research"].append(
        {
            "_id": research_id,
            "refId": mint.ulid(),
            "tenantId": seed.tenant_ref,
            "createdBy": None,
            "createdOn": researched,
            "runId": run.ref_id,
            "summary": (
                f"{p.name} ({p.area}, {p.city}) sells "
                f"{', '.join(s.name.lower() for s in p.services[:4])}. Main competitors: "
                f"{', '.join(p.competitors[:3])}. The site has {len(p.services) + 6} pages."
            ),
            "websiteTextS3Key": text_key,
            "sources": [p.website, *(f"{p.website}/{content.slugify(s.name)}" for s in p.services)],
        }
    )
    seed.documents["skills"].append(
        {
            "_id": skill_id,
            "refId": mint.ulid(),
            "tenantId": seed.tenant_ref,
            "createdBy": None,
            "createdOn": researched + dt.timedelta(hours=2),
            "name": "client-context",
            "description": f"Client context file for {p.name}: business, services, audience, voice.",
            "body": content.context_file(p),
            "onboardingRunId": run.ref_id,
        }
    )
    # The researcher's run that wrote the context file: the tenant reviews its output.
    written = researched + dt.timedelta(hours=2)
    work = agent_work(
        seed,
        seed.mint("activities"),
        written,
        title=f"Client context file for {p.name}",
        type="context_file",
        status="awaiting_approval" if status == "awaiting_review" else "done",
        due_on=started + dt.timedelta(days=2),
        completed_on=None if status == "awaiting_review" else written,
        created_on=started,
    )
    perform(seed, work, "ok", lambda _version: ("markdown", content.context_file(p)))
    return run


def wizard_inputs(seed: TenantSeed) -> dict[str, Any]:
    """The onboarding wizard's saved answers (every step of the wizard in docs/PLATFORM.md)."""
    p = seed.p
    goal = {g.metric_type: g.baseline for g in p.goals}
    return {
        "channels": [kind for kind, _, _, status in p.channels if status != "disconnected"],
        "brandVoice": p.brand_voice,
        "brandAssets": {
            "colors": [p.brand_color, p.accent_color, "#111827"],
            "fonts": ["Inter", "Merriweather"],
        },
        "documents": [
            {"name": "Price list.pdf", "pages": 2},
            {"name": "Brand guidelines.pdf", "pages": 14},
        ],
        "baseline": {
            "website": {
                "monthlyVisitors": goal.get("GA_SESSIONS", 6200),
                "organicClicks": goal.get("GSC_CLICKS", 1900),
                "averagePosition": 18.4,
                "topKeywords": [t.keyword for t in p.topics[:3]],
            },
            "paid": {
                "googleAds": {
                    "monthlySpend": 60000 if p.currency == "INR" else 1800,
                    "costPerLead": 1450 if p.currency == "INR" else 42,
                    "conversions": 62,
                }
            },
            "social": {
                "instagram": {"followers": 4200, "engagementRate": 2.1},
                "linkedin": {"followers": 860, "engagementRate": 3.4},
            },
            "monthlyLeads": goal.get("QUALIFIED_LEADS", 30),
        },
        "budget": {
            "monthly": int(p.subscription_fee * 3),
            "currency": p.currency,
            "flexibility": "moderate",
            "horizonMonths": 6,
        },
    }
