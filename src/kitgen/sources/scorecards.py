"""Interviewers' scorecards: a YAML file or a filled kit PDF, read and checked against the role.

`read_scorecards` reads every sheet, checks each against the role, level and candidate of the
debrief, and raises one `DataError` with every problem of every sheet: `sheet.yaml:7:3:
ratings.vision: expected 1, 2, 3, 4 or na, got 5` for a YAML sheet, `kit.pdf: rating:vision:
message` for a PDF (a form field has no line). A PDF is read through its AcroForm (the field names
of a fillable kit: docs/debrief.md); one without the `kitgen:role` field is not a kitgen kit.
`ScorecardFile` is the YAML sheet as a model: the reader's keys, and `kitgen schema scorecard`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from kitgen.errors import DataError, Problem
from kitgen.i18n import N_, tr
from kitgen.sources import yamlsafe
from kitgen.sources.model import Role, describe
from kitgen.sources.values import DATE_RE, folded, level_spellings, match, parse_date, unknown, unknown_key

RECOMMENDATIONS = ("definitely-not", "no", "yes", "strong-yes")
RATINGS = ("1", "2", "3", "4", "na")
NOTES_FIELD = re.compile(r"notes:(\d+)")

# What `_rating` and `_recommendation` take, in JSON Schema: 1-4 as numbers or text, na as text;
# a recommendation's words, or the booleans a YAML 1.1 tool writes for yes and no.
_SCORES = [1, 2, 3, 4]
Rating = Annotated[int | str, WithJsonSchema({"anyOf": [{"type": "integer", "enum": _SCORES},
                                                        {"type": "string", "enum": list(RATINGS)}]})]
CaseRating = Annotated[int | str, WithJsonSchema({"anyOf": [{"type": "integer", "enum": _SCORES},
                                                            {"type": "string", "enum": list(RATINGS[:4])}]})]
Recommendation = Annotated[str | bool, WithJsonSchema({"anyOf": [{"type": "string", "enum": list(RECOMMENDATIONS)},
                                                                 {"type": "boolean"}]})]
Said = Annotated[str, Field(pattern=r"\S")]  # a required text: not empty, not blanks only


class ScorecardFile(BaseModel):
    """A YAML scorecard as `_read_yaml` accepts it. The reader checks each key itself (its messages
    name the competency, the level, the stage); it takes its keys and required keys from here, and
    the model is the source of `kitgen schema scorecard`."""

    model_config = ConfigDict(extra="forbid")

    role: Said
    level: Said
    candidate: Said
    interviewer: Said
    stage: str | None = None
    date: Annotated[str, Field(pattern=f"^\\s*{DATE_RE.pattern}\\s*$")] | None = None
    ratings: dict[str, Rating] | None = None
    case_study: CaseRating | None = None
    recommendation: Recommendation | None = None
    notes: str | None = None
    question_notes: Annotated[dict[str, str], WithJsonSchema({
        "type": "object", "propertyNames": {"pattern": "^[0-9]+$"}, "additionalProperties": {"type": "string"}})] \
        | None = None


YAML_FIELDS = tuple(ScorecardFile.model_fields)
REQUIRED = tuple(name for name, info in ScorecardFile.model_fields.items() if info.is_required())
# A required key a sheet lacks (a YAML sheet's, a kit PDF's field): one whole sentence each, translated
# where it is said.
_MISSING = {"role": N_("missing: the sheet must say its role"), "level": N_("missing: the sheet must say its level"),
            "candidate": N_("missing: the sheet must say its candidate"),
            "interviewer": N_("missing: the sheet must say its interviewer")}
_EMPTY = {"candidate": N_("empty: the sheet must say its candidate"),
          "interviewer": N_("empty: the sheet must say its interviewer")}


@dataclass
class Scorecard:
    """One interviewer's sheet, validated: ratings by competency id (None: not assessed)."""

    source: str  # the sheet as the user names it (problems, the document's list of sheets)
    interviewer: str
    candidate: str
    role: str
    level: str
    stage: str | None = None
    date: dt.date | None = None
    ratings: dict[str, int | None] = field(default_factory=dict)
    case_study: int | None = None
    recommendation: str | None = None
    notes: str = ""
    question_notes: dict[int, str] = field(default_factory=dict)


