"""The derived figures of a campaign, a keyword or a search term, computed here and nowhere else.

Every ratio is None when its denominator is zero (the page shows "—"), never a division error or a
misleading 0 %. Money stays Decimal; rates are Decimal percentages rounded to two places.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def _ratio(numerator: Decimal | int, denominator: Decimal | int, scale: int = 1) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * scale / Decimal(denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Metrics:
    """Click-through rate, cost per click, cost per conversion and conversion rate (None when undefined)."""

    ctr: Decimal | None
    cpc: Decimal | None
    cpa: Decimal | None
    conversion_rate: Decimal | None


def derive(impressions: int, clicks: int, conversions: int, cost: Decimal) -> Metrics:
    """The derived metrics of raw counts and cost; safe for zeros.

    CTR = clicks / impressions, CPC = cost / clicks, CPA = cost / conversions,
    conversion rate = conversions / clicks (rates in percent).
    """
    return Metrics(
        ctr=_ratio(clicks, impressions, 100),
        cpc=_ratio(cost, clicks),
        cpa=_ratio(cost, conversions),
        conversion_rate=_ratio(conversions, clicks, 100),
    )


def percent(value: Decimal | None) -> str:
    """A rate for the page: "4.25 %" or "—" when undefined."""
    return "—" if value is None else f"{value:.2f}\u00a0%"
