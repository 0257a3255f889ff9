"""The file schemas: role files, the company file (pydantic, unknown keys forbidden).

Shape and types are checked here; rules that relate fields to each other (expectations per level,
bands per known location...) live in `kitgen.checks` so that every problem is reported at once.
"""

from __future__ import annotations

import copy
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, WithJsonSchema, model_validator

from kitgen.i18n import tr, tr_n
from kitgen.sources.languages import LANGUAGES

SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
# Characters a Word document cannot hold (python-docx raises on them); tab, LF and CR are fine.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _slug(value: Any) -> Any:
    if isinstance(value, str) and not SLUG_RE.fullmatch(value):
        raise ValueError(tr("%(value)r is not a safe id: use lowercase letters, digits and hyphens, starting with "
                            "a letter or digit, at most 64 characters", value=value))
    return value


def _amount(value: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(tr("expected a number, got %(value)s", value=_not_a_number(value)))
    if value <= 0:
        raise ValueError(tr("an amount must be greater than 0, got %(value)s", value=format(value, "g")))
    return value


def _band(value: Any) -> Any:
    """A band is a point amount (a market reference) or an explicit [min, max]."""
    if isinstance(value, list):
        if len(value) != 2:
            raise ValueError(tr_n("a range is [min, max], got %(count)d values",
                                  "a range is [min, max], got %(count)d values", len(value)))
        low, high = (_amount(v) for v in value)
        if low > high:
            raise ValueError(tr("min %(low)s is greater than max %(high)s", low=format(low, "g"), high=format(high, "g")))
        return (low, high)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(tr("expected a number or [min, max], got %(value)s", value=_not_a_number(value)))
    return _amount(value)


# A number YAML would read as one without its quotes: 62000, 62_000, 62000.50.
NUMBER_TEXT_RE = re.compile(r"[0-9][0-9_]*(?:\.[0-9]+)?")


def _not_a_number(value: Any) -> str:
    """How a wrong amount is named: a quoted number says what to do (`"62000"` in the file)."""
    if isinstance(value, str) and NUMBER_TEXT_RE.fullmatch(value.strip()):
        return tr('the text "%(value)s": remove the quotes to make it a number', value=value)
    return describe(value)


def describe(value: Any) -> str:
    """How a wrong value is named in a message: quoted text, a number, or its kind."""
    if value is None:
        return tr("nothing (an empty value)")
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, list):
        return tr("a list")
    if isinstance(value, dict):
        return tr("a mapping")
    return type(value).__name__


# What the validators above accept, said in JSON Schema for the schemas of `kitgen schema` (the
# validators' own code is not introspectable).
_AMOUNT_SCHEMA = {"type": "number", "exclusiveMinimum": 0}
Slug = Annotated[str, BeforeValidator(_slug), WithJsonSchema({"type": "string", "pattern": f"^{SLUG_RE.pattern}$"})]
Amount = Annotated[float, BeforeValidator(_amount), WithJsonSchema(_AMOUNT_SCHEMA)]
Band = Annotated[Any, BeforeValidator(_band), WithJsonSchema(
    {"anyOf": [_AMOUNT_SCHEMA, {"type": "array", "items": _AMOUNT_SCHEMA, "minItems": 2, "maxItems": 2}]})]
Text = Annotated[str, Field(min_length=1)]


class Translatable:
    """Marks a text that a file may give in several languages, `{fr: ..., en: ...}`: each
    language's version of the file holds one of them (`kitgen.sources.texts`). `neutral`: a plain
    value serves every language (a code such as `CDI`, which the templates translate)."""

    def __init__(self, neutral: bool | tuple[str, ...] = False):
        self.neutral = neutral  # True, or the plain values that serve every language

    def __repr__(self) -> str:
        return f"Translatable(neutral={self.neutral})"

    def __get_pydantic_json_schema__(self, core_schema, handler) -> dict:
        """How the file may give it: the plain text, or one text per language (the JSON Schema of
        `kitgen schema`; which languages a file must give is `kitgen validate`'s to check)."""
        text = handler(core_schema)
        codes = [{"enum": list(self.neutral)}] if isinstance(self.neutral, tuple) else []
        return {"anyOf": [*codes, text, copy.deepcopy(TRANSLATIONS_SCHEMA)]}


# A text given in several languages, in JSON Schema: one non-blank text per known language code.
TRANSLATIONS_SCHEMA = {"type": "object", "propertyNames": {"enum": list(LANGUAGES)}, "minProperties": 1,
                       "additionalProperties": {"type": "string", "pattern": r"\S"}}


