"""Issue 9, templates: project overrides by name and by block (`builtin/` extends), the
`templates list|copy` commands, and docs/templates.md checked against the real templates and the
real render contexts, both ways (a variable kitgen passes but the doc omits fails, and so does a
documented variable kitgen does not pass)."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import jinja2
import pytest
from jinja2 import nodes

from kitgen.commands import open_project
from kitgen.documents import templating
from kitgen.documents.context import AdOptions, KitOptions
from kitgen.documents.offer import OfferRequest, prepare_offer
from kitgen.documents.pay import band_for
from kitgen.documents.render import render_ad, render_kit, render_offer
from tests.support import ROOT, docx_text, pdf_text

DOCS = ROOT / "docs" / "templates.md"
TABLE = re.compile(r"<!-- (\w+)(?:: ([\w.-]+))? -->\n((?:\|.*\n)+)")
CELL = re.compile(r"(?<!\\)\|")


def doc_tables(kind: str) -> dict[str, list[list[str]]]:
    """{name: rows} of the tables of docs/templates.md under `<!-- kind: name -->` markers."""
    tables = {}
    for match in TABLE.finditer(DOCS.read_text(encoding="utf-8")):
        if match[1] == kind:
            rows = [[cell.strip() for cell in CELL.split(line)[1:-1]] for line in match[3].splitlines()[2:]]
            tables[match[2] or ""] = rows
    return tables


def _gettext(lang: str, text: str) -> str:
    return templating.translations(lang).gettext(text)


# -- overrides -----------------------------------------------------------------------------------

OVERRIDE = """{% extends "builtin/interview-kit.html.j2" %}
{% block instructions %}
<h2>Nos consignes maison</h2>
<p>Accueillez la personne candidate avec un café.</p>
{% endblock %}
"""
BASE_OVERRIDE = """{% extends "builtin/base.html.j2" %}
{% block running_header %}
<header class="running-header"><span class="rh-company">Maison Petits Pas</span><span class="rh-title">Confidentiel</span></header>
{% endblock %}
"""


def test_an_override_of_one_block_changes_the_pdf_and_the_docx(cli, project):
    (project / "templates").mkdir()
    (project / "templates/interview-kit.html.j2").write_text(OVERRIDE, encoding="utf-8")
    (project / "templates/base.html.j2").write_text(BASE_OVERRIDE, encoding="utf-8")
    result = cli("kit", "directeur-ecommerce", "--level", "confirme", "-f", "pdf,docx")
    assert result.exit_code == 0, result.output
    stem = project / "output/directeur-ecommerce/interview-kit-confirme"
    builtin_heading = _gettext("fr", "How to run this interview")
    for text in (pdf_text(stem.with_suffix(".pdf")), docx_text(stem.with_suffix(".docx"))):
        assert "Nos consignes maison" in text and "Accueillez la personne candidate avec un café." in text
        assert builtin_heading not in text
        # The other blocks are the built-in ones.
        assert "Parlez-nous d’une stratégie e-commerce conçue par" in text
        assert _gettext("fr", "Scoring sheet") in text
    # The built-in kit extends "base.html.j2": the project's base, itself extending builtin/base.
    from docx import Document

    header = Document(str(stem.with_suffix(".docx"))).sections[0].header.paragraphs[0].text
    assert header == "Maison Petits Pas\tConfidentiel"  # left and right, as in the PDF


def test_a_template_copied_and_edited_replaces_the_built_in_one(cli, project):
    copied = cli("templates", "copy", "job-ad.html.j2")
    assert copied.exit_code == 0, copied.output
    path = project / "templates/job-ad.html.j2"
    assert copied.output.splitlines()[0] == str(path)
    assert path.read_text(encoding="utf-8") == (templating.builtin_templates_dir() / "job-ad.html.j2").read_text(
        encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace("<h1>{{ role.display_title }}</h1>",
                                                             "<h1>Rejoignez-nous : {{ role.display_title }}</h1>"),
                    encoding="utf-8")
    assert cli("ad", "directeur-ecommerce", "-f", "html").exit_code == 0
    html = (project / "output/directeur-ecommerce/job-ad.html").read_text(encoding="utf-8")
    assert "<h1>Rejoignez-nous : Directeur ou directrice e-commerce</h1>" in html


def test_templates_copy_refuses_to_overwrite_and_unknown_names(cli, project):
    assert cli("templates", "copy", "kitgen.css").exit_code == 0
    (project / "templates/kitgen.css").write_text("/* mine */", encoding="utf-8")
    again = cli("templates", "copy", "kitgen.css")
    assert again.exit_code == 1
    assert "refused to overwrite existing files" in again.output
    assert (project / "templates/kitgen.css").read_text(encoding="utf-8") == "/* mine */"
    unknown = cli("templates", "copy", "letter.html.j2")
    assert unknown.exit_code == 2
    assert "no built-in template 'letter.html.j2' (templates: _macros.html.j2, base.html.j2," in unknown.output


def test_templates_list_says_which_are_overridden(cli, project):
    (project / "templates").mkdir()
    (project / "templates/offer-letter.html.j2").write_text("{% extends 'builtin/offer-letter.html.j2' %}",
                                                           encoding="utf-8")
    (project / "templates/_signature.html.j2").write_text("", encoding="utf-8")
    (project / "templates/README.md").write_text("", encoding="utf-8")
    assert cli("templates", "list").output == (
        "NAME                   SOURCE\n"
        "_macros.html.j2        built-in\n"
        "base.html.j2           built-in\n"
        "debrief.html.j2        built-in\n"
        "interview-kit.html.j2  built-in\n"
        "job-ad.html.j2         built-in\n"
        "kitgen.css             built-in\n"
        "offer-letter.html.j2   overridden by templates/offer-letter.html.j2\n"
        "_signature.html.j2     project only (templates/_signature.html.j2)\n")


# -- docs/templates.md: blocks, globals ----------------------------------------------------------

def _blocks(name: str) -> set[str]:
    source = (templating.builtin_templates_dir() / name).read_text(encoding="utf-8")
    return {block.name for block in jinja2.Environment().parse(source).find_all(nodes.Block)}


def test_every_built_in_template_has_its_blocks_documented_both_ways():
    tables = doc_tables("blocks")
    documents = sorted(p.name for p in templating.builtin_templates_dir().glob("*.html.j2")
                       if not p.name.startswith("_"))
    assert sorted(tables) == documents
    for name, rows in tables.items():
        assert {row[0].strip("`") for row in rows} == _blocks(name), name


def test_documented_filters_and_globals_are_the_real_ones():
    rows = doc_tables("globals")[""]
    documented = {m for row in rows for m in re.findall(r"^`\\\|(\w+)", row[0])}
    env = templating.environment(None, "fr")
    assert documented == set(env.filters) - set(jinja2.Environment().filters)
    assert {"lang", "_"} <= set(env.globals)


# -- docs/templates.md: the render contexts ------------------------------------------------------

def kind_of(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, str):
        return "text"
    if isinstance(value, int):
        return "whole number"
    if isinstance(value, float):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        if not value:
            return "list"
        if all(isinstance(item, dict) for item in value):
            return "list of mappings"
        assert all(isinstance(item, str) for item in value), value
        return "list of text"
    raise AssertionError(f"unexpected {type(value).__name__} in a render context")


def walk(value, path: str, found: dict[str, set[str]], opaque: set[str]) -> None:
    """Record the kind of every value under `path` (list items as `path[]`); `opaque` mappings
    (keys that come from the data: level ids, JSON-LD) are recorded, not entered."""
    found.setdefault(path, set()).add(kind_of(value))
    if isinstance(value, dict) and path not in opaque:
        for key, item in value.items():
            walk(item, f"{path}.{key}" if path else key, found, opaque)
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                for key, sub in item.items():
                    walk(sub, f"{path}[].{key}", found, opaque)


def compatible(kind: str, declared: str) -> bool:
    base, _, none = declared.partition(" or none")
    if kind == "none":
        return declared.endswith(" or none")
    if kind == "mapping":
        return base == "mapping" or base.startswith("mapping of")
    if kind == "list":
        return base.startswith("list")
    if kind == "whole number":
        return base in ("whole number", "number")
    return base == kind


@pytest.fixture(scope="module")
def contexts(tmp_path_factory) -> dict[str, list[dict]]:
    """The render contexts of the sample project's documents, with and without optional values,
    plus a project without company file and one with a logo."""
    from PIL import Image

    root = tmp_path_factory.mktemp("logo")
    shutil.copy(ROOT / "company.yaml", root / "company.yaml")
    Image.new("RGB", (300, 100), "#c0392b").save(root / "logo.png")
    with (root / "company.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  logo: logo.png\n")
    with_logo = open_project(root).company
    project = open_project(ROOT)
    out: dict[str, list[dict]] = {"job-ad": [], "interview-kit": [], "offer-letter": [], "debrief": []}
    for _, role in project.load_roles():
        for company, where in ((project.company, ROOT), (None, None), (with_logo, root)):
            out["job-ad"].append(render_ad(role, company, AdOptions(), None, None, where).context)
        out["job-ad"].append(render_ad(role, project.company, AdOptions(
            location=role.locations[0], levels=(role.level_ids[0],), no_salary=True), None, None, ROOT).context)
        for level in role.level_ids:
            for options in (KitOptions(level=level),
                            KitOptions(level=level, candidate="A", interviewers=("B", "C"), date=dt.date(2027, 1, 4),
                                       appendix=False)):
                out["interview-kit"].append(render_kit(role, project.company, options, None, None, ROOT).context)
        out["interview-kit"].append(render_kit(role, with_logo, KitOptions(level=level), None, None, root).context)
        level, place = role.level_ids[1], role.locations[0]
        band = band_for(role, level, place, project.company.band_spread)
        for extra in ({}, {"contract": "CDD", "end_date": dt.date(2027, 8, 1), "address": "1 rue A\\n75001 Paris",
                           "email": "a@example.com", "trial_period": "1 mois",
                           "cdd_reason": "Remplacement d’un salarié absent"}):
            request = OfferRequest(candidate="A", level=level, location=place, salary=band.low,
                                   start_date=dt.date(2027, 2, 1), **extra)
            options = prepare_offer(role, project.company, request, dt.date(2026, 11, 26))
            out["offer-letter"].append(render_offer(role, project.company, options, None, None, ROOT).context)
        out["offer-letter"].append(render_offer(role, with_logo, options, None, None, root).context)
        out["debrief"] += _debrief_contexts(role, project.company, ROOT) + _debrief_contexts(role, with_logo, root)
    return out


def _debrief_contexts(role, company, where) -> list[dict]:
    """A debrief with every value given (a date, notes, a rating of each kind) and a bare one."""
    from kitgen.documents.debrief import DebriefOptions
    from kitgen.documents.render import render_debrief
    from kitgen.sources.scorecards import Scorecard

    level, ids = role.level_ids[0], [c.id for c in role.competencies]
    full = Scorecard("a.yaml", "A", "C", role.id, level, date=dt.date(2027, 1, 4),
                     ratings={ids[0]: 3, ids[-1]: None}, case_study=2, recommendation="yes", notes="N",
                     question_notes={1: "Q"})
    bare = Scorecard("b.pdf", "B", "C", role.id, level)
    return [render_debrief(role, company, DebriefOptions(level, "C", sheets), None, None, where).context
            for sheets in ((full, bare), (bare,))]


@pytest.mark.parametrize("kind", ["job-ad", "interview-kit", "offer-letter", "debrief"])
def test_docs_list_every_variable_of_the_render_context_with_its_type(contexts, kind):
    tables = doc_tables("context")
    declared = {row[0].strip("`"): row[1] for row in tables["common"] + tables[kind]}
    assert all(row[1] and row[2] is not None for row in tables["common"] + tables[kind])
    opaque = {path for path, kind_ in declared.items() if kind_.startswith("mapping of")}
    found: dict[str, set[str]] = {}
    for context in contexts[kind]:
        walk(context, "", found, opaque)
    found.pop("")
    assert sorted(set(found) - set(declared)) == [], "in the render context, not in docs/templates.md"
    assert sorted(set(declared) - set(found)) == [], "in docs/templates.md, not in the render context"
    wrong = {path: (sorted(kinds), declared[path]) for path, kinds in found.items()
             if not all(compatible(k, declared[path]) for k in kinds)}
    assert wrong == {}, "documented type does not match the values"
