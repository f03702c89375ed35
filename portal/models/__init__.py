"""All models, importable from one place: ``from portal.models import Lead``."""

from portal.models.ads import (
    AdCampaign,
    AdKeyword,
    AdOptimizationRecommendation,
    SearchTermClassification,
    SearchTermReport,
)
from portal.models.agents import (
    ActivityTemplate,
    AgentConfig,
    AgentSession,
    LlmCall,
    RecurringTaskTemplate,
    ToolCall,
)
from portal.models.billing import BillingEvent
from portal.models.channels import Channel, ChannelScore
from portal.models.content import Backlink, BlogPost, BlogRequest, SocialMediaRequest, SocialPost
from portal.models.execution import Activity, ActivityRun
from portal.models.invitations import Invitation
from portal.models.leads import Lead, LeadActivity
from portal.models.leads_portal import LeadDayCount, LeadImport, LeadSearchTerm, LeadStatusCount, LeadWebForm
from portal.models.notifications import Digest, DigestItem, NotificationPreference, ReminderSent
from portal.models.planning import Deliverable, DeliverablePeriod, Goal, Strategy
from portal.models.resets import PasswordReset
from portal.models.tenancy import Contract, OnboardingRun, Tenant, User
from portal.models.two_factor import RecoveryCode, RememberedDevice, SignInPolicy, TwoFactorSecret
from portal.models.web import AuditEvent, Notification, OutboxEmail, WebSession

__all__ = [
    "Activity",
    "ActivityRun",
    "ActivityTemplate",
    "AdCampaign",
    "AdKeyword",
    "AdOptimizationRecommendation",
    "AgentConfig",
    "AgentSession",
    "AuditEvent",
    "Backlink",
    "BillingEvent",
    "BlogPost",
    "BlogRequest",
    "Channel",
    "ChannelScore",
    "Contract",
    "Deliverable",
    "DeliverablePeriod",
    "Digest",
    "DigestItem",
    "Goal",
    "Invitation",
    "Lead",
    "LeadActivity",
    "LeadDayCount",
    "LeadImport",
    "LeadSearchTerm",
    "LeadStatusCount",
    "LeadWebForm",
    "LlmCall",
    "Notification",
    "NotificationPreference",
    "OnboardingRun",
    "OutboxEmail",
    "PasswordReset",
    "RecoveryCode",
    "RecurringTaskTemplate",
    "RememberedDevice",
    "ReminderSent",
    "SearchTermClassification",
    "SearchTermReport",
    "SignInPolicy",
    "SocialMediaRequest",
    "SocialPost",
    "Strategy",
    "Tenant",
    "ToolCall",
    "TwoFactorSecret",
    "User",
    "WebSession",
]
