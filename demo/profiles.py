"""Who the three demo tenants are: people, services, topics, channels, campaigns, goals and deliverables.

Pure data (no database, no randomness): the build steps (``demo.tenancy``, ``demo.planning``, …) turn a
profile into rows, ``demo.content`` and ``demo.outputs`` into text.
Personal e-mail domains end in ``.example`` (RFC 2606) and UK and US phone numbers are from the ranges
reserved for fiction (07700 900xxx, 555-01xx), so nothing here reaches a real person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Person:
    """A tenant user: ``key`` is the e-mail's local part (owner, admin, …, rep3)."""

    key: str
    full_name: str
    role: str
    phone: str
    active: bool = True


@dataclass(frozen=True)
class Service:
    """Something the tenant sells, with the value range of a lead that wants it (tenant currency)."""

    name: str
    low: int
    high: int
    messages: tuple[str, ...]
    b2b: bool = False


@dataclass(frozen=True)
class Topic:
    """A blog topic: title, target keyword, and the thing it is about (used in running text)."""

    title: str
    keyword: str
    thing: str


@dataclass(frozen=True)
class CampaignSpec:
    """An ad campaign; ``terms`` are (search term, the agent's label, rationale) for Google campaigns."""

    key: str
    name: str
    platform: str
    goal: str
    status: str
    budget: int
    keywords: tuple[tuple[str, str, str], ...] = ()  # (text, match type, max CPC)
    negatives: tuple[str, ...] = ()
    terms: tuple[tuple[str, str, str], ...] = ()
    zero_clicks: bool = False


@dataclass(frozen=True)
class GoalSpec:
    """A SMART goal of the approved strategy."""

    metric_type: str
    title: str
    metric: str
    target_value: str
    baseline: int
    target: int
    current: int
    unit: str
    status: str = "active"


@dataclass(frozen=True)
class DeliverableSpec:
    """A deliverable of the approved strategy; ``goal`` indexes the profile's goals."""

    type: str
    title: str
    monthly_volume: int
    status: str
    goal: int


@dataclass(frozen=True)
class Directory:
    """A directory listing the tenant completes itself, step by step."""

    domain: str
    name: str
    rating: int
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    """Everything that makes one demo tenant itself."""

    slug: str
    name: str
    legal_name: str
    industry: str
    website: str
    city: str
    area: str
    country: str
    timezone: str
    currency: str
    brand_color: str
    accent_color: str
    status: str
    plan: str
    monthly_credits: int
    usage_target: float
    assignment_mode: str
    sla_hours: int
    months_active: int
    subscription_fee: Decimal
    tax_label: str
    tax_rate: Decimal
    topup: tuple[int, Decimal]  # credits, price
    people: tuple[Person, ...]
    services: tuple[Service, ...]
    lead_count: int
    audience: str
    channels: tuple[tuple[str, str, str | None, str], ...]  # type, name, url, status
    topics: tuple[Topic, ...] = ()
    social_themes: tuple[str, ...] = ()
    gbp_themes: tuple[str, ...] = ()
    campaigns: tuple[CampaignSpec, ...] = ()
    goals: tuple[GoalSpec, ...] = ()
    deliverables: tuple[DeliverableSpec, ...] = ()
    outreach_sites: tuple[tuple[str, int], ...] = ()
    directories: tuple[Directory, ...] = ()
    competitors: tuple[str, ...] = ()
    first_names: tuple[str, ...] = ()
    last_names: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    job_titles: tuple[str, ...] = ()
    mail_domains: tuple[str, ...] = ()
    disqualification_reasons: tuple[str, ...] = ()
    brand_voice: dict = field(default_factory=dict)
    contract_history: tuple[str, ...] = ("accepted",)  # the status of each version, oldest first

    @property
    def email_domain(self) -> str:
        """The users' e-mail domain (``acme.test``)."""
        return f"{self.slug}.test"

    @property
    def host(self) -> str:
        """The website's host name."""
        return self.website.split("//", 1)[1].rstrip("/")


# Every demo tenant has the same eight accounts, (key, role), in this order; the last one is deactivated.
TEAM = (
    ("owner", "owner"),
    ("admin", "admin"),
    ("marketer", "marketer"),
    ("manager", "sales_manager"),
    ("rep1", "sales_rep"),
    ("rep2", "sales_rep"),
    ("viewer", "viewer"),
    ("rep3", "sales_rep"),
)


def team(*members: tuple[str, str]) -> tuple[Person, ...]:
    """The tenant's users from (full name, phone) in TEAM's order: rep3, the last, is deactivated."""
    return tuple(
        Person(key, full_name, role, phone, active=key != "rep3")
        for (key, role), (full_name, phone) in zip(TEAM, members, strict=True)
    )


