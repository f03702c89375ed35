"""What runs on the tenant's behalf: agent configs, activity templates and recurring task templates.

Read-only. Each list is one statement per page, with the template each derives from (source_template_id).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.models import ActivityTemplate, AgentConfig, RecurringTaskTemplate
from portal.planning.paging import Page, as_text, keyset
from portal.tenancy import current_tenant

TABS = ("agents", "activity", "recurring")
_DAYS = {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat", "SU": "Sun"}
_FREQ = {"DAILY": "Daily", "WEEKLY": "Weekly", "MONTHLY": "Monthly", "YEARLY": "Yearly", "HOURLY": "Hourly"}


def listing(tab: str, cursor: str | None) -> Page:
    """One page of the tab's rows (live ones), by name."""
    model, name = {
        "agents": (AgentConfig, AgentConfig.agent_name),
        "activity": (ActivityTemplate, ActivityTemplate.name),
        "recurring": (RecurringTaskTemplate, RecurringTaskTemplate.name),
    }[tab]
    statement = select(model).where(model.tenant_id == current_tenant.id, model.deleted_on.is_(None))
    if model is not AgentConfig:
        statement = statement.options(joinedload(model.source))
    return keyset(
        statement,
        name,
        model.ref_id,
        cursor,
        as_text,
        key_of=lambda row: getattr(row, name.key),
        ref_of=lambda row: row.ref_id,
    )


def describe_schedule(rrule: str) -> str:
    """An RRULE in words where it is a common one ("Weekly on Mon"), else the rule itself."""
    parts = dict(p.split("=", 1) for p in rrule.removeprefix("RRULE:").split(";") if "=" in p)
    freq = _FREQ.get(parts.get("FREQ", ""))
    if not freq:
        return rrule
    text = freq
    interval = parts.get("INTERVAL")
    if interval and interval != "1":
        unit = {"Daily": "days", "Weekly": "weeks", "Monthly": "months", "Yearly": "years", "Hourly": "hours"}
        text = f"Every {interval} {unit[freq]}"
    if "BYDAY" in parts:
        days = [_DAYS.get(d[-2:], d) for d in parts["BYDAY"].split(",")]
        text += " on " + ", ".join(days)
    if "BYMONTHDAY" in parts:
        text += f" on day {parts['BYMONTHDAY']}"
    if "BYHOUR" in parts:
        text += f" at {int(parts['BYHOUR'].split(',')[0]):02d}:{int(parts.get('BYMINUTE', '0').split(',')[0]):02d}"
    return text
