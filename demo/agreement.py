"""The text of the agency's services agreement (every contract version the demo sends), as blocks for
``portal.pdf.render``."""

from __future__ import annotations

import datetime as dt

from demo.profiles import Profile

AGENCY = "Meridian Growth Labs Private Limited"
_LAW = {
    "IN": ("the Digital Personal Data Protection Act, 2023", "the laws of India; courts at Bengaluru"),
    "GB": (
        "the UK GDPR and the Data Protection Act 2018",
        "the laws of England and Wales; courts of England",
    ),
    "US": (
        "the Illinois Personal Information Protection Act",
        "the laws of the State of Illinois; courts of Cook County",
    ),
}


def contract_blocks(profile: Profile, version: int, sent_on: dt.date) -> list[tuple[str, str]]:
    """The text of the services agreement, version ``version``, as (kind, text) blocks for the PDF writer."""
    privacy, law = _LAW[profile.country]
    fee = f"{profile.currency} {profile.subscription_fee:,.2f}"
    blocks = [
        ("title", "Growth Services Agreement"),
        ("paragraph", f"Version {version} · issued {sent_on:%d %B %Y}"),
        ("heading", "Parties"),
        (
            "paragraph",
            f'(1) {AGENCY} ("the Agency"); and (2) {profile.legal_name}, trading as {profile.name} '
            f'("the Client"), of {profile.area}, {profile.city}.',
        ),
        ("heading", "1. Services"),
        (
            "paragraph",
            "The Agency provides AI-assisted marketing services: strategy, content, search, social, paid "
            "media and lead management, performed by software agents and reviewed by the Agency's "
            "specialists.",
        ),
        ("bullet", "A six-month strategy with SMART goals, proposed for the Client's approval."),
        ("bullet", "Monthly deliverables as listed in the approved strategy."),
        ("bullet", "Access to the client portal for approvals, leads, reports and billing."),
        ("heading", "2. Approvals"),
        (
            "paragraph",
            "No blog post, social post, campaign or change to an advertising account is published or "
            "applied without the Client's approval in the portal. Approvals are recorded with the "
            "approver, time and IP address.",
        ),
        ("heading", "3. Credits and fees"),
        (
            "paragraph",
            f"The {profile.plan} plan includes {profile.monthly_credits} credits a month, allocated on the "
            f"first day of each month; unused credits do not roll over. The subscription fee is {fee} a "
            f"month plus {profile.tax_label}, invoiced monthly in advance and payable within 14 days.",
        ),
        (
            "paragraph",
            "Each agent run reserves credits when it starts, consumes them when it succeeds and releases "
            "them when it fails. At 100% use, new work pauses until the next allocation or a top-up.",
        ),
        ("heading", "4. Data protection"),
        (
            "paragraph",
            f"Each party complies with {privacy}. The Agency processes lead and customer data only on "
            "the Client's instructions and keeps it separate from every other client's data.",
        ),
        ("heading", "5. Intellectual property"),
        (
            "paragraph",
            "Content approved and paid for belongs to the Client. The Agency keeps its tools, prompts "
            "and templates.",
        ),
        ("heading", "6. Term and termination"),
        (
            "paragraph",
            "This agreement runs for twelve months from acceptance and renews monthly after that. "
            "Either party may end it on 30 days' written notice.",
        ),
        ("heading", "7. Governing law"),
        ("paragraph", f"This agreement is governed by {law}."),
    ]
    if version > 1:
        blocks += [
            ("heading", "8. Changes from the previous version"),
            ("bullet", "Credits now reset monthly; the credit prices for top-ups are listed in the portal."),
            ("bullet", f"The data protection clause now refers to {privacy}."),
        ]
    blocks += [
        ("heading", "Acceptance"),
        (
            "paragraph",
            "Accepted electronically in the client portal by an owner of the Client's account. The "
            "portal records the name typed, the time, the IP address, the browser and the SHA-256 of this "
            "file.",
        ),
        ("small", f"{AGENCY} · Registered office: 4th Floor, 80 Feet Road, Koramangala, Bengaluru 560034"),
    ]
    return blocks
