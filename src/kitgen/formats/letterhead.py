"""Offer letters filled into the company's own Word template with docxtpl (the "letterhead").

The template is a .docx in which someone typed placeholders in Word: `{{ candidate.name }}`,
`{% if offer.end_date %}...{% endif %}`, in the body, tables, headers or footers. Word often
splits such text across several runs (a change of formatting, a spelling mark, an edit);
docxtpl joins the pieces of each `{{ ... }}` and `{% ... %}` before rendering.

As for the HTML templates: the Jinja environment is sandboxed (the file comes from outside),
autoescape is on (without it docxtpl turns "R&D <Lab>" into broken XML and the paragraph is cut
short) and undefined values are errors. Before any letter is written, every placeholder of the
template is compared with `FIELDS`; the unknown ones are reported at once, with the available ones.

Every value is text in the letter's language: money ("85 000 €"), dates ("1er février 2027") and
labels (from the catalogs, through the templates' own macros); a missing value is "", so that
`{% if offer.end_date %}` works. The letterhead DOCX replaces the DOCX kitgen would build from the
HTML letter; the PDF and HTML letters still come from the HTML template.
"""

from __future__ import annotations

import io
import zipfile
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from kitgen.documents import templating
from kitgen.documents.rendered import Rendered
from kitgen.errors import DataError, Problem, TemplateError, UsageError
from kitgen.i18n import N_, tr, tr_n
from kitgen.sources import reading
from kitgen.sources.limits import LIMITS, raise_hint

# Every placeholder a letterhead may use, with what it holds (`kitgen templates fields offer`).
FIELDS = {  # N_: in the catalogs, translated where shown (describe_fields)
    "candidate.name": N_("the candidate's full name"),
    "candidate.address": N_("postal address, one line per line of the letter (may be empty)"),
    "candidate.email": N_("email (may be empty)"),
    "offer.kind": N_("offre (can be withdrawn until accepted) or promesse (binding)"),
    "offer.position": N_("the job title shown in documents"),
    "offer.level": N_("the level's name, e.g. Confirmé"),
    "offer.location": N_("place of work"),
    "offer.salary": N_("gross salary, formatted: 85 000 €"),
    "offer.salary_period": N_("per year, per month or per hour, in the letter's language"),
    "offer.monthly_salary": N_("gross monthly salary over 12 months for a yearly salary, else empty"),
    "offer.contract": N_("CDI or CDD"),
    "offer.contract_label": N_("the contract in words: Contrat à durée indéterminée (CDI)"),
    "offer.start_date": N_("first day of work, formatted: 1er février 2027"),
    "offer.end_date": N_("end of a CDD, formatted (empty for a CDI)"),
    "offer.min_duration": N_("a CDD without a precise end: its minimum duration, formatted: 6 mois (else empty)"),
    "offer.cdd_reason": N_("a CDD's reason, motif de recours (empty for a CDI)"),
    "offer.trial_period": N_("trial period text (may be empty)"),
    "offer.date": N_("date of the letter, formatted"),
    "offer.respond_by": N_("answer deadline, formatted"),
    "offer.place": N_("where the letter is signed (the company's city)"),
    "role.id": N_("the role's id"),
    "role.title": N_("the role's title as written in the role file"),
    "company.name": N_("the company's usual name"),
    "company.legal_name": N_("legal name (the usual name when not given)"),
    "company.address": N_("postal address, one line per line of the letter"),
    "company.city": N_("city (may be empty)"),
    "company.website": N_("website (may be empty)"),
    "company.benefits": N_("list of benefits: {% for b in company.benefits %}{{ b }}{% endfor %}"),
    "signatory.name": N_("who signs the letter"),
    "signatory.title": N_("their title"),
}
LIBREOFFICE_CORE_PROPERTIES = "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties"