@dataclass
class _Sheet:
    """A sheet being read: its values, and a function giving the Problem of a field."""

    card: Scorecard
    problem: object  # (field name, message) -> Problem
    problems: list[Problem] = field(default_factory=list)

    def add(self, name: str, message: str) -> None:
        self.problems.append(self.problem(name, message))


def read_scorecards(paths: list[Path], labels: list[str], role: Role, level: str, candidate: str) -> list[Scorecard]:
    """Every sheet, checked against the debrief's role, level (id) and candidate; DataError with
    every problem of every sheet otherwise."""
    sheets = [_read(path, label, role) for path, label in zip(paths, labels)]
    seen: dict[str, str] = {}
    for sheet in sheets:
        card = sheet.card
        if card.role and card.role != role.id:
            sheet.add("role", tr("a sheet for role %(given)r, not %(expected)r", given=card.role, expected=role.id))
        elif card.level and card.level != level:
            sheet.add("level", tr("a sheet for level %(given)r, not %(expected)r", given=card.level, expected=level))
        if card.candidate and folded(card.candidate) != folded(candidate):
            sheet.add("candidate", tr("a sheet for candidate %(given)r, not %(expected)r", given=card.candidate,
                                      expected=candidate))
        if card.interviewer:
            first = seen.setdefault(folded(card.interviewer), card.source)
            if first != card.source:
                sheet.add("interviewer", tr("%(interviewer)r already gave the sheet %(sheet)s: one sheet per "
                                            "interviewer", interviewer=card.interviewer, sheet=first))
    problems = [p for sheet in sheets for p in sheet.problems if p is not None]
    if problems:
        raise DataError(problems)
    return [sheet.card for sheet in sheets]


def _read(path: Path, label: str, role: Role) -> _Sheet:
    if path.suffix.lower() == ".pdf":
        return _read_pdf(path, label, role)
    return _read_yaml(path, label, role)


# -- the values of a sheet, whatever its form ----------------------------------------------------

def _competency(role: Role, reference: str) -> str | None:
    """The id a sheet's competency names (its id or its name; case and accents ignored)."""
    return match(reference, {c.id: c.id for c in role.competencies} | {c.name: c.id for c in role.competencies})


def _unknown_competency(role: Role, reference: str) -> str:
    return unknown("competency", reference, [f"{c.name} ({c.id})" for c in role.competencies], "competencies",
                   [name for c in role.competencies for name in (c.name, c.id)])


def _rating(value) -> tuple[int | None, bool]:
    """A rating as given -> (1-4 or None for na, valid)."""
    if isinstance(value, bool):
        return None, False
    text = str(value).strip().lower() if isinstance(value, (int, str)) else ""
    if text in RATINGS:
        return (None if text == "na" else int(text)), True
    return None, False


def _recommendation(value) -> str | None:
    """YAML 1.1 readers make yes/no booleans; kitgen's reader keeps them as text, `true`/`false` too."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return match(str(value), RECOMMENDATIONS) if isinstance(value, str) else None


def _answers(sheet: _Sheet, case_study, recommendation) -> None:
    """The case study's rating and the recommendation, as a YAML sheet or a PDF gives them."""
    if case_study is not None:
        value, ok = _rating(case_study)
        if not ok or value is None:
            sheet.add("case_study", tr("expected 1, 2, 3 or 4, got %(value)s", value=describe(case_study)))
        sheet.card.case_study = value
    if recommendation is not None:
        sheet.card.recommendation = _recommendation(recommendation)
        if sheet.card.recommendation is None:
            sheet.add("recommendation", unknown("recommendation", str(recommendation), RECOMMENDATIONS))


def _check_stage(sheet: _Sheet, role: Role, name: str) -> None:
    stage = sheet.card.stage
    if stage and stage not in [s.id for s in role.interview.stages]:
        sheet.add(name, unknown("stage", stage, [s.id for s in role.interview.stages]))


