"""Issue 18 (kits): an interview plan in stages, one kit per stage, fillable kit PDFs.

The role of tests/fixtures/bilingual gets a third competency (Sécurité, id `securite`, weight 2), a
question without a competency, and three stages; each stage kit holds its own questions and no
other stage's, read back from the PDF and the DOCX; the PDF's form fields are the documented
contract (docs/interview-kits.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from kitgen.cli import main
from tests.support import ROOT, docx_text, pdf_text

FIXTURE = ROOT / "tests/fixtures/bilingual"
ROLE = "responsable-logistique"
SAFETY = """  - id: securite
    name: {fr: Sécurité, en: Safety}
    weight: 2
    expectations:
      junior: {fr: Applique les consignes de sécurité., en: Follows the safety rules.}
      senior: {fr: Fait baisser les accidents du travail., en: Brings workplace accidents down.}
interview:
"""
QUESTIONS = """    - text: {fr: "Quel accident avez-vous évité ?", en: "Which accident did you prevent?"}
      competency: Sécurité
    - text: {fr: "Pourquoi notre entrepôt ?", en: "Why our warehouse?"}
  case_study:
"""
STAGES = """  stages:
    - id: rh
      name: {fr: Entretien RH, en: HR interview}
      minutes: 30
      competencies: [Animation d’équipe]
    - id: terrain
      name: {fr: Visite de terrain, en: Site visit}
      minutes: 60
      competencies: [pilotage-des-flux]
      case_study: true
    - id: direction
      name: {fr: Entretien de direction, en: Leadership interview}
      competencies: [securite]
