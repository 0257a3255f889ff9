"""Issue 15, the DOCX as a recruiter opens it: every sample document (both roles, three kinds, two
languages) converted by LibreOffice has the page count of kitgen's own PDF (ads and letters equal,
kits within one page), no page holds only the running header and footer, and this holds twice:
on a machine with Carlito (the metric twin of Calibri, which the font table names as the
alternative) and on one with neither Carlito nor Kitgen Sans, where only the embedded font can
give the same line breaks."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from kitgen.formats.docx import DocxFormat
from kitgen.formats.pdf import PdfFormat
from tests.support import IN_CI, tool
from tests.test_docx_fonts import no_carlito_env, pdf_fonts
from tests.test_docx_words import documents
from tests.test_pages import body_words

pytestmark = pytest.mark.realclient


def page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def convert(folder: Path, docx: list[Path], env: dict[str, str] | None) -> Path:
    """One LibreOffice run converting every DOCX of `docx` into folder/lo-*/."""
    out = folder / ("lo-system" if env is None else "lo-no-carlito")
    profile = (folder / f"profile-{out.name}").as_uri()
    subprocess.run([tool("soffice"), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *map(str, docx)], capture_output=True, timeout=900, env=env, check=False)
    return out


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Per document: the WeasyPrint PDF, and LibreOffice's PDF of the DOCX in both font set-ups."""
    folder = tmp_path_factory.mktemp("docx-pages")
    families = subprocess.run([tool("fc-list"), ":", "family"], capture_output=True, text=True).stdout
    if "Carlito" not in families:
        if IN_CI:
            pytest.fail("Carlito is not installed (CI=true): .ci/run must install fonts-crosextra-carlito")
        pytest.skip("Carlito not installed")
    docs = {}
    for name, kind, doc in documents():
        ident = f"{name}-{kind}"
        (folder / f"{ident}.pdf").write_bytes(PdfFormat().render(doc))
        (folder / f"{ident}.docx").write_bytes(DocxFormat().render(doc))
        docs[ident] = kind
    docx = [folder / f"{ident}.docx" for ident in docs]
    system = convert(folder, docx, None)
    bare = convert(folder, docx, no_carlito_env(folder))
    return {ident: (kind, folder / f"{ident}.pdf", system / f"{ident}.pdf", bare / f"{ident}.pdf")
            for ident, kind in docs.items()}


@pytest.mark.parametrize("setup", ["with Carlito", "embedded font only"])
def test_the_docx_has_the_page_count_of_the_pdf(pages, setup):
    counts = {}
    for ident, (kind, pdf, system, bare) in pages.items():
        office = system if setup == "with Carlito" else bare
        assert office.exists(), f"LibreOffice made no PDF of {ident}.docx"
        counts[ident] = (page_count(pdf), page_count(office))
    wrong = {ident: (ours, office) for ident, (ours, office) in counts.items()
             if (abs(ours - office) > 1 if pages[ident][0] == "kit" else ours != office)}
    assert wrong == {}, counts


@pytest.mark.parametrize("setup", ["with Carlito", "embedded font only"])
def test_no_page_holds_only_the_header_and_the_footer(pages, setup):
    for ident, (_, pdf, system, bare) in pages.items():
        for path in (pdf, system if setup == "with Carlito" else bare):
            empty = [number for number, words in enumerate(body_words(path), 1) if not words]
            assert empty == [], (ident, path.parent.name, empty)


def test_without_carlito_libreoffice_draws_the_embedded_kitgen_sans(pages):
    for ident, (_, _, _, bare) in pages.items():
        fonts = pdf_fonts(bare)
        assert {"KitgenSans-Regular", "KitgenSans-Bold"} <= set(fonts), (ident, fonts)
        assert all(fonts[name] == "yes" for name in fonts if name.startswith("KitgenSans")), (ident, fonts)


@pytest.mark.parametrize("setup", ["with Carlito", "embedded font only"])
def test_the_last_page_of_every_docx_holds_a_quarter_of_a_page(pages, setup):
    """Page composition in the DOCX too: short lists kept with their heading, the how-to-apply box
    kept with the section before it (measured on LibreOffice's PDF, pdftotext -bbox)."""
    from kitgen.formats.pdf import MIN_LAST_PAGE
    from tests.test_pages import last_page_share

    shares = {}
    for ident, (_, _, system, bare) in pages.items():
        office = system if setup == "with Carlito" else bare
        if len(body_words(office)) > 1:
            shares[ident] = round(last_page_share(office), 2)
    assert shares and {ident: share for ident, share in shares.items() if share < MIN_LAST_PAGE} == {}, shares