TRANSLATABLE = Translatable()
NEUTRAL = Translatable(neutral=True)
CONTRACT_CODES = ("CDI", "CDD")
Prose = Annotated[str, Field(min_length=1), TRANSLATABLE]  # a text shown to readers, in each language
OptionalProse = Annotated[str, TRANSLATABLE]
Label = Annotated[str, Translatable(neutral=CONTRACT_CODES)]  # a code (CDI) serves every language, a text does not
Place = Annotated[str, Field(min_length=1), NEUTRAL]  # a place name: plain, the same in every language


class Versions(BaseModel):
    """What a role or a company file holds in each of its languages: one version per language,
    the same in everything but the texts. `in_language` picks one."""

    _versions: dict = PrivateAttr(default_factory=dict)
    _missing: dict = PrivateAttr(default_factory=dict)  # the company file: {lang: problems of its texts}
    _placeholders: list = PrivateAttr(default_factory=list)  # a role: texts still to write (sources.placeholders)

    def in_language(self, lang: str):
        """The version in `lang`, or None when the file does not give its texts in `lang`."""
        if self._missing.get(lang):
            return None
        if not self._versions:  # made in one language (a test, a starter file): that one only
            return self if lang == getattr(self, "lang", lang) else None
        return self._versions.get(lang)

    def missing(self, lang: str) -> list:
        """Why there is no version in `lang`: the problems of the texts that lack it."""
        return list(self._missing.get(lang, []))

    def __eq__(self, other) -> bool:  # the fields only: the versions refer to one another
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def with_versions(self, versions: dict):
        for version in versions.values():
            version._versions = versions
        return self


class Strict(Versions):
    model_config = ConfigDict(extra="forbid", frozen=True)


Category = Literal["ouvrier", "employe", "technicien", "agent-de-maitrise", "cadre"]
# Code du travail L.1221-19: the initial trial period's legal cap, in months, by category; renewal
# included, twice that (L.1221-21: 4, 6, 8 months).
TRIAL_CAP_MONTHS = {"ouvrier": 2, "employe": 2, "technicien": 3, "agent-de-maitrise": 3, "cadre": 4}


class WorkingTime(Strict):
    """`{kind: hours, weekly_hours: 35}` or `{kind: days, days_per_year: 218}` (a forfait in days)."""

    kind: Literal["hours", "days"]
    weekly_hours: Annotated[float, Field(gt=0, le=48)] | None = None
    days_per_year: Annotated[int, Field(gt=0, le=235)] | None = None


class Level(Strict):
    id: Slug
    name: Prose
    experience: OptionalProse | None = None
    flsa: Literal["exempt", "non-exempt"] | None = None  # US letters: the level's FLSA classification
    # French letters: the collective agreement's category and classification of the level, its
    # minimum salary (the user's figure, per the salary's period) and the working time.
    category: Category | None = None
    classification: Annotated[str, NEUTRAL] | None = None  # the agreement's wording: plain, it serves every language
    minimum_salary: Amount | None = None
    working_time: WorkingTime | None = None


class Competency(Strict):
    # `id`: how stages, scorecards and kit PDF fields name it; default: the slug of the primary
    # language's name (set by Role, the same in every language's version).
    id: Slug | None = None
    name: Prose
    weight: Annotated[float, Field(gt=0, le=100)] = 1  # in the debrief's weighted total
    expectations: dict[str, Prose]


class Question(Strict):
    text: Prose
    competency: str | None = None  # a competency's name in the primary language
    look_for: list[Prose] = []
    follow_ups: list[Prose] = []
    minutes: Annotated[int, Field(gt=0, le=240)] | None = None


class CaseStudy(Strict):
    title: Prose
    scenario: Prose
    task: Prose
    duration_minutes: Annotated[int, Field(gt=0, le=480)] | None = None
    look_for: list[Prose] = []


class Stage(Strict):
    """One interview of the plan: who covers which competencies (names or ids), and for how long."""

    id: Slug
    name: Prose
    minutes: Annotated[int, Field(gt=0, le=480)] | None = None
    competencies: list[str] = []  # names (primary language) or ids
    case_study: bool = False


class Interview(Strict):
    questions: Annotated[list[Question], Field(min_length=1)]
    case_study: CaseStudy | None = None
    stages: list[Stage] = []


Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class Location(Strict):
    """A place of work in another country than the company's: `{name: Austin, country: US}`."""

    name: Place
    country: Country


class Salary(Strict):
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    period: Literal["year", "month", "hour"] = "year"
    as_of: Annotated[int, Field(ge=1990, le=2100)] | None = None
    # A name (in the company's country) or {name, country}; `bands` name them in the primary language.
    locations: Annotated[list[Place | Location], Field(min_length=1)]
    bands: dict[str, dict[str, Band]] = {}