salary:
"""
FLOWS_Q = "Racontez la pire semaine de soldes"  # the Pilotage des flux question
TEAM_Q = "Comment accueillez-vous un intérimaire le premier matin ?"
SAFETY_Q = "Quel accident avez-vous évité ?"
GENERAL_Q = "Pourquoi notre entrepôt ?"
CASE = "Le quai saturé"


def run(root: Path, *args: str):
    return CliRunner().invoke(main, ["-C", str(root), *args], catch_exceptions=False)


def staged(tmp_path: Path, stages: str = STAGES) -> Path:
    shutil.copytree(FIXTURE, tmp_path, dirs_exist_ok=True)
    role = tmp_path / "roles" / f"{ROLE}.yaml"
    text = role.read_text(encoding="utf-8")
    text = text.replace("interview:\n", SAFETY, 1).replace("  case_study:\n", QUESTIONS, 1)
    text = text.replace("salary:\n", stages, 1)
    role.write_text(text, encoding="utf-8")
    return tmp_path


def test_the_fixture_names_its_questions(tmp_path):
    text = (staged(tmp_path) / "roles" / f"{ROLE}.yaml").read_text(encoding="utf-8")
    assert all(q.split(" ?")[0] in text for q in (TEAM_Q, SAFETY_Q, GENERAL_Q, CASE))
    assert FLOWS_Q in text


@pytest.mark.parametrize("stage, has, has_not", [
    ("rh", [TEAM_Q, GENERAL_Q, "Étape : Entretien RH", "30 minutes"], [FLOWS_Q, SAFETY_Q, CASE]),
    ("terrain", [FLOWS_Q, CASE, "Étape : Visite de terrain", "60 minutes"], [TEAM_Q, SAFETY_Q, GENERAL_Q]),
    ("Entretien de direction", [SAFETY_Q], [TEAM_Q, FLOWS_Q, GENERAL_Q, CASE]),
])
def test_each_stage_kit_holds_its_questions_and_no_other_stages(tmp_path, stage, has, has_not):
    root = staged(tmp_path)
    result = run(root, "kit", ROLE, "--level", "senior", "--stage", stage, "-f", "pdf,docx")
    assert result.exit_code == 0, result.output
    stage_id = {"Entretien de direction": "direction"}.get(stage, stage)
    stem = root / "output" / ROLE / f"interview-kit-senior-{stage_id}"
    for text in (pdf_text(stem.with_suffix(".pdf")), docx_text(stem.with_suffix(".docx"))):
        flat = " ".join(text.split())
        for phrase in has:
            assert phrase in flat, (stage, phrase)
        for phrase in has_not:
            assert phrase not in flat, (stage, phrase)


def test_build_writes_the_full_kit_and_one_kit_per_stage_in_each_language(tmp_path):
    root = staged(tmp_path)
    result = run(root, "build", "-f", "html")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (root / "output" / ROLE).glob("interview-kit-*"))
    expected = [f"interview-kit-{lv}{st}{lang}.html" for lv in ("junior", "senior")
                for st in ("", "-direction", "-rh", "-terrain") for lang in ("", ".en")]
    assert names == sorted(expected)
    english = (root / "output" / ROLE / "interview-kit-senior-terrain.en.html").read_text(encoding="utf-8")
    assert "Stage: Site visit" in english and "Tell us about the worst sales week" in english
    assert "How do you welcome a temporary worker" not in english
    # a stage removed from the file: its kits are orphans, reported (and kept) by the next build
    role = root / "roles" / f"{ROLE}.yaml"
    text = role.read_text(encoding="utf-8")
    role.write_text(text[:text.index("    - id: direction")] + "salary:" + text.split("\nsalary:", 1)[1],
                    encoding="utf-8")
    result = run(root, "build", "-f", "html")
    assert result.exit_code == 0, result.output
    assert "4 output(s) no longer match a role" in result.output
    assert f"{ROLE}/interview-kit-senior-direction.html" in result.output


def test_an_unknown_stage_is_a_usage_error(tmp_path):
    result = run(staged(tmp_path), "kit", ROLE, "--level", "senior", "--stage", "final")
    assert result.exit_code == 2
    assert "unknown stage 'final' (stages: rh, terrain, direction)" in result.output


@pytest.mark.parametrize("stages, message", [
    (STAGES.replace("[securite]", "[Sécurty, vision]"),
     ":81:22: interview.stages[2].competencies[0]: unknown competency 'Sécurty' (competencies: Pilotage des flux, "
     "Animation d’équipe, Sécurité; or their ids: pilotage-des-flux, animation-d-equipe, securite): "
     "did you mean 'Sécurité'?"),
    (STAGES.replace("[securite]", "[SECURITÉ, vision]"),
     ":81:32: interview.stages[2].competencies[1]: unknown competency 'vision' (competencies: Pilotage des flux, "
     "Animation d’équipe, Sécurité; or their ids: pilotage-des-flux, animation-d-equipe, securite)\n1 problem"),
    (STAGES.replace("- id: terrain", "- id: rh"), ":74:11: interview.stages[1].id: stage id 'rh' is given twice"),
    (STAGES.replace("      competencies: [securite]\n", ""),
     ":79:7: interview.stages[2]: a stage assesses at least one competency or the case study"),
])
def test_bad_stages_are_data_errors_with_their_place(tmp_path, stages, message):
    root = staged(tmp_path, stages)
    result = run(root, "validate")
    assert result.exit_code == 1, result.output
    assert f"roles/{ROLE}.yaml{message}" in result.output, result.output


def test_validate_warns_about_a_competency_no_stage_assesses(tmp_path):
    root = staged(tmp_path, STAGES.replace("[securite]", "[pilotage-des-flux]"))
    result = CliRunner().invoke(main, ["-C", str(root), "validate"])
    assert result.exit_code == 0, result.output
    assert f"warning: roles/{ROLE}.yaml: Sécurité is assessed in no stage" in result.stderr


# -- fillable kits ----------------------------------------------------------------------------------

def _fields(path: Path) -> dict[str, dict]:
    """Every top-level AcroForm field: its type, and the options of a radio group in their order."""
    reader = PdfReader(path)
    out = {}
    for ref in reader.trailer["/Root"]["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if "/Parent" in field:
            continue
        options = [str(o) for o in field.get("/Opt", [])]
        out[str(field["/T"])] = {"type": str(field.get("/FT")), "options": options,
                                 "multiline": bool(int(field.get("/Ff", 0)) & (1 << 12))}
    return out


def test_a_kit_pdf_is_a_form_with_the_documented_field_names(tmp_path):
    root = staged(tmp_path)
    result = run(root, "kit", ROLE, "--level", "senior", "-f", "pdf")
    assert result.exit_code == 0, result.output
    path = root / "output" / ROLE / "interview-kit-senior.pdf"
    fields = _fields(path)
    for name in ("interviewer", "candidate", "date"):
        assert fields[name]["type"] == "/Tx" and not fields[name]["multiline"], name
    for competency in ("pilotage-des-flux", "animation-d-equipe", "securite"):
        assert fields[f"rating:{competency}"] == {"type": "/Btn", "options": ["1", "2", "3", "4", "na"],
                                                  "multiline": False}
    assert fields["case_study"]["options"] == ["1", "2", "3", "4"]
    assert fields["recommendation"]["options"] == ["definitely-not", "no", "yes", "strong-yes"]
    assert [n for n in fields if n.startswith("notes:")] == ["notes:1", "notes:2", "notes:3", "notes:4"]
    assert fields["notes"]["multiline"] and fields["notes:1"]["multiline"]
    # what pypdf and viewers list: the groups, not their buttons under a doubled name
    assert sorted(PdfReader(path).get_fields()) == sorted(fields)
    info = PdfReader(path).metadata
    assert (info["/KitgenRole"], info["/KitgenLevel"], info["/KitgenStage"]) == (ROLE, "senior", "")


def test_each_rating_row_says_what_each_score_means_at_the_kits_level(tmp_path):
    root = staged(tmp_path)
    result = run(root, "kit", ROLE, "--level", "senior", "--stage", "terrain", "-f", "pdf,docx")
    assert result.exit_code == 0, result.output
    stem = root / "output" / ROLE / "interview-kit-senior-terrain"
    for text in (pdf_text(stem.with_suffix(".pdf")), docx_text(stem.with_suffix(".docx"))):
        sheet = " ".join(text.split("Grille de notation")[-1].split())
        # senior is the top level: 1 below the lower anchor, 2 = junior's anchor, 3 = target, 4 = beyond
        for phrase in ("En deçà : Suit les indicateurs quotidiens de l’entrepôt.",
                       "Suit les indicateurs quotidiens de l’entrepôt.", "Redessine les flux quand les volumes doublent.",
                       "Au-delà des attentes du niveau Expérimenté", "Non évalué"):
            assert phrase in sheet, phrase


def test_no_fillable_prints_as_before_without_a_form(tmp_path):
    root = staged(tmp_path)
    result = run(root, "kit", ROLE, "--level", "senior", "--no-fillable", "-f", "pdf")
    assert result.exit_code == 0, result.output
    reader = PdfReader(root / "output" / ROLE / "interview-kit-senior.pdf")
    assert "/AcroForm" not in reader.trailer["/Root"]