def fields_context(doc: Rendered) -> dict:
    """The values of FIELDS for one rendered offer letter: text only, formatted for its language."""
    context, offer = doc.context, doc.context["offer"]
    env = templating.environment(doc.templates, doc.lang)
    money = env.filters["money"]
    date = env.filters["date"]
    macros = env.get_template("_macros.html.j2").module
    company, signatory = context["company"], context["company"]["signatory"] or {}
    return {
        "candidate": {"name": offer["candidate"]["name"], "address": "\n".join(offer["candidate"]["address_lines"]),
                      "email": offer["candidate"]["email"] or ""},
        "offer": {
            "kind": offer["kind"], "position": context["role"]["display_title"], "level": offer["level"]["name"],
            "location": offer["location"], "salary": money(offer["salary"], offer["currency"]),
            "salary_period": _text(macros.period_label(offer["period"])),
            "monthly_salary": money(offer["monthly"], offer["currency"]) if offer["monthly"] else "",
            "contract": offer["contract"], "contract_label": _text(macros.contract_label(offer["contract"])),
            "start_date": date(offer["start_date"]), "end_date": date(offer["end_date"]) if offer["end_date"] else "",
            "min_duration": env.filters["duration"](offer["min_duration"]) if offer["min_duration"] else "",
            "cdd_reason": offer["cdd_reason"] or "",
            "trial_period": offer["trial_period"] or "", "date": date(offer["issued"]),
            "respond_by": date(offer["respond_by"]), "place": offer["place"] or "",
        },
        "role": {"id": context["role"]["id"], "title": context["role"]["title"]},
        "company": {"name": company["name"], "legal_name": company["legal_name"],
                    "address": "\n".join(company["address_lines"]), "city": company["city"] or "",
                    "website": company["website"] or "", "benefits": list(company["benefits"])},
        "signatory": {"name": signatory.get("name", ""), "title": signatory.get("title", "")},
    }


def _text(markup) -> str:
    """A macro's output as plain text (docxtpl escapes it again for the XML)."""
    return str(markup.unescape() if hasattr(markup, "unescape") else markup).strip()


def resolve(option: Path | None, project) -> Path | None:
    """The letterhead to use: `--docx-template` when given (read from the project first, then from
    the current folder, as with `git -C`), else kitgen.toml's `offer_template`."""
    if option is not None:
        found = [path for path in (project.root / option, option) if path.is_file()]
        if not found:
            raise UsageError(tr("%(file)r: no such file", file=str(option)), param_hint="'--docx-template'")
        reading.check_inside(found[0], project.label(found[0]))
        return found[0]
    path = project.offer_template
    if path is not None and not path.is_file():
        raise DataError([Problem("kitgen.toml", 0, 0, "offer_template",
                                 tr("%(file)s: no such file", file=project.label(path)))])
    if path is not None:
        reading.check_inside(path, project.label(path))
    return path


