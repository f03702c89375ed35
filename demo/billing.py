"""The demo's money and credits: extra recurring agent work up to each month's credit target, six months
of invoices and payments, and the credit ledger with its running balance."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any

from demo import outputs
from demo.builder import TenantSeed, add_months, money
from demo.ids import Mint
from demo.runs import agent_work, perform
from demo.scenario import CARRIED_CREDITS, MONEY_EXTRAS, TOP_UP_TITLES, TOPUP_MONTH, VOID_INVOICES
from portal.models import BillingEvent


def top_up_usage(seed: TenantSeed) -> None:
    """Add daily backlink checks, and in busy months daily prospect searches (recurring agent work, each
    at most once a day), until each month's credit use reaches its target.

    Targets, as shares of the allocation: this month the profile's (Acme 60 %, Northwind 85 %: past the
    80 % warning); 110 % in the month of the top-up (which ledger() places before the balance runs
    out); 50–75 % otherwise. Months already above target are left as they are.
    """
    p = seed.p
    mint = seed.mint("top-up")
    rng = mint.rng
    used = defaultdict(int)
    for move in seed.credit_moves:
        used[seed.month_of(move.when)] -= move.credits
    goal = next((g.id for g in seed.goals if g.metric_type in ("BACKLINKS", "KEYWORD_RANKINGS")), None)
    for month in range(-5, 1):
        if month == 0:
            share = p.usage_target
        elif month == TOPUP_MONTH:
            share = 1.1
        else:
            share = rng.uniform(0.5, 0.75)
        missing = round(p.monthly_credits * share) - used[month]
        start, end = seed.window(month)
        days = max((end - start).days, 1)
        # one run of each kind a day at most: runs of a kind are a day or more apart
        for number in range(min(max(missing, 0), days * len(TOP_UP_TITLES))):
            kind, day = divmod(number, days)
            when = start + (end - start) * ((day + 0.3 + 0.4 * kind) / days)
            work = agent_work(
                seed,
                mint,
                when,
                goal_id=goal,
                title=f"{TOP_UP_TITLES[kind]} – {when.astimezone(seed.tz):%d %b}",
                type="backlink_research",
                status="done",
                due_on=when + dt.timedelta(hours=4),
                completed_on=when,
                created_on=when - dt.timedelta(hours=1),
            )
            perform(
                seed,
                work,
                "ok",
                lambda _v: ("json", json.dumps(outputs.backlink_prospects(p, rng), indent=2)),
            )


def billing(seed: TenantSeed) -> None:
    """Six months of invoices, payments and the credit ledger, with a consistent running balance."""
    p = seed.p
    mint = seed.mint("billing")
    rng = mint.rng
    events: list[dict[str, Any]] = []

    def add(kind: str, when: dt.datetime | None, **fields: Any) -> dict[str, Any]:
        events.append({"kind": kind, "occurred_on": when, **fields})
        return events[-1]

    gross = 1 + p.tax_rate
    for month in range(-5, 1):
        start = seed.month(month)
        period = {"period_start": start, "period_end": add_months(start, 1) - dt.timedelta(days=1)}
        label = f"{start:%B %Y}"
        billed = seed.at(start, 6)
        add(
            "credit_allocation",
            seed.at(start, 0, 1),
            credits=p.monthly_credits,
            description=f"{label} allocation ({p.plan} plan)",
            **period,
        )
        add(
            "subscription_charge",
            billed,
            amount=money(p.subscription_fee),
            status="pending" if month == 0 else "paid",
            description=f"{p.plan.capitalize()} plan, {label}",
            **period,
        )
        if VOID_INVOICES.get(p.slug, (None,))[0] == month:
            add(
                "invoice",
                billed,
                amount=money(p.subscription_fee * gross),
                status="void",
                description=VOID_INVOICES[p.slug][1],
                **period,
            )
        status = "pending" if month == 0 else "overdue" if (month == -1 and p.slug == "northwind") else "paid"
        invoice = add(
            "invoice",
            billed + dt.timedelta(minutes=1),
            amount=money(p.subscription_fee * gross),
            status=status,
            description=f"Subscription {label} ({p.tax_label} included)",
            **period,
        )
        if status == "paid":
            add(
                "payment",
                billed + dt.timedelta(days=rng.randint(2, 9)),
                amount=invoice["amount"],
                pays=invoice,
                external_ref=_payment_ref(p.currency, rng),
            )
        if month == TOPUP_MONTH:  # placed in time by ledger(), just before the credits would run out
            credits, price = p.topup
            add(
                "credit_topup",
                None,
                credits=credits,
                amount=money(price),
                description=f"Top-up: {credits} credits",
            )
            invoice = add(
                "invoice",
                None,
                amount=money(price * gross),
                status="paid",
                description=f"Credit top-up ({credits} credits, {p.tax_label} included)",
            )
            add(
                "payment",
                None,
                amount=invoice["amount"],
                pays=invoice,
                external_ref=_payment_ref(p.currency, rng),
            )
    refund, bonus = MONEY_EXTRAS[p.slug]
    add(
        "refund",
        seed.on(-3, 18),
        amount=money(-refund[0]),
        description=refund[1],
        external_ref=_payment_ref(p.currency, rng).replace("pay_", "rfnd_").replace("pi_3", "re_3"),
    )
    add("adjustment", seed.on(-1, 12), credits=bonus[0], description=bonus[1])
    window_start = seed.at(seed.month(-5), 0, 0)
    for move in seed.credit_moves:
        if move.when >= window_start:
            verb = "Run" if move.kind == "credit_consumed" else "Released after a failed run"
            add(
                move.kind,
                move.when,
                credits=move.credits,
                description=f"{verb}: {move.title}",
                external_ref=move.run.ref_id,
            )
    ledger(seed, mint, events)


def ledger(seed: TenantSeed, mint: Mint, events: list[dict[str, Any]]) -> None:
    """Order the events, place the top-up before the balance runs low, number the invoices in order
    (INV-YYYY-MM-XXXX, XXXX counting the tenant's invoices) and write the running credit balance."""
    p = seed.p
    pending_topup = [e for e in events if e["occurred_on"] is None]
    timed = sorted((e for e in events if e["occurred_on"] is not None), key=lambda e: e["occurred_on"])
    balance = CARRIED_CREDITS
    ordered = []
    for event in timed:
        if event["kind"] == "credit_allocation" and balance > 0:  # unused credits expire first
            expired = event["occurred_on"] - dt.timedelta(seconds=30)
            ordered.append(
                {
                    "kind": "adjustment",
                    "credits": -balance,
                    "occurred_on": expired,
                    "description": "Unused credits expired at the end of the month",
                }
            )
            balance = 0
        credits = event.get("credits") or 0
        low = balance + credits < p.monthly_credits * 0.1
        if pending_topup and low and seed.month_of(event["occurred_on"]) == TOPUP_MONTH:
            for offset, extra in enumerate(pending_topup):
                extra["occurred_on"] = event["occurred_on"] - dt.timedelta(minutes=3 - offset)
                ordered.append(extra)
                balance += extra.get("credits") or 0
            pending_topup = []
        balance += credits
        ordered.append(event)
    running = CARRIED_CREDITS
    sequence = p.months_active - 5  # the invoices before the six months shown
    for event in ordered:
        if event["kind"] == "invoice":
            event["invoice_number"] = f"INV-{event['occurred_on'].astimezone(seed.tz):%Y-%m}-{sequence:04d}"
            sequence += 1
        if "pays" in event:
            event["description"] = f"Payment for {event.pop('pays')['invoice_number']}"
        running += event.get("credits") or 0
        seed.new(
            mint,
            BillingEvent,
            kind=event["kind"],
            amount=event.get("amount", money(0)),  # a credit movement moves no money
            currency=p.currency,
            credits=event.get("credits"),
            credit_balance_after=running if event.get("credits") is not None else None,
            invoice_number=event.get("invoice_number"),
            status=event.get("status", "paid"),
            description=event.get("description"),
            period_start=event.get("period_start"),
            period_end=event.get("period_end"),
            external_ref=event.get("external_ref"),
            occurred_on=event["occurred_on"],
            created_on=event["occurred_on"],
        )


def _payment_ref(currency: str, rng: Any) -> str:
    """A payment provider's reference (Razorpay for INR, Stripe otherwise)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789"
    token = "".join(rng.choice(alphabet) for _ in range(14))
    return f"pay_{token}" if currency == "INR" else f"pi_3{token}"
