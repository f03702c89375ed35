"""The timeline of a demo lead: its score, enrichment, assignment, contact, status changes and notes,
as the lead activities the lead's page shows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from demo.builder import TenantSeed
from demo.scenario import CONTACT_NOTES, SCORE_SIGNALS
from portal.models import Lead, User

RULES_ACTOR = "assignment-rules"  # the actor_id of assignments made by the tenant's rules


def lead_events(
    seed: TenantSeed,
    lead: Lead,
    kind: str,
    status: str,
    score: int,
    assignee: User | None,
    reason: str | None,
    company: str | None,
    rng: Any,
) -> list[tuple]:
    """The lead's timeline as (when, type, description, actor type, actor, metadata), oldest first."""
    p = seed.p
    notes = CONTACT_NOTES[p.industry]
    steps: list[tuple] = []

    def step(hours: float, type_: str, text_: str | None, actor: Any, metadata: dict | None = None) -> None:
        actor_type = "human" if isinstance(actor, User) else "system" if actor == RULES_ACTOR else "agent"
        steps.append((hours, type_, text_, actor_type, actor, metadata or {}))

    # A lead that went well was often scored lower at first and raised after the meeting.
    raised = status in ("qualified", "converted") and rng.random() < 0.3
    first_score = max(score - 12, 0) if raised else score
    signals = rng.sample(SCORE_SIGNALS, 3)
    step(
        0.01,
        "score_updated",
        f"Scored {first_score}/100 ({band(first_score)})",
        "lead-scorer",
        {"fromScore": None, "toScore": first_score, "band": band(first_score), "signals": signals},
    )
    if rng.random() < 0.6:
        fields = ["location", "emailDeliverable"] + (["company", "linkedinUrl"] if company else [])
        step(0.03, "enrichment", "Enriched from public sources", "enrichment-agent", {"fields": fields})
    at = 0.05
    if assignee is not None:
        automatic = p.assignment_mode in ("round_robin", "capacity")
        if automatic and kind != "orphan" and rng.random() < 0.12:
            at, rule, actor = rng.uniform(0.2, 2), "claim", assignee  # the rep took it from the pool
        elif automatic:
            at, rule, actor = 0.02, p.assignment_mode, RULES_ACTOR
        else:
            at, rule, actor = rng.uniform(0.2, 3), "manual", seed.user("manager")
        step(
            at,
            "assignment",
            f"Assigned to {assignee.full_name}",
            actor,
            {"fromUser": None, "toUser": assignee.ref_id, "rule": rule},
        )
    caller = assignee
    if kind == "orphan":  # the rep left; the admin moved the lead, and the new owner called
        at = (seed.deactivated_on - lead.created_on).total_seconds() / 3600
        caller = seed.user("rep1")
        step(
            at,
            "assignment",
            f"Reassigned to {caller.full_name}: {assignee.full_name} was deactivated",
            seed.user("admin"),
            {"fromUser": assignee.ref_id, "toUser": caller.ref_id, "rule": "manual"},
        )
    late = rng.random() < 0.15
    contact = at + p.sla_hours * (rng.uniform(1.2, 3) if late else rng.uniform(0.05, 0.8))
    if status == "disqualified" and rng.random() < 0.4:
        contact = None  # spam and duplicates are closed without a call
    contacted = status != "new" and contact is not None
    if contacted:
        how = rng.choice(("call", "call", "email_sent"))
        step(
            contact,
            how,
            notes[how],
            caller,
            {"durationSeconds": rng.randint(60, 600)} if how == "call" else {},
        )
        step(
            contact + 0.02,
            "status_change",
            "Marked as contacted",
            caller,
            {"fromStatus": "new", "toStatus": "contacted"},
        )
        if rng.random() < 0.4:
            step(
                contact + rng.uniform(2, 30),
                "email_received",
                "Replied with documents and questions",
                caller,
            )
    later = (contact or at) + rng.uniform(24, 160)
    if status in ("qualified", "converted"):
        step(later, "meeting", notes["meeting"], caller, {"minutes": 30})
        step(
            later + 0.1,
            "status_change",
            "Marked as qualified",
            caller,
            {"fromStatus": "contacted", "toStatus": "qualified"},
        )
        if raised:
            step(
                later + 0.2,
                "score_updated",
                "Score raised after the meeting",
                "lead-scorer",
                {"fromScore": first_score, "toScore": score, "band": band(score)},
            )
        later += rng.uniform(48, 300)
    if status == "converted":
        step(later, "note", notes["won"], caller)
        step(
            later + 0.05,
            "status_change",
            "Marked as converted",
            caller,
            {"fromStatus": "qualified", "toStatus": "converted"},
        )
    if status == "disqualified":
        step(
            later if contacted else at + rng.uniform(0.5, 6),
            "status_change",
            reason,
            caller or seed.user("manager"),
            {
                "fromStatus": "contacted" if contacted else "new",
                "toStatus": "disqualified",
                "reason": reason,
            },
        )
    if status in ("contacted", "qualified") and rng.random() < 0.35:
        step(
            max(h for h, *_ in steps) + rng.uniform(4, 48),
            "note",
            "Asked to call back after payday",
            caller,
        )
    steps.sort(key=lambda entry: entry[0])
    # Squeeze the timeline into the lead's life so far; a reassignment on a known day keeps real hours.
    available = (seed.now - lead.created_on).total_seconds() / 3600 * 0.95
    last = steps[-1][0]
    scale = 1 if kind == "orphan" or last <= available else available / last
    return [(lead.created_on + dt.timedelta(hours=hours * scale), *rest) for hours, *rest in steps]


def band(score: int) -> str:
    """The score band: hot 70–100, warm 40–69, cold 0–39."""
    return "hot" if score >= 70 else "warm" if score >= 40 else "cold"