ACME = Profile(
    slug="acme",
    name="Acme Dental",
    legal_name="Acme Dental Care Private Limited",
    industry="dental",
    website="https://www.acmedental.example",
    city="Bengaluru",
    area="Indiranagar",
    country="IN",
    timezone="Asia/Kolkata",
    currency="INR",
    brand_color="#0e7490",
    accent_color="#f59e0b",
    status="active",
    plan="agency",
    monthly_credits=85,
    usage_target=0.60,
    assignment_mode="round_robin",
    sla_hours=24,
    months_active=10,
    subscription_fee=Decimal("45000.00"),
    tax_label="GST 18%",
    tax_rate=Decimal("0.18"),
    topup=(20, Decimal("9000.00")),
    people=team(
        ("Priya Raman", "+91 98450 21734"),
        ("Arjun Mehta", "+91 99001 48265"),
        ("Kavya Nair", "+91 97406 13358"),
        ("Rohan Kapoor", "+91 98862 70491"),
        ("Ananya Iyer", "+91 96113 52807"),
        ("Vikram Shetty", "+91 99160 38842"),
        ("Meera Joshi", "+91 98440 66120"),
        ("Sandeep Rao", "+91 97311 20945"),
    ),
    services=(
        Service(
            "Dental implants",
            45000,
            120000,
            (
                "I lost a lower molar last year. What would a single implant cost, and is EMI available?",
                "My father (68) needs implants for two missing teeth. Can we book a consultation on "
                "Saturday?",
                "Looking for a quote for All-on-4 implants. I have a CBCT scan from another clinic.",
            ),
        ),
        Service(
            "Clear aligners",
            120000,
            280000,
            (
                "Interested in clear aligners for crowding in my lower teeth. How long does treatment take?",
                "Do you offer Invisalign? I want to compare it with the aligners I was quoted elsewhere.",
            ),
        ),
        Service(
            "Teeth whitening",
            8000,
            18000,
            (
                "Getting married in March. Want whitening about a month before. What are the options?",
                "What is the price of in-clinic whitening and how long does it last?",
            ),
        ),
        Service(
            "Root canal treatment",
            6000,
            15000,
            (
                "Severe pain in an upper tooth since yesterday, I think I need a root canal. Any slot today?",
                "Need a second opinion: another dentist said I need two root canals and crowns.",
            ),
        ),
        Service(
            "Smile makeover",
            60000,
            250000,
            ("I'd like veneers on my front teeth. Can I see before/after photos of your cases?",),
        ),
        Service(
            "Kids dentistry",
            1500,
            8000,
            ("My 4-year-old has a cavity and is scared of dentists. Do you have a paediatric dentist?",),
        ),
        Service(
            "Corporate dental camp",
            25000,
            150000,
            (
                "We are an IT company of 180 people looking for an on-site dental check-up camp next month.",
                "HR here. Can you share a proposal for annual dental check-ups for our employees?",
            ),
            b2b=True,
        ),
    ),
    lead_count=300,
    audience="working professionals and families in east Bengaluru",
    channels=(
        ("website", "acmedental.example", "https://www.acmedental.example", "connected"),
        ("wordpress", "Acme Dental blog (WordPress)", "https://www.acmedental.example/blog", "connected"),
        ("google_analytics", "GA4 – Acme Dental", None, "connected"),
        ("google_search_console", "Search Console – acmedental.example", None, "connected"),
        ("google_ads", "Google Ads – 412-883-2190", None, "connected"),
        ("meta_ads", "Meta Ads – Acme Dental", None, "error"),
        ("facebook", "facebook.com/acmedental", "https://www.facebook.com/acmedental", "connected"),
        ("instagram", "@acmedental.blr", "https://www.instagram.com/acmedental.blr", "connected"),
        ("linkedin", "Acme Dental Care", "https://www.linkedin.com/company/acme-dental-care", "disconnected"),
        ("x", "@AcmeDentalBLR", "https://x.com/AcmeDentalBLR", "disconnected"),
        ("google_business_profile", "Acme Dental – Indiranagar", None, "connected"),
    ),
    topics=(
        Topic(
            "Dental Implants in Bengaluru: Cost, Procedure and Recovery",
            "dental implants cost in bangalore",
            "dental implants",
        ),
        Topic(
            "Clear Aligners vs Braces: Which Is Right for You?", "clear aligners vs braces", "clear aligners"
        ),
        Topic(
            "Root Canal Treatment: 7 Myths We Hear Every Week",
            "root canal treatment pain",
            "root canal treatment",
        ),
        Topic(
            "Teeth Whitening in Bengaluru: In-Clinic vs At-Home Kits",
            "teeth whitening price bangalore",
            "teeth whitening",
        ),
        Topic(
            "Your Child's First Dental Visit: A Parent's Checklist",
            "pediatric dentist indiranagar",
            "a child's first dental visit",
        ),
        Topic(
            "Bleeding Gums: Causes, Treatment and When to Worry", "bleeding gums treatment", "gum treatment"
        ),
        Topic(
            "Dental Emergencies: What to Do Before You Reach the Clinic",
            "emergency dentist bangalore",
            "emergency dental care",
        ),
        Topic(
            "A Smile Makeover Before Your Wedding: The 6-Month Plan",
            "smile makeover cost",
            "a smile makeover",
        ),
        Topic(
            "Wisdom Tooth Removal: Recovery Day by Day",
            "wisdom tooth extraction recovery",
            "wisdom tooth removal",
        ),
        Topic(
            "Veneers vs Crowns: Differences, Costs and Lifespan", "veneers vs crowns", "veneers and crowns"
        ),
        Topic(
            "Diabetes and Your Gums: What Changes and What to Do",
            "diabetes and gum disease",
            "gum care for diabetics",
        ),
        Topic(
            "How Often Should You Get a Dental Cleaning?",
            "dental cleaning cost bangalore",
            "professional cleaning",
        ),
        Topic(
            "Sensitive Teeth: Causes and Fixes That Work",
            "sensitive teeth treatment",
            "treatment for sensitive teeth",
        ),
        Topic("Are Dental X-Rays Safe? A Dentist Explains", "dental x ray safety", "dental X-rays"),
        Topic("Invisalign for Adults: Is 30+ Too Late?", "invisalign for adults", "aligners for adults"),
        Topic("Bad Breath That Won't Go Away: 8 Causes", "bad breath treatment", "treatment for bad breath"),
    ),
    social_themes=(
        "Patient story: an implant that changed how Mr. Rao eats",
        "Myth vs fact: root canals hurt",
        "Meet the team: Dr. Priya Raman",
        "Brushing 101 for kids",
        "Behind the scenes: our sterilisation room",
        "Aligner check-in: week 12",
        "Sunday clinic hours are here",
        "Flossing vs water flossers",
        "What a CBCT scan shows",
        "Whitening: what to expect on the day",
    ),
    gbp_themes=(
        "Now open Sundays, 10 am to 2 pm",
        "Free check-up for children under 12 this month",
        "EMI at 0% for implants and aligners",
        "New CBCT scanner: same-day 3D scans",
        "Emergency slots every day at 9 am",
    ),
    campaigns=(
        CampaignSpec(
            "implants",
            "Dental Implants – Bengaluru (Search)",
            "google_ads",
            "leads",
            "active",
            150000,
            keywords=(
                ("dental implants bangalore", "phrase", "48.00"),
                ("dental implant cost", "phrase", "42.50"),
                ("tooth implant indiranagar", "exact", "55.00"),
                ("all on 4 dental implants", "phrase", "60.00"),
                ("implant dentist near me", "broad", "38.00"),
                ("missing tooth replacement", "broad", "30.00"),
            ),
            negatives=("free", "course", "jobs", "government hospital"),
            terms=(
                (
                    "dental implants cost bangalore",
                    "add_as_keyword",
                    "High intent and converting at ₹1,450 per lead; add as exact.",
                ),
                (
                    "tooth implant price indiranagar",
                    "add_as_keyword",
                    "Local, price-led query from our catchment; two conversions this month.",
                ),
                (
                    "free dental implants",
                    "add_as_negative",
                    "Looking for free treatment; 41 clicks, no conversions.",
                ),
                (
                    "dental implant course",
                    "add_as_negative",
                    "Education intent (dentists looking for training), not patients.",
                ),
                (
                    "implant dentist near me",
                    "watch",
                    "Converts, but CPC rose 30% this week; watch before bidding up.",
                ),
                (
                    "dental implants side effects",
                    "watch",
                    "Research intent; low conversion so far but cheap clicks.",
                ),
                (
                    "all on 4 implants cost india",
                    "add_as_keyword",
                    "Full-arch intent with the highest case value.",
                ),
                (
                    "dental implant jobs bangalore",
                    "irrelevant",
                    "Job seekers; already blocked by the 'jobs' negative.",
                ),
                (
                    "denture repair",
                    "irrelevant",
                    "A service we do not advertise; a handful of impressions only.",
                ),
            ),
        ),
        CampaignSpec(
            "aligners",
            "Clear Aligners – Search",
            "google_ads",
            "leads",
            "active",
            90000,
            keywords=(
                ("invisalign cost bangalore", "exact", "65.00"),
                ("clear aligners price", "phrase", "52.00"),
                ("teeth straightening without braces", "broad", "35.00"),
                ("invisible braces bangalore", "phrase", "47.50"),
                ("aligners for adults", "phrase", "40.00"),
            ),
            negatives=("diy", "kit", "amazon"),
            terms=(
                (
                    "invisalign cost bangalore",
                    "add_as_keyword",
                    "Already a keyword; the search term converts at 9%.",
                ),
                ("clear aligners price", "add_as_keyword", "Price research close to booking; strong CTR."),
                ("diy aligners kit", "add_as_negative", "Wants a mail-order kit, not an orthodontist."),
                (
                    "aligners for kids",
                    "watch",
                    "We treat teens 13+; watch to see if parents of teens convert.",
                ),
                (
                    "braces vs aligners",
                    "watch",
                    "Comparison intent; our blog post ranks, so ads may be redundant.",
                ),
                (
                    "invisalign doctor indiranagar",
                    "add_as_keyword",
                    "Exact local intent; 3 conversions from 11 clicks.",
                ),
                ("retainer replacement", "irrelevant", "Existing patients of other clinics; low value."),
            ),
        ),
        CampaignSpec(
            "emergency",
            "Emergency Dentist – Search",
            "google_ads",
            "leads",
            "paused",
            40000,
            keywords=(
                ("emergency dentist bangalore", "phrase", "70.00"),
                ("toothache dentist open now", "broad", "55.00"),
            ),
        ),
        CampaignSpec("smile", "Smile Makeover – Lead Ads", "meta_ads", "leads", "active", 60000),
        CampaignSpec("diwali", "Diwali Whitening Offer", "meta_ads", "sales", "completed", 35000),
        CampaignSpec(
            "whitening", "Teeth Whitening – Summer Offer", "meta_ads", "leads", "client_review", 45000
        ),
        CampaignSpec("kids", "Kids Dentistry – Awareness", "meta_ads", "awareness", "draft", 25000),
        CampaignSpec(
            "brand",
            "Brand Search – 2024",
            "google_ads",
            "traffic",
            "archived",
            20000,
            keywords=(("acme dental", "exact", "8.00"),),
        ),
    ),
    goals=(
        GoalSpec(
            "GSC_CLICKS",
            "Grow organic clicks from Google by 40%",
            "Organic clicks (Search Console, monthly)",
            "+40%",
            2400,
            3360,
            3050,
            "clicks/month",
        ),
        GoalSpec(
            "QUALIFIED_LEADS",
            "Double qualified patient enquiries",
            "Qualified leads per month",
            "90 per month",
            45,
            90,
            71,
            "leads/month",
        ),
        GoalSpec(
            "GOOGLE_ADS_CONVERSIONS",
            "Reach 120 booked consultations a month from Google Ads",
            "Google Ads conversions (booked consultations)",
            "120 per month",
            62,
            120,
            98,
            "conversions/month",
        ),
        GoalSpec(
            "KEYWORD_RANKINGS",
            "Rank in the top 10 for 30 priority keywords",
            "Priority keywords in the top 10",
            "30 keywords",
            12,
            30,
            24,
            "keywords",
        ),
        GoalSpec(
            "GA_SESSIONS",
            "Grow website sessions to 12,000 a month",
            "Website sessions (GA4, monthly)",
            "12,000 per month",
            7800,
            12000,
            12340,
            "sessions/month",
            status="achieved",
        ),
        GoalSpec(
            "SOCIAL_FOLLOWERS",
            "Reach 10,000 Instagram followers",
            "Instagram followers",
            "10,000 followers",
            4200,
            10000,
            5100,
            "followers",
            status="archived",
        ),
    ),
    deliverables=(
        DeliverableSpec("blog_post", "SEO blog articles", 6, "needs_approval", 0),
        DeliverableSpec("content_brief", "Content briefs for the articles", 4, "approved", 0),
        DeliverableSpec("social_calendar", "Monthly social calendar", 1, "generating", 1),
        DeliverableSpec("social_post", "Instagram and Facebook posts", 12, "in_review", 1),
        # the posts link to the site: the evidence behind the sessions goal being achieved
        DeliverableSpec("gbp_post", "Google Business Profile updates", 4, "published", 4),
        DeliverableSpec("keyword_cluster", "Keyword cluster refresh", 1, "approved", 3),
        DeliverableSpec("backlinks", "Local citations and outreach links", 6, "published", 3),
        DeliverableSpec("google_ads_copy", "Google Ads copy refresh", 2, "approved", 2),
        DeliverableSpec("monthly_report", "Monthly performance report", 1, "published", 1),
    ),
    outreach_sites=(
        ("thebangaloreparent.in", 38),
        ("namma-health.in", 44),
        ("indiranagarlife.in", 29),
        ("weddingsutra-blr.in", 51),
        ("fitbengaluru.in", 33),
        ("startupsofblr.in", 47),
        ("healthyteethindia.org", 41),
        ("koramangalatimes.in", 26),
    ),
    directories=(
        Directory(
            "practo.com",
            "Practo",
            82,
            (
                "Create a Practo Pro account",
                "Verify the clinic's registration",
                "Add doctors and timings",
                "Upload 10 clinic photos",
                "Publish the listing",
            ),
        ),
        Directory(
            "justdial.com",
            "Justdial",
            79,
            (
                "Claim the free listing",
                "Verify the phone number by OTP",
                "Add services and prices",
                "Publish the listing",
            ),
        ),
        Directory(
            "sulekha.com",
            "Sulekha",
            70,
            (
                "Create a business account",
                "Add the address and map pin",
                "Choose the 'Dentists' category",
                "Publish the listing",
            ),
        ),
        Directory(
            "lybrate.com",
            "Lybrate",
            66,
            (
                "Register as a doctor",
                "Upload the DCI registration certificate",
                "Add the clinic",
                "Answer 3 patient questions",
            ),
        ),
        Directory(
            "clinicspots.com",
            "ClinicSpots",
            45,
            ("Submit the clinic form", "Confirm by e-mail", "Add treatments"),
        ),
    ),
    competitors=("Smile Studio Indiranagar", "Toothsi", "Clove Dental", "Sabka Dentist"),
    first_names=(
        "Aarav",
        "Aditi",
        "Aishwarya",
        "Akash",
        "Amit",
        "Anil",
        "Anjali",
        "Aruna",
        "Bhavna",
        "Chetan",
        "Deepa",
        "Deepak",
        "Divya",
        "Gaurav",
        "Geeta",
        "Harish",
        "Isha",
        "Jayant",
        "Karthik",
        "Kavitha",
        "Kiran",
        "Lakshmi",
        "Manoj",
        "Meenakshi",
        "Mohan",
        "Nandini",
        "Naveen",
        "Neha",
        "Nikhil",
        "Pooja",
        "Pradeep",
        "Prakash",
        "Preeti",
        "Rahul",
        "Rajesh",
        "Ramya",
        "Ravi",
        "Rekha",
        "Sanjay",
        "Shreya",
        "Siddharth",
        "Sneha",
        "Sunita",
        "Suresh",
        "Swati",
        "Tanvi",
        "Varun",
        "Vidya",
        "Vinay",
        "Yamini",
    ),
    last_names=(
        "Agarwal",
        "Bhat",
        "Chatterjee",
        "Desai",
        "Gowda",
        "Hegde",
        "Iyengar",
        "Jain",
        "Kamath",
        "Krishnan",
        "Kulkarni",
        "Menon",
        "Mishra",
        "Murthy",
        "Nair",
        "Pai",
        "Patel",
        "Pillai",
        "Prasad",
        "Rao",
        "Reddy",
        "Shah",
        "Sharma",
        "Shenoy",
        "Singh",
        "Srinivasan",
        "Subramanian",
        "Verma",
        "Venkatesh",
        "Yadav",
    ),
    companies=(
        "Nimbus Analytics Pvt Ltd",
        "Kaveri Textiles",
        "Brightleaf Software Pvt Ltd",
        "Indus Logistics",
        "Sahyadri Foods",
        "Orchid International School",
        "Tarang Fintech",
        "Meghna Builders",
        "Greenfield Apartments RWA",
        "Zenith Coworking",
    ),
    job_titles=(
        "HR Manager",
        "Head of People",
        "Admin Manager",
        "Office Manager",
        "Founder",
        "Operations Lead",
    ),
    mail_domains=("gmail.example", "yahoo.example", "outlook.example", "rediffmail.example"),
    disqualification_reasons=(
        "Outside our service area (lives in Mysuru)",
        "Wants free treatment under a government scheme",
        "Duplicate of an earlier enquiry",
        "Wrong number; could not reach",
        "Spam or test submission",
        "Chose another clinic on price",
    ),
    brand_voice={
        "tone": "warm, reassuring, plain-spoken",
        "personality": ["caring", "expert", "honest about costs"],
        "vocabulary": {
            "use": ["comfortable", "clear estimate", "EMI"],
            "avoid": ["painless", "guaranteed", "cheap"],
        },
        "writingStyle": "short paragraphs, second person, Indian English spelling",
        "audience": "working professionals and families in east Bengaluru",
    },
    contract_history=("superseded", "accepted"),
)

