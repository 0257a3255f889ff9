"""Issue 4: the interview kit, read back page by page.

Every role of the project × every level: nothing lost in PDF and DOCX; no question block split
across pages; the scoring sheet starts a page and lists each assessed competency.
"""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path

import pytest
import yaml

from kitgen.commands import open_project
from kitgen.documents.context import KitOptions
from kitgen.documents.render import render_kit
from kitgen.outputs.produce import produce
from tests.support import (
    ROOT,
    docx_text,
    expected_strings,
    missing,
    pdf_pages,
    squash,
    tool,
)

PROJECT = open_project(ROOT)
CASES = [(role.id, level) for _, role in PROJECT.load_roles() for level in role.level_ids]


@pytest.fixture(scope="module")
def kits(tmp_path_factory):
    """{(role id, level): (Rendered, {suffix: path})} for every role and level of the project."""
    out = tmp_path_factory.mktemp("kits")
    result = {}
    for role_id, level in CASES:
        _, role = PROJECT.find_role(role_id)
        doc = render_kit(role, PROJECT.company, KitOptions(level=level), PROJECT.templates_dir, None, ROOT)
        result[(role_id, level)] = (doc, {p.suffix[1:]: p for p in produce(doc, ["pdf", "docx"], out)})
    return result


@pytest.mark.parametrize("case", CASES, ids=[f"{r}-{lv}" for r, lv in CASES])
def test_kit_shows_everything(kits, case):
    doc, paths = kits[case]
    expected = expected_strings(doc)
    assert missing(expected, "\n".join(pdf_pages(paths["pdf"]))) == []
    assert missing(expected, docx_text(paths["docx"])) == []


@pytest.mark.parametrize("case", CASES, ids=[f"{r}-{lv}" for r, lv in CASES])
def test_no_question_block_spans_two_pages(kits, case):
    doc, paths = kits[case]
    pages = [squash(text) for text in pdf_pages(paths["pdf"])]
    for group in doc.context["kit"]["groups"]:
        for question in group["questions"]:
            parts = [question["text"], *question["follow_ups"], *question["look_for"]]
            holding = {i for i, page in enumerate(pages) if squash(parts[0]) in page}
            assert len(holding) == 1, f"question {question['number']} not found whole on one page"
            page = pages[holding.pop()]
            assert all(squash(part) in page for part in parts), f"question {question['number']} split"


@pytest.mark.parametrize("case", CASES, ids=[f"{r}-{lv}" for r, lv in CASES])
def test_scoring_sheet_starts_a_page_and_lists_competencies(kits, case):
    doc, paths = kits[case]
    heading = "Grille de notation" if doc.lang == "fr" else "Scoring sheet"
    pages = pdf_pages(paths["pdf"])
    index = next(i for i, text in enumerate(pages) if heading in text)
    assert pages[index].splitlines()[0] == heading
    for group in doc.context["kit"]["scored"]:
        assert squash(group["competency"]) in squash(pages[index])


def test_anchors_at_first_and_last_level(kits):
    first, _ = kits[("directeur-ecommerce", "junior")]
    last, _ = kits[("directeur-ecommerce", "senior")]
    assert "il n’y a pas de repère inférieur" in first.html
    assert "il n’y a pas de repère supérieur" in last.html
    assert first.context["kit"]["upper"]["id"] == "confirme"


def test_planned_duration_sums_questions_and_case(kits):
    doc, _ = kits[("directeur-ecommerce", "confirme")]
    # 15 + 10 + 10 + 10 minutes of questions, 45 minutes of case study
    assert doc.context["kit"]["duration_minutes"] == 90
    assert "90 minutes" in doc.html


def test_competency_filter(cli, project):
    result = cli("kit", "directeur-ecommerce", "--level", "junior", "--competency", "Analyse des données",
                 "-f", "docx", "--no-appendix")
    assert result.exit_code == 0, result.output
    text = docx_text(project / "output/directeur-ecommerce/interview-kit-junior.docx")
    assert "De quelle façon suivez-vous les indicateurs" in text
    assert "Parlez-nous d’une stratégie e-commerce" not in text
    assert "Gestion de projet" not in text  # neither its questions nor its scoring row
    assert "Annexe" not in text


def test_unknown_competency_is_a_usage_error(cli):
    result = cli("kit", "directeur-ecommerce", "--level", "junior", "--competency", "Cuisine", "-f", "html")
    assert result.exit_code == 2
    assert "unknown competency 'Cuisine' (competencies: Stratégie e-commerce, Gestion des opérations" in result.output


def test_unknown_level_is_a_usage_error(cli):
    result = cli("kit", "directeur-ecommerce", "--level", "expert", "-f", "html")
    assert result.exit_code == 2
    assert "Invalid value for '--level': unknown level 'expert' (levels: junior, confirme, senior)" in result.output


def test_competency_without_question_warns(cli, project):
    path = project / "roles" / "directeur-ecommerce.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["interview"]["questions"] = [q for q in data["interview"]["questions"]
                                      if q["competency"] != "Gestion de projet"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli("kit", "directeur-ecommerce", "--level", "senior", "-f", "html")
    assert result.exit_code == 0
    assert "warning: no question covers 'Gestion de projet'" in result.output
    html = (project / "output/directeur-ecommerce/interview-kit-senior.html").read_text(encoding="utf-8")
    assert "aucune question ne couvre cette compétence" in html


def test_huge_role_renders_without_clipping(project, tmp_path):
    """150 questions, a 6,000-character summary and a 400-character word: no crash, nothing clipped."""
    path = project / "roles" / "backend-engineer.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    word = "x" * 399 + "y"
    data["summary"] = ("Long summary sentence. " * 261)[:6000]
    data["missions"].append(word)
    base = data["interview"]["questions"][0]
    data["interview"]["questions"] = [dict(copy.deepcopy(base), text=f"Question {i} {base['text']}") for i in range(150)]
    data["interview"]["questions"][7]["look_for"] = [word]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    project_obj = open_project(project)
    _, role = project_obj.find_role("backend-engineer")
    doc = render_kit(role, project_obj.company, KitOptions(level="senior"), None, None, project)
    paths = {p.suffix[1:]: p for p in produce(doc, ["pdf", "docx"], tmp_path)}
    assert missing([word, data["summary"], "Question 149"], "\n".join(pdf_pages(paths["pdf"]))) == []
    assert missing([word], docx_text(paths["docx"])) == []
    _assert_inside_pages(paths["pdf"])


def _assert_inside_pages(pdf: Path) -> None:
    """Every word's box lies inside the page (poppler's pdftotext -bbox)."""
    pdftotext = tool("pdftotext")
    xml = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    import re

    page_width = float(re.search(r'<page width="([\d.]+)"', xml).group(1))
    for x_max in re.findall(r'xMax="([\d.]+)"', xml):
        assert float(x_max) <= page_width - 20, f"text reaches x={x_max} on a {page_width}pt page"
