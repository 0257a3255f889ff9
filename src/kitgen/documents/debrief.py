"""The debrief: every interviewer's scorecard of one candidate merged into one document.

`figures` computes what the debrief says (per competency: each rating, the mean, a spread flag;
the weighted total; the case study; the recommendation tally) as plain JSON-ready values, the
`-f json` export; `debrief_context` adds what the template shows (labels in the document's
language, locale-formatted means, each interviewer's marker in the chart);
`kitgen.documents.render.render_debrief` makes the `Rendered` page.
"""

from __future__ import annotations

from dataclasses import dataclass

from kitgen.documents import context as ctx
from kitgen.sources.languages import locale as babel_locale
from kitgen.sources.model import Role
from kitgen.sources.scorecards import RECOMMENDATIONS, Scorecard

SPREAD = 2  # two ratings of one competency this far apart: the interviewers should talk it over
# Chart markers: a shape per interviewer (readable in greyscale), hollow from the fifth on.
SHAPES = ("circle", "square", "triangle", "diamond")


@dataclass(frozen=True)
class DebriefOptions:
    level: str  # the level's id
    candidate: str
    sheets: tuple[Scorecard, ...]


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value + 0.0, 2)


def figures(role: Role, options: DebriefOptions) -> dict:
    """The debrief's numbers (the JSON export): means rounded to 2 decimals; the weighted total is
    sum(weight × mean) / sum(weight) over the competencies someone rated, with the exact means."""
    names = [card.interviewer for card in options.sheets]
    competencies, weighted, weights = [], 0.0, 0.0
    for comp in role.competencies:
        ratings = {card.interviewer: card.ratings.get(comp.id) for card in options.sheets}
        given = [value for value in ratings.values() if value is not None]
        mean = _mean(given)
        if mean is not None:
            weighted, weights = weighted + comp.weight * mean, weights + comp.weight
        competencies.append({"id": comp.id, "name": comp.name, "weight": comp.weight, "ratings": ratings,
                             "mean": _rounded(mean), "spread": bool(given) and max(given) - min(given) >= SPREAD})
    case = {card.interviewer: card.case_study for card in options.sheets}
    tally = {choice: sum(card.recommendation == choice for card in options.sheets) for choice in RECOMMENDATIONS}
    return {
        "role": role.id, "level": options.level, "candidate": options.candidate, "interviewers": names,
        "competencies": competencies,
        "unassessed": [c["id"] for c in competencies if c["mean"] is None],
        "weighted_total": _rounded(weighted / weights) if weights else None,
        "case_study": {"ratings": case, "mean": _rounded(_mean([v for v in case.values() if v is not None]))},
        "tally": tally,
    }


def _two_decimals(value: float | None, lang: str) -> str | None:
    from babel.numbers import format_decimal

    return None if value is None else format_decimal(value, format="0.00", locale=babel_locale(lang))


def _questions(role: Role, level: str, stage: str | None) -> dict[int, str]:
    """The questions of the kit a sheet was filled on, by their number in that kit (a stage kit
    numbers its own questions): `notes:3` of a stage kit is that kit's question 3."""
    kit, _ = ctx.kit_context(role, ctx.KitOptions(level=level, stage=stage))
    return {q["number"]: q["text"] for group in kit["groups"] for q in group["questions"]}


def _interviewer(index: int, card: Scorecard, role: Role, level: str) -> dict:
    stage = next((s for s in role.interview.stages if s.id == card.stage), None)
    questions = _questions(role, level, stage.id if stage else None) if card.question_notes else {}
    return {
        "name": card.interviewer, "number": index + 1, "shape": SHAPES[index % len(SHAPES)],
        "filled": index < len(SHAPES), "source": card.source, "stage": stage.name if stage else None,
        "date": card.date, "recommendation": card.recommendation, "case_study": card.case_study,
        "notes": card.notes,
        "question_notes": [{"number": n, "text": text, "question": questions.get(n)}
                           for n, text in sorted(card.question_notes.items())],
    }


def debrief_context(role: Role, options: DebriefOptions, lang: str) -> dict:
    """What debrief.html.j2 sees (docs/templates.md); `figures` is the JSON export as computed."""
    data = figures(role, options)
    level = role.level(options.level)
    competencies = [{**{k: comp[k] for k in ("id", "name", "weight", "mean", "spread")},
                     "ratings": [{"interviewer": name, "value": value} for name, value in comp["ratings"].items()],
                     "mean_text": _two_decimals(comp["mean"], lang)} for comp in data["competencies"]]
    case = data["case_study"]
    rated_case = any(value is not None for value in case["ratings"].values())
    return {
        "candidate": options.candidate,
        "level": {"id": level.id, "name": level.name},
        "interviewers": [_interviewer(i, card, role, options.level) for i, card in enumerate(options.sheets)],
        "competencies": competencies,
        "unassessed": [comp["name"] for comp in competencies if comp["mean"] is None],
        "weighted_total": data["weighted_total"],
        "weighted_total_text": _two_decimals(data["weighted_total"], lang),
        "case_study": {"ratings": [{"interviewer": n, "value": v} for n, v in case["ratings"].items()],
                       "mean": case["mean"], "mean_text": _two_decimals(case["mean"], lang)}
        if rated_case or role.interview.case_study else None,
        "tally": [{"id": choice, "count": count} for choice, count in data["tally"].items()],
        "figures": data,
    }
