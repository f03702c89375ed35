"""The demo's script: which state each piece of work is in, who asked for what, what agents cost.

Pure data read by the build steps: prices and agents per activity type, the strategy versions, this month's
plan per deliverable, the tenants' own requests and tasks, campaign timing and the recommendations.
"""

from __future__ import annotations

from decimal import Decimal

CREDITS = {  # credits per unit, from the platform's price list (docs/PLATFORM.md)
    "strategy": 5,
    "landing_page": 3,
    "blog_post": 2,
    "email_newsletter": 2,
    "google_ads_copy": 2,
    "meta_ads_copy": 2,
    "monthly_report": 2,
    "context_file": 2,
    "social_post": 1,
    "gbp_post": 1,
    "content_brief": 1,
    "keyword_cluster": 1,
    "social_calendar": 1,
    "backlinks": 1,
    "backlink_research": 1,
    "search_term_review": 1,
    "ad_optimization": 1,
}
AGENT_FOR = {
    "blog_post": "blog-writer",
    "social_post": "social-writer",
    "social_calendar": "social-writer",
    "gbp_post": "local-seo-agent",
    "content_brief": "seo-researcher",
    "keyword_cluster": "seo-researcher",
    "email_newsletter": "email-writer",
    "landing_page": "landing-page-builder",
    "google_ads_copy": "ads-copywriter",
    "meta_ads_copy": "ads-copywriter",
    "monthly_report": "report-builder",
    "backlinks": "backlink-scout",
    "backlink_research": "backlink-scout",
    "strategy": "strategy-writer",
    "context_file": "onboarding-researcher",
    "search_term_review": "search-term-classifier",
    "ad_optimization": "ads-optimizer",
}
AGENT_MODELS = {  # agent → (adapter, provider, model)
    "blog-writer": ("claude-agent-sdk", "anthropic", "claude-sonnet-4"),
    "strategy-writer": ("claude-agent-sdk", "anthropic", "claude-sonnet-4"),
    "onboarding-researcher": ("claude-agent-sdk", "anthropic", "claude-sonnet-4"),
    "landing-page-builder": ("claude-agent-sdk", "anthropic", "claude-sonnet-4"),
    "email-writer": ("claude-agent-sdk", "anthropic", "claude-haiku-4-5"),
    "ads-optimizer": ("claude-agent-sdk", "anthropic", "claude-sonnet-4"),
    "social-writer": ("openai-agents", "openai", "gpt-5-mini"),
    "seo-researcher": ("openai-agents", "openai", "gpt-5-mini"),
    "local-seo-agent": ("openai-agents", "openai", "gpt-5-mini"),
    "ads-copywriter": ("openai-agents", "openai", "gpt-5-mini"),
    "backlink-scout": ("openai-agents", "openai", "gpt-5-mini"),
    "search-term-classifier": ("openai-agents", "openai", "gpt-5-mini"),
    "report-builder": ("langgraph", "google", "gemini-2.5-flash"),
    "lead-scorer": ("openai-agents", "openai", "gpt-5-mini"),
    "enrichment-agent": ("langgraph", "google", "gemini-2.5-flash"),
}
PRICES = {  # USD per million tokens (input, output): the agency's cost, never shown to tenants
    "claude-sonnet-4": (Decimal("3"), Decimal("15")),
    "claude-haiku-4-5": (Decimal("1"), Decimal("5")),
    "gpt-5-mini": (Decimal("0.25"), Decimal("2")),
    "gemini-2.5-flash": (Decimal("0.30"), Decimal("2.50")),
}
TOOLS_FOR = {
    "blog_post": ("serp_lookup", "web_search", "fetch_url"),
    "social_post": ("image_generate", "web_search"),
    "social_calendar": ("web_search",),
    "gbp_post": ("gbp_api", "image_generate"),
    "content_brief": ("serp_lookup", "fetch_url"),
    "keyword_cluster": ("keyword_planner", "serp_lookup"),
    "email_newsletter": ("mailchimp_api", "fetch_url"),
    "landing_page": ("fetch_url", "web_search"),
    "google_ads_copy": ("google_ads_api",),
    "meta_ads_copy": ("meta_graph_api",),
    "monthly_report": ("ga4_report", "gsc_query", "google_ads_api"),
    "backlinks": ("backlink_index", "web_search", "send_email"),
    "backlink_research": ("backlink_index", "web_search"),
    "strategy": ("web_search", "ga4_report", "gsc_query"),
    "context_file": ("fetch_url", "web_search"),
    "search_term_review": ("google_ads_api",),
    "ad_optimization": ("google_ads_api",),
}
RUN_ERRORS = (
    "Provider returned 529 (overloaded) after 3 retries",
    "Validation failed: 612 words, the brief asks for at least 1,200",
    "Timed out after 300 s waiting for serp_lookup",
    "Output rejected by the safety filter: unverified price claim",
    "Google Ads API: RESOURCE_EXHAUSTED (quota), retry after 60 s",
)
ATTEMPTS = {  # run plan → statuses of its attempts, oldest first
    "ok": ("succeeded",),
    "retry": ("failed", "succeeded"),
    "fail": ("failed", "failed"),
    "running": ("running",),
    "queued": ("queued",),
    "rewrite": ("succeeded", "succeeded"),
    "rewrite_running": ("succeeded", "running"),
}
PLAN_FOR_STATUS = {
    "done": "ok",
    "awaiting_approval": "ok",
    "in_progress": "running",
    "queued": "queued",
    "failed": "fail",
}
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/138.0.0.0 Safari/537.36"
)
BROKEN = {  # which deliberately broken references each tenant carries (see the module docstring)
    "acme": {"output_doc", "output_object", "tool_log"},
    "northwind": {"strategy_content", "social_image"},
}

