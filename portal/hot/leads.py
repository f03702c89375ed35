"""The lead pages' hot statements: the list filters' options (every list page) and a lead's timeline."""

from __future__ import annotations

import functools

from sqlalchemy import Select, bindparam, literal, literal_column, select, true, union_all
from sqlalchemy.orm import aliased

from portal.hot.fixed import FixedStatement
from portal.hot.policy import prepared
from portal.models import AdCampaign, Channel, LeadActivity, User
from portal.tenancy import TENANT_ID

# The filters' options, rows (kind, ref_id, name, active): the tenant's reps, channels and campaigns.
FILTER_CHOICES = FixedStatement(
    union_all(
        select(literal("rep").label("kind"), User.ref_id, User.full_name, User.is_active).where(
            User.tenant_id == TENANT_ID, User.role == "sales_rep", User.deleted_on.is_(None)
        ),
        select(literal("channel"), Channel.ref_id, Channel.name, true()).where(
            Channel.tenant_id == TENANT_ID
        ),
        select(literal("campaign"), AdCampaign.ref_id, AdCampaign.name, true()).where(
            AdCampaign.tenant_id == TENANT_ID
        ),
    ).order_by(literal_column("kind"), literal_column("full_name"), literal_column("ref_id"))
)

# A timeline entry's person: the tenant's user whose ref_id the entry names as its human actor.
_ACTOR = aliased(User, name="actor")


@functools.cache
def timeline(limit: int) -> Select:
    """(LeadActivity, actor's name) of a lead, newest first, at most limit; run with TENANT_ID and lead_id.
    Equality on the (tenant, lead) index whatever the values: it runs prepared."""
    return prepared(
        select(LeadActivity, _ACTOR.full_name)
        .outerjoin(
            _ACTOR,
            (_ACTOR.tenant_id == LeadActivity.tenant_id)
            & (_ACTOR.ref_id == LeadActivity.actor_id)
            & (LeadActivity.actor_type == "human"),
        )
        .where(LeadActivity.tenant_id == TENANT_ID, LeadActivity.lead_id == bindparam("lead_id"))
        .order_by(LeadActivity.created_on.desc(), LeadActivity.id.desc())
        .limit(limit)
    )
