"""Issue 8: reproducible and accessible output.

With SOURCE_DATE_EPOCH set, two renders of the same inputs are byte-identical (PDF and DOCX); the
PDF is tagged (structure tree, /Lang, /MarkInfo) and carries title, author, subject; the DOCX core
properties carry title, subject, author (the company) and language, never python-docx's defaults.
"""

from __future__ import annotations

import zipfile

import pytest

EPOCH = "1790000000"  # 2026-09-21


@pytest.fixture
def twice(cli, project, monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    outs = []
    for run in (1, 2):
        out = tmp_path / f"run{run}"
        result = cli("kit", "directeur-ecommerce", "--level", "confirme", "-f", "pdf,docx", "-o", str(out))
        assert result.exit_code == 0, result.output
        outs.append(out / "directeur-ecommerce")
    return outs


def test_byte_identical_under_source_date_epoch(twice):
    first, second = twice
    for name in ("interview-kit-confirme.pdf", "interview-kit-confirme.docx"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_docx_zip_entries_and_properties_are_fixed(twice):
    from docx import Document

    path = twice[0] / "interview-kit-confirme.docx"
    with zipfile.ZipFile(path) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 9, 21, 14, 13, 20)}
    props = Document(str(path)).core_properties
    assert props.author == "Petits Pas" and props.last_modified_by == "Petits Pas"
    assert props.language == "fr"
    assert props.title.startswith("Guide d’entretien")
    assert props.subject == "Entretien structuré, niveau Confirmé"
    assert props.created.year == 2026 and props.modified == props.created
    assert "python-docx" not in (path.read_bytes().decode("latin-1"))


def test_pdf_is_tagged_with_language_and_metadata(twice):
    from pypdf import PdfReader

    reader = PdfReader(str(twice[0] / "interview-kit-confirme.pdf"))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    tree = root["/StructTreeRoot"].get_object()
    assert tree["/K"]  # the structure tree has content
    meta = reader.metadata
    assert meta.title.startswith("Guide d’entretien")
    assert meta.author == "Petits Pas"
    assert meta.subject == "Entretien structuré, niveau Confirmé"


def test_pdf_structure_follows_reading_order(twice):
    """The first structure elements are the document's title then its first heading."""
    from pypdf import PdfReader

    reader = PdfReader(str(twice[0] / "interview-kit-confirme.pdf"))
    tree = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    kinds = []

    def walk(node, depth=0):
        node = node.get_object()
        if isinstance(node, dict) and "/S" in node:
            kinds.append(str(node["/S"]))
        children = node.get("/K") if isinstance(node, dict) else None
        if isinstance(children, list):
            for child in children:
                if hasattr(child, "get_object") and isinstance(child.get_object(), dict):
                    walk(child, depth + 1)
        elif children is not None and hasattr(children, "get_object") and isinstance(children.get_object(), dict):
            walk(children, depth + 1)

    walk(tree)
    headings = [k for k in kinds if k in ("/H1", "/H2", "/H3", "/H4")]
    assert headings[:2] == ["/H1", "/H2"]
    assert "/Table" in kinds and "/L" in kinds


def test_build_reproducible_sets_the_epoch_from_the_inputs(cli, project, monkeypatch, tmp_path):
    import os

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for path in project.rglob("*.yaml"):
        os.utime(path, (1790000000, 1790000000))
    outs = []
    for run in (1, 2):
        out = tmp_path / f"b{run}"
        result = cli("build", "backend-engineer", "--level", "mid", "-f", "docx", "--jobs", "1",
                     "--reproducible", "-q", "-o", str(out))
        assert result.exit_code == 0, result.output
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
        outs.append((out / "backend-engineer" / "interview-kit-mid.docx").read_bytes())
    assert outs[0] == outs[1]
    with zipfile.ZipFile(tmp_path / "b1" / "backend-engineer" / "interview-kit-mid.docx") as archive:
        assert archive.infolist()[0].date_time == (2026, 9, 21, 14, 13, 20)
