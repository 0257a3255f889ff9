"""Offer rules: the band for (level, location), the salary inside it, the SMIC floor, the dates.

`prepare_offer` turns raw values (from options or a CSV row) into checked `OfferOptions`, or raises
OfferError naming what is wrong ("95 000 € is outside the band 76 500 € – 93 500 € for Confirmé in
Paris"). Unknown levels and locations are reported by `kitgen.context.choose` (usage errors).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kitgen.context import OfferOptions, choose
from kitgen.errors import OfferError
from kitgen.formatting import format_money
from kitgen.model import Company, Role
from kitgen.pay import SMIC_AS_OF, SMIC_MONTHLY_EUR, band_for, below_smic, monthly

CONTRACTS = ("CDI", "CDD")
KINDS = ("offre", "promesse")


@dataclass(frozen=True)
class OfferRequest:
    """What a user asks for, before checks (from the command line or one CSV row)."""

    candidate: str
    level: str
    location: str
    salary: float
    start_date: dt.date
    contract: str | None = None
    end_date: dt.date | None = None
    trial_period: str | None = None
    respond_by: dt.date | None = None
    kind: str = "offre"
    address: str | None = None
    email: str | None = None


def prepare_offer(role: Role, company: Company | None, request: OfferRequest, today: dt.date,
                  allow_outside_band: bool = False, allow_past_date: bool = False) -> OfferOptions:
    """Check an offer request against the role, the company file and the law; return its options."""
    if company is None:
        raise OfferError("an offer needs the company file (company.yaml, or `company` in kitgen.toml)")
    if company.signatory is None:
        raise OfferError("the company file has no `signatory` (name and title of who signs offers)")
    level = choose(request.level, role.level_ids, "level")
    location = choose(request.location, role.locations, "location")
    locale = "fr_FR" if role.lang == "fr" else "en_US"
    band = band_for(role, level, location, company.band_spread)
    level_name = role.level(level).name
    if band is None:
        raise OfferError(f"the role gives no salary figure for level {level_name!r} in {location!r}")
    money = lambda amount: format_money(amount, band.currency, locale)  # noqa: E731
    warnings = []
    if not band.contains(request.salary):
        message = (f"{money(request.salary)} is outside the band {money(band.low)} – {money(band.high)} "
                   f"for {level_name} in {location}")
        if not allow_outside_band:
            raise OfferError(message)
        warnings.append(message)
    if below_smic(request.salary, band.currency, band.period):
        raise OfferError(f"{money(monthly(request.salary, band.period))} gross a month is below the French "
                         f"minimum wage (SMIC {money(SMIC_MONTHLY_EUR)} since {SMIC_AS_OF.isoformat()})")
    contract = (request.contract or company.contract_type or "CDI").upper()
    _check_dates(request, contract, today, allow_past_date)
    kind = request.kind or "offre"
    if kind not in KINDS:
        raise OfferError(f"unknown kind {kind!r} (kinds: {', '.join(KINDS)})")
    respond_by = request.respond_by or today + dt.timedelta(days=company.offer_valid_days)
    if respond_by < today:
        raise OfferError(f"the answer deadline {respond_by.isoformat()} is in the past")
    return OfferOptions(candidate=request.candidate, level=level, location=location, salary=request.salary,
                        start_date=request.start_date, issued=today, respond_by=respond_by, contract=contract,
                        end_date=request.end_date, trial_period=request.trial_period, kind=kind,
                        address=request.address, email=request.email, band=band, warnings=tuple(warnings))


def _check_dates(request: OfferRequest, contract: str, today: dt.date, allow_past: bool) -> None:
    if contract not in CONTRACTS and contract.upper() not in CONTRACTS:
        raise OfferError(f"unknown contract {contract!r} (contracts: {', '.join(CONTRACTS)})")
    if request.start_date < today and not allow_past:
        raise OfferError(f"the start date {request.start_date.isoformat()} is in the past "
                         "(use --allow-past-date to re-issue an old letter)")
    if contract == "CDD" and request.end_date is None:
        raise OfferError("a CDD needs an end date (--end-date)")
    if contract == "CDI" and request.end_date is not None:
        raise OfferError("a CDI has no end date: drop --end-date or use --contract CDD")
    if request.end_date is not None and request.end_date <= request.start_date:
        raise OfferError(f"the end date {request.end_date.isoformat()} is not after the start date")
