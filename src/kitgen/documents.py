"""The three document kinds: which template, which context, which file name.

`render_*` functions turn a role (plus company and options) into a `Rendered` document: the HTML
single source and its metadata. Output formats (PDF, DOCX, HTML, ...) start from there.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kitgen import context as ctx
from kitgen import templating
from kitgen.branding import brand_context, logo_path
from kitgen.model import Company, Role

KINDS = ("job-ad", "interview-kit", "offer-letter")
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


def slugify(text: str, limit: int = 64) -> str:
    """ASCII file-name slug: "Élodie Marchand" -> "elodie-marchand"; never empty, never a path."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")
    return slug or "x"


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
    today = templating.today()
    title = role.display_title()
    subject = _label(lang, "Job ad: %(title)s", title=title)
    context, roots = _base("job-ad", role, company, lang, title, subject, project_root)
    context["ad"] = ctx.ad_context(role, company, options, today)
    suffix = f"-{slugify(options.location)}" if options.location else ""
    suffix += "".join(f"-{lv}" for lv in options.levels)
    stem = f"{role.id}/job-ad{suffix}"
    # Two passes: the JobPosting's description is read from the rendered page, then the page is
    # rendered again with the JobPosting in its <head> (a Jinja render costs milliseconds).
    from kitgen import publish

    draft = _finish("job-ad", role, stem, context, lang, templates, roots)
    context["ad"]["posting"] = publish.job_posting(draft)
    context["ad"]["jsonld"] = publish.script_json(context["ad"]["posting"])
    return _finish("job-ad", role, stem, context, lang, templates, roots)


def render_kit(role: Role, company: Company | None, options: ctx.KitOptions, templates: Path | None = None,
               lang: str | None = None, project_root: Path | None = None) -> Rendered:
    lang = lang or role.lang
    kit, warnings = ctx.kit_context(role, options)
    title = _label(lang, "Interview kit: %(title)s", title=role.display_title())
    subject = _label(lang, "Structured interview, level %(level)s", level=kit["level"]["name"])
    context, roots = _base("interview-kit", role, company, lang, title, subject, project_root)
    context["kit"] = kit
    suffix = f"-{slugify(options.candidate)}" if options.candidate else ""
    stem = f"{role.id}/interview-kit-{options.level}{suffix}"
    return _finish("interview-kit", role, stem, context, lang, templates, roots, warnings)


def render_offer(role: Role, company: Company | None, options: ctx.OfferOptions, templates: Path | None = None,
                 lang: str | None = None, project_root: Path | None = None, stem: str | None = None) -> Rendered:
    lang = lang or role.lang
    title = _label(lang, "Offer letter: %(name)s", name=options.candidate)
    subject = _label(lang, "Offer for the position of %(title)s", title=role.display_title())
    context, roots = _base("offer-letter", role, company, lang, title, subject, project_root)
    context["offer"] = ctx.offer_context(role, company, options)
    stem = stem or f"{role.id}/offer-{slugify(options.candidate)}"
    return _finish("offer-letter", role, stem, context, lang, templates, roots, list(options.warnings))


def parse_date(value: str, option: str) -> dt.date:
    """ISO date for an option; an impossible date (2027-02-31) is a usage error."""
    import click

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a valid date (YYYY-MM-DD)", param_hint=option) from None
