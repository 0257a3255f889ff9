"""What every document becomes before any format: a `Rendered` page, its kind and its file name.

The one owner of the document kinds (`KINDS`, each with its template) and of the naming rule of
every output file: `<role-id>/job-ad[-<location>][-<level>...]`, `<role-id>/interview-kit-<level>
[-<candidate>]`, `<role-id>/offer-<candidate>`, `<role-id>/debrief-<level>-<candidate>`, names as ASCII slugs (`-2`, `-3`... added by
`OutputFolder.claim` when a name already holds another person's document). `kitgen build` plans
with the same functions the renderers name their documents with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kitgen.sources.values import slugify  # noqa: F401  (the naming rule's slug, owned by sources/values.py)

AD, KIT, OFFER, DEBRIEF = "job-ad", "interview-kit", "offer-letter", "debrief"
KINDS = (AD, KIT, OFFER, DEBRIEF)
TEMPLATES = {kind: f"{kind}.html.j2" for kind in KINDS}


@dataclass
class Rendered:
    """One rendered document: HTML plus what the formats need to name and describe the file."""

    kind: str
    role_id: str
    stem: str  # output path without extension, relative to the output folder
    html: str
    lang: str
    title: str
    subject: str
    author: str
    context: dict
    warnings: list[str] = field(default_factory=list)
    brand_color: str | None = None
    resource_roots: tuple[Path, ...] = ()
    templates: Path | None = None  # the project's templates folder (its CSS overrides the built-in)
    docx_template: Path | None = None  # an offer's Word letterhead: the DOCX is filled from it (letterhead.py)
    owner: str | None = None  # who or what this copy is for (a candidate, a location): two never share a file
    pdf_forms: bool = False  # the PDF holds the page's form fields (a fillable interview kit)
    pdf_info: dict[str, str] = field(default_factory=dict)  # extra keys of the PDF's document information


def language_tag(lang: str | None, primary: str) -> str:
    """What a document in another language than its role's primary one adds to its name, before
    the format's suffix: `.en` (`job-ad.en.pdf`); nothing for the primary language."""
    return "" if lang is None or lang == primary else f".{lang}"


def ad_stem(role_id: str, location: str | None = None, levels: tuple[str, ...] = ()) -> str:
    suffix = f"-{slugify(location)}" if location else ""
    suffix += "".join(f"-{lv}" for lv in levels)
    return f"{role_id}/job-ad{suffix}"


def kit_stem(role_id: str, level: str, candidate: str | None = None, stage: str | None = None) -> str:
    suffix = (f"-{stage}" if stage else "") + (f"-{slugify(candidate)}" if candidate else "")
    return f"{role_id}/interview-kit-{level}{suffix}"


def offer_stem(role_id: str, candidate: str) -> str:
    """`<role>/offer-<slug>`; `OutputFolder.claim` adds -2, -3... when the name is someone else's."""
    return f"{role_id}/offer-{slugify(candidate)}"


def debrief_stem(role_id: str, level: str, candidate: str) -> str:
    """`<role>/debrief-<level>-<slug>`: the interviewers' scorecards of one candidate, merged."""
    return f"{role_id}/debrief-{level}-{slugify(candidate)}"
