"""Reading the tenant's billing events: months at a glance, the ledger with its running credit balance,
invoices with their lines and payments, and the CSV export. Billing is read-only in the portal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.dialects.postgresql import aggregate_order_by

from portal.campaigns.listing import PAGE_SIZE, DateRange, Page, decode_cursor, page_of
from portal.db import get_session
from portal.formatting import tenant_zone
from portal.models import BillingEvent
from portal.planning.usage import LEDGER_USE
from portal.tenancy import current_tenant

KIND_GROUPS = {
    "invoices": ("invoice", "subscription_charge"),
    "payments": ("payment", "refund"),
    "credits": ("credit_allocation", "credit_consumed", "credit_released", "credit_topup", "adjustment"),
}
KIND_LABELS = {
    "subscription_charge": "Subscription charge",
    "invoice": "Invoice",
    "payment": "Payment",
    "credit_allocation": "Credit allocation",
    "credit_consumed": "Credits used",
    "credit_released": "Credits released",
    "credit_topup": "Credit top-up",
    "refund": "Refund",
    "adjustment": "Adjustment",
}
CHARGE_KINDS = ("subscription_charge", "credit_topup")
# What counts as invoiced: invoices, but not a voided one (it was replaced, and is owed by nobody).
INVOICED = (BillingEvent.kind == "invoice") & (BillingEvent.status != "void")
TAX = re.compile(r"\(([A-Z]{2,5} \d+(?:\.\d+)?%)")


def _filtered(statement: Select, dates: DateRange, group: str | None) -> Select:
    tenant = current_tenant
    statement = statement.where(BillingEvent.tenant_id == tenant.id)
    local_day = func.date(func.timezone(tenant.timezone, BillingEvent.occurred_on))
    if dates.start:
        statement = statement.where(local_day >= dates.start)
    if dates.end:
        statement = statement.where(local_day <= dates.end)
    if group in KIND_GROUPS:
        statement = statement.where(BillingEvent.kind.in_(KIND_GROUPS[group]))
    return statement


@dataclass(frozen=True)
class Month:
    """One month of billing: money invoiced (void invoices excluded), paid and refunded; credits added and
    used (as the credits page counts them); the closing balance."""

    month: dt.date
    invoiced: Decimal
    paid: Decimal
    refunded: Decimal
    credits_added: int
    credits_used: int
    closing_balance: int | None


def months(dates: DateRange) -> list[Month]:
    """Month totals (in the tenant's timezone), newest first, from one GROUP BY."""
    month = func.date_trunc("month", func.timezone(current_tenant.timezone, BillingEvent.occurred_on))

    def total(column, *kinds):
        return func.coalesce(func.sum(column).filter(BillingEvent.kind.in_(kinds)), 0)

    statement = _filtered(
        select(
            month.label("month"),
            func.coalesce(func.sum(BillingEvent.amount).filter(INVOICED), 0),
            total(BillingEvent.amount, "payment"),
            -total(BillingEvent.amount, "refund"),
            total(BillingEvent.credits, "credit_allocation", "credit_topup"),
            -total(BillingEvent.credits, *LEDGER_USE),
            # the balance after the month's last credit movement
            func.array_agg(
                aggregate_order_by(
                    BillingEvent.credit_balance_after,
                    BillingEvent.occurred_on.desc(),
                    BillingEvent.ref_id.desc(),
                )
            ).filter(BillingEvent.credit_balance_after.isnot(None))[1],
        ),
        dates,
        None,
    )
    rows = get_session().execute(statement.group_by(month).order_by(month.desc()))
    return [Month(r[0].date(), *r[1:]) for r in rows]


def events(dates: DateRange, group: str | None, cursor: str | None) -> Page:
    """A page of billing events, newest first, each credit movement with the balance after it."""
    statement = _filtered(select(BillingEvent), dates, group)
    after = decode_cursor(cursor, dt.datetime, str)
    if after:
        statement = statement.where(tuple_(BillingEvent.occurred_on, BillingEvent.ref_id) < tuple_(*after))
    rows = get_session().scalars(
        statement.order_by(BillingEvent.occurred_on.desc(), BillingEvent.ref_id.desc()).limit(PAGE_SIZE + 1)
    )
    return page_of(list(rows), lambda e: (e.occurred_on, e.ref_id))


def current_balance() -> int | None:
    """The tenant's credit balance now: the balance after the latest credit movement."""
    return get_session().scalar(
        select(BillingEvent.credit_balance_after)
        .where(BillingEvent.tenant_id == current_tenant.id, BillingEvent.credit_balance_after.isnot(None))
        .order_by(BillingEvent.occurred_on.desc(), BillingEvent.ref_id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class InvoiceLine:
    """One line of an invoice."""

    description: str
    amount: Decimal


@dataclass(frozen=True)
class Invoice:
    """An invoice event with its lines (charges, then tax) and the payments made against it."""

    event: BillingEvent
    lines: list[InvoiceLine]
    payments: list[BillingEvent]

    @property
    def paid(self) -> Decimal:
        """The sum of the payments against it."""
        return sum((p.amount or Decimal(0) for p in self.payments), Decimal(0))


def invoice(event: BillingEvent) -> Invoice:
    """The invoice's lines and payments (one statement).

    Lines are the charges billed with it: the subscription charge of the same period, or a top-up in the
    hour before; the remainder of the invoice's amount is the tax its description names (e.g. "GST 18%").
    """
    related = list(
        get_session().scalars(
            select(BillingEvent)
            .where(
                BillingEvent.tenant_id == event.tenant_id,
                (
                    (BillingEvent.kind == "payment")
                    & (BillingEvent.description == f"Payment for {event.invoice_number}")
                )
                | (
                    BillingEvent.kind.in_(CHARGE_KINDS)
                    & (
                        (BillingEvent.period_start == event.period_start)
                        if event.period_start
                        else BillingEvent.occurred_on.between(
                            event.occurred_on - dt.timedelta(hours=1), event.occurred_on
                        )
                    )
                ),
            )
            .order_by(BillingEvent.occurred_on, BillingEvent.ref_id)
        )
    )
    charges = [e for e in related if e.kind in CHARGE_KINDS]
    lines = [InvoiceLine(e.description or KIND_LABELS[e.kind], e.amount or Decimal(0)) for e in charges]
    total = event.amount or Decimal(0)
    if not lines:
        lines = [InvoiceLine(event.description or "Invoice", total)]
    else:
        tax = total - sum((line.amount for line in lines), Decimal(0))
        if tax:
            named = TAX.search(event.description or "")
            lines.append(InvoiceLine(named.group(1) if named else "Tax", tax))
    return Invoice(event, lines, [e for e in related if e.kind == "payment"])


CSV_COLUMNS = (
    "occurred_on",
    "kind",
    "description",
    "invoice_number",
    "amount",
    "currency",
    "credits",
    "credit_balance_after",
    "status",
    "external_ref",
)


def _cell(value) -> str:
    """A CSV cell; text a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def export_csv(dates: DateRange, group: str | None) -> str:
    """The events in the range as CSV, oldest first, times in the tenant's timezone.

    Built whole (a range is at most two years: a few thousand rows) so the request's session is done
    with before the response leaves.
    """
    zone = tenant_zone()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for event in get_session().scalars(
        _filtered(select(BillingEvent), dates, group).order_by(BillingEvent.occurred_on, BillingEvent.ref_id)
    ):
        writer.writerow(
            [
                event.occurred_on.astimezone(zone).isoformat(timespec="seconds"),
                event.kind,
                _cell(event.description),
                _cell(event.invoice_number),
                "" if event.amount is None else str(event.amount),
                event.currency,
                "" if event.credits is None else event.credits,
                "" if event.credit_balance_after is None else event.credit_balance_after,
                event.status,
                _cell(event.external_ref),
            ]
        )
    return buffer.getvalue()
