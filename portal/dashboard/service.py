"""Figures for the dashboard, each from one SQL aggregate."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from portal.db import get_session
from portal.models import BlogPost, Lead, SocialPost, Strategy
from portal.tenancy import current_tenant


@dataclass(frozen=True)
class Summary:
    """The numbers on the dashboard's cards."""

    leads_total: int
    leads_new: int
    leads_unassigned: int
    posts_waiting: int
    strategies_waiting: int


def summary() -> Summary:
    """Counts of the tenant's leads and of what waits for the tenant's decision, in one statement."""
    tenant_id = current_tenant.id
    live_leads = select(Lead).where(Lead.tenant_id == tenant_id, Lead.deleted_on.is_(None)).subquery()
    row = (
        get_session()
        .execute(
            select(
                select(func.count()).select_from(live_leads).scalar_subquery(),
                select(func.count())
                .select_from(live_leads)
                .where(live_leads.c.status == "new")
                .scalar_subquery(),
                select(func.count())
                .select_from(live_leads)
                .where(
                    live_leads.c.assigned_to.is_(None),
                    live_leads.c.status.in_(("new", "contacted", "qualified")),
                )
                .scalar_subquery(),
                (
                    select(func.count())
                    .select_from(BlogPost)
                    .where(BlogPost.tenant_id == tenant_id, BlogPost.status == "client_review")
                    .scalar_subquery()
                    + select(func.count())
                    .select_from(SocialPost)
                    .where(SocialPost.tenant_id == tenant_id, SocialPost.status == "client_review")
                    .scalar_subquery()
                ),
                select(func.count())
                .select_from(Strategy)
                .where(Strategy.tenant_id == tenant_id, Strategy.status == "pending_review")
                .scalar_subquery(),
            )
        )
        .one()
    )
    return Summary(*row)
