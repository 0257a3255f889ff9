"""Salary bands and the legal floor: the band of a (level, location), the range an ad shows, the SMIC.

A band given as `[min, max]` is used as it is; a point amount is a market reference and the band
is that amount ± the company's `band_spread` (default 10 %). Boundaries are inclusive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kitgen.sources.model import Role

# Legal full-time hours per month in France (35 h × 52 / 12): the monthly equivalent of hourly pay.
FULL_TIME_HOURS_PER_MONTH = 151.67


@dataclass(frozen=True)
class MinimumWage:
    """A dated legal minimum wage, gross, for full time."""

    hourly: float
    monthly: float
    as_of: dt.date
    source: str


# The French minimum wage (SMIC) for full time (35 h/week), the one place to update each year
# (usually every 1 January; see docs/offers.md). Mayotte has its own, lower SMIC: not covered.
SMIC = MinimumWage(hourly=12.02, monthly=1823.03, as_of=dt.date(2026, 1, 1),
                   source="Décret n° 2025-1228 du 17 décembre 2025")


@dataclass(frozen=True)
class Band:
    """A closed salary range for one (level, location), in the role's currency and period."""

    low: float
    high: float
    currency: str
    period: str
    reference: float | None = None  # the point figure the band was derived from, if any

    def contains(self, amount: float) -> bool:
        return self.low <= amount <= self.high


def band_for(role: Role, level: str, location: str, spread: float) -> Band | None:
    """The band of (level, location), or None when the role gives no figure for that pair."""
    if role.salary is None:
        return None
    figure = role.salary.bands.get(level, {}).get(location)
    if figure is None:
        return None
    currency, period = role.salary.currency, role.salary.period
    if isinstance(figure, tuple):
        return Band(figure[0], figure[1], currency, period)
    low, high = _round(figure * (1 - spread)), _round(figure * (1 + spread))
    return Band(low, high, currency, period, reference=figure)


def _round(amount: float) -> float:
    """Yearly and monthly bands are rounded to whole units; hourly ones keep cents."""
    rounded = round(amount, 2)
    return int(rounded) if float(rounded).is_integer() else rounded


def ad_range(role: Role, levels: list[str], locations: list[str], spread: float) -> Band | None:
    """The range an ad shows: lowest low to highest high over the advertised levels and places."""
    bands = [b for lv in levels for loc in locations if (b := band_for(role, lv, loc, spread))]
    if not bands:
        return None
    return Band(min(b.low for b in bands), max(b.high for b in bands), bands[0].currency, bands[0].period)


def monthly(amount: float, period: str) -> float:
    """Gross monthly equivalent of an amount in its period (full time)."""
    if period == "year":
        return round(amount / 12, 2)
    if period == "hour":
        return round(amount * FULL_TIME_HOURS_PER_MONTH, 2)
    return amount


def below_smic(amount: float, currency: str, period: str) -> bool:
    """True when a full-time EUR salary is below the French minimum wage.

    Hourly pay is compared with the hourly SMIC: the monthly figure is rounded from it, so
    12.02 € an hour (1 823.07 € a month by 151.67 h) is exactly the minimum, not above it.
    """
    if currency != "EUR":
        return False
    if period == "hour":
        return amount < SMIC.hourly
    return monthly(amount, period) < SMIC.monthly
