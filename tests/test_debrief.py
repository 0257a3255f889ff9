"""Issue 18, the debrief: `kitgen debrief` merges scorecards (YAML sheets and filled kit PDFs) into
one document (PDF, DOCX, HTML, JSON) whose figures are checked here against figures computed by
hand; every bad sheet is refused with its exact message, exit 1 and nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

from kitgen.cli import main
from tests.support import docx_text, missing, pdf_text

ROLE = "directeur-ecommerce"
STEM = f"output/{ROLE}/debrief-confirme-camille-durand"
IDS = ("strategie-e-commerce", "gestion-des-operations", "analyse-des-donnees", "gestion-de-projet")


@pytest.fixture
def cli(project: Path):
    """`kitgen -C <project> ARGS...`."""
    from click.testing import CliRunner

    def invoke(*args: str):
        return CliRunner().invoke(main, ["-C", str(project), *args], catch_exceptions=False)

    return invoke


# -- sheets ------------------------------------------------------------------------------------

SARAH = """\
role: directeur-ecommerce
level: confirme
candidate: Camille Durand
interviewer: Sarah Benali
date: 2027-01-15
ratings: {Stratégie e-commerce: 3, gestion-des-operations: 4, analyse-des-donnees: na}
case_study: 3
recommendation: yes
notes: Solide sur la stratégie.
"""

KIT_FORM = """<html><body><form>
<input type="text" name="kitgen:role" value="{role}"><input type="text" name="kitgen:level" value="{level}">
<input type="text" name="kitgen:stage" value="">
<input type="text" name="candidate"><input type="text" name="interviewer"><input type="text" name="date">
{ratings}
{case}
{recommendation}
<textarea name="notes:1"></textarea><textarea name="notes"></textarea>
</form></body></html>"""


def _radios(name: str, values) -> str:
    return "".join(f'<input type="radio" name="{name}" value="{value}">' for value in values)


def kit_pdf(path: Path, role: str = ROLE, level: str = "confirme", ids=IDS, identified: bool = True) -> Path:
    """A kit PDF with the fillable kit's field names, made by WeasyPrint as the kit is."""
    import weasyprint

    html = KIT_FORM.format(role=role, level=level,
                           ratings="".join(_radios(f"rating:{i}", ("1", "2", "3", "4", "na")) for i in ids),
                           case=_radios("case_study", "1234"),
                           recommendation=_radios("recommendation", ("definitely-not", "no", "yes", "strong-yes")))
    if not identified:
        html = html.replace('name="kitgen:role"', 'name="reference"')
    path.write_bytes(weasyprint.HTML(string=html).write_pdf(pdf_forms=True))
    return path


