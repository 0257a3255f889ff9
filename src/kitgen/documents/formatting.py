"""Money, numbers and dates in the document's locale, through Babel (never formatted by hand).

"54 000 €" and "1er février 2027" in French (Babel's narrow no-break space as thousands separator),
"€54,000" / "$98,000" and "February 1, 2027" in English.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as babel_date
from babel.numbers import format_decimal, parse_pattern
from babel.units import format_unit


@lru_cache(maxsize=8)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@lru_cache(maxsize=8)
def _whole_pattern(locale: str):
    """The locale's currency pattern without decimals, for whole amounts (salaries)."""
    pattern = parse_pattern(_locale(locale).currency_formats["standard"].pattern)
    pattern.frac_prec = (0, 0)
    return pattern


@lru_cache(maxsize=8)
def _cents_pattern(locale: str):
    pattern = parse_pattern(_locale(locale).currency_formats["standard"].pattern)
    pattern.frac_prec = (2, 2)
    return pattern


def format_money(amount: float, currency: str, locale: str) -> str:
    """A whole amount without decimals ("77 000 €"); cents only when there are some ("1 823,03 €")."""
    whole = float(amount).is_integer()
    pattern = _whole_pattern(locale) if whole else _cents_pattern(locale)
    value = int(amount) if whole else amount
    return pattern.apply(value, _locale(locale), currency=currency, currency_digits=False)


def format_number(value: float, locale: str) -> str:
    return format_decimal(value, locale=_locale(locale))


def format_duration(value, locale: str) -> str:
    """A duration (count, "month" | "week" | "day") in words: "6 mois", "2 semaines", "18 months"."""
    count, unit = value
    return format_unit(count, f"duration-{unit}", length="long", locale=_locale(locale))


def format_date(value: dt.date | str, locale: str) -> str:
    """A long date; French writes the first day of a month as "1er"."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if locale.startswith("fr") and value.day == 1:
        return babel_date(value, format="d'er' MMMM y", locale=_locale(locale))
    return babel_date(value, format="long", locale=_locale(locale))

