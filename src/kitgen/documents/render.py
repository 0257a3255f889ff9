"""The documents: `render_ad`, `render_kit`, `render_offer` and `render_debrief` turn a role (plus
company and options) into a `Rendered` page, the HTML single source and its metadata. Formats start from there.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kitgen.documents import context as ctx
from kitgen.documents import jobposting, templating
from kitgen.documents.debrief import DebriefOptions, debrief_context
from kitgen.documents.rendered import (
    AD,
    DEBRIEF,
    KIT,
    OFFER,
    TEMPLATES,
    Rendered,
    ad_stem,
    debrief_stem,
    kit_stem,
    language_tag,
    offer_stem,
)
from kitgen.sources.branding import brand_context, logo_path
from kitgen.sources.model import Company, Role


def _base(kind: str, role: Role, company: Company | None, lang: str, title: str, subject: str,
          project_root: Path | None) -> dict:
    # brand.logo (or the older top-level logo) is the one logo: the letterhead's and the header's.
    logo = logo_path(company, project_root) if project_root else None
    brand = brand_context(company, logo)
    return {
        "doc": {"kind": kind, "lang": lang, "title": title, "subject": subject},
        "role": ctx.role_context(role),
        "company": ctx.company_context(company, brand["logo"]["url"] if brand["logo"] else None),
        "brand": brand,
    }, [logo] if logo else []


def _finish(kind: str, role: Role, stem: str, context: dict, lang: str, templates: Path | None,
            roots: list[Path], warnings: list[str] | None = None) -> Rendered:
    html = templating.render(TEMPLATES[kind], context, templates, lang)
    doc = context["doc"]
    return Rendered(kind, role.id, stem, html, lang, doc["title"], doc["subject"], context["company"]["name"],
                    context, warnings or [], context["brand"]["color"], tuple(roots), templates)


def _label(lang: str, text: str, **values) -> str:
    """A fixed label from the catalogs (document titles and subjects)."""
    return templating.translations(lang).gettext(text) % values


def render_ad(role: Role, company: Company | None, options: ctx.AdOptions, templates: Path | None = None,
              lang: str | None = None, project_root: Path | None = None) -> Rendered:
    lang = lang or role.lang
    options = ctx.canonical_ad_options(role, options)  # a location is named in the primary language
    stem = ad_stem(role.id, options.location, options.levels) + language_tag(lang, role.primary)
    primary, place = role, options.location
    role, company, warnings = ctx.localize(role, company, lang)
    options = dataclasses.replace(options, location=ctx.location_in(primary, role, place))
    today = templating.today()
    title = role.display_title()
    subject = _label(lang, "Job ad: %(title)s", title=title)
    context, roots = _base(AD, role, company, lang, title, subject, project_root)
    context["ad"] = ctx.ad_context(role, company, options, today)
    # Two passes: the JobPosting's description is read from the rendered page, then the page is
    # rendered again with the JobPosting in its <head> (a Jinja render costs milliseconds).
    draft = _finish(AD, role, stem, context, lang, templates, roots)
    context["ad"]["posting"] = jobposting.job_posting(draft)
    context["ad"]["jsonld"] = jobposting.script_json(context["ad"]["posting"])
    doc = _finish(AD, role, stem, context, lang, templates, roots, warnings)
    doc.owner = place
    return doc


def render_kit(role: Role, company: Company | None, options: ctx.KitOptions, templates: Path | None = None,
               lang: str | None = None, project_root: Path | None = None) -> Rendered:
    lang = lang or role.lang
    tag = language_tag(lang, role.primary)
    primary = role
    role, company, warnings = ctx.localize(role, company, lang)
    options = ctx.kit_options_in(primary, role, options)
    kit, kit_warnings = ctx.kit_context(role, options)
    warnings += kit_warnings
    title = _label(lang, "Interview kit: %(title)s", title=role.display_title())
    subject = _label(lang, "Structured interview, level %(level)s", level=kit["level"]["name"])
    context, roots = _base(KIT, role, company, lang, title, subject, project_root)
    context["kit"] = kit
    stem = kit_stem(role.id, kit["level"]["id"], options.candidate, options.stage) + tag
    doc = _finish(KIT, role, stem, context, lang, templates, roots, warnings)
    doc.owner = options.candidate
    doc.pdf_forms = options.fillable
    # What a filled kit says it is, for `kitgen debrief` (docs/interview-kits.md): /KitgenRole...
    doc.pdf_info = {"KitgenRole": role.id, "KitgenLevel": kit["level"]["id"], "KitgenStage": options.stage or "",
                    "KitgenCandidate": options.candidate or "",
                    "KitgenInterviewer": options.interviewers[0] if len(options.interviewers) == 1 else ""}
    return doc


def render_offer(role: Role, company: Company | None, options: ctx.OfferOptions, templates: Path | None = None,
                 lang: str | None = None, project_root: Path | None = None, stem: str | None = None) -> Rendered:
    lang = lang or role.lang
    tag = language_tag(lang, role.primary)
    primary = role
    role, company, warnings = ctx.localize(role, company, lang)
    options = dataclasses.replace(options, location=ctx.location_in(primary, role, options.location))
    title = _label(lang, "Offer letter: %(name)s", name=options.candidate)
    subject = _label(lang, "Offer for the position of %(title)s", title=role.display_title())
    context, roots = _base(OFFER, role, company, lang, title, subject, project_root)
    context["offer"] = ctx.offer_context(role, company, options)
    stem = stem or offer_stem(role.id, options.candidate) + tag
    doc = _finish(OFFER, role, stem, context, lang, templates, roots, list(options.warnings) + warnings)
    doc.owner = options.candidate
    return doc


def render_debrief(role: Role, company: Company | None, options: DebriefOptions, templates: Path | None = None,
                   lang: str | None = None, project_root: Path | None = None) -> Rendered:
    lang = lang or role.primary
    tag = language_tag(lang, role.primary)
    role, company, warnings = ctx.localize(role, company, lang)
    title = _label(lang, "Interview debrief: %(title)s", title=role.display_title())
    subject = _label(lang, "Debrief of %(candidate)s, level %(level)s", candidate=options.candidate,
                     level=role.level(options.level).name)
    context, roots = _base(DEBRIEF, role, company, lang, title, subject, project_root)
    context["debrief"] = debrief_context(role, options, lang)
    stem = debrief_stem(role.id, options.level, options.candidate) + tag
    doc = _finish(DEBRIEF, role, stem, context, lang, templates, roots, warnings)
    doc.owner = options.candidate
    return doc
