"""A lead's page: what it loads with the lead, how a lead is named on screen, and its timeline."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Row
from sqlalchemy.orm import joinedload

from portal.db import get_session
from portal.hot import leads as hot_leads
from portal.models import Lead, LeadActivity
from portal.tenancy import TENANT_ID

# What a lead's page shows beside the lead itself, loaded in the same statement: also how a lost race reads
# the lead again, since that page is rendered from it and its relationships never load lazily.
LEAD_PAGE = (joinedload(Lead.assignee), joinedload(Lead.source_channel), joinedload(Lead.source_campaign))


def display_name(lead: Lead | Row) -> str:
    """How a lead (or a list row) is named on screen: the person, else the company, else the e-mail or phone."""
    name = " ".join(p for p in (lead.first_name, lead.last_name) if p)
    return name or lead.company or lead.email or lead.phone or "Unnamed lead"


# How the timeline shows each kind of entry: (tone, icon, what the actor did).
TIMELINE_KINDS = {
    "status_change": ("done", "success", "changed the status"),
    "assignment": ("agency", "team", "changed the assignee"),
    "note": ("neutral", "content", "added a note"),
    "call": ("waiting", "bell", "logged a call"),
    "meeting": ("waiting", "calendar", "logged a meeting"),
    "email_sent": ("waiting", "inbox", "sent an e-mail"),
    "email_received": ("agency", "inbox", "received an e-mail"),
    "score_updated": ("agency", "sparkles", "updated the score"),
    "enrichment": ("agency", "sparkles", "enriched the lead"),
}


@dataclass
class TimelineEntry:
    """One line of the timeline, with the actor's name resolved and how its kind is shown."""

    activity: LeadActivity
    who: str

    @property
    def shown(self) -> tuple[str, str | None, str]:
        """(tone, icon or None, what the actor did) for this entry's kind."""
        return TIMELINE_KINDS.get(self.activity.type, ("neutral", None, self.activity.type))


def timeline(lead: Lead, limit: int = 200) -> list[TimelineEntry]:
    """The lead's activities, newest first, with who did each (a person's name or an agent's): one
    statement, the people's names joined by their ref_id."""
    values = {TENANT_ID.key: lead.tenant_id, "lead_id": lead.id}
    rows = get_session().execute(hot_leads.timeline(limit), values)
    entries = []
    for activity, name in rows:
        if activity.actor_type == "human":
            who = name or "Someone"
        elif activity.actor_type == "agent":
            who = (activity.actor_id or "An agent").replace("-", " ").capitalize()
        else:
            who = "Portal"
        entries.append(TimelineEntry(activity, who))
    return entries