def check(path: Path) -> None:
    """Fail, before any letter is written, when the template is not a .docx or uses unknown fields."""
    stat = path.stat()
    _checked(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _checked(path: str, mtime_ns: int, size: int) -> bytes:
    """The template's bytes once its placeholders are known to be fields (cached per file version)."""
    from docxtpl import DocxTemplate

    data = Path(path).read_bytes()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TemplateError(f"{path}: " + tr("not a Word .docx file (a .doc or .odt must be saved as .docx first)"))
    _check_unpacked_size(path, data)
    template = DocxTemplate(io.BytesIO(data))
    template.init_docx()
    try:
        ast = environment().parse(_source(template))
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{path}: " + tr("placeholder syntax error: %(message)s", message=exc.message)) from None
    unknown = sorted(unknown_placeholders(ast))
    if unknown:
        listed = ", ".join(f"{{{{ {name} }}}}" for name in unknown)
        available = ", ".join(f"{{{{ {name} }}}}" for name in FIELDS)
        raise TemplateError(f"{path}: " + tr_n(
            "unknown placeholder: %(listed)s\navailable: %(available)s\n"
            "(`kitgen templates fields offer` describes them)",
            "unknown placeholders: %(listed)s\navailable: %(available)s\n"
            "(`kitgen templates fields offer` describes them)", len(unknown), listed=listed, available=available))
    return data


def _check_unpacked_size(path: str, data: bytes) -> None:
    """A .docx is a zip: refuse one that unpacks to more than the limit before anything unpacks it
    (a 600 KB "zip bomb" of empty paragraphs took 6 GB of memory in the XML parser)."""
    limit = LIMITS["letterhead_mb"] * 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(info.file_size for info in archive.infolist())
    if total > limit:
        raise TemplateError(f"{path}: " + tr("unpacks to %(size)s MB, more than the limit of %(limit)s MB (%(hint)s)",
                                             size=format(total / 1024 / 1024, ",.0f"), limit=LIMITS["letterhead_mb"],
                                             hint=raise_hint("letterhead_mb")))


def _source(template) -> str:
    """The Jinja source docxtpl renders: body, headers and footers, with split runs joined."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    parts = [template.xml_to_string(template.docx._element.body)]
    for rel in template.docx._part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and rel.target_part.blob:
            parts.append(template.xml_to_string(parse_xml(rel.target_part.blob)))
    return "".join(template.patch_xml(part) for part in parts)


def unknown_placeholders(ast: nodes.Template) -> set[str]:
    """Context names and dotted paths the template reads that are not FIELDS (nor inside one)."""
    names = meta.find_undeclared_variables(ast)
    known = set(FIELDS) | {field.split(".")[0] for field in FIELDS}
    read = set(names)
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        path = _dotted(node, names)
        if path:
            read.add(path)
    # Attributes of a known value (`{{ candidate.name.upper() }}`) are left to the sandbox.
    unknown = {p for p in read if p not in known and not any(p.startswith(k + ".") for k in FIELDS)}
    return {p for p in unknown if not any(p.startswith(other + ".") for other in unknown)}


def _dotted(node, names: set[str]) -> str | None:
    """`candidate.name` for a chain of attributes (or string subscripts) on a context name."""
    parts = []
    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            parts.append(node.arg.value)
        else:
            parts = []  # company.benefits[0]: the item of a list field, checked as the list
        node = node.node
    if not isinstance(node, nodes.Name) or node.name not in names:
        return None  # a loop variable or an expression
    return ".".join([node.name, *reversed(parts)])


def environment() -> SandboxedEnvironment:
    """A fresh environment per letter: docxtpl sets `autoescape` on the one it is given."""
    return SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)


def render_letter(doc: Rendered) -> bytes:
    """The offer letter as the company's Word template filled in (raw .docx bytes)."""
    from docxtpl import DocxTemplate

    path = doc.docx_template
    stat = path.stat()
    template = DocxTemplate(io.BytesIO(_checked(str(path), stat.st_mtime_ns, stat.st_size)))
    template.init_docx()
    _standard_core_properties(template.docx)
    try:
        template.render(fields_context(doc), jinja_env=environment(), autoescape=True)
    except (jinja2.TemplateError, TypeError, ValueError) as exc:
        raise TemplateError(f"{path}: {exc}") from None
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def _standard_core_properties(document) -> None:
    """LibreOffice types the document properties' relationship `officedocument/...` instead of
    `package/...`: python-docx would not find it and save a second docProps/core.xml (a zip with
    two entries of one name). Give the relationship its standard type."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    for rel in document.part.package.rels.values():
        if rel.reltype == LIBREOFFICE_CORE_PROPERTIES:
            rel._reltype = RT.CORE_PROPERTIES


def describe_fields() -> str:
    """`kitgen templates fields offer`: one placeholder a line, with what it holds."""
    width = max(len(name) for name in FIELDS) + 6
    lines = [f"{'{{ ' + name + ' }}':<{width}}  {tr(text)}" for name, text in FIELDS.items()]
    return "\n".join(lines)
