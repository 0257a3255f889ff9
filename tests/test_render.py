"""Issue 3: the three documents of both sample roles, read back from PDF and DOCX.

Rendered once per module (PDF is the slow part); each test reads the files back.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import zipfile
from pathlib import Path

import pytest

from kitgen.commands import open_project
from kitgen.documents.context import AdOptions, KitOptions
from kitgen.documents.offer import OfferRequest, prepare_offer
from kitgen.documents.render import render_ad, render_kit, render_offer
from kitgen.outputs.produce import produce
from tests.support import (
    ROOT,
    docx_paragraphs,
    docx_text,
    expected_strings,
    missing,
    pdf_text,
    tool,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ROLES = ("directeur-ecommerce", "backend-engineer")
OFFERS = {"directeur-ecommerce": ("Élodie Marchand", "confirme", "Paris", 85000),
          "backend-engineer": ("Jordan Lee", "mid", "Austin", 150000)}


def _documents(project):
    today = dt.date(2026, 11, 26)
    for role_id in ROLES:
        _, role = project.find_role(role_id)
        company, templates, root = project.company, project.templates_dir, project.root
        yield render_ad(role, company, AdOptions(date_posted=today), templates, None, root)
        level = role.level_ids[1]
        yield render_kit(role, company, KitOptions(level=level, candidate="Camille Dupont",
                                                   interviewers=("Hélène Marchand", "Sam Roy")), templates, None, root)
        name, level, place, salary = OFFERS[role_id]
        request = OfferRequest(candidate=name, level=level, location=place, salary=salary,
                               start_date=dt.date(2027, 2, 1), address="3 rue des Fleurs\n69002 Lyon")
        options = prepare_offer(role, company, request, today)
        yield render_offer(role, company, options, templates, None, root)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """[(Rendered, {suffix: path})] for the 6 documents, in pdf, docx and html."""
    out = tmp_path_factory.mktemp("out")
    project = open_project(ROOT)
    docs = []
    for doc in _documents(project):
        paths = produce(doc, ["pdf", "docx", "html"], out)
        docs.append((doc, {p.suffix[1:]: p for p in paths}))
    return docs


@pytest.mark.parametrize("index", range(6))
@pytest.mark.parametrize("suffix", ["pdf", "docx"])
def test_nothing_lost(rendered, index, suffix):
    doc, paths = rendered[index]
    text = pdf_text(paths["pdf"]) if suffix == "pdf" else docx_text(paths["docx"])
    assert missing(expected_strings(doc), text) == []


def test_money_and_dates_in_the_documents_language(rendered):
    ad_fr = pdf_text(rendered[0][1]["pdf"])
    offer_fr, offer_en = pdf_text(rendered[2][1]["pdf"]), pdf_text(rendered[5][1]["pdf"])
    assert "62\u202f550\u00a0€ – 165\u202f000\u00a0€ brut par an" in ad_fr.replace("\n", " ")
    assert "85\u202f000\u00a0€ par an" in offer_fr and "brut par an" not in offer_fr  # "Salaire brut" once
    assert "1er février 2027" in offer_fr
    assert "$150,000 per year" in offer_en
    assert "February 1, 2027" in offer_en


def test_output_names(rendered):
    names = [p.name for _, paths in rendered for p in paths.values()]
    assert "job-ad.pdf" in names
    assert "interview-kit-confirme-camille-dupont.docx" in names
    assert "offer-elodie-marchand.pdf" in names


def test_pdf_metadata_and_pages(rendered):
    from pypdf import PdfReader

    doc, paths = rendered[1]
    reader = PdfReader(str(paths["pdf"]))
    assert reader.metadata.title == doc.title
    assert reader.metadata.author == "Petits Pas"
    pages = len(reader.pages)
    assert pages >= 4
    assert reader.pages[1].extract_text().splitlines()[-1] == f"Page 2 / {pages}"


def test_pdf_fonts_are_embedded(rendered):
    from pypdf import PdfReader

    for _, paths in rendered:
        reader = PdfReader(str(paths["pdf"]))
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font["/BaseFont"]


def _docx_xml(path: Path, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(part).decode("utf-8")


def test_docx_word_structure(rendered):
    from docx import Document
    _, paths = rendered[1]
    document = Document(str(paths["docx"]))
    styles = {p.style.name for p in docx_paragraphs(document)}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Number"} <= styles
    xml = _docx_xml(paths["docx"])
    assert "<w:tblHeader" in xml  # header rows repeat on every page
    assert "<w:numPr>" in xml  # real numbered list items
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.top_margin.mm)) == (18, 22)
    footer = "".join(_docx_xml(paths["docx"], name) for name in zipfile.ZipFile(paths["docx"]).namelist()
                     if name.startswith("word/footer"))
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_docx_numbered_lists_restart(rendered):
    """Each <ol> gets its own numbering instance starting at 1."""
    _, paths = rendered[1]
    xml = _docx_xml(paths["docx"], "word/numbering.xml")
    assert '<w:startOverride w:val="1"/>' in xml


def test_docx_core_properties(rendered):
    from docx import Document

    doc, paths = rendered[3]
    props = Document(str(paths["docx"])).core_properties
    assert props.title == doc.title
    assert props.subject == doc.subject
    assert props.author == "Petits Pas"
    assert props.language == "en"


def test_html_has_inlined_css_and_no_external_fetch(rendered):
    _, paths = rendered[0]
    html = paths["html"].read_text(encoding="utf-8")
    assert "@page" in html and "<link" not in html


@pytest.mark.realclient
def test_libreoffice_opens_every_docx(rendered, tmp_path):
    soffice = tool("soffice")
    docx = [str(paths["docx"]) for _, paths in rendered]
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *docx], check=True, capture_output=True, timeout=300)
    from pypdf import PdfReader

    for path in docx:
        pdf = tmp_path / (Path(path).stem + ".pdf")
        assert pdf.exists(), f"LibreOffice did not convert {path}"  # soffice exits 0 even on failure
        assert len(PdfReader(str(pdf)).pages) >= 1


@pytest.mark.realclient
def test_qpdf_check_passes(rendered):
    qpdf = tool("qpdf")
    for _, paths in rendered:
        result = subprocess.run([qpdf, "--check", str(paths["pdf"])], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.realclient
def test_pdffonts_all_embedded(rendered):
    pdffonts = tool("pdffonts")
    for _, paths in rendered:
        lines = subprocess.run([pdffonts, str(paths["pdf"])], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        assert lines, "no fonts listed"
        for line in lines:
            assert line.split()[-5] == "yes", line  # the 'emb' column
