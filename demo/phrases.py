"""The demo's stock phrases per industry (paragraphs, headings, bullets, a price table, FAQs), with
``{brand}``, ``{area}``, ``{city}``, ``{thing}`` and ``{keyword}`` to fill in for a tenant and a topic."""

from __future__ import annotations

from demo.profiles import Profile, Topic

PARAGRAPHS = {
    "dental": (
        "At {brand} in {area}, we meet patients every week who have put off {thing} because they are not "
        "sure what it involves. This guide walks through what actually happens, what it costs in {city} "
        "and how to decide whether it is right for you.",
        "The short version: when it comes to {thing}, the treatment is routine and predictable, and with "
        "modern local anaesthesia far more comfortable than most people expect. What matters most is an "
        "accurate diagnosis, which is why every plan at our clinic starts with a full examination and, "
        "where needed, a digital X-ray or CBCT scan.",
        "Costs vary with the materials used, the number of visits and whether any preparatory work is "
        "needed first. We always give a written estimate before treatment starts, and we offer EMI at 0% "
        "over 6 or 12 months for treatment above ₹25,000.",
        "Most patients go back to work the same day or the next morning. Mild soreness for two or three "
        "days is normal and settles with the painkillers we prescribe; swelling that grows after day "
        "three, a fever or a bad taste are reasons to call us straight away.",
        "If you have diabetes, take blood thinners or are pregnant, tell us before any procedure. None "
        "of these rules treatment out, but they change how we plan it and how closely we follow up.",
        "Good results last when home care is good: brush twice a day for two minutes with a fluoride "
        "toothpaste, clean between your teeth once a day and keep six-monthly check-ups so small "
        "problems stay small.",
        'Searches for "{keyword}" tend to turn up price lists that leave out what is included. Ask any '
        "clinic whether the quote covers the consultation, X-rays, follow-up visits and the final "
        "restoration.",
        "Our dentists explain every option with photos and models before you decide, and we never start "
        "treatment on the day of your first visit unless you are in pain and want us to.",
        "Waiting rarely makes dental problems cheaper. A small cavity treated now costs a fraction of "
        "the root canal and crown it can turn into within a year or two.",
        "Children copy what they see: brushing together in the evening and keeping sugary snacks to "
        "mealtimes do more for young teeth than any product on the shelf.",
    ),
    "legal": (
        "At {brand} we speak to people every week who are facing {thing} for the first time. This guide "
        "sets out how it works in England and Wales, what it usually costs and the points where advice "
        "makes the biggest difference.",
        "The law here is settled, but the detail matters: deadlines are strict and the paperwork is less "
        "forgiving than it looks. Reading this guide is a good start; it is not a substitute for advice "
        "on your own facts.",
        "Most of our work on {thing} is done for a fixed fee agreed in writing before we start, so you "
        "know the cost up front. Where a fixed fee is not possible we give a realistic estimate and "
        "update it as the matter develops.",
        "Timescales depend on the other side as much as on us. We keep you updated at every stage and "
        "tell you plainly when something is taking longer than it should, and why.",
        "Keep every letter, e-mail and document that relates to the matter, and write down dates while "
        "you still remember them. A clear timeline is often the single most useful thing a client can "
        "bring.",
        'People searching for "{keyword}" often find forum answers that are out of date or from another '
        "jurisdiction. Scottish and US rules in particular differ in ways that can change the outcome.",
        "If there is a deadline, act on it first and ask questions second. Missing a limitation date is "
        "one of the few mistakes in law that usually cannot be put right.",
        "Our team in {area} has handled matters like this for employees, families and businesses across "
        "{city}. The first call is free and without obligation: we will tell you honestly whether we can "
        "help.",
        "Agreements reached early are usually cheaper and less stressful than those reached at a "
        "hearing. Mediation and without-prejudice negotiation are worth considering even when feelings "
        "run high.",
        "Always check who you are instructing: every solicitor in England and Wales appears on the SRA's "
        "register, and firms must publish their complaints procedure and prices for many services.",
    ),
    "plumbing": (
        "At {brand} we fix {thing} problems across {city} every day, and most of them start small.",
        "Upfront pricing means you approve the price before we start; there are no surprises on the invoice.",
    ),
}

HEADINGS = {
    "dental": (
        "What is involved in {thing}",
        "Who is a good candidate",
        "Step by step: what to expect",
        "The cost of {thing} in {city}",
        "Recovery and aftercare",
        "Warning signs to watch for",
        "How to choose a clinic",
    ),
    "legal": (
        "How {thing} works",
        "Key deadlines",
        "The process step by step",
        "What it costs",
        "Common mistakes to avoid",
        "What to bring to your first meeting",
        "When to take advice",
    ),
}

BULLETS = {
    "dental": (
        "A list of any medicines you take, including supplements",
        "Previous X-rays or scans, if you have them",
        "Your questions, written down before the visit",
        "Insurance or corporate health-card details",
        "A rough idea of the budget you have in mind",
        "The dates you are travelling or have an event coming up",
    ),
    "legal": (
        "Any letters or e-mails from the other side",
        "Your contract, offer letter or title documents",
        "A timeline of the key dates",
        "Proof of identity and address",
        "Details of any deadline you have been given",
        "The names of everyone involved",
    ),
}

TABLES = {
    "dental": (
        ("Treatment", "Typical price in Bengaluru", "Visits"),
        (
            ("Consultation and X-ray", "₹500 – ₹1,200", "1"),
            ("Professional cleaning", "₹1,500 – ₹3,000", "1"),
            ("Root canal (molar)", "₹6,000 – ₹12,000", "2 – 3"),
            ("Ceramic crown", "₹8,000 – ₹18,000", "2"),
            ("Single implant with crown", "₹45,000 – ₹90,000", "3 – 4"),
            ("Clear aligners (full case)", "₹1,20,000 – ₹2,80,000", "8 – 12"),
        ),
    ),
    "legal": (
        ("Stage", "Typical timescale", "What you do"),
        (
            ("First call", "Same week", "Tell us the facts and any deadline"),
            ("Advice and plan", "1 – 2 weeks", "Send documents; agree the fee"),
            ("Negotiation", "2 – 8 weeks", "Review offers with us"),
            ("Agreement or proceedings", "1 – 6 months", "Sign, or prepare for a hearing"),
            ("Completion", "Days after agreement", "Keep copies of everything"),
        ),
    ),
}

FAQ = {
    "dental": (
        (
            "Does it hurt?",
            "Local anaesthesia numbs the area fully; most patients describe pressure, not pain.",
        ),
        (
            "Can I pay in instalments?",
            "Yes. EMI at 0% is available over 6 or 12 months for larger treatments.",
        ),
        (
            "How long does it last?",
            "With good home care and regular check-ups, many years; we explain what to expect for your case.",
        ),
        ("Do you see children?", "Yes, our paediatric dentist sees children from their first tooth."),
    ),
    "legal": (
        ("Is the first call free?", "Yes. We will tell you whether we can help and what it would cost."),
        ("Do you offer fixed fees?", "For most matters, yes, agreed in writing before we start."),
        ("Can we meet online?", "Yes, by video call, or in person at our Shoreditch office."),
        ("How quickly can you start?", "Usually within two working days, sooner where there is a deadline."),
    ),
}


def fill(template: str, profile: Profile, topic: Topic) -> str:
    """A phrase with the tenant's brand, place and the topic written in."""
    return template.format(
        brand=profile.name, area=profile.area, city=profile.city, thing=topic.thing, keyword=topic.keyword
    )