TOPUP_MONTH = -2  # the month both tenants ran out early and bought credits
CARRIED_CREDITS = 6  # credits left over from the month before the six shown (they expire at once)

# Strategy versions: (version, title, status, first month, created (month, day), decided (month, day)).
STRATEGIES = {
    "acme": (
        (1, "Local SEO foundations", "archived", -10, (-10, 12), (-10, 15)),
        (2, "Growth plan: paid search first", "rejected", -4, (-5, 16), (-5, 20)),
        (3, "Organic growth and local visibility", "approved", -4, (-5, 22), (-5, 26)),
        (4, "Next six months: aligners and paid social", "pending_review", 2, None, None),
    ),
    "northwind": (
        (1, "Foundations: search and directories", "archived", -6, (-7, 20), (-7, 26)),
        (2, "Lead generation: employment and family law", "approved", -3, (-4, 14), (-4, 22)),
        (3, "Adding paid social for wills and probate", "pending_review", 1, None, None),
        (4, "Commercial clients: a LinkedIn-led plan", "draft", 3, None, None),
    ),
}
REJECTION_NOTES = {
    "acme": (
        "Too much of the budget goes to Google Ads. We want organic search and local SEO to carry more of "
        "the load; please rebalance and show the effect on leads."
    ),
}
REWRITE_NOTES = {
    "acme": "removed the price guarantee, added EMI details and a section on aftercare.",
    "northwind": "corrected the ACAS time limits and softened the claims about outcomes.",
}
REJECTED_POST_NOTES = {
    "acme": (
        "The tone is too salesy and the implant prices are out of date (we raised them in April). Please "
        "use the current price list and add a patient story."
    ),
    "northwind": (
        "Please remove the case-outcome percentages: SRA rules. And explain 'without prejudice' in plain "
        "English."
    ),
}
REJECTED_SOCIAL_NOTES = {
    "acme": "We can't show patient photos without consent. Please use a clinic photo instead.",
    "northwind": "Too informal for LinkedIn; drop the emoji and the joke about tribunals.",
}
# The month's plan per deliverable type: (activity status, run plan, post status) for each unit.
CURRENT_PLANS = {
    ("acme", "blog_post"): (
        ("done", "ok", "client_approved"),
        ("awaiting_approval", "ok", "client_review"),
        ("awaiting_approval", "rewrite", "client_review"),
        ("in_progress", "rewrite_running", "rejected"),
    ),
    ("northwind", "blog_post"): (
        ("awaiting_approval", "ok", "client_review"),
        ("in_progress", "rewrite_running", "rejected"),
        ("awaiting_approval", "ok", "dm_review"),
    ),
    ("acme", "social_post"): (
        ("done", "ok", "scheduled"),
        ("done", "ok", "client_approved"),
        ("awaiting_approval", "ok", "client_review"),
        ("awaiting_approval", "ok", "client_review"),
        ("in_progress", "ok", "design_pending"),
        ("in_progress", "ok", "dm_approved"),
        ("awaiting_approval", "ok", "dm_review"),
        ("in_progress", "rewrite_running", "rejected"),
    ),
    ("northwind", "social_post"): (
        ("done", "ok", "published"),
        ("done", "ok", "scheduled"),
        ("awaiting_approval", "ok", "client_review"),
        ("awaiting_approval", "ok", "client_review"),
        ("in_progress", "rewrite_running", "rejected"),
        ("queued", "queued", None),
    ),
}
CURRENT_STATUSES = {
    "content_brief": ("done", "done", "done", "in_progress"),
    "gbp_post": ("done", "done", "in_progress", "pending"),
    "backlinks": ("done", "in_progress", "queued", "pending"),
    "keyword_cluster": ("done",),
    "social_calendar": ("done",),
    "monthly_report": ("done",),
    "email_newsletter": ("queued",),
    "landing_page": ("blocked",),
    "google_ads_copy": ("done", "blocked"),
    "meta_ads_copy": ("done", "awaiting_approval"),
    ("northwind", "backlinks"): ("done", "failed", "pending"),
    ("northwind", "google_ads_copy"): ("done", "in_progress"),
}
# The archived strategy's deliverables: (type, title, per month, status, index of its goal).
ARCHIVED_DELIVERABLES = {
    "acme": (
        ("blog_post", "Blog articles (local SEO)", 4, "published", 0),
        ("content_brief", "Content briefs", 4, "approved", 0),
        ("social_post", "Facebook and Instagram posts", 8, "published", 1),
        ("gbp_post", "Google Business Profile posts", 4, "published", 0),
        ("backlinks", "Local citations", 4, "published", 1),
    ),
    "northwind": (
        ("blog_post", "Legal guides", 2, "published", 0),
        ("social_post", "LinkedIn posts", 6, "published", 1),
        ("backlinks", "Directory listings", 3, "published", 0),
        ("email_newsletter", "Client newsletter", 1, "published", 1),
    ),
}
PARENT_KIND = {"content_brief": "blog_post", "social_post": "social_calendar", "blog_post": "keyword_cluster"}
BLOCKED_NOTES = {
    "google_ads_copy": "Waiting for edit access to the Google Ads account (asked the client on Monday).",
    "landing_page": "Waiting for two client testimonials and permission to use them.",
}
# Tasks for people ("My tasks"): (user, type, title, status, due in days, blocked note).
HUMAN_TASKS = {
    "acme": (
        ("owner", "gbp_post", "Upload 10 new clinic photos to Google Business Profile", "pending", 3, None),
        ("owner", "backlinks", "Finish the Practo listing (3 of 5 steps left)", "in_progress", 5, None),
        ("marketer", "content_brief", "Send the patient FAQ list for the aligners article", "done", -4, None),
        (
            "marketer",
            "social_post",
            "Share before/after photos for the smile makeover post",
            "blocked",
            2,
            "Waiting for the patients' signed consent forms.",
        ),
        ("marketer", "blog_post", "Check the prices quoted in the implants article", "pending", 1, None),
        ("admin", "google_ads_copy", "Give the agency edit access to Google Ads", "in_progress", 0, None),
    ),
    "northwind": (
        ("owner", "social_post", "Record a 60-second introduction video for LinkedIn", "pending", 6, None),
        ("owner", "backlinks", "Complete the Law Society profile", "in_progress", 4, None),
        (
            "marketer",
            "landing_page",
            "Collect three client testimonials",
            "blocked",
            2,
            "Two clients asked to stay anonymous; the partners must agree first.",
        ),
        ("marketer", "blog_post", "Check the settlement agreement guide for accuracy", "done", -2, None),
        ("admin", "social_post", "Reconnect the Instagram account", "pending", 1, None),
    ),
}
# The tenant's own blog requests: (status, requested by, topic, keyword, brief).
TENANT_BLOG_REQUESTS = {
    "acme": (
        (
            "submitted",
            "marketer",
            "Dental Care During Pregnancy",
            "dental treatment during pregnancy",
            "Our patients ask this weekly. Cover which treatments are safe in each trimester.",
        ),
        (
            "submitted",
            "owner",
            "Why We Take a CBCT Scan Before Implants",
            "cbct scan for dental implants",
            "Explain the scan, the dose and the price; link to the implants page.",
        ),
        (
            "approved",
            "marketer",
            "Braces for Children: The Right Age to Start",
            "right age for braces",
            "For parents of 8–12 year olds; mention the free orthodontic screening.",
        ),
        (
            "rejected",
            "owner",
            "Our New Sunday Clinic Hours",
            "dentist open sunday bangalore",
            "Announce Sunday hours. (The agency suggested a Google Business Profile post instead.)",
        ),
        (
            "withdrawn",
            "marketer",
            "Best Toothpaste Brands in India",
            "best toothpaste india",
            "A comparison of popular brands. Withdrawn: we don't want to review brands.",
        ),
        (
            "in_progress",
            "marketer",
            "Gum Disease and Heart Health: The Link",
            "gum disease heart health",
            "Evidence-based, no scare tactics; cite two recent studies.",
        ),
    ),
    "northwind": (
        (
            "submitted",
            "marketer",
            "Employment Rights for Gig Workers",
            "gig worker employment rights uk",
            "Explain worker vs employee status after the recent Supreme Court cases.",
        ),
        (
            "submitted",
            "owner",
            "Right-to-Work Checks for Small Employers",
            "right to work checks",
            "A checklist for employers with fewer than 50 staff.",
        ),
        (
            "approved",
            "marketer",
            "Renters' Rights: What Landlords Must Do Now",
            "renters rights landlords",
            "For small landlords; cover the end of section 21.",
        ),
        (
            "rejected",
            "owner",
            "Our New Partner: Welcome, Priya",
            "northwind legal new partner",
            "An announcement. (The agency suggested LinkedIn instead of the blog.)",
        ),
        (
            "withdrawn",
            "marketer",
            "Brexit and EU Employees in 2025",
            "eu employees settled status",
            "Withdrawn: already covered by our March guide.",
        ),
        (
            "in_progress",
            "marketer",
            "Non-Compete Clauses After the Reforms",
            "non compete clause uk",
            "What changes for employers and employees; include a sample clause.",
        ),
    ),
}
# The tenant's own social requests: (status, requested by, platforms, brief).
TENANT_SOCIAL_REQUESTS = {
    "acme": (
        ("submitted", "marketer", ("instagram", "facebook"), "Three posts for World Oral Health Day."),
        ("approved", "owner", ("instagram",), "A reel of the new CBCT scanner."),
        (
            "rejected",
            "marketer",
            ("x",),
            "A thread on dental myths. (X is not connected; the agency suggested LinkedIn.)",
        ),
        ("withdrawn", "owner", ("facebook",), "Diwali greeting post (withdrawn: we'll reuse last year's)."),
    ),
    "northwind": (
        ("submitted", "marketer", ("linkedin", "x"), "Posts on the new flexible working rules."),
        ("approved", "owner", ("linkedin",), "Announce our new partner."),
        (
            "rejected",
            "marketer",
            ("instagram",),
            "Behind-the-scenes office photos (Instagram is disconnected).",
        ),
        (
            "withdrawn",
            "owner",
            ("facebook",),
            "Christmas opening hours (withdrawn: added to the website instead).",
        ),
    ),
}
# Campaign timing per status: (first month, last month or None, share of the budget spent).
CAMPAIGN_DATES = {
    "active": (-3, None, (0.35, 0.75)),
    "paused": (-4, None, (0.2, 0.45)),
    "completed": (-5, -4, (0.96, 1.0)),
    "archived": (-10, -7, (0.98, 1.0)),
    "draft": (1, 4, (0, 0)),
    "dm_review": (1, 4, (0, 0)),
    "dm_approved": (1, 4, (0, 0)),
    "client_review": (1, 4, (0, 0)),
    "client_approved": (1, 4, (0, 0)),
}
TERM_TRAFFIC = {
    "add_as_keyword": (20, 140),
    "add_as_negative": (15, 90),
    "watch": (8, 60),
    "irrelevant": (2, 20),
}
RECURRING_TITLES = {
    "search_term_review": "Search-term review",
    "ad_optimization": "Ad optimisation batch",
}
# The usage top-up's work, at most once a day each: the daily check, then (in busy months) a prospect search.
TOP_UP_TITLES = ("Daily backlink check", "Backlink prospect search")
# (kind, status, campaign, title, rationale, expected impact, payload, review note);
# in payloads "@key" stands for that campaign's ref_id.
RECOMMENDATIONS = {
    "acme": (
        (
            "add_negative_keyword",
            "applied",
            "implants",
            "Block searches for free implants",
            "41 clicks on 'free dental implants' in 30 days and no conversions.",
            "Saves about ₹2,100 a month",
            {"keyword": "free dental implants", "matchType": "phrase", "level": "campaign"},
            "Yes, block it.",
        ),
        (
            "raise_bid",
            "client_review",
            "implants",
            "Raise the bid on 'tooth implant indiranagar'",
            "Shown at the top of the page only 38% of the time, yet it converts at 11%.",
            "+6 consultations a month",
            {
                "keyword": "tooth implant indiranagar",
                "matchType": "exact",
                "fromBid": "55.00",
                "toBid": "66.00",
                "currency": "INR",
            },
            None,
        ),
        (
            "lower_bid",
            "approved",
            "aligners",
            "Lower the bid on 'teeth straightening without braces'",
            "Cost per lead is ₹3,900, twice the campaign average.",
            "Saves about ₹4,500 a month",
            {
                "keyword": "teeth straightening without braces",
                "matchType": "broad",
                "fromBid": "35.00",
                "toBid": "28.00",
                "currency": "INR",
            },
            "OK, but keep an eye on volume.",
        ),
        (
            "pause_keyword",
            "rejected",
            "aligners",
            "Pause 'aligners for adults'",
            "No conversions in 21 days.",
            "Saves about ₹3,000 a month",
            {"keyword": "aligners for adults", "matchType": "phrase"},
            "Keep it: adults are our main aligner market. Give it two more weeks.",
        ),
        (
            "shift_budget",
            "client_review",
            "implants",
            "Move ₹15,000 from Emergency Dentist to Implants",
            "The emergency campaign is paused; implants are limited by budget on weekdays.",
            "+9 consultations a month",
            {
                "fromCampaign": "@emergency",
                "toCampaign": "@implants",
                "amount": "15000.00",
                "currency": "INR",
            },
            None,
        ),
        (
            "other",
            "applied",
            "implants",
            "Add a call extension with the clinic's number",
            "42% of implant searches are on mobile during clinic hours.",
            "More calls from mobile",
            {"extension": "call", "phone": "+91 80 4567 1234", "schedule": "Mon–Sun 09:00–20:00"},
            "Approved.",
        ),
    ),
    "northwind": (
        (
            "add_negative_keyword",
            "client_review",
            "employment",
            "Block 'free employment law advice'",
            "63 clicks and no qualified enquiries in 30 days.",
            "Saves about £260 a month",
            {"keyword": "free employment law advice", "matchType": "phrase", "level": "campaign"},
            None,
        ),
        (
            "raise_bid",
            "applied",
            "family",
            "Raise the bid on 'divorce solicitor london'",
            "Impression share lost to rank is 44%.",
            "+5 enquiries a month",
            {
                "keyword": "divorce solicitor london",
                "matchType": "phrase",
                "fromBid": "7.90",
                "toBid": "9.20",
                "currency": "GBP",
            },
            "Approved.",
        ),
        (
            "lower_bid",
            "rejected",
            "employment",
            "Lower the bid on 'employment law advice'",
            "Broad match with a high cost per lead.",
            "Saves about £180 a month",
            {
                "keyword": "employment law advice",
                "matchType": "broad",
                "fromBid": "4.10",
                "toBid": "3.20",
                "currency": "GBP",
            },
            "This term brings our best commercial clients; keep the bid.",
        ),
        (
            "pause_keyword",
            "approved",
            "family",
            "Pause 'financial settlement divorce'",
            "Mostly research traffic; 2% conversion rate.",
            "Saves about £150 a month",
            {"keyword": "financial settlement divorce", "matchType": "broad"},
            "Fine.",
        ),
        (
            "shift_budget",
            "applied",
            "employment",
            "Move £500 from Family Law to Employment Law",
            "Employment converts at twice the rate this quarter.",
            "+7 enquiries a month",
            {"fromCampaign": "@family", "toCampaign": "@employment", "amount": "500.00", "currency": "GBP"},
            "Go ahead.",
        ),
        (
            "other",
            "client_review",
            "employment",
            "Test a second responsive search ad",
            "One ad per ad group limits learning.",
            "Better click-through rate",
            {
                "adGroup": "Settlement agreements",
                "headlines": ["Settlement Agreement Review", "Fixed Fee, Same Week"],
            },
            None,
        ),
    ),
}
STATUS_WEIGHTS = (
    (60, 40, 0, 0, 0),
    (15, 45, 20, 15, 5),
    (3, 20, 22, 22, 33),
)  # by age: <1 day, <7 days, older
SCORE_SIGNALS = (
    "form completed in full",
    "high-value service",
    "local phone number",
    "business e-mail",
    "visited the pricing page",
    "returning visitor",
    "mentioned a deadline",
)
CONTACT_NOTES = {
    "dental": {
        "call": "Called; discussed options and sent the price list on WhatsApp.",
        "email_sent": "Sent the treatment guide and available slots.",
        "meeting": "Consultation at the clinic; X-ray taken, treatment plan shared.",
        "won": "Treatment plan accepted; first appointment booked, EMI approved.",
    },
    "legal": {
        "call": "Initial call; conflict check passed, explained the fixed fee.",
        "email_sent": "Sent the client care letter and our fixed-fee quote.",
        "meeting": "Video meeting with a solicitor; documents reviewed.",
        "won": "Instructed us; engagement letter signed and payment on account received.",
    },
    "plumbing": {
        "call": "Called back; booked a technician visit.",
        "email_sent": "Sent the upfront price and the arrival window.",
        "meeting": "On-site estimate done.",
        "won": "Job accepted; scheduled.",
    },
}
MONEY_EXTRAS = {  # ((refund amount, reason), (bonus credits, reason))
    "acme": (
        (Decimal("5000.00"), "Refund: service credit for the three-day reporting outage"),
        (5, "Goodwill: 5 bonus credits after the delayed Diwali campaign"),
    ),
    "northwind": (
        (Decimal("150.00"), "Refund: card charged twice for the July invoice"),
        (5, "Goodwill: 5 bonus credits for the late landing page"),
    ),
}
PLATFORM_NAMES = {"instagram": "Instagram", "facebook": "Facebook", "linkedin": "LinkedIn", "x": "X"}
# Onboarding runs per tenant, oldest first: (status, the tenant's review note).
ONBOARDING_RUNS = {
    "acme": (
        (
            "revision_requested",
            "Please add our Sunday hours and remove 'free consultation': we no longer offer it.",
        ),
        ("approved", "Approved. Please mention our weekend hours wherever relevant."),
    ),
    "northwind": (
        ("approved", "Approved; use 'solicitors', never 'lawyers', in UK copy."),
        ("awaiting_review", None),
    ),
}
VOID_INVOICES = {"acme": (-4, "Issued with the wrong GSTIN and voided; replaced by the next invoice")}
