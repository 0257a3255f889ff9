"""Offer rules: the company file, the band for (level, location), the salary inside it, the SMIC
floor, the contract and the dates.

`prepare_offer` turns raw values (from options or a CSV row) into checked `OfferOptions`, or raises
an OfferError naming what is wrong ("95 000 € is outside the band 76 500 € – 93 500 € for Confirmé
in Paris") and, in `field`, the value at fault, so a CSV row can be reported as
`candidates.csv:7: salary: ...`. Money in messages is formatted in the role's language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kitgen.documents.context import OfferOptions
from kitgen.documents.formatting import format_money
from kitgen.documents.pay import SMIC, Band, band_for, below_smic, monthly
from kitgen.errors import OfferError
from kitgen.i18n import N_, tr
from kitgen.sources import values
from kitgen.sources.languages import locale as babel_locale
from kitgen.sources.model import TRIAL_CAP_MONTHS, Company, Role

if TYPE_CHECKING:
    from kitgen.sources.project import Project

CONTRACTS = ("CDI", "CDD")
CIVILITIES = ("madame", "monsieur", "none")
OFFER_KINDS = ("offre", "promesse")
# A start date further away is a typo (9999-12-31, 2207 or 2037 for 2027), not a real offer: refused.
# Five years, not two: offers to students a few years ahead exist, and so do the suite's 2031 dates.
MAX_YEARS_AHEAD = 5


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
    kind: str | None = None
    address: str | None = None
    email: str | None = None
    lang: str | None = None  # the letter's language (default: the role's primary one)
    civility: str | None = None  # Madame, Monsieur, none (any case)
    variable: str | None = None  # target variable pay: "10%" of the salary or an amount
    cdd_reason: str | None = None  # a CDD's reason (motif de recours, Code du travail L.1242-2)
    min_duration: str | None = None  # a CDD without a precise end: its minimum duration ("6 mois")


def require_company(project: Project) -> Company:
    """The company file, which every offer needs (letterhead, address, signatory), or an error naming it."""
    label = project.label(project.company_path)
    company = project.company
    if company is None:
        raise OfferError(tr("an offer letter needs the company file, and %(file)s does not exist (create it, or "
                            "point `company` in kitgen.toml at it; see docs/role-file.md)", file=label))
    for key in ("address", "signatory"):
        if getattr(company, key) is None:
            raise OfferError(tr("%(file)s: %(key)s: missing; an offer letter needs the company's address and the "
                                "name and title of who signs it", file=label, key=key))
    return company


def legal_pack(country: str, project_templates=None) -> tuple[str, list[str]]:
    """The template of the legal content for a place of work in `country` (templates/legal/<cc>.html.j2,
    a project's own first), else the neutral pack, with a warning naming the country."""
    from kitgen.documents.templating import template_files

    name = f"legal/{country.lower()}.html.j2"
    if template_files(name, project_templates):
        return name, []
    return "legal/neutral.html.j2", [tr("no legal pack for %(country)s: the letter states the job, the pay, the "
                                        "start date, the place, the contract and the response date, with no mention "
                                        "specific to %(country)s; have it checked by counsel (docs/offers.md)",
                                        country=country)]


def prepare_offer(role: Role, company: Company, request: OfferRequest, today: dt.date,
                  allow_outside_band: bool = False, allow_past_date: bool = False,
                  project_templates=None) -> OfferOptions:
    """Check an offer request against the role, the company file and the law; return its options."""
    if not request.candidate.strip():
        raise OfferError(tr("the candidate's name is empty"), "name")
    level = _pick(request.level, values.level_spellings(role), "level", role.level_ids)
    variable = None
    if request.variable and request.variable.strip():
        try:
            variable = values.parse_variable(request.variable, request.salary)
        except ValueError as exc:
            raise OfferError(str(exc), "variable") from None
    location = _pick(request.location, role.locations, "location", role.locations)
    country = role.country_of(location) or company.country
    legal, pack_warnings = legal_pack(country, project_templates)
    band = band_for(role, level, location, company.band_spread)
    if band is None:
        raise OfferError(tr("the role gives no salary figure for level %(level)r in %(location)r",
                            level=role.level(level).name, location=location), "location")
    warnings = _check_salary(request.salary, band, role.level(level).name, location, babel_locale(role.lang),
                             allow_outside_band, today, smic=country == "FR")
    warnings += pack_warnings
    contract = _pick(request.contract or company.contract_type, CONTRACTS, "contract", CONTRACTS)
    kind = _pick(request.kind or OFFER_KINDS[0], OFFER_KINDS, "kind", OFFER_KINDS)
    if kind == "promesse" and country != "FR":
        raise OfferError(tr("a promesse d'embauche is a form of French law, and the place of work %(location)r is "
                            "in %(country)s: use kind offre", location=location, country=country), "kind")
    _check_dates(request, contract, today, allow_past_date)
    respond_by = _respond_by(request, company, today, allow_past_date)
    cdd_reason, min_duration = _cdd_terms(request, contract, country)
    from kitgen.documents.context import localize

    _, texts, _ = localize(role, company, request.lang or role.lang)  # the company's texts in the letter's language
    trial_period, trial_warnings = _trial_period(request.trial_period, contract, texts)
    lv = role.level(level)
    trial_months, renewable, cdd_trial = None, False, None
    if country == "FR":
        _check_minimum(request.salary, lv, band, babel_locale(role.lang))
        trial_months, renewable, computed = _french_trial(request.trial_period, contract, lv, company)
        if computed:
            trial_period, trial_warnings = None, []
        cdd_trial = _cdd_trial(request, contract, min_duration)
        if cdd_trial:
            trial_period, trial_warnings = None, []
        if lv.working_time and lv.working_time.kind == "days" and lv.category not in (None, "cadre"):
            warnings.append(tr("a forfait of %(days)s days a year for the category %(category)s (level %(level)r) "
                               "is only possible when the collective agreement allows it (Code du travail L.3121-58 "
                               "and L.3121-63): check it", days=lv.working_time.days_per_year, category=lv.category,
                               level=lv.name))
    if country != "FR" and not (request.trial_period or "").strip():
        trial_period, trial_warnings = None, []  # the company's default trial period is French law's
    elif country == "US" and trial_period:
        trial_period, trial_warnings = None, [tr("no trial period in a US letter (employment at will): "
                                                 "%(trial)r left out", trial=trial_period)]
    return OfferOptions(candidate=request.candidate.strip(), level=level, location=location,
                        salary=request.salary, start_date=request.start_date, issued=today,
                        respond_by=respond_by, contract=contract, end_date=request.end_date,
                        trial_period=trial_period, kind=kind, address=request.address, email=request.email,
                        band=band, warnings=tuple(warnings + trial_warnings), country=country, legal=legal,
                        trial_months=trial_months, trial_renewable=renewable, variable=variable,
                        cdd_reason=cdd_reason, min_duration=min_duration, cdd_trial=cdd_trial,
                        civility=_pick(request.civility, CIVILITIES, "civility", CIVILITIES) if request.civility else None)


def _pick(value: str, accepted, field: str, known) -> str:
    """The role's spelling of `value`, matched without regard to case and accents (kitgen.sources.values)."""
    found = values.match(value, accepted)
    if found is None:
        raise OfferError(values.unknown(field, value, known, accepted=accepted), field)
    return found


def _check_salary(salary: float, band: Band, level: str, location: str, locale: str, allow_outside: bool,
                  today: dt.date, smic: bool = True) -> list[str]:
    """Band and legal floor for `level` (its name) in `location`; returns the warnings (outside the
    band when allowed, a stale SMIC)."""
    def money(amount: float) -> str:
        return format_money(amount, band.currency, locale)

    if salary <= 0:
        raise OfferError(tr("the salary must be greater than 0, got %(salary)s", salary=format(salary, "g")), "salary")
    warnings = []
    if not band.contains(salary):
        message = tr("%(salary)s is outside the band %(low)s – %(high)s for %(level)s in %(location)s",
                     salary=money(salary), low=money(band.low), high=money(band.high), level=level, location=location)
        if not allow_outside:
            raise OfferError(message, "salary")
        warnings.append(message)
    if not smic:  # the SMIC is the French floor: a place of work elsewhere has its own (not checked)
        return warnings
    if below_smic(salary, band.currency, band.period):
        raise OfferError(_below_smic_message(salary, band.period, money), "salary")
    if band.currency == "EUR" and today.year > SMIC.as_of.year:  # revalued every 1 January at least
        warnings.append(tr("kitgen's SMIC figure dates from %(date)s: check it is still current (see "
                           "docs/offers.md)", date=SMIC.as_of.isoformat()))
    return warnings


def _below_smic_message(salary: float, period: str, money) -> str:
    since = SMIC.as_of.isoformat()
    if period == "hour":
        return tr("%(salary)s an hour is below the French minimum wage (SMIC %(smic)s an hour since %(since)s)",
                  salary=money(salary), smic=money(SMIC.hourly), since=since)
    return tr("%(salary)s gross a month is below the French minimum wage (SMIC %(smic)s a month for full time "
              "since %(since)s)", salary=money(monthly(salary, period)), smic=money(SMIC.monthly), since=since)


def _check_dates(request: OfferRequest, contract: str, today: dt.date, allow_past: bool) -> None:
    start, end = request.start_date, request.end_date
    if start < today and not allow_past:
        raise OfferError(tr("the start date %(start)s is in the past (--allow-past-date re-issues an old letter)",
                            start=start.isoformat()), "start_date")
    latest = _years_after(today, MAX_YEARS_AHEAD)
    if start > latest:
        raise OfferError(tr("the start date %(start)s is more than %(years)d years away (after %(latest)s): check "
                            "the year; an offer is made for a start within %(years)d years", start=start.isoformat(),
                            years=MAX_YEARS_AHEAD, latest=latest.isoformat()), "start_date")
    if contract == "CDD" and end is None and not _given(request.min_duration):
        raise OfferError(tr("a CDD needs an end date, or a minimum duration when its end is not known in advance "
                            "(replacing an absent employee, seasonal work: Code du travail L.1242-7)"), "end_date")
    if end is not None and _given(request.min_duration):
        raise OfferError(tr("a CDD has an end date (%(end)s) or a minimum duration (%(duration)r), not both",
                            end=end.isoformat(), duration=request.min_duration.strip()), "min_duration")
    if contract == "CDI" and end is not None:
        raise OfferError(tr("a CDI has no end date, got %(end)s (a fixed-term contract is a CDD)",
                            end=end.isoformat()), "end_date")
    for value, field, message in (
            (request.min_duration, "min_duration",
             N_("a CDI has no min duration, got %(value)r (a fixed-term contract is a CDD)")),
            (request.cdd_reason, "cdd_reason",
             N_("a CDI has no cdd reason, got %(value)r (a fixed-term contract is a CDD)"))):
        if contract == "CDI" and _given(value):
            raise OfferError(tr(message, value=value.strip()), field)
    if end is not None and end <= start:
        raise OfferError(tr("the end date %(end)s is not after the start date %(start)s", end=end.isoformat(),
                            start=start.isoformat()), "end_date")


def _years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (28 February for a 29 February that year does not have)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _given(value: str | None) -> bool:
    return bool(value and value.strip())


def _cdd_terms(request: OfferRequest, contract: str, country: str) -> tuple[str | None, tuple[int, str] | None]:
    """A CDD's reason and minimum duration, checked: in France the reason is required (L.1242-12)."""
    reason = request.cdd_reason.strip() if _given(request.cdd_reason) else None
    if contract == "CDD" and country == "FR" and reason is None:
        raise OfferError(tr("a CDD in France needs its reason, stated in the contract (motif de recours, Code du "
                            "travail L.1242-2: replacing an absent employee, a temporary increase in activity, "
                            "seasonal work...): give it with --cdd-reason or the CSV column cdd_reason"), "cdd_reason")
    duration = None
    if _given(request.min_duration):
        try:
            duration = values.parse_duration(request.min_duration)
        except ValueError as exc:
            raise OfferError(str(exc), "min_duration") from None
    return reason, duration


def _respond_by(request: OfferRequest, company: Company, today: dt.date, allow_past: bool) -> dt.date:
    """The answer deadline: given, or today + the company's offer_valid_days; before the start date."""
    respond_by = request.respond_by or today + dt.timedelta(days=company.offer_valid_days)
    if allow_past:  # re-issuing an old letter: its dates are history, not checked against today
        return respond_by
    if respond_by < today:
        raise OfferError(tr("the answer deadline %(date)s is in the past", date=respond_by.isoformat()),
                         "respond_by")
    if respond_by > request.start_date:
        raise OfferError(tr("the answer deadline %(date)s is after the start date %(start)s (give an earlier "
                            "respond-by date)", date=respond_by.isoformat(), start=request.start_date.isoformat()),
                         "respond_by")
    return respond_by


TRIAL_MONTHS_TEXT = re.compile(r"^\s*(\d+)\s*(?:mois|months?)?\s*$", re.IGNORECASE)


def _check_minimum(salary: float, level, band: Band, locale: str) -> None:
    """A salary below the level's minimum (the collective agreement's, from the role file) is refused."""
    if level.minimum_salary and salary < level.minimum_salary:
        money = format_money(salary, band.currency, locale)
        floor = format_money(level.minimum_salary, band.currency, locale)
        raise OfferError(tr("%(salary)s is below the minimum salary of level %(level)r (%(floor)s, its "
                            "minimum_salary: the collective agreement's minimum for its classification)",
                            salary=money, level=level.name, floor=floor), "salary")


def _french_trial(given: str | None, contract: str, level, company: Company) -> tuple[int | None, bool, bool]:
    """The trial period in months from the level's category (company.trial_months), for a CDI:
    (months, renewable, computed). A given number of months is checked against the legal cap of
    the category (Code du travail L.1221-19); a given free text is kept as written."""
    cap = TRIAL_CAP_MONTHS.get(level.category or "")
    if given and given.strip():
        match = TRIAL_MONTHS_TEXT.match(given)
        if match and cap is not None and int(match.group(1)) > cap:
            raise OfferError(tr("a trial period of %(months)s months is more than the legal cap of %(cap)d months "
                                "for the category %(category)s (Code du travail L.1221-19)", months=match.group(1),
                                cap=cap, category=level.category), "trial_period")
        return None, False, False
    months = company.trial_months.get(level.category) if level.category else None
    if contract != "CDI" or months is None:
        return None, False, False
    return months, company.trial_renewable, True


def _cdd_trial(request: OfferRequest, contract: str, min_duration: tuple[int, str] | None) -> tuple[int, str] | None:
    """A French CDD's trial period when none is given (Code du travail L.1242-10): one day per week of
    the contract's planned length (its minimum duration when it has no precise end), at most two
    weeks for a contract of six months or less, one month otherwise."""
    if contract != "CDD" or (request.trial_period or "").strip():
        return None
    start = request.start_date
    if request.end_date is not None:
        end = request.end_date + dt.timedelta(days=1)  # the day after the last one
    elif min_duration is not None:
        count, unit = min_duration
        end = _add_months(start, count) if unit == "month" else start + dt.timedelta(days=count * (7 if unit == "week" else 1))
    else:
        return None
    days, short = (end - start).days, end <= _add_months(start, 6)
    trial_days = max(1, days // 7)
    if short:
        return (min(trial_days, 14), "day") if trial_days < 14 else (2, "week")
    return (trial_days, "day") if trial_days < 30 else (1, "month")


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    import calendar

    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _trial_period(given: str | None, contract: str, company: Company) -> tuple[str | None, list[str]]:
    """The trial period: given, else the company's default, which is meant for CDIs only.

    A CDD's trial period is much shorter (L.1242-10: one day a week, capped at two weeks or one
    month), so a CDI default such as "4 mois" must not slip into a CDD letter.
    """
    if given and given.strip():
        return given.strip(), []
    if contract == "CDI" or company.trial_period is None:
        return company.trial_period, []
    return None, [tr("no trial period given for this CDD (the company's default is for CDIs): the letter "
                     "states none")]
