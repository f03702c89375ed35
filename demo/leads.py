"""The demo's leads from every source and in every status, each with a consistent timeline, and the CSV
import the imported ones came from."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from demo import content
from demo.builder import TenantSeed, money
from demo.ids import Mint
from demo.profiles import Profile
from demo.scenario import STATUS_WEIGHTS
from demo.timeline import band, lead_events
from portal.leads.search import fold, lead_search_text, phone_digits
from portal.models import AdCampaign, Lead, LeadActivity, LeadImport, User


def leads(seed: TenantSeed) -> None:
    """Leads from every source and in every status, each with a consistent timeline."""
    p = seed.p
    mint = seed.mint("leads")
    rng = mint.rng
    reps = [seed.user("rep1"), seed.user("rep2")]
    special = {
        "sla": {"acme": 4, "northwind": 3}.get(p.slug, 1),
        "pool": 6,
        "orphan": 3 if p.months_active else 0,
    }
    kinds = ["sla"] * special["sla"] + ["pool"] * special["pool"] + ["orphan"] * special["orphan"]
    max_days = 150 if p.months_active else 8  # a new tenant: since its site was connected
    for number in range(p.lead_count):
        kind = kinds[number] if number < len(kinds) else "regular"
        if kind == "sla":
            age = p.sla_hours + rng.uniform(3, 60)
        elif kind == "pool":
            age = rng.uniform(0.3, 60 if number % 2 else 8)
        elif kind == "orphan":
            age = (seed.now - seed.deactivated_on).total_seconds() / 3600 + rng.uniform(72, 400)
        else:
            age = 0.3 + (rng.random() ** 1.7) * max_days * 24
        lead(seed, mint, kind, seed.now - dt.timedelta(hours=age), reps, number)


def lead(
    seed: TenantSeed, mint: Mint, kind: str, created: dt.datetime, reps: list[User], number: int
) -> None:
    """One lead and its timeline (score, enrichment, assignment, contact, status changes, notes)."""
    p = seed.p
    rng = mint.rng
    age_days = (seed.now - created).total_seconds() / 86400
    service = rng.choice(
        [s for s in p.services if s.b2b] if rng.random() < 0.12 else [s for s in p.services if not s.b2b]
    )
    if kind in ("sla", "pool"):
        status = "new"
    elif kind == "orphan":
        status = "contacted"
    else:
        weights = STATUS_WEIGHTS[0 if age_days < 1 else 1 if age_days < 7 else 2]
        status = rng.choices(("new", "contacted", "qualified", "disqualified", "converted"), weights)[0]
        if status == "new" and age_days * 24 > p.sla_hours * 0.8:
            status = "contacted"  # only the deliberate cases below wait past the first-contact deadline
    low, high = {"converted": (60, 98), "qualified": (50, 95), "contacted": (28, 85), "new": (8, 95)}.get(
        status, (3, 42)
    )
    score = rng.randint(low, high)
    score_band = band(score)
    source = lead_source(seed, rng)
    first, last = rng.choice(p.first_names), rng.choice(p.last_names)
    company = rng.choice(p.companies) if service.b2b or rng.random() < 0.08 else None
    domain = f"{content.slugify(company)}.example" if company else rng.choice(p.mail_domains)
    handle = fold(f"{first}.{last}").replace(" ", "").replace("'", "")
    email = f"{handle}{rng.randint(1, 99) if rng.random() < 0.4 else ''}@{domain}"
    phone = None if source == "website_form" and rng.random() < 0.2 else _phone(p.country, rng)
    if source == "other" and rng.random() < 0.5:
        email = None  # a phone call from the Google Business Profile: no e-mail
    # Owners: the pool is unassigned, an inactive rep's closed leads stay theirs, the rest are shared.
    assignee = None
    if kind == "orphan":
        assignee = seed.user("rep3")
    elif kind == "sla" or (kind != "pool" and not (status == "new" and age_days < 1 and rng.random() < 0.5)):
        if (
            status in ("converted", "disqualified")
            and created < seed.deactivated_on - dt.timedelta(days=20)
            and rng.random() < 0.3
        ):
            assignee = seed.user("rep3")
        else:
            assignee = reps[number % 2] if rng.random() < 0.85 else seed.user("manager")
    reason = rng.choice(p.disqualification_reasons) if status == "disqualified" else None
    campaign = source_campaign(seed, source, service, created)
    row = seed.new(
        mint,
        Lead,
        source=source,
        source_channel_id=source_channel(seed, source),
        source_campaign_id=campaign.id if campaign else None,
        first_name=first,
        last_name=last,
        email=email,
        phone=phone,
        phone_digits=phone_digits(phone),
        company=company,
        job_title=rng.choice(p.job_titles) if company else None,
        message=rng.choice(service.messages),
        search_text=lead_search_text(first, last, email, company, phone),
        status=status,
        disqualification_reason=reason,
        score_total=score,
        score_band=score_band,
        estimated_value=_estimate(service, p.currency, rng),
        enrichment_data={},
        created_by=seed.user("manager").id
        if source == "manual"
        else seed.user("admin").id
        if source == "import"
        else None,
        created_on=created,
    )
    lead_origin(seed, row, source, service, campaign, rng)
    events = lead_events(seed, row, kind, status, score, assignee, reason, company, rng)
    for when, kind_, text, actor_type, actor, meta in events:
        seed.new(
            mint,
            LeadActivity,
            lead_id=row.id,
            type=kind_,
            description=text,
            actor_type=actor_type,
            actor_id=actor.ref_id if isinstance(actor, User) else actor,
            metadata_=meta,
            created_by=actor.id if isinstance(actor, User) else None,
            created_on=when,
        )
        if kind_ == "assignment":
            row.assigned_to, row.assigned_on = seed.users_by_ref[meta["toUser"]].id, when
        if kind_ in ("call", "email_sent") and actor_type == "human" and row.first_contacted_on is None:
            row.first_contacted_on = when
        if kind_ == "enrichment":
            row.enrichment_data = _enrichment(p, company, row, when, rng)
    row.last_activity_on = events[-1][0]
    if len(events) > 2:
        row.updated_on = events[-1][0]
    if reason and reason.startswith("Spam") and number % 2:
        row.deleted_on = events[-1][0] + dt.timedelta(hours=1)  # spam is soft-deleted after review
        row.deleted_by = seed.user("manager").id


def lead_import(seed: TenantSeed) -> None:
    """The finished CSV import the leads from an import came from (one per tenant, so imports have rows)."""
    imported = [row for row in seed.rows if isinstance(row, Lead) and row.source == "import"]
    first = min((row.created_on for row in imported), default=seed.ago(days=2))
    started = first - dt.timedelta(minutes=3)
    seed.new(
        seed.mint("lead_imports"),
        LeadImport,
        filename=f"{seed.p.slug}-contacts.csv",
        status="done",
        header=["First name", "Last name", "Email", "Phone", "Company"],
        mapping={"first_name": 0, "last_name": 1, "email": 2, "phone": 3, "company": 4},
        total_rows=len(imported),
        processed_rows=len(imported),
        created_count=len(imported),
        created_by=seed.user("admin").id,
        created_on=started,
        finished_on=started + dt.timedelta(minutes=1),
    )


def lead_source(seed: TenantSeed, rng: Any) -> str:
    """A lead source; tenants without ad accounts get no ad-form leads."""
    options = ["website_form", "website_form", "manual", "import", "other"]
    if seed.channels.get("google_ads") and seed.channels["google_ads"].status == "connected":
        options += ["google_lead_form", "google_lead_form"]
    if seed.channels.get("meta_ads"):
        options += ["facebook_lead_ad", "facebook_lead_ad"]
    return rng.choice(options)


def source_channel(seed: TenantSeed, source: str) -> Any:
    """The channel a lead came through."""
    kind = {
        "website_form": "website",
        "google_lead_form": "google_ads",
        "facebook_lead_ad": "meta_ads",
        "other": "google_business_profile",
    }.get(source)
    channel = seed.channels.get(kind) if kind else None
    return channel.id if channel else None


def source_campaign(seed: TenantSeed, source: str, service: Any, created: dt.datetime) -> AdCampaign | None:
    """The campaign behind an ad-form lead (one that was running on the lead's day)."""
    platform = {"google_lead_form": "google_ads", "facebook_lead_ad": "meta_ads"}.get(source)
    if not platform:
        return None
    running = [
        seed.campaigns[spec.key]
        for spec in seed.p.campaigns
        if spec.platform == platform and spec.key in seed.campaigns and seed.campaigns[spec.key].clicks > 0
    ]
    fits = [
        c
        for c in running
        if c.start_date <= created.date() and (c.end_date is None or c.end_date >= created.date())
    ]
    return (fits or running or [None])[0]


def lead_origin(
    seed: TenantSeed, lead: Lead, source: str, service: Any, campaign: AdCampaign | None, rng: Any
) -> None:
    """UTM fields and the landing page of a lead."""
    page = f"{seed.p.website}/{content.slugify(service.name)}"
    if source == "website_form":
        lead.source_url = page
        if rng.random() < 0.6:
            lead.utm_source, lead.utm_medium = rng.choice(
                (("google", "organic"), ("blog", "referral"), ("bing", "organic"))
            )
    elif campaign is not None:
        lead.utm_source = "google" if source == "google_lead_form" else "facebook"
        lead.utm_medium = "cpc" if source == "google_lead_form" else "paid_social"
        lead.utm_campaign = content.slugify(campaign.name)
        query = f"utm_source={lead.utm_source}&utm_medium={lead.utm_medium}&utm_campaign={lead.utm_campaign}"
        lead.source_url = f"{page}?{query}"


def _phone(country: str, rng: Any) -> str:
    """A phone number in the country's usual format (fictional ranges for the UK and the US)."""
    if country == "IN":
        return f"+91 {rng.choice('6789')}{rng.randint(1000, 9999)} {rng.randint(10000, 99999)}"
    if country == "GB":
        return f"+44 7700 900{rng.randint(0, 999):03d}"
    return f"+1 ({rng.choice(('312', '773', '872'))}) 555-01{rng.randint(0, 99):02d}"


def _estimate(service: Any, currency: str, rng: Any) -> Decimal:
    """A lead's estimated value, rounded the way a salesperson would."""
    step = 500 if currency == "INR" else 50
    return money(round(rng.randint(service.low, service.high) / step) * step)


def _enrichment(
    profile: Profile, company: str | None, lead: Lead, when: dt.datetime, rng: Any
) -> dict[str, Any]:
    """What the enrichment agent found about a lead."""
    data: dict[str, Any] = {
        "source": "enrichment-agent",
        "enrichedOn": when.isoformat(),
        "location": {"city": profile.city, "country": profile.country},
        "emailDeliverable": lead.email is not None and rng.random() < 0.92,
        "phoneType": "mobile" if lead.phone else None,
    }
    if company:
        data["company"] = {
            "name": company,
            "domain": f"{content.slugify(company)}.example",
            "employees": rng.choice(("11-50", "51-200", "201-500")),
        }
        data["linkedinUrl"] = (
            f"https://www.linkedin.com/in/{content.slugify(f'{lead.first_name} {lead.last_name}')}"
        )
    return data