# -- YAML ---------------------------------------------------------------------------------------

def _read_yaml(path: Path, label: str, role: Role) -> _Sheet:
    try:
        text, problems = yamlsafe.read_text(path, label)
    except OSError as exc:
        text, problems = None, [Problem(label, 0, 0, "", tr("cannot read the file: %(reason)s", reason=exc.strerror))]
    located = None
    if text is not None:
        located, more = yamlsafe.load(text, label)
        problems += more
    if located is None:
        return _Sheet(Scorecard(label, "", "", "", ""), lambda name, message: None, problems)

    def problem(name: str, message: str, key: bool = False) -> Problem:
        path = tuple(name.split(".", 1)) if name else ()
        return Problem(label, *located.where(path, key=key), name, message)

    data = located.data
    sheet = _Sheet(Scorecard(label, "", "", "", ""), problem, problems)
    for key in data:
        if key not in YAML_FIELDS:
            sheet.problems.append(problem(key, unknown_key(key, list(YAML_FIELDS)), key=True))
    for key in REQUIRED:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            sheet.add(key, tr(_MISSING[key]))
        elif not isinstance(value, str):
            sheet.add(key, tr("expected a text, got %(value)s", value=describe(value)))
    card = sheet.card
    card.role, card.candidate, card.interviewer = (_text(data.get(k)) for k in ("role", "candidate", "interviewer"))
    card.level = _yaml_level(sheet, role, _text(data.get("level")))
    card.stage = _text(data.get("stage")) or None
    _check_stage(sheet, role, "stage")
    card.date = _yaml_date(sheet, data.get("date"))
    _yaml_ratings(sheet, role, data.get("ratings"))
    _answers(sheet, data.get("case_study"), data.get("recommendation"))
    card.notes = _text(data.get("notes"))
    _yaml_question_notes(sheet, data.get("question_notes"))
    return sheet


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _yaml_level(sheet: _Sheet, role: Role, value: str) -> str:
    """The level's id (a sheet may name it by id or by name); an unknown level is said as such."""
    if not value:
        return ""
    found = match(value, level_spellings(role))
    if found is None:
        sheet.add("level", unknown("level", value, role.level_ids, accepted=level_spellings(role)))
    return found or ""


def _yaml_date(sheet: _Sheet, value) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_date(str(value))
    except ValueError as exc:
        sheet.add("date", str(exc))
        return None


def _yaml_ratings(sheet: _Sheet, role: Role, ratings) -> None:
    if ratings is None:
        return
    if not isinstance(ratings, dict):
        sheet.add("ratings", tr("expected a mapping competency: rating, got %(value)s", value=describe(ratings)))
        return
    for reference, value in ratings.items():
        _set_rating(sheet, role, reference, value, f"ratings.{reference}")


def _set_rating(sheet: _Sheet, role: Role, reference: str, value, name: str) -> None:
    competency = _competency(role, reference)
    if competency is None:
        sheet.add(name, _unknown_competency(role, reference))
        return
    rating, ok = _rating(value)
    if not ok:
        sheet.add(name, tr("expected 1, 2, 3, 4 or na, got %(value)s", value=describe(value)))
    elif competency in sheet.card.ratings:
        sheet.add(name, tr("this competency is rated twice (by its name and by its id)"))
    else:
        sheet.card.ratings[competency] = rating


def _yaml_question_notes(sheet: _Sheet, notes) -> None:
    if notes is None:
        return
    if not isinstance(notes, dict):
        sheet.add("question_notes", tr("expected a mapping question number: text, got %(value)s",
                                       value=describe(notes)))
        return
    for number, text in notes.items():
        if not str(number).isdigit() or not isinstance(text, str):
            sheet.add(f"question_notes.{number}", tr("expected a question number and a text"))
        elif text.strip():
            sheet.card.question_notes[int(number)] = text.strip()


# -- a filled kit PDF ---------------------------------------------------------------------------

INFO_KEYS = {"/KitgenRole": "kitgen:role", "/KitgenLevel": "kitgen:level", "/KitgenStage": "kitgen:stage",
             "/KitgenCandidate": "candidate", "/KitgenInterviewer": "interviewer"}


