"""Build the plain render context of one document from the validated role, company and options.

Templates never see raw YAML: they get dicts of text, numbers and dates prepared here (bands,
anchors, durations, formatted money). Option values that do not exist in the role (an unknown
level, location or competency) are usage errors listing the valid values.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from kitgen.documents.pay import Band, ad_range
from kitgen.errors import UsageError
from kitgen.i18n import tr
from kitgen.sources import values
from kitgen.sources.model import Company, Role

DEFAULT_QUESTION_MINUTES = 10
DEFAULT_CASE_MINUTES = 30


@dataclass(frozen=True)
class AdOptions:
    location: str | None = None
    levels: tuple[str, ...] = ()
    valid_through: dt.date | None = None
    apply_url: str | None = None
    no_salary: bool = False
    date_posted: dt.date | None = None


@dataclass(frozen=True)
class KitOptions:
    level: str
    candidate: str | None = None
    interviewers: tuple[str, ...] = ()
    date: dt.date | None = None
    competencies: tuple[str, ...] = ()
    appendix: bool = True
    stage: str | None = None  # an interview stage's id: its competencies, its case study, its minutes
    fillable: bool = True  # the PDF is a form (AcroForm): docs/interview-kits.md lists its field names


@dataclass(frozen=True)
class OfferOptions:
    candidate: str
    level: str
    location: str
    salary: float
    start_date: dt.date
    issued: dt.date
    respond_by: dt.date
    contract: str = "CDI"
    end_date: dt.date | None = None
    trial_period: str | None = None
    kind: str = "offre"
    address: str | None = None
    email: str | None = None
    band: Band | None = None
    warnings: tuple[str, ...] = field(default=())
    country: str = "FR"  # of the place of work: whose law the letter follows
    legal: str = "legal/fr.html.j2"  # the legal pack (a template under templates/legal/)
    civility: str | None = None  # madame, monsieur, none
    variable: float | None = None  # target variable pay, in the salary's period
    trial_months: int | None = None  # the trial period computed from the level's category (France)
    trial_renewable: bool = False
    cdd_reason: str | None = None  # motif de recours (Code du travail L.1242-2)
    min_duration: tuple[int, str] | None = None  # a CDD without a precise end: (6, "month")
    cdd_trial: tuple[int, str] | None = None  # a French CDD's trial period computed by L.1242-10: (10, "day")


def options_data(options) -> dict:
    """A document's options as JSON data (dates as YYYY-MM-DD), for its manifest entry: `kitgen
    build --stale` renders it again with exactly these."""
    def plain(value):
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, (tuple, list)):
            return [plain(item) for item in value]
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        return value

    return plain(dataclasses.asdict(options))


def options_from_data(kind: str, data: dict):
    """The options `options_data` recorded, back as the document's options dataclass."""
    cls = {"job-ad": AdOptions, "interview-kit": KitOptions, "offer-letter": OfferOptions}[kind]
    values = {}
    for spec in dataclasses.fields(cls):
        if spec.name not in data:
            continue
        value = data[spec.name]
        if value is not None and "dt.date" in str(spec.type):
            value = dt.date.fromisoformat(value)
        elif isinstance(value, list):
            value = tuple(value)
        elif spec.name == "band" and isinstance(value, dict):
            value = Band(**value)
        values[spec.name] = value
    return cls(**values)


def choose(value: str, accepted, option: str, what: str, known: list[str], plural: str | None = None) -> str:
    """The role's spelling of an option value (case and accents ignored, see `kitgen.sources.values`);
    a value the role does not have is a usage error (exit 2) listing the valid ones."""
    found = values.match(value, accepted)
    if found is None:
        raise UsageError(values.unknown(what, value, known, plural, accepted), param_hint=option)
    return found


def choose_level(role: Role, value: str) -> str:
    return choose(value, values.level_spellings(role), "'--level'", "level", role.level_ids)


def choose_stage(role: Role, value: str) -> str:
    """A stage id from its id or its name (case and accents ignored); a usage error otherwise."""
    stages = role.interview.stages
    ids = [stage.id for stage in stages]
    spellings = {stage.id: stage.id for stage in stages} | {stage.name: stage.id for stage in stages}
    if not stages:
        raise UsageError(tr("role %(role)r has no interview stages (interview.stages in its file, see "
                            "docs/interview-kits.md)", role=role.id), param_hint="'--stage'")
    return choose(value, spellings, "'--stage'", "stage", ids)


def canonical_ad_options(role: Role, options: AdOptions) -> AdOptions:
    """The ad's levels and location in the role's own spelling (they name the file too)."""
    levels = tuple(choose_level(role, lv) for lv in options.levels)
    location = options.location and choose(options.location, role.locations, "'--location'", "location",
                                           role.locations)
    return dataclasses.replace(options, levels=levels, location=location)


def localize(role: Role, company: Company | None, lang: str) -> tuple[Role, Company | None, list[str]]:
    """The role and the company as a document in `lang` shows them: their texts in `lang`. A role
    without `lang` among its languages keeps its primary texts (the labels are still in `lang`),
    with a warning; a company text that lacks the content's language is a data error."""
    from kitgen.errors import DataError

    warnings = []
    version = role.in_language(lang)
    if version is None:
        version = role.in_language(role.primary) or role
        warnings.append(tr("%(role)s: the role has no %(lang)s texts (languages: %(languages)s): the labels are in "
                           "%(lang)s, the content in %(content)s; add %(lang)s to `languages` and its texts to "
                           "translate it (docs/role-file.md)", role=role.id, lang=lang,
                           languages=", ".join(role.languages or [role.lang]), content=version.lang))
    if company is not None:
        found = company.in_language(version.lang)
        if found is None:
            raise DataError(company.missing(version.lang))
        company = found
    return version, company, warnings


def location_in(primary: Role, version: Role, name: str | None) -> str | None:
    """A location named in the primary language, as `version` names it (same place in the list)."""
    if name is None or name not in primary.locations:
        return name
    return version.locations[primary.locations.index(name)]


def role_context(role: Role) -> dict:
    """Everything about the role itself, shared by the three documents."""
    return {
        "id": role.id,
        "lang": role.lang,
        "title": role.title,
        "display_title": role.display_title(),
        "title_feminine": role.title_feminine,
        "title_neutral": role.title_neutral,
        "also_known_as": list(role.also_known_as),
        "summary": role.summary,
        "missions": list(role.missions),
        "qualities": list(role.qualities),
        "career_paths": list(role.career_paths),
        "requirements": {
            "education": role.requirements.education if role.requirements else None,
            "experience": role.requirements.experience if role.requirements else None,
        },
        "levels": [{"id": lv.id, "name": lv.name, "experience": lv.experience} for lv in role.levels],
        "competencies": [{"name": c.name, "expectations": dict(c.expectations)} for c in role.competencies],
        "contract_type": role.contract_type,
    }


def company_context(company: Company | None, logo_url: str | None = None) -> dict:
    """The company as templates see it; an empty shell (name only) when there is no company file."""
    if company is None:
        return {"name": "", "legal_name": "", "address_lines": [], "city": None, "website": None,
                "apply_url": None, "apply_email": None, "logo_url": None, "benefits": [],
                "contract_type": "CDI", "trial_period": None, "signatory": None, "country": "FR"}
    return {
        "name": company.name,
        "legal_name": company.legal_name or company.name,
        "address_lines": [line.strip() for line in (company.address or "").splitlines() if line.strip()],
        "city": company.city,
        "country": company.country,
        "website": company.website,
        "apply_url": company.apply_url,
        "apply_email": company.apply_email,
        "logo_url": logo_url,
        "benefits": list(company.benefits),
        "contract_type": company.contract_type,
        "collective_agreement": company.collective_agreement.model_dump() if company.collective_agreement else None,
        "trial_period": company.trial_period,
        "signatory": company.signatory.model_dump() if company.signatory else None,
    }


def _band_dict(band: Band | None) -> dict | None:
    if band is None:
        return None
    return {"low": band.low, "high": band.high, "currency": band.currency, "period": band.period,
            "reference": band.reference}


# An ad without --valid-through closes this many days after it is posted: job boards and Google
# for Jobs keep showing an ad with no end date long after the job is filled (docs/job-ads.md).
DEFAULT_AD_DAYS = 60


def ad_context(role: Role, company: Company | None, options: AdOptions, today: dt.date) -> dict:
    """The job ad: the advertised levels and places, the closed salary range, dates, how to apply."""
    options = canonical_ad_options(role, options)
    levels = list(options.levels) or role.level_ids
    locations = [options.location] if options.location else role.locations
    spread = company.band_spread if company else 0.10
    rows = []
    for place in locations:
        band = ad_range(role, levels, [place], spread)
        if band:
            rows.append({"location": place, "band": _band_dict(band)})
    overall = None if options.no_salary else ad_range(role, levels, locations, spread)
    contract = role.contract_type or (company.contract_type if company else "CDI")
    posted = options.date_posted or today
    if options.valid_through and options.valid_through < posted:
        raise UsageError(tr("%(date)s is before the date posted, %(posted)s", date=options.valid_through.isoformat(),
                            posted=posted.isoformat()), param_hint="'--valid-through'")
    return {
        "reference": role.id,
        "levels": [lv for lv in role_context(role)["levels"] if lv["id"] in levels],
        "locations": locations,
        "location": options.location,
        "salary": _band_dict(overall),
        "salary_rows": [] if options.no_salary else rows,
        "no_salary": options.no_salary,
        "as_of": role.salary.as_of if role.salary else None,
        "contract_type": contract,
        "date_posted": posted,
        "valid_through": options.valid_through or posted + dt.timedelta(days=DEFAULT_AD_DAYS),
        "apply_url": options.apply_url or (company.apply_url if company else None),
        "apply_email": company.apply_email if company else None,
        "skills": [{"name": c.name, "by_level": [{"level": role.level(lv).name, "text": c.expectations[lv]}
                                                 for lv in levels]} for c in role.competencies],
    }


def kit_options_in(primary: Role, version: Role, options: KitOptions) -> KitOptions:
    """A kit's options named in the primary language (--level Confirmé, --competency Pilotage des
    flux), as the version of the role in the document's language names them."""
    level = choose_level(primary, options.level)
    names = [c.name for c in primary.competencies]
    chosen = [choose(name, names, "'--competency'", "competency", names, "competencies")
              for name in options.competencies]
    translated = [c.name for c in version.competencies]
    stage = choose_stage(primary, options.stage) if options.stage else None
    return dataclasses.replace(options, level=level, stage=stage,
                               competencies=tuple(translated[names.index(c)] for c in chosen))


def kit_context(role: Role, options: KitOptions) -> tuple[dict, list[str]]:
    """The interview kit for one target level, and the warnings the CLI should print."""
    level = choose_level(role, options.level)
    names = [c.name for c in role.competencies]
    stage = role.stage(choose_stage(role, options.stage)) if options.stage else None
    chosen = [choose(name, names, "'--competency'", "competency", names, "competencies")
              for name in options.competencies] or ([c.name for c in role.stage_competencies(stage)] if stage
                                                    else names)
    index = role.level_index(level)
    lower = role.levels[index - 1] if index > 0 else None
    upper = role.levels[index + 1] if index + 1 < len(role.levels) else None
    groups, warnings, number = [], [], 0
    for competency in [c for c in role.competencies if c.name in chosen]:
        questions = [q for q in role.interview.questions if q.competency == competency.name]
        if not questions:
            warnings.append(tr("no question covers %(competency)r", competency=competency.name))
        group, number = _group(competency.name, questions, number)
        group["anchors"] = {
            "target": competency.expectations[level],
            "lower": competency.expectations[lower.id] if lower else None,
            "upper": competency.expectations[upper.id] if upper else None,
        }
        groups.append(group)
    general = [q for q in role.interview.questions if q.competency is None]
    first_stage = not stage or stage is role.interview.stages[0]  # general questions open the first interview
    if general and not options.competencies and first_stage:
        group, number = _group(None, general, number)
        groups.append(group)
    for group in groups:
        group["id"] = next((c.id for c in role.competencies if c.name == group["competency"]), None)
    case = _case(role) if not stage or stage.case_study else None
    minutes = sum(q["minutes"] for g in groups for q in g["questions"]) + (case["minutes"] if case else 0)
    if stage and stage.minutes:
        minutes = stage.minutes
    return {
        "level": _level(role, level),
        "lower": _level(role, lower.id) if lower else None,
        "upper": _level(role, upper.id) if upper else None,
        "candidate": options.candidate,
        "interviewers": list(options.interviewers),
        "date": options.date,
        "duration_minutes": minutes,
        "groups": groups,
        "case_study": case,
        "scored": [g for g in groups if g["competency"]],
        "appendix": options.appendix,
        "matrix_levels": role_context(role)["levels"],
        "stage": {"id": stage.id, "name": stage.name, "minutes": stage.minutes} if stage else None,
        "fillable": options.fillable,
    }, warnings


def _level(role: Role, level_id: str) -> dict:
    level = role.level(level_id)
    return {"id": level.id, "name": level.name, "experience": level.experience, "flsa": level.flsa}


def _group(name: str | None, questions: list, number: int) -> tuple[dict, int]:
    items = []
    for question in questions:
        number += 1
        items.append({"number": number, "text": question.text, "look_for": list(question.look_for),
                      "follow_ups": list(question.follow_ups),
                      "minutes": question.minutes or DEFAULT_QUESTION_MINUTES})
    return {"competency": name, "questions": items}, number


def _case(role: Role) -> dict | None:
    case = role.interview.case_study
    if case is None:
        return None
    return {"title": case.title, "scenario": case.scenario, "task": case.task,
            "minutes": case.duration_minutes or DEFAULT_CASE_MINUTES, "look_for": list(case.look_for)}


def offer_context(role: Role, company: Company | None, options: OfferOptions) -> dict:
    """The offer letter: who, what, where, when, how much, and the answer deadline."""
    from kitgen.documents.pay import monthly

    period = role.salary.period if role.salary else "year"
    currency = role.salary.currency if role.salary else "EUR"
    return {
        "kind": options.kind,
        "candidate": {"name": options.candidate, "address_lines": _lines(options.address),
                      "email": options.email, "civility": options.civility,
                      "family_name": options.candidate.split()[-1] if options.candidate.split() else ""},
        "level": _level(role, options.level),
        "location": options.location,
        "salary": options.salary,
        "variable": options.variable,
        "total": options.salary + options.variable if options.variable else None,
        "monthly": monthly(options.salary, period) if period == "year" else None,
        "currency": currency,
        "period": period,
        "band": _band_dict(options.band),
        "start_date": options.start_date,
        "end_date": options.end_date,
        "cdd_reason": options.cdd_reason,
        "cdd_trial": list(options.cdd_trial) if options.cdd_trial else None,  # [count, unit]: |duration
        "min_duration": list(options.min_duration) if options.min_duration else None,  # [count, unit]: |duration
        "contract": options.contract,
        "trial_period": options.trial_period,  # resolved by kitgen.documents.offer (the company's default: CDI only)
        "country": options.country,
        "legal": options.legal,
        "trial_months": options.trial_months,
        "trial_renewable": options.trial_renewable,
        **_french_terms(role.level(options.level)),
        "issued": options.issued,
        "respond_by": options.respond_by,
        "place": (company.city if company else None) or options.location,
    }


def _french_terms(level) -> dict:
    """What a French letter states of the level: category, classification, working time."""
    time = level.working_time
    return {"category": level.category, "classification": level.classification,
            "working_time": {"kind": time.kind, "weekly_hours": time.weekly_hours,
                             "days_per_year": time.days_per_year} if time else None}


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").replace("\\n", "\n").splitlines() if line.strip()]

