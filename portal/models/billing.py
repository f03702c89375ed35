"""Billing events: invoices, payments and the credit ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import TenantOwned, Updated, check_in

BILLING_KINDS = (
    "subscription_charge",
    "invoice",
    "payment",
    "credit_allocation",
    "credit_consumed",
    "credit_released",
    "credit_topup",
    "refund",
    "adjustment",
)
BILLING_STATUSES = ("pending", "paid", "overdue", "void")
UNPAID_STATUSES = ("pending", "overdue")  # still owed: the invoice page says how the tenant pays


class BillingEvent(TenantOwned, Updated):
    """One line of the tenant's money and credit history."""

    __tablename__ = "billing_events"
    __extra_args__ = (
        check_in("kind", BILLING_KINDS),
        check_in("status", BILLING_STATUSES),
        CheckConstraint(
            "invoice_number IS NULL OR invoice_number ~ '^INV-[0-9]{4}-[0-9]{2}-[0-9]{4}$'", name="invoice"
        ),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
        Index("ix_billing_events_tenant_occurred", "tenant_id", "occurred_on"),
        Index("ux_billing_events_invoice", "tenant_id", "invoice_number", unique=True),
    )

    kind: Mapped[str]
    amount: Mapped[Decimal | None]
    currency: Mapped[str] = mapped_column(String(3), server_default="INR")
    credits: Mapped[int | None]
    credit_balance_after: Mapped[int | None]
    invoice_number: Mapped[str | None]
    status: Mapped[str] = mapped_column(server_default="paid")
    description: Mapped[str | None]
    period_start: Mapped[dt.date | None]
    period_end: Mapped[dt.date | None]
    external_ref: Mapped[str | None]
    occurred_on: Mapped[dt.datetime] = mapped_column(server_default=func.now())

    @property
    def unpaid(self) -> bool:
        """Whether the event is still owed (pending or overdue)."""
        return self.status in UNPAID_STATUSES
