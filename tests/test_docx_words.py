"""Issue 15 (first part): the DOCX keeps every space of the page. Words are compared, not squashed
strings: a check that stripped whitespace let "Junior :Connaît" (a lost space after every inline
element of the job ad) pass for a whole version."""

from __future__ import annotations

import re

import pytest

from kitgen.commands import open_project
from kitgen.documents.context import AdOptions, KitOptions
from kitgen.documents.htmltree import page_text
from kitgen.documents.render import render_ad, render_kit
from kitgen.formats.docx import DocxFormat
from tests.support import ROOT, docx_text, tool

ROLES = ("directeur-ecommerce", "backend-engineer")


SAMPLE_OFFERS = {"directeur-ecommerce": ("confirme", "Paris", 85000), "backend-engineer": ("mid", "Austin", 135000)}


def documents():
    """Every document kind of both sample roles, in both languages."""
    import datetime as dt

    from kitgen.documents.offer import OfferRequest, prepare_offer
    from kitgen.documents.render import render_offer

    project = open_project(ROOT)
    for role_id in ROLES:
        _, role = project.find_role(role_id)
        level, place, salary = SAMPLE_OFFERS[role_id]
        request = OfferRequest(candidate="Élodie Marchand", level=level, location=place, salary=salary,
                               start_date=dt.date(2030, 2, 1))
        offer = prepare_offer(role, project.company, request, dt.date(2029, 12, 1))
        for lang in ("fr", "en"):
            yield f"{role_id}-{lang}", "ad", render_ad(role, project.company, AdOptions(), project.templates_dir,
                                                       lang, ROOT)
            yield f"{role_id}-{lang}", "kit", render_kit(role, project.company, KitOptions(level=level),
                                                         project.templates_dir, lang, ROOT)
            yield f"{role_id}-{lang}", "offer", render_offer(role, project.company, offer, project.templates_dir,
                                                             lang, ROOT)


@pytest.mark.parametrize("role_id, kind, doc", list(documents()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_word_of_the_docx_is_a_word_of_the_page(tmp_path, role_id, kind, doc):
    path = tmp_path / "doc.docx"
    path.write_bytes(DocxFormat().render(doc))
    page_words = set(page_text(doc.html).split())
    symbols = {"○", "☐"}  # drawn by the stylesheet in the PDF, written as text in Word
    glued = sorted({word for word in docx_text(path).split() if word not in page_words | symbols})
    assert glued == []


def test_the_label_and_its_text_stay_apart(tmp_path):
    project = open_project(ROOT)
    _, role = project.find_role("directeur-ecommerce")
    doc = render_ad(role, project.company, AdOptions(), project.templates_dir, None, ROOT)
    path = tmp_path / "ad.docx"
    path.write_bytes(DocxFormat().render(doc))
    text = docx_text(path)
    assert "Junior\u00a0: Connaît" in text and "Formation\u00a0: Bac+5" in text
    assert "Junior\u00a0:Connaît" not in text


def test_no_blank_thumbnail_no_foreign_application_and_brand_coloured_rules(tmp_path):
    import zipfile

    from kitgen import __version__

    project = open_project(ROOT)
    _, role = project.find_role("backend-engineer")
    doc = render_ad(role, project.company, AdOptions(), project.templates_dir, None, ROOT)
    doc.brand_color = "#2e7d32"
    path = tmp_path / "ad.docx"
    path.write_bytes(DocxFormat().render(doc))
    with zipfile.ZipFile(path) as archive:
        assert "docProps/thumbnail.jpeg" not in archive.namelist()
        assert b"thumbnail" not in archive.read("_rels/.rels")
        assert f"<Application>kitgen {__version__}</Application>".encode() in archive.read("docProps/app.xml")
        styles = archive.read("word/styles.xml").decode()
    title = styles[styles.index('w:styleId="Title"'):].split("</w:style>")[0]
    assert '<w:color w:val="2E7D32"/>' in title and "4F81BD" not in title and "<w:pBdr>" not in title  # as h1
    assert "w:spacing w:val" not in title  # no letter-spacing
    heading = styles[styles.index('w:styleId="Heading1"'):].split("</w:style>")[0]
    assert re.search(r'<w:bottom [^>]*w:color="2E7D32"', heading)  # the rule under h2, in the brand colour
    subtitle = styles[styles.index('w:styleId="Subtitle"'):].split("</w:style>")[0]
    assert "<w:i/>" not in subtitle and "w:spacing w:val" not in subtitle and "accent1" not in subtitle


def _left_edge(pdf, word: str) -> float:
    """Where `word` starts on the first page, as a fraction of the page width (pdftotext -bbox)."""
    import re
    import subprocess

    html = subprocess.run([tool("pdftotext"), "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', html)[1])
    found = re.search(rf'<word xMin="([\d.]+)"[^>]*>{re.escape(word)}</word>', html)
    assert found, f"{word!r} not on the first page of {pdf}"
    return float(found[1]) / width


@pytest.mark.realclient
def test_the_letters_recipient_and_signature_sit_on_the_same_side_in_both_pdfs(tmp_path):
    """Issue 15: the DOCX letter is laid out like the PDF one (named styles Kitgen Recipient and
    Kitgen Signature), checked on LibreOffice's PDF of the DOCX beside WeasyPrint's."""
    import subprocess

    from docx import Document

    from kitgen.documents.offer import OfferRequest, prepare_offer
    from kitgen.documents.render import render_offer
    from kitgen.formats.pdf import PdfFormat

    project = open_project(ROOT)
    _, role = project.find_role("directeur-ecommerce")
    import datetime as dt

    request = OfferRequest(candidate="Élodie Marchand", level="confirme", location="Paris", salary=85000,
                           start_date=dt.date(2030, 2, 1))
    options = prepare_offer(role, project.company, request, dt.date(2029, 12, 1))
    doc = render_offer(role, project.company, options, project.templates_dir, None, ROOT)
    (tmp_path / "letter.docx").write_bytes(DocxFormat().render(doc))
    (tmp_path / "letter.pdf").write_bytes(PdfFormat().render(doc))
    styles = {p.style.name for p in Document(str(tmp_path / "letter.docx")).paragraphs}
    assert {"Kitgen Letterhead", "Kitgen Company", "Kitgen Recipient", "Kitgen Signature",
            "Kitgen Place and Date"} <= styles
    out = tmp_path / "lo"
    subprocess.run([tool("soffice"), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(tmp_path / "letter.docx")], check=False,
                   capture_output=True, timeout=180)
    assert (out / "letter.pdf").exists()
    for word in ("Élodie", "Hélène"):  # the candidate's name, the signatory's
        weasy, office = _left_edge(tmp_path / "letter.pdf", word), _left_edge(out / "letter.pdf", word)
        assert weasy > 0.5 and office > 0.5, (word, weasy, office)
        assert abs(weasy - office) < 0.08, (word, weasy, office)