NORTHWIND = Profile(
    slug="northwind",
    name="Northwind Legal",
    legal_name="Northwind Legal LLP",
    industry="legal",
    website="https://www.northwindlegal.example",
    city="London",
    area="Shoreditch",
    country="GB",
    timezone="Europe/London",
    currency="GBP",
    brand_color="#7c3aed",
    accent_color="#10b981",
    status="active",
    plan="pro",
    monthly_credits=50,
    usage_target=0.85,
    assignment_mode="capacity",
    sla_hours=4,
    months_active=7,
    subscription_fee=Decimal("1250.00"),
    tax_label="VAT 20%",
    tax_rate=Decimal("0.20"),
    topup=(25, Decimal("200.00")),
    people=team(
        ("Eleanor Whitfield", "+44 7700 900118"),
        ("James Harrington", "+44 7700 900245"),
        ("Sophie Clarke", "+44 7700 900362"),
        ("Oliver Bennett", "+44 7700 900479"),
        ("Amelia Hughes", "+44 7700 900586"),
        ("Harry Patel", "+44 7700 900693"),
        ("Charlotte Evans", "+44 7700 900704"),
        ("George Thompson", "+44 7700 900811"),
    ),
    services=(
        Service(
            "Settlement agreements",
            500,
            2500,
            (
                "My employer has offered a settlement agreement and wants it signed by Friday. Can you "
                "review it?",
                "I've been given a settlement agreement after a grievance. Is the amount fair?",
            ),
        ),
        Service(
            "Unfair dismissal",
            3000,
            15000,
            (
                "I was dismissed last week without any warning after 4 years. Do I have a claim?",
                "Dismissed for gross misconduct which I dispute. ACAS early conciliation has started.",
            ),
        ),
        Service(
            "Conveyancing",
            1200,
            2800,
            (
                "Buying a leasehold flat in Hackney, offer accepted at £525,000. Please quote for "
                "conveyancing.",
                "Selling our house in Walthamstow and buying in Chingford. Need a quote for both.",
            ),
        ),
        Service(
            "Divorce and finances",
            3000,
            20000,
            (
                "We have agreed to separate and want to apply for a no-fault divorce. What are the costs?",
                "Need advice on a financial settlement; we own a house and two pensions.",
            ),
        ),
        Service(
            "Wills and LPAs",
            350,
            1200,
            ("We would like mirror wills and lasting powers of attorney for both of us.",),
        ),
        Service(
            "Commercial contracts",
            5000,
            40000,
            (
                "We need a shareholders' agreement before a seed round closing next month.",
                "Please review our standard terms of business and a supplier framework agreement.",
            ),
            b2b=True,
        ),
    ),
    lead_count=200,
    audience="employees, home buyers and founders in London and the South East",
    channels=(
        ("website", "northwindlegal.example", "https://www.northwindlegal.example", "connected"),
        ("blog", "Northwind Insights", "https://www.northwindlegal.example/insights", "connected"),
        ("google_analytics", "GA4 – Northwind Legal", None, "connected"),
        ("google_search_console", "Search Console – northwindlegal.example", None, "connected"),
        ("google_ads", "Google Ads – 298-114-7702", None, "connected"),
        ("meta_ads", "Meta Ads – Northwind Legal", None, "connected"),
        ("facebook", "facebook.com/northwindlegal", "https://www.facebook.com/northwindlegal", "connected"),
        ("instagram", "@northwindlegal", "https://www.instagram.com/northwindlegal", "disconnected"),
        ("linkedin", "Northwind Legal LLP", "https://www.linkedin.com/company/northwind-legal", "connected"),
        ("x", "@NorthwindLegal", "https://x.com/NorthwindLegal", "connected"),
        ("google_business_profile", "Northwind Legal – Shoreditch", None, "connected"),
        ("email", "Client newsletter (Mailchimp)", None, "connected"),
    ),
    topics=(
        Topic(
            "Settlement Agreements Explained: A Guide for Employees",
            "settlement agreement solicitor london",
            "a settlement agreement",
        ),
        Topic(
            "Unfair Dismissal: Time Limits, ACAS and What Happens Next",
            "unfair dismissal claim",
            "an unfair dismissal claim",
        ),
        Topic(
            "How Long Does Conveyancing Take in England?", "how long does conveyancing take", "conveyancing"
        ),
        Topic("No-Fault Divorce: The Process Step by Step", "no fault divorce process", "a no-fault divorce"),
        Topic(
            "Lasting Powers of Attorney: Health vs Property",
            "lasting power of attorney",
            "a lasting power of attorney",
        ),
        Topic("Dying Without a Will: The Intestacy Rules Explained", "intestacy rules england", "intestacy"),
        Topic(
            "Shareholder Agreements for Start-ups: 9 Clauses to Get Right",
            "shareholder agreement uk",
            "a shareholders' agreement",
        ),
        Topic(
            "Leasehold Reform: What the 2024 Act Means for Flat Owners",
            "leasehold reform act 2024",
            "leasehold reform",
        ),
        Topic(
            "Child Arrangements Orders: How the Court Decides",
            "child arrangements order",
            "a child arrangements order",
        ),
        Topic(
            "Commercial Lease Break Clauses: Avoiding Costly Mistakes",
            "lease break clause",
            "a lease break clause",
        ),
        Topic(
            "Redundancy Consultation: Your Rights and Your Employer's Duties",
            "redundancy consultation rules",
            "redundancy consultation",
        ),
        Topic(
            "Cohabiting Couples and Property: How to Protect Yourself",
            "cohabitation agreement",
            "a cohabitation agreement",
        ),
        Topic("Probate in England: A Practical Timeline", "how long does probate take", "probate"),
        Topic(
            "Constructive Dismissal: Do You Have a Claim?",
            "constructive dismissal",
            "a constructive dismissal claim",
        ),
        Topic(
            "Buying a Leasehold Flat: Questions Your Solicitor Should Ask",
            "leasehold flat buying checklist",
            "buying a leasehold flat",
        ),
        Topic(
            "What a Will Costs, and Why DIY Wills Go Wrong", "will writing solicitor cost", "making a will"
        ),
    ),
    social_themes=(
        "Employment law update: the new flexible working rules",
        "Three questions to ask before signing a settlement agreement",
        "Case note: a £42,000 settlement after a flawed redundancy",
        "Conveyancing timeline in one picture",
        "Meet the team: Eleanor Whitfield, managing partner",
        "Why every founder needs a shareholders' agreement",
        "No-fault divorce, two years on",
        "Leasehold reform: what changes for flat owners",
    ),
    campaigns=(
        CampaignSpec(
            "employment",
            "Employment Law – Search",
            "google_ads",
            "leads",
            "active",
            4500,
            keywords=(
                ("settlement agreement solicitor", "phrase", "6.50"),
                ("unfair dismissal lawyer london", "phrase", "7.20"),
                ("employment solicitor london", "exact", "8.40"),
                ("constructive dismissal solicitor", "phrase", "5.80"),
                ("employment law advice", "broad", "4.10"),
            ),
            negatives=("free", "jobs", "course", "salary"),
            terms=(
                (
                    "settlement agreement solicitor",
                    "add_as_keyword",
                    "Converting at 14%; make it exact as well.",
                ),
                (
                    "unfair dismissal lawyer london",
                    "add_as_keyword",
                    "Local high-intent query; 5 enquiries this month.",
                ),
                (
                    "free employment law advice",
                    "add_as_negative",
                    "Free-advice seekers; 63 clicks, no qualified leads.",
                ),
                ("acas early conciliation", "watch", "Mixed intent: some claimants, many researchers."),
                ("employment tribunal fees", "watch", "Research intent; revisit after 30 days of data."),
                ("employment law jobs london", "add_as_negative", "Job seekers; block with 'jobs'."),
                (
                    "constructive dismissal solicitor",
                    "add_as_keyword",
                    "Strong intent; CPA £38, below target.",
                ),
                ("redundancy pay calculator", "irrelevant", "Wants a calculator; gov.uk answers it."),
            ),
        ),
        CampaignSpec(
            "family",
            "Family Law and Divorce – Search",
            "google_ads",
            "leads",
            "active",
            3500,
            keywords=(
                ("divorce solicitor london", "phrase", "7.90"),
                ("no fault divorce solicitor", "phrase", "5.40"),
                ("child arrangements solicitor", "phrase", "6.10"),
                ("financial settlement divorce", "broad", "4.70"),
            ),
            negatives=("diy", "legal aid", "forms"),
            terms=(
                ("divorce solicitor london", "add_as_keyword", "Core term; converting at 9%."),
                ("no fault divorce cost", "add_as_keyword", "Price research near decision; 4 enquiries."),
                ("diy divorce online", "add_as_negative", "Wants a self-service divorce, not a solicitor."),
                (
                    "child custody lawyer",
                    "add_as_keyword",
                    "US wording of our service; searchers are in London.",
                ),
                ("legal aid family law", "add_as_negative", "We do not offer legal aid."),
                ("prenup solicitor", "watch", "Adjacent service; watch volume before adding."),
                ("divorce forms d8", "irrelevant", "Outdated form name; informational only."),
                ("family mediation near me", "watch", "Mediation referrals can lead to instructions later."),
            ),
        ),
        CampaignSpec(
            "conveyancing",
            "Conveyancing – Search",
            "google_ads",
            "leads",
            "client_approved",
            2500,
            keywords=(
                ("conveyancing solicitor london", "phrase", "5.20"),
                ("leasehold conveyancing quote", "phrase", "4.60"),
            ),
        ),
        CampaignSpec(
            "settlement",
            "Settlement Agreements – Search",
            "google_ads",
            "leads",
            "client_review",
            2000,
            keywords=(("settlement agreement review", "exact", "6.80"),),
        ),
        CampaignSpec("wills", "Will Writing – Lead Ads", "meta_ads", "leads", "dm_review", 1500),
        CampaignSpec(
            "commercial",
            "Commercial Contracts – Sponsored Content",
            "linkedin_ads",
            "leads",
            "dm_approved",
            3000,
        ),
        CampaignSpec(
            "probate", "Probate – LinkedIn", "linkedin_ads", "awareness", "paused", 1200, zero_clicks=True
        ),
        CampaignSpec("nofault", "No-Fault Divorce Awareness", "meta_ads", "awareness", "completed", 1800),
    ),
    goals=(
        GoalSpec(
            "GSC_IMPRESSIONS",
            "Double search impressions for employment and family pages",
            "Search impressions (Search Console, monthly)",
            "2x",
            48000,
            96000,
            71500,
            "impressions/month",
        ),
        GoalSpec(
            "GA_CONVERSIONS",
            "Grow enquiry form submissions to 150 a month",
            "Form submissions (GA4)",
            "150 per month",
            85,
            150,
            118,
            "submissions/month",
        ),
        GoalSpec(
            "QUALIFIED_LEADS",
            "60 qualified enquiries a month",
            "Qualified leads per month",
            "60 per month",
            28,
            60,
            41,
            "leads/month",
        ),
        GoalSpec(
            "BACKLINKS",
            "Earn 25 new referring domains rated DR 40+",
            "Referring domains (DR 40+)",
            "+25",
            31,
            56,
            44,
            "referring domains",
        ),
        GoalSpec(
            "META_ADS_LEADS",
            "40 will-writing leads a month from Meta",
            "Meta lead form submissions",
            "40 per month",
            0,
            40,
            12,
            "leads/month",
        ),
        GoalSpec(
            "KEYWORD_RANKINGS",
            "Top 3 for 'solicitors shoreditch'",
            "Position for 'solicitors shoreditch'",
            "Top 3",
            9,
            3,
            5,
            "position",
            status="archived",
        ),
    ),
    deliverables=(
        DeliverableSpec("keyword_cluster", "Keyword clusters", 1, "approved", 0),
        DeliverableSpec("blog_post", "Legal guides", 3, "needs_approval", 0),
        DeliverableSpec("social_post", "LinkedIn, X and Facebook posts", 6, "in_review", 1),
        DeliverableSpec("email_newsletter", "Client newsletter", 1, "approved", 2),
        DeliverableSpec("landing_page", "Practice-area landing pages", 1, "generating", 1),
        DeliverableSpec("google_ads_copy", "Search ad copy", 2, "approved", 1),
        DeliverableSpec("meta_ads_copy", "Meta lead ad copy", 2, "in_review", 4),
        DeliverableSpec("backlinks", "Legal directory and PR links", 3, "published", 3),
        DeliverableSpec("monthly_report", "Monthly performance report", 1, "published", 2),
    ),
    outreach_sites=(
        ("startupsoflondon.co.uk", 52),
        ("hrdigest.co.uk", 48),
        ("propertyinsider-uk.com", 56),
        ("familymatters-mag.co.uk", 37),
        ("shoreditchlife.co.uk", 31),
        ("smallbizbritain.co.uk", 45),
        ("tenantvoice.org.uk", 40),
    ),
    directories=(
        Directory(
            "solicitors.lawsociety.org.uk",
            "Law Society – Find a Solicitor",
            78,
            (
                "Check the SRA record is current",
                "Add practice areas",
                "Add office hours",
                "Submit for review",
            ),
        ),
        Directory(
            "reviewsolicitors.co.uk",
            "ReviewSolicitors",
            55,
            ("Claim the firm profile", "Verify by SRA number", "Invite 5 recent clients to review"),
        ),
        Directory(
            "yell.com", "Yell", 74, ("Claim the free listing", "Verify by phone", "Add services", "Publish")
        ),
        Directory(
            "thomsonlocal.com", "Thomson Local", 58, ("Create the listing", "Confirm by e-mail", "Publish")
        ),
    ),
    competitors=("Kingsley Napley", "Slater and Gordon", "Co-op Legal Services", "local high-street firms"),
    first_names=(
        "Oliver",
        "George",
        "Harry",
        "Jack",
        "Charlie",
        "Thomas",
        "James",
        "William",
        "Henry",
        "Alfie",
        "Amelia",
        "Olivia",
        "Isla",
        "Emily",
        "Ava",
        "Sophie",
        "Grace",
        "Lily",
        "Freya",
        "Zoë",
        "Chloé",
        "Siobhán",
        "Renée",
        "Aoife",
        "Niamh",
        "Priya",
        "Aisha",
        "Mohammed",
        "Callum",
        "Ewan",
        "Rhys",
        "Ffion",
        "Hannah",
        "Lucy",
        "Daniel",
        "Matthew",
        "Samuel",
        "Joseph",
    ),
    last_names=(
        "Smith",
        "Jones",
        "Taylor",
        "Brown",
        "Williams",
        "Wilson",
        "Johnson",
        "Davies",
        "Robinson",
        "Wright",
        "Thompson",
        "Evans",
        "Walker",
        "White",
        "Roberts",
        "Green",
        "Hall",
        "Wood",
        "Jackson",
        "Clarke",
        "Patel",
        "Khan",
        "Ahmed",
        "Murphy",
        "O'Brien",
        "Kelly",
        "Hughes",
        "Edwards",
        "Turner",
        "Cooper",
        "Lefèvre",
    ),
    companies=(
        "Halden & Frost Ltd",
        "Bramley Property Group",
        "Kestrel Digital Ltd",
        "Ashworth Lettings",
        "Pennine Engineering Ltd",
        "Calder Hospitality",
        "Larkspur Studios",
        "Thornbury Care Homes",
        "Marlow Retail Ltd",
        "Quayside Ventures",
    ),
    job_titles=("Founder", "Managing Director", "HR Director", "Head of Legal", "Operations Manager", "CFO"),
    mail_domains=("gmail.example", "outlook.example", "btinternet.example", "icloud.example"),
    disqualification_reasons=(
        "Outside our practice areas (criminal defence)",
        "Claim out of time (more than 3 months less a day)",
        "Looking for legal aid only",
        "Conflict of interest with an existing client",
        "Duplicate of an earlier enquiry",
        "Spam or test submission",
    ),
    brand_voice={
        "tone": "clear, calm, authoritative without jargon",
        "personality": ["straight-talking", "approachable", "precise"],
        "vocabulary": {
            "use": ["fixed fee", "plain English", "next steps"],
            "avoid": ["no win no fee", "guarantee"],
        },
        "writingStyle": "British English, short sentences, explain legal terms the first time",
        "audience": "employees, home buyers and founders in London and the South East",
    },
)