def pdf_fields(path: Path) -> dict[str, str | None]:
    """{field name: value} of a PDF's AcroForm: a text field's text, a radio group's chosen option
    (None when no button is on). Walks /Root/AcroForm/Fields itself: WeasyPrint names the buttons
    of a group too, and a viewer may set the group's /V, the chosen button's /AS, or both."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings on a damaged file: the problem says it
    reader = PdfReader(str(path))
    form = reader.trailer["/Root"].get("/AcroForm")
    out: dict[str, str | None] = {}
    # What the kit is for, in the document information kitgen writes (docs/interview-kits.md); the
    # fields, when a kit has them, come after and win: a candidate typed in beats an empty print.
    info = reader.metadata or {}
    for key, name in INFO_KEYS.items():
        if str(info.get(key) or "").strip():
            out[name] = str(info[key])
    for ref in (form.get_object().get("/Fields", []) if form is not None else []):
        item = ref.get_object()
        if "/Parent" in item or "/T" not in item:  # a button of a group: read with its group
            continue
        name = str(item["/T"])
        if item.get("/FT") == "/Btn" and "/Kids" in item:
            out[name] = _radio_value(item)
        else:
            value = item.get("/V")
            if value is not None and str(value).strip() or name not in out:
                out[name] = str(value) if value is not None else ""
    return out


def _radio_value(group) -> str | None:
    options = [str(option) for option in group.get("/Opt", [])]
    state = str(group.get("/V") or "/Off")
    if state == "/Off":
        state = next((str(kid.get_object().get("/AS")) for kid in group["/Kids"]
                      if str(kid.get_object().get("/AS") or "/Off") != "/Off"), "/Off")
    if state == "/Off":
        return None
    name = state[1:]
    if name.isdigit() and int(name) < len(options):
        return options[int(name)]
    return name  # a viewer that names the state after its option ("/3", "/na" when no /Opt)


def _read_pdf(path: Path, label: str, role: Role) -> _Sheet:
    sheet = _Sheet(Scorecard(label, "", "", "", ""), lambda name, message: Problem(label, 0, 0, name, message))
    try:
        fields = pdf_fields(path)
    except Exception as exc:  # pypdf raises many kinds for a damaged or foreign file
        sheet.add("", tr("not a PDF kitgen can read, damaged or not a PDF (%(error)s: %(reason)s): give the kit "
                         "PDF as the viewer saved it, or a YAML sheet", error=type(exc).__name__, reason=exc))
        return sheet
    if not fields.get("kitgen:role"):
        sheet.add("kitgen:role", tr("not a kitgen interview kit (no kitgen:role field): give the kit PDF kitgen "
                                    "made, filled in, or a YAML sheet"))
        return sheet
    card = sheet.card
    card.role, card.level = fields["kitgen:role"].strip(), (fields.get("kitgen:level") or "").strip()
    card.stage = (fields.get("kitgen:stage") or "").strip() or None
    _check_stage(sheet, role, "kitgen:stage")
    for name in ("interviewer", "candidate"):
        setattr(card, name, (fields.get(name) or "").strip())
        if not getattr(card, name):
            sheet.add(name, tr(_EMPTY[name]))
    if (fields.get("date") or "").strip():
        try:
            card.date = parse_date(fields["date"])
        except ValueError as exc:
            sheet.add("date", str(exc))
    _pdf_answers(sheet, role, fields)
    return sheet


def _pdf_answers(sheet: _Sheet, role: Role, fields: dict[str, str | None]) -> None:
    card = sheet.card
    for name, value in fields.items():
        if name.startswith("rating:") and value is not None:
            _set_rating(sheet, role, name.split(":", 1)[1], value, name)
        elif NOTES_FIELD.fullmatch(name) and (value or "").strip():
            card.question_notes[int(name.split(":")[1])] = value.strip()
    _answers(sheet, fields.get("case_study"), fields.get("recommendation"))
    card.notes = (fields.get("notes") or "").strip()