class Requirements(Strict):
    education: OptionalProse | None = None
    experience: OptionalProse | None = None


class Role(Strict):
    id: Slug
    lang: Literal[LANGUAGES]  # in the file: the primary language; in a version: the version's language
    languages: list[Literal[LANGUAGES]] = []  # every language of the file, the primary first
    title: Prose
    title_feminine: OptionalProse | None = None
    title_neutral: OptionalProse | None = None
    also_known_as: list[Prose] = []
    summary: Prose
    missions: Annotated[list[Prose], Field(min_length=1)]
    levels: Annotated[list[Level], Field(min_length=1)]
    competencies: Annotated[list[Competency], Field(min_length=1)]
    qualities: list[Prose] = []
    interview: Interview
    salary: Salary | None = None
    career_paths: list[Prose] = []
    requirements: Requirements | None = None
    contract_type: Label | None = None

    @model_validator(mode="before")
    @classmethod
    def _competency_ids(cls, data: Any) -> Any:
        """A competency without `id` gets the slug of its name. The loader gives every language's
        version the primary version's ids first (loading._same_references), so they agree."""
        from kitgen.sources.values import slugify

        competencies = data.get("competencies") if isinstance(data, dict) else None
        if not isinstance(competencies, list):
            return data
        filled = [{**c, "id": slugify(c["name"])} if isinstance(c, dict) and c.get("id") is None
                  and isinstance(c.get("name"), str) else c for c in competencies]
        return {**data, "competencies": filled}

    @property
    def primary(self) -> str:
        return self.languages[0] if self.languages else self.lang

    def competency(self, reference: str) -> Competency | None:
        """The competency a stage, a scorecard or a kit names, by id or by name."""
        return next((c for c in self.competencies if reference in (c.id, c.name)), None)

    def stage(self, stage_id: str) -> Stage:
        return next(stage for stage in self.interview.stages if stage.id == stage_id)

    def stage_competencies(self, stage: Stage) -> list[Competency]:
        """A stage's competencies, in the role's order."""
        named = {id(c) for c in map(self.competency, stage.competencies) if c is not None}
        return [c for c in self.competencies if id(c) in named]

    def level(self, level_id: str) -> Level:
        return next(level for level in self.levels if level.id == level_id)

    def level_index(self, level_id: str) -> int:
        return [level.id for level in self.levels].index(level_id)

    @property
    def level_ids(self) -> list[str]:
        return [level.id for level in self.levels]

    @property
    def locations(self) -> list[str]:
        return [place if isinstance(place, str) else place.name for place in self.salary.locations] \
            if self.salary else []

    def country_of(self, location: str) -> str | None:
        """The country a location names (None: the company's)."""
        for place in self.salary.locations if self.salary else []:
            if not isinstance(place, str) and place.name == location:
                return place.country
        return None

    def display_title(self) -> str:
        """The title an ad shows: the neutral form, else both forms, else the title as written."""
        if self.title_neutral:
            return self.title_neutral
        if self.title_feminine and self.title_feminine.casefold() not in self.title.casefold():
            joiner = " ou " if self.lang == "fr" else " or "
            return f"{self.title}{joiner}{self.title_feminine}"
        return self.title


class Signatory(Strict):
    name: Text
    title: Prose


class Brand(Strict):
    color: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")] | None = None
    font: str | None = None
    logo: str | None = None
    # Embed the font in the DOCX: unset, only a font under the SIL Open Font License; true, any
    # font whose own permissions (OS/2 fsType) allow it; false, never (docs/fonts.md).
    embed_font: bool | None = None


class CollectiveAgreement(Strict):
    idcc: Annotated[int, Field(ge=1, le=9999)]
    name: Prose


class Company(Strict):
    name: Text
    legal_name: str | None = None
    address: OptionalProse | None = None
    city: str | None = None
    country: Country = "FR"
    website: str | None = None
    apply_url: str | None = None
    apply_email: str | None = None
    logo: str | None = None
    signatory: Signatory | None = None
    band_spread: Annotated[float, Field(ge=0, lt=1)] = 0.10
    offer_valid_days: Annotated[int, Field(gt=0, le=365)] = 15
    benefits: list[Prose] = []
    contract_type: str = "CDI"
    trial_period: OptionalProse | None = None
    collective_agreement: CollectiveAgreement | None = None
    trial_months: dict[Category, Annotated[int, Field(ge=1, le=8)]] = {}  # the initial trial, by category
    trial_renewable: bool = False
    brand: Brand | None = None
