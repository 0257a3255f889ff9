"""Issue 15, accessible documents: every sample PDF declares PDF/UA-1 and passes an independent
checker (the `pdfua` package) with no error and no warning; the structure tree is read back with
pypdf for what the checker does not cover (header cells' scope, headings in order, no layout
table tagged as a data table, figures with alternative text). In the DOCX: headings in order,
table header rows marked, the logo's alternative text."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from kitgen.documents.htmltree import XHTML, parse, tag
from kitgen.formats.docx import DocxFormat
from kitgen.formats.pdf import PdfFormat
from tests.support import IN_CI, docx_paragraphs
from tests.test_branding import branded  # noqa: F401  (the fixture: a company with a logo)
from tests.test_docx_words import documents

DOCUMENTS = list(documents())
IDS = [f"{name}-{kind}" for name, kind, _ in DOCUMENTS]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("a11y")
    paths = {}
    for (name, kind, doc), ident in zip(DOCUMENTS, IDS):
        paths[ident] = folder / f"{ident}.pdf"
        paths[ident].write_bytes(PdfFormat().render(doc))
    return paths


def structure(path: Path):
    """(element, parent element) for every structure element of the PDF, in document order."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    out = []

    def walk(node, parent):
        kids = node.get("/K")
        if kids is None:
            return
        kids = kids.get_object()
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object()
            if isinstance(kid, dict) and kid.get("/Type", "/StructElem") == "/StructElem" and "/S" in kid:
                out.append((kid, parent))
                walk(kid, kid)

    walk(root, None)
    return reader, out


def marks_content(element) -> bool:
    kids = element.get("/K")
    if kids is None:
        return False
    kids = kids.get_object()
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if isinstance(kid, int) or (isinstance(kid, dict) and (kid.get("/Type") == "/MCR" or marks_content(kid))):
            return True
    return False


def children(element) -> list:
    kids = element.get("/K")
    kids = [] if kids is None else kids.get_object()
    return [kid.get_object() for kid in (kids if isinstance(kids, list) else [kids])
            if isinstance(kid.get_object(), dict) and "/S" in kid.get_object()]


def test_every_sample_pdf_passes_the_pdfua_checker_with_no_finding(pdfs):
    try:
        import pdfua
    except ImportError:
        if IN_CI:
            pytest.fail("pdfua is not installed (CI=true): it is in the test extra of pyproject.toml")
        pytest.skip("pdfua not installed")
    findings = {}
    for ident, path in pdfs.items():
        report = pdfua.validate(str(path))
        found = [f"{f.rule_id} {f.severity.name} {f.message}" for f in report.findings]
        if found:
            findings[ident] = found
    assert findings == {}


def test_every_sample_pdf_declares_pdfua_and_its_language(pdfs):
    from pypdf import PdfReader

    for ident, path in pdfs.items():
        reader = PdfReader(str(path))
        xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
        assert re.search(r"pdfuaid:part[^0-9]{1,3}1\b", xmp), ident
        assert str(reader.trailer["/Root"]["/Lang"]) == ident.split("-")[-2], ident


def test_header_cells_have_a_scope_and_data_cells_know_their_headers(pdfs):
    for ident, path in pdfs.items():
        _, elements = structure(path)
        tables = [el for el, _ in elements if el["/S"] == "/Table"]
        assert tables, ident
        for el, parent in elements:
            if el["/S"] == "/TH":
                row_kinds = {kid["/S"] for kid in children(parent)}
                expected = "/Column" if row_kinds == {"/TH"} else "/Row"
                assert el["/A"]["/Scope"] == expected, (ident, row_kinds)
            if el["/S"] == "/TD":
                assert list(el["/A"].get("/Headers", [])), f"{ident}: a data cell with no header"


def test_no_table_without_header_cells(pdfs):
    """Ruled note lines, rating rows and tick-box rows are layout: not tagged as tables."""
    for ident, path in pdfs.items():
        _, elements = structure(path)

        def has_th(element) -> bool:
            return any(kid["/S"] == "/TH" or has_th(kid) for kid in children(element))

        for el, _ in elements:
            if el["/S"] == "/Table":
                assert has_th(el), f"{ident}: a table with no header cell"


def test_headings_are_in_order_and_not_empty(pdfs):
    for ident, path in pdfs.items():
        _, elements = structure(path)
        levels = [int(el["/S"][2:]) for el, _ in elements if re.fullmatch(r"/H[1-6]", el["/S"])]
        assert levels[:1] == ([] if ident.endswith("offer") else [1]), ident  # a letter has no heading
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (ident, levels)
        assert all(marks_content(el) for el, _ in elements if re.fullmatch(r"/H[1-6]", el["/S"])), ident


def test_the_letterhead_logo_is_a_figure_with_alternative_text(branded):  # noqa: F811
    _, elements = structure(branded["offer"].with_suffix(".pdf"))
    figures = [el for el, _ in elements if el["/S"] == "/Figure"]
    assert [str(el["/Alt"]) for el in figures] == ["Petits Pas"]


def test_the_docx_logo_has_its_alternative_text(branded):  # noqa: F811
    for kind in ("kit", "offer"):
        with zipfile.ZipFile(branded[kind].with_suffix(".docx")) as archive:
            parts = [archive.read(name).decode() for name in archive.namelist()
                     if re.fullmatch(r"word/(document|header\d*)\.xml", name)]
        descriptions = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', "".join(parts))
        assert descriptions and set(descriptions) == {"Petits Pas"}, kind


@pytest.mark.parametrize("ident, doc", [(i, d) for i, (_, _, d) in zip(IDS, DOCUMENTS)], ids=IDS)
def test_docx_headings_in_order_and_header_rows_marked(tmp_path, ident, doc):
    from docx import Document

    path = tmp_path / "doc.docx"
    path.write_bytes(DocxFormat().render(doc))
    document = Document(str(path))
    order = {"Title": 0, "Heading 1": 1, "Heading 2": 2, "Heading 3": 3}
    levels = [order[p.style.name] for p in docx_paragraphs(document) if p.style.name in order]
    if ident.endswith("offer"):  # a letter has no heading
        assert levels == []
    else:
        assert levels[0] == 0 and levels.count(0) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    html_header_rows = sum(1 for head in parse(doc.html).iter(f"{XHTML}thead") for row in head if tag(row) == "tr")
    assert document.element.xml.count("<w:tblHeader") == html_header_rows
