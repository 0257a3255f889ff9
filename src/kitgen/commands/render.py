"""`kitgen ad`, `kitgen kit` and `kitgen offer`: render one document of one role and write its files.

Each function takes the command's values as plain Python (dates already parsed by
`kitgen.sources.values`), renders through `kitgen.documents.render` and writes through
`kitgen.outputs.produce`; it returns the rendered document and the paths written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from kitgen import formats
from kitgen.commands.inputs import Inputs, recorder
from kitgen.documents.context import AdOptions, KitOptions, canonical_ad_options
from kitgen.documents.rendered import KIT, OFFER, Rendered
from kitgen.errors import OfferError, UsageError
from kitgen.i18n import tr
from kitgen.outputs.folder import DEFAULT_WAIT
from kitgen.outputs.produce import produce
from kitgen.sources import placeholders
from kitgen.sources.project import Project

# Offer values that come from options: a value the role does not have is a usage error (exit 2).
OPTION_FIELDS = {"level": "'--level'", "location": "'--location'", "kind": "'--kind'",
                 "trial_period": "'--trial-period'", "variable": "'--variable'",
                 "cdd_reason": "'--cdd-reason'", "min_duration": "'--min-duration'"}


def _write(project: Project, doc: Rendered, names: list[str], out: Path | None, force: bool, wait: float,
           record) -> list[Path]:
    return produce(doc, names, out or project.output_dir, force=force, project_root=project.root, wait=wait,
                   record=record)


def ad(project: Project, role_ref: str, options: AdOptions, format_values: tuple[str, ...],
       out: Path | None = None, lang: str | None = None, force: bool = False,
       wait: float = DEFAULT_WAIT, allow_draft: bool = False) -> tuple[Rendered, list[Path]]:
    """The job ad; a role with a text still a placeholder is refused unless `allow_draft`."""
    from kitgen.documents.render import render_ad

    names = formats.parse_names(format_values, project.formats)
    path, role = project.find_role(role_ref)
    drafts = placeholders.check(role, allow_draft)
    doc = render_ad(role, project.company, options, project.templates_dir, lang, project.root)
    doc.warnings[:0] = drafts
    if options.no_salary:
        doc.warnings.append(tr("the ad shows no salary range: `kitgen lint --no-salary` reports it as an error "
                               "(pay transparency)"))
    # As rendered: the role's spelling of levels and place, the day it was posted.
    made = dataclasses.replace(canonical_ad_options(role, options), date_posted=doc.context["ad"]["date_posted"])
    return doc, _write(project, doc, names, out, force, wait, recorder(Inputs(project, project.company), path, doc.kind, doc.lang, made))


def kit(project: Project, role_ref: str, options: KitOptions, format_values: tuple[str, ...],
        out: Path | None = None, lang: str | None = None, force: bool = False,
        wait: float = DEFAULT_WAIT) -> tuple[Rendered, list[Path]]:
    from kitgen.documents.render import render_kit

    names = formats.parse_names(format_values, project.formats, allowed=formats.names_for(KIT))
    path, role = project.find_role(role_ref)
    doc = render_kit(role, project.company, options, project.templates_dir, lang, project.root)
    made = dataclasses.replace(options, level=doc.context["kit"]["level"]["id"])
    return doc, _write(project, doc, names, out, force, wait, recorder(Inputs(project, project.company), path, doc.kind, doc.lang, made, made.level))


def letterhead(project: Project, option: Path | None, names: list[str]) -> Path | None:
    """The Word letterhead of offer letters (option, else kitgen.toml), checked before any letter."""
    from kitgen.formats import letterhead as word

    if option is not None and "docx" not in names:
        raise UsageError(tr("--docx-template fills the DOCX letter: add docx to -f/--format"))
    path = word.resolve(option, project)
    if path is None or "docx" not in names:
        return None
    word.check(path)
    return path


def offer_formats(project: Project, format_values: tuple[str, ...]) -> list[str]:
    return formats.parse_names(format_values, project.formats, allowed=formats.names_for(OFFER))


def offer(project: Project, role_ref: str, request, today: dt.date, format_values: tuple[str, ...],
          docx_template: Path | None = None, allow_outside_band: bool = False, allow_past_date: bool = False,
          out: Path | None = None, lang: str | None = None, force: bool = False,
          wait: float = DEFAULT_WAIT, allow_draft: bool = False) -> tuple[Rendered, list[Path]]:
    """One offer letter; `request` is a `kitgen.documents.offer.OfferRequest`. A role with a text
    still a placeholder is refused unless `allow_draft`."""
    from kitgen.documents.offer import prepare_offer, require_company
    from kitgen.documents.render import render_offer

    names = offer_formats(project, format_values)
    template = letterhead(project, docx_template, names)
    path, role = project.find_role(role_ref)
    drafts = placeholders.check(role, allow_draft)
    company = require_company(project)
    request = dataclasses.replace(request, lang=request.lang or lang)  # the letter's language
    try:
        options = prepare_offer(role, company, request, today, allow_outside_band, allow_past_date,
                                project.templates_dir)
    except OfferError as exc:
        if exc.field in OPTION_FIELDS:
            raise UsageError(exc.message, param_hint=OPTION_FIELDS[exc.field]) from None
        raise
    doc = render_offer(role, company, options, project.templates_dir, lang, project.root)
    doc.warnings[:0] = drafts
    doc.docx_template = template
    return doc, _write(project, doc, names, out, force, wait, recorder(Inputs(project, company), path, doc.kind, doc.lang, options, None, template))