INITECH = Profile(
    slug="initech",
    name="Initech Plumbing",
    legal_name="Initech Plumbing & Heating LLC",
    industry="plumbing",
    website="https://www.initechplumbing.example",
    city="Chicago",
    area="Lincoln Park",
    country="US",
    timezone="America/Chicago",
    currency="USD",
    brand_color="#b45309",
    accent_color="#2563eb",
    status="onboarding",
    plan="pro",
    monthly_credits=50,
    usage_target=0.0,
    assignment_mode="manual",
    sla_hours=2,
    months_active=0,
    subscription_fee=Decimal("990.00"),
    tax_label="Sales tax 0%",
    tax_rate=Decimal("0"),
    topup=(0, Decimal("0")),
    people=team(
        ("Dana Whitaker", "+1 (312) 555-0142"),
        ("Marcus Reed", "+1 (312) 555-0157"),
        ("Jenna Alvarez", "+1 (312) 555-0163"),
        ("Tom Sullivan", "+1 (312) 555-0171"),
        ("Luis Ortega", "+1 (312) 555-0184"),
        ("Kayla Brooks", "+1 (312) 555-0196"),
        ("Greg Nolan", "+1 (312) 555-0108"),
        ("Brandon Hayes", "+1 (312) 555-0119"),
    ),
    services=(
        Service(
            "Water heater replacement",
            1200,
            3500,
            ("Our 12-year-old water heater is leaking from the bottom. Can someone come out tomorrow?",),
        ),
        Service("Drain cleaning", 150, 450, ("Kitchen sink backs up every few days. Need it snaked.",)),
        Service(
            "Repiping",
            4000,
            15000,
            ("Old galvanized pipes in a 1920s two-flat; looking for a repipe quote.",),
        ),
        Service("Emergency leak repair", 250, 900, ("Water coming through the ceiling under our bathroom!",)),
        Service(
            "Commercial maintenance",
            2000,
            12000,
            ("We manage 14 buildings in Lincoln Park and want a quarterly maintenance contract.",),
            b2b=True,
        ),
    ),
    lead_count=20,
    audience="homeowners and property managers on Chicago's North Side",
    channels=(
        ("website", "initechplumbing.example", "https://www.initechplumbing.example", "connected"),
        ("wordpress", "Initech blog (WordPress)", "https://www.initechplumbing.example/blog", "disconnected"),
        ("google_analytics", "GA4 – Initech Plumbing", None, "connected"),
        ("google_search_console", "Search Console – initechplumbing.example", None, "error"),
        ("google_ads", "Google Ads – not linked yet", None, "disconnected"),
        ("facebook", "facebook.com/initechplumbing", "https://www.facebook.com/initechplumbing", "connected"),
        ("google_business_profile", "Initech Plumbing – Lincoln Park", None, "connected"),
    ),
    competitors=("Roto-Rooter", "Four Seasons Heating & Plumbing", "local independents"),
    first_names=(
        "James",
        "Michael",
        "Robert",
        "David",
        "Chris",
        "Daniel",
        "Matthew",
        "Anthony",
        "José",
        "Carlos",
        "Maria",
        "Jennifer",
        "Jessica",
        "Ashley",
        "Sarah",
        "Emily",
        "Megan",
        "Lauren",
        "Nicole",
        "Tyler",
        "Brandon",
        "Kevin",
        "Jason",
        "Luis",
        "Ana",
        "Sofia",
        "Jamal",
        "Keisha",
    ),
    last_names=(
        "Johnson",
        "Williams",
        "Miller",
        "Davis",
        "Garcia",
        "Rodriguez",
        "Martinez",
        "Hernández",
        "Lopez",
        "Wilson",
        "Anderson",
        "Thomas",
        "Moore",
        "Martin",
        "Lee",
        "Harris",
        "Clark",
        "Lewis",
        "Young",
        "Allen",
        "King",
        "Kowalski",
        "Nguyen",
        "O'Connor",
        "Peña",
    ),
    companies=(
        "Lakeshore Property Management",
        "Prairie Restaurants Group",
        "Maple Grove HOA",
        "Windy City Lofts",
    ),
    job_titles=("Property Manager", "Facilities Director", "Owner", "Board President"),
    mail_domains=("gmail.example", "yahoo.example", "comcast.example", "icloud.example"),
    disqualification_reasons=("Outside our service area (Naperville)", "Duplicate of an earlier enquiry"),
    brand_voice={
        "tone": "friendly, fast, no-nonsense",
        "personality": ["reliable", "local", "upfront pricing"],
        "vocabulary": {"use": ["same-day", "upfront price"], "avoid": ["cheapest"]},
        "writingStyle": "American English, short and direct",
        "audience": "homeowners and property managers on Chicago's North Side",
    },
    contract_history=("declined", "sent"),
)

PROFILES = (ACME, NORTHWIND, INITECH)
