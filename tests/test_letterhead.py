"""Issue 9, Word letterheads: an offer letter filled into the company's own .docx with docxtpl.

tests/fixtures/letterhead/letterhead.docx is letterhead.fodt saved by LibreOffice: its
placeholders are split across Word runs (bold or italic in the middle, even inside "{{"). A bad
placeholder fails before any letter is written, listing the unknown and the available ones.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from kitgen.formats.letterhead import FIELDS, fields_context
from tests.support import ROOT, docx_text, pdf_text, tool
from tests.test_templates import doc_tables, walk

FIXTURES = ROOT / "tests" / "fixtures" / "letterhead"
LETTERHEAD = FIXTURES / "letterhead.docx"
NNBSP, NBSP = "\u202f", "\u00a0"
EPOCH = "1767225600"  # 2026-01-01: today for the letters
ARGS = ("offer", "directeur-ecommerce", "--candidate", "Élodie R&D <Marchand>", "--level", "confirme",
        "--location", "Paris", "--salary", "85000", "--start-date", "2027-02-01",
        "--address", "3 rue des Fleurs\\n69002 Lyon")
LETTER = "output/directeur-ecommerce/offer-elodie-r-d-marchand"
CSV = ("name,role,level,location,salary,start_date,contract,end_date\n"
       "Élodie Marchand,directeur-ecommerce,confirme,Paris,85000,2027-02-01,,\n"
       "Jordan Lee,backend-engineer,mid,Austin,150000,2027-03-01,CDD,2027-09-30\n")


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def bad_template(path: Path, text: str) -> Path:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    document.save(str(path))
    return path


def document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_the_fixture_really_splits_placeholders_across_runs():
    xml = document_xml(LETTERHEAD)
    assert "{{ candidate.name }}" in xml  # typed in one run...
    assert "<w:t>{</w:t>" in xml and "{ candidate.na</w:t>" in xml  # ...and split inside "{{" too
    assert "{{ offer.</w:t>" in xml


def test_a_good_letterhead_gives_a_letter_with_the_candidate_salary_and_dates(cli, project):
    result = cli(*ARGS, "--docx-template", str(LETTERHEAD), "-f", "docx,pdf")
    assert result.exit_code == 0, result.output
    path = project / f"{LETTER}.docx"
    text = docx_text(path)
    assert text.splitlines()[:4] == ["Paris, le 1er janvier 2026", "Élodie R&D <Marchand>",
                                     "3 rue des Fleurs", "69002 Lyon"]  # the address keeps its line break
    for expected in ("Bonjour Élodie R&D <Marchand>,",
                     "Directeur ou directrice e-commerce (niveau Confirmé), à Paris, en Contrat à durée "
                     "indéterminée (CDI), à compter du 1er février 2027.",
                     f"Votre rémunération sera de 85{NNBSP}000{NBSP}€ brut par an, soit "
                     f"7{NNBSP}083,33{NBSP}€ brut par mois.",
                     "Merci de nous répondre avant le 16 janvier 2026.",
                     "Avantages : Mutuelle santé prise en charge à 60 % par l’entreprise ; Tickets restaurant",
                     "Hélène Marchand, Directrice des ressources humaines"):
        assert expected in text, expected
    assert "{" not in document_xml(path) and "et jusqu’au" not in text  # a CDI has no end date
    from docx import Document

    header = Document(str(path)).sections[0].header.paragraphs[0].text
    assert header == "Petits Pas SAS · https://www.petitspas.example"
    with zipfile.ZipFile(path) as archive:  # one entry per name: LibreOffice's core-properties quirk
        names = archive.namelist()
    assert len(names) == len(set(names))
    # The PDF still comes from the HTML letter.
    assert _gettext("Accepted by the candidate") in pdf_text(project / f"{LETTER}.pdf")


def _gettext(text: str) -> str:
    from kitgen.documents import templating

    return templating.translations("fr").gettext(text)


def test_a_bad_placeholder_fails_with_the_unknown_and_the_available_ones(cli, project, tmp_path):
    template = bad_template(tmp_path / "bad.docx", "Bonjour {{ candidate.nom }}, {{ salaire }} "
                                                   "{{ offer.salary }} {% for b in company.benefits %}{{ b }}{% endfor %}")
    result = cli(*ARGS, "--docx-template", str(template), "-f", "docx,pdf")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"error: {template}: unknown placeholders: {{{{ candidate.nom }}}}, {{{{ salaire }}}}"
    assert lines[1] == "available: " + ", ".join(f"{{{{ {name} }}}}" for name in FIELDS)
    assert not (project / "output").exists()  # checked before anything is written


def test_offers_fill_the_letterhead_for_every_row_and_a_bad_one_writes_nothing(cli, project, tmp_path):
    csv = tmp_path / "candidates.csv"
    csv.write_text(CSV, encoding="utf-8")
    bad = bad_template(tmp_path / "bad.docx", "{{ candidate.nom }}")
    failed = cli("offers", str(csv), "--docx-template", str(bad), "-f", "docx")
    assert failed.exit_code == 1 and "unknown placeholder: {{ candidate.nom }}" in failed.output
    assert not (project / "output").exists()
    result = cli("offers", str(csv), "--docx-template", str(LETTERHEAD), "-f", "docx", "-q")
    assert result.exit_code == 0, result.output
    english = docx_text(project / "output/backend-engineer/offer-jordan-lee.docx")
    assert "à compter du March 1, 2027 et jusqu’au September 30, 2027." in english
    assert "Fixed-term contract (CDD)" in english and "$150,000 brut per year" in english


def test_kitgen_toml_offer_template_is_used_and_the_option_wins(cli, project, tmp_path):
    shutil.copy(LETTERHEAD, project / "letterhead.docx")
    (project / "kitgen.toml").write_text('offer_template = "letterhead.docx"\n', encoding="utf-8")
    assert cli(*ARGS, "-f", "docx").exit_code == 0
    assert "Bonjour Élodie R&D <Marchand>," in docx_text(project / f"{LETTER}.docx")
    # A relative --docx-template is read from the project first (the tests run elsewhere).
    assert cli(*ARGS, "-f", "docx", "--docx-template", "letterhead.docx", "--force").exit_code == 0
    other = bad_template(tmp_path / "other.docx", "Lettre pour {{ candidate.name }}")
    assert cli(*ARGS, "-f", "docx", "--docx-template", str(other), "--force").exit_code == 0
    assert docx_text(project / f"{LETTER}.docx") == "Lettre pour Élodie R&D <Marchand>"
    assert cli(*ARGS, "-f", "pdf", "--force").exit_code == 0  # no DOCX asked: the setting is unused
    (project / "letterhead.docx").unlink()
    missing = cli(*ARGS, "-f", "docx", "--force")
    assert (missing.exit_code, missing.output) == (
        1, "kitgen.toml: offer_template: letterhead.docx: no such file\n1 problem found\n")


def test_usage_and_file_errors(cli, project, tmp_path):
    pdf_only = cli(*ARGS, "-f", "pdf", "--docx-template", str(LETTERHEAD))
    assert pdf_only.exit_code == 2
    assert "--docx-template fills the DOCX letter: add docx to -f/--format" in pdf_only.output
    absent = cli(*ARGS, "-f", "docx", "--docx-template", "absent.docx")
    assert absent.exit_code == 2 and "Invalid value for '--docx-template': 'absent.docx': no such file" in absent.output
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip", encoding="utf-8")
    result = cli(*ARGS, "-f", "docx", "--docx-template", str(fake))
    assert (result.exit_code, result.output) == (
        1, f"error: {fake}: not a Word .docx file (a .doc or .odt must be saved as .docx first)\n")
    syntax = bad_template(tmp_path / "syntax.docx", "{{ candidate.name }")
    result = cli(*ARGS, "-f", "docx", "--docx-template", str(syntax))
    assert result.exit_code == 1 and f"error: {syntax}: placeholder syntax error" in result.output


def test_the_letterhead_is_sandboxed(cli, project, tmp_path):
    template = bad_template(tmp_path / "evil.docx", "{{ candidate.name.__class__.__mro__ }}")
    result = cli(*ARGS, "-f", "docx", "--docx-template", str(template))
    assert result.exit_code == 1
    assert "unsafe" in result.output
    assert not (project / f"{LETTER}.docx").exists()


def test_templates_fields_offer_lists_every_field():
    from click.testing import CliRunner

    from kitgen.cli import main

    output = CliRunner().invoke(main, ["templates", "fields", "offer"]).output
    assert [line.split()[1] for line in output.splitlines()] == list(FIELDS)
    assert "{{ offer.salary }}" in output and "formatted: 85 000 €" in output


def test_fields_the_docs_and_the_context_agree(project):
    import datetime as dt

    from kitgen.commands import open_project
    from kitgen.documents.offer import OfferRequest, prepare_offer
    from kitgen.documents.render import render_offer

    documented = [row[0].strip("`") for row in doc_tables("fields")["offer"]]
    assert documented == list(FIELDS)
    sample = open_project(project)
    _, role = sample.find_role("directeur-ecommerce")
    request = OfferRequest(candidate="A", level="confirme", location="Paris", salary=85000,
                           start_date=dt.date(2027, 2, 1))
    doc = render_offer(role, sample.company, prepare_offer(role, sample.company, request, dt.date(2026, 1, 1)))
    found: dict[str, set[str]] = {}
    walk(fields_context(doc), "", found, set())
    leaves = {path for path, kinds in found.items() if "mapping" not in kinds and path}
    assert leaves == set(FIELDS)
    assert all(kinds <= {"text", "list of text"} for path, kinds in found.items() if path in FIELDS)


@pytest.mark.realclient
def test_a_letterhead_saved_by_libreoffice_now_still_works(cli, project, tmp_path):
    """Save letterhead.fodt with the installed LibreOffice (not the committed copy) and fill it."""
    import subprocess

    soffice = tool("soffice")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "docx", "--outdir", str(tmp_path), str(FIXTURES / "letterhead.fodt")],
                   check=True, capture_output=True, timeout=120)
    saved = tmp_path / "letterhead.docx"
    assert saved.is_file(), "soffice exited 0 without writing the file"
    result = cli(*ARGS, "-f", "docx", "--docx-template", str(saved))
    assert result.exit_code == 0, result.output
    text = docx_text(project / f"{LETTER}.docx")
    assert "Élodie R&D <Marchand>" in text and f"85{NNBSP}000{NBSP}€" in text and "1er février 2027" in text