def real_kit(project: Path, path: Path) -> Path:
    """The fillable kit PDF `kitgen kit` makes (the field names and the document information of
    docs/interview-kits.md), to be filled in as an interviewer would."""
    from click.testing import CliRunner

    out = project / "kits"
    result = CliRunner().invoke(main, ["-C", str(project), "kit", ROLE, "--level", "confirme", "-f", "pdf",
                                       "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    (out / ROLE / "interview-kit-confirme.pdf").replace(path)
    return path


def fill(path: Path, texts: dict[str, str], choices: dict[str, str], on_parent: bool = True) -> Path:
    """Fill the form as a viewer does: text values; a radio group's chosen button by its state
    (the button's index), on the group's /V and the button's /AS (or the button's /AS alone)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=PdfReader(str(path)))
    for page in writer.pages:  # a real kit has its fields on several pages
        if any(annot.get_object().get("/T") in texts for annot in page.get("/Annots", [])):
            writer.update_page_form_field_values(page, texts, auto_regenerate=False)
    for ref in writer._root_object["/AcroForm"]["/Fields"]:
        group = ref.get_object()
        if "/Kids" not in group or str(group["/T"]) not in choices:
            continue
        index = [str(o) for o in group["/Opt"]].index(choices[str(group["/T"])])
        state = NameObject(f"/{index}")
        if on_parent:
            group[NameObject("/V")] = state
        for number, kid in enumerate(group["/Kids"]):
            kid.get_object()[NameObject("/AS")] = state if number == index else NameObject("/Off")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


@pytest.fixture
def sheets(project: Path) -> list[Path]:
    """Three sheets of Camille Durand: a YAML one, a PDF filled on the group's /V, one on /AS only.
    Strategy weighs 3 in the role file, the other competencies 1."""
    role = project / "roles" / f"{ROLE}.yaml"
    text = role.read_text(encoding="utf-8")
    role.write_text(text.replace("      en: E-commerce strategy\n    expectations:",
                                 "      en: E-commerce strategy\n    weight: 3\n    expectations:", 1), encoding="utf-8")
    (project / "sarah.yaml").write_text(SARAH, encoding="utf-8")
    marc = fill(real_kit(project, project / "marc.pdf"),
                {"candidate": "CAMILLE DURAND", "interviewer": "Marc Petit", "date": "2027-01-16",
                 "notes:1": "Bon exemple chiffré.", "notes": "Hésitant sur les données."},
                {"rating:strategie-e-commerce": "1", "rating:gestion-des-operations": "3",
                 "rating:analyse-des-donnees": "na", "case_study": "2", "recommendation": "no"})
    lea = fill(kit_pdf(project / "lea.pdf"), {"candidate": "Camille Durand", "interviewer": "Léa Roux"},
               {"rating:strategie-e-commerce": "2", "rating:gestion-des-operations": "3", "recommendation": "yes"},
               on_parent=False)
    return [project / "sarah.yaml", marc, lea]


def run_debrief(cli, *sheets, fmt="pdf,docx,json", candidate="Camille Durand", level="confirme"):
    return cli("debrief", ROLE, "--level", level, "--candidate", candidate, *map(str, sheets), "-f", fmt)


# -- figures, read back from every format -------------------------------------------------------

# By hand: strategy 3, 1, 2 -> 2.00, spread (3 - 1 = 2); operations 4, 3, 3 -> 3.33; data: na, na,
# nothing -> not assessed; project management: nobody. Weighted total over the assessed ones:
# (3 × 2 + 1 × 10/3) / (3 + 1) = 2.33. Case study 3, 2 -> 2.50. Tally: no 1, yes 2.
EXPECTED = {
    "role": ROLE, "level": "confirme", "candidate": "Camille Durand",
    "interviewers": ["Sarah Benali", "Marc Petit", "Léa Roux"],
    "competencies": [
        {"id": "strategie-e-commerce", "name": "Stratégie e-commerce", "weight": 3.0,
         "ratings": {"Sarah Benali": 3, "Marc Petit": 1, "Léa Roux": 2}, "mean": 2.0, "spread": True},
        {"id": "gestion-des-operations", "name": "Gestion des opérations", "weight": 1,
         "ratings": {"Sarah Benali": 4, "Marc Petit": 3, "Léa Roux": 3}, "mean": 3.33, "spread": False},
        {"id": "analyse-des-donnees", "name": "Analyse des données", "weight": 1,
         "ratings": {"Sarah Benali": None, "Marc Petit": None, "Léa Roux": None}, "mean": None, "spread": False},
        {"id": "gestion-de-projet", "name": "Gestion de projet", "weight": 1,
         "ratings": {"Sarah Benali": None, "Marc Petit": None, "Léa Roux": None}, "mean": None, "spread": False},
    ],
    "unassessed": ["analyse-des-donnees", "gestion-de-projet"],
    "weighted_total": 2.33,
    "case_study": {"ratings": {"Sarah Benali": 3, "Marc Petit": 2, "Léa Roux": None}, "mean": 2.5},
    "tally": {"definitely-not": 0, "no": 1, "yes": 2, "strong-yes": 0},
}


def test_the_debrief_merges_yaml_and_pdf_sheets_into_pdf_docx_and_json(cli, project, sheets):
    result = run_debrief(cli, *sheets)
    assert result.exit_code == 0, result.output
    stem = project / STEM
    assert result.output.splitlines() == [str(stem.with_suffix(s)) for s in (".pdf", ".docx", ".json")]
    assert json.loads(stem.with_suffix(".json").read_text(encoding="utf-8")) == EXPECTED
    shown = ["Débriefing d’entretien", "Camille Durand", "Sarah Benali, Marc Petit, Léa Roux",
             "Stratégie e-commerce (écart)", "2,00", "Gestion des opérations", "3,33",
             "Total pondéré : 2,33 / 4", "Compétences que personne n’a évaluées : Analyse des données, Gestion de projet",
             "Étude de cas : 2,50 / 4 (Sarah Benali: 3, Marc Petit: 2, Léa Roux: non évalué)",
             "Certainement pas", "Oui, sans réserve", "Solide sur la stratégie.", "Question 1 : Parlez-nous d’une stratégie e-commerce conçue par vos soins", "Bon exemple chiffré.",
             "Hésitant sur les données.", "15 janvier 2027", "Décision", "Motifs, compétence par compétence"]
    pdf, docx = pdf_text(stem.with_suffix(".pdf")), docx_text(stem.with_suffix(".docx"))
    assert missing(shown, pdf) == []
    assert missing(shown, docx) == []
    assert "3,33" not in pdf.replace("3,33", "", 1)  # the mean once: nothing else rounds to it
    # The tally row, in the order of its header: definitely not, no, yes, strong yes.
    from docx import Document

    document = Document(str(stem.with_suffix(".docx")))
    tally = next(t for t in document.tables if t.rows[0].cells[0].text == "Certainement pas")
    assert [c.text for c in tally.rows[1].cells] == ["0", "1", "2", "0"]
    ratings = next(t for t in document.tables if t.rows[0].cells[0].text == "Compétence")
    assert [c.text for c in ratings.rows[1].cells] == ["Stratégie e-commerce (écart)", "3", "3", "1", "2", "2,00"]
    assert [c.text for c in ratings.rows[3].cells] == ["Analyse des données", "1", "non évalué", "non évalué",
                                                       "non évalué", "—"]
    # The chart: an SVG in the PDF's page, a picture in the DOCX with the chart's alternative text.
    assert len(document.inline_shapes) == 1
    assert document.inline_shapes[0]._inline.docPr.get("descr") == "Notes par compétence"
    assert round(document.inline_shapes[0].width.mm) == 74


def test_the_chart_marks_each_interviewer_with_a_shape_and_shades_spread_rows(cli, project, sheets):
    assert run_debrief(cli, *sheets, fmt="html").exit_code == 0
    html = (project / STEM).with_suffix(".html").read_text(encoding="utf-8")
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert svg.count("<circle") == 2 + 1  # Sarah: two ratings, and her legend marker
    assert svg.count('<rect x="') - svg.count('fill="#d9d9d9"') >= 3  # Marc's squares, the mean bars
    assert svg.count('fill="#d9d9d9"') == 1  # one spread row
    assert svg.count("<polygon") == 2 + 1  # Léa: triangles
    assert "Stratégie e-commerce — écart" in svg and svg.count("non évalué") == 2


def test_the_json_alone_and_english(cli, project, sheets):
    result = cli("debrief", ROLE, "--level", "Confirmé", "--candidate", "camille durand", *map(str, sheets),
                 "-f", "json,pdf", "--lang", "en")
    assert result.exit_code == 0, result.output
    stem = project / f"{STEM}.en"
    data = json.loads(Path(f"{stem}.json").read_text(encoding="utf-8"))
    assert data["competencies"][0]["name"] == "E-commerce strategy"
    assert data["candidate"] == "camille durand" and data["weighted_total"] == 2.33
    assert missing(["Interview debrief", "Weighted total: 2.33 / 4", "3.33", "Strong yes"],
                   pdf_text(Path(f"{stem}.pdf"))) == []


def test_a_pdf_read_from_its_radio_states_by_option_name_too(tmp_path):
    """A viewer may name the state after the option (`/3`) and set only the group's /V."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    from kitgen.sources.scorecards import pdf_fields

    path = kit_pdf(tmp_path / "k.pdf")
    writer = PdfWriter(clone_from=PdfReader(str(path)))
    for ref in writer._root_object["/AcroForm"]["/Fields"]:
        if str(ref.get_object().get("/T")) == "recommendation" and "/Kids" in ref.get_object():
            ref.get_object()[NameObject("/V")] = NameObject("/strong-yes")
    with path.open("wb") as handle:
        writer.write(handle)
    fields = pdf_fields(path)
    assert fields["recommendation"] == "strong-yes"
    assert fields["rating:vision" if "rating:vision" in fields else "rating:gestion-de-projet"] is None
    assert fields["kitgen:role"] == ROLE and fields["interviewer"] == ""


# -- bad sheets: every problem at once, exit 1, nothing written ---------------------------------

def _refused(cli, project, *sheets, **options) -> list[str]:
    result = run_debrief(cli, *sheets, **options)
    assert result.exit_code == 1, result.output
    assert not (project / "output").exists() or not any((project / "output").rglob("debrief-*"))
    return result.output.splitlines()


def test_every_problem_of_every_sheet_is_reported_at_once(cli, project, sheets):
    (project / "bad.yaml").write_text(
        "role: directeur-ecommerce\nlevel: confirme\ncandidate: Camille Durand\n"
        "ratings: {gestion-des-operations: 5, vision: 3}\ncase_study: 0\nrecommendation: maybe\n", encoding="utf-8")
    (project / "other.yaml").write_text(SARAH.replace("candidate: Camille Durand", "candidate: Élodie Marchand"),
                                        encoding="utf-8")
    foreign = kit_pdf(project / "foreign.pdf", identified=False)
    twice = fill(kit_pdf(project / "twice.pdf", ids=IDS + ("vision",)),
                 {"candidate": "Camille Durand", "interviewer": "sarah benali"},
                 {"rating:vision": "2", "recommendation": "yes"})
    lines = _refused(cli, project, sheets[0], project / "bad.yaml", project / "other.yaml", foreign, twice)
    assert lines == [
        "bad.yaml:1:1: interviewer: missing: the sheet must say its interviewer",
        "bad.yaml:4:35: ratings.gestion-des-operations: expected 1, 2, 3, 4 or na, got 5",
        "bad.yaml:4:46: ratings.vision: unknown competency 'vision' (competencies: Stratégie e-commerce "
        "(strategie-e-commerce), Gestion des opérations (gestion-des-operations), Analyse des données "
        "(analyse-des-donnees), Gestion de projet (gestion-de-projet))",
        "bad.yaml:5:13: case_study: expected 1, 2, 3 or 4, got 0",
        "bad.yaml:6:17: recommendation: unknown recommendation 'maybe' (recommendations: definitely-not, no, yes, "
        "strong-yes)",
        "foreign.pdf: kitgen:role: not a kitgen interview kit (no kitgen:role field): give the kit PDF kitgen made, "
        "filled in, or a YAML sheet",
        "other.yaml:3:12: candidate: a sheet for candidate 'Élodie Marchand', not 'Camille Durand'",
        "other.yaml:4:14: interviewer: 'Sarah Benali' already gave the sheet sarah.yaml: one sheet per interviewer",
        "twice.pdf: interviewer: 'sarah benali' already gave the sheet sarah.yaml: one sheet per interviewer",
        "twice.pdf: rating:vision: unknown competency 'vision' (competencies: Stratégie e-commerce "
        "(strategie-e-commerce), Gestion des opérations (gestion-des-operations), Analyse des données "
        "(analyse-des-donnees), Gestion de projet (gestion-de-projet))",
        "10 problems found",
    ]


def test_a_sheet_for_another_role_or_level(cli, project, sheets):
    (project / "senior.yaml").write_text(SARAH.replace("level: confirme", "level: senior"), encoding="utf-8")
    other = fill(kit_pdf(project / "other.pdf", role="backend-engineer", level="mid"),
                 {"candidate": "Camille Durand", "interviewer": "Ana Lima"}, {})
    empty = kit_pdf(project / "empty.pdf")
    assert _refused(cli, project, project / "senior.yaml", other, empty) == [
        "empty.pdf: candidate: empty: the sheet must say its candidate",
        "empty.pdf: interviewer: empty: the sheet must say its interviewer",
        "other.pdf: role: a sheet for role 'backend-engineer', not 'directeur-ecommerce'",
        "senior.yaml:2:8: level: a sheet for level 'senior', not 'confirme'",
        "4 problems found",
    ]


def test_the_command_s_own_values_are_usage_errors(cli, project, sheets):
    result = run_debrief(cli, *sheets, level="expert")
    assert result.exit_code == 2
    assert "Invalid value for '--level': unknown level 'expert' (levels: junior, confirme, senior)" in result.output
    result = run_debrief(cli, *sheets, fmt="md")
    assert result.exit_code == 2
    assert "unknown format 'md' (formats: pdf, docx, html, json)" in result.output


def test_a_misspelt_key_and_a_damaged_pdf_are_said_plainly(cli, project, sheets):
    typo = project / "typo.yaml"
    typo.write_text(SARAH.replace("candidate:", "candidat:"), encoding="utf-8")
    damaged = project / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.7\nnot really\n")
    lines = _refused(cli, project, typo, damaged)
    assert "typo.yaml:3:1: candidat: unknown key 'candidat' (did you mean 'candidate'?)" in lines
    assert "typo.yaml:1:1: candidate: missing: the sheet must say its candidate" in lines
    assert any(line.startswith("damaged.pdf: not a PDF kitgen can read, damaged or not a PDF (") for line in lines), lines
    assert not any("EOF marker" in line for line in lines)  # pypdf's own log lines stay out
