"""Test helpers: read PDF/DOCX back, the completeness check, real-client tool lookup."""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def squash(text: str) -> str:
    """Compare text regardless of line wrapping: NFC, no whitespace of any kind, no soft hyphens."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "")
    return re.sub(r"\s+", "", text)


PAGE_FOOTER = re.compile(r"^Page \d+ / \d+$")
LIST_MARKER = re.compile(r"^\s*(•|\d+\.)?\s*$")


def pdf_pages(path: Path) -> list[str]:
    """Text of each page without the running header and footer (drawn last, so extracted last)."""
    from pypdf import PdfReader

    pages = []
    for index, page in enumerate(PdfReader(str(path)).pages):
        lines = (page.extract_text() or "").splitlines()
        if lines and PAGE_FOOTER.match(lines[-1].strip()):
            lines = lines[:-2] if index > 0 else lines[:-1]  # page 1 has no running header
        # List markers are drawn after the page's text, so pypdf extracts them as trailing lines.
        pages.append("\n".join(line for line in lines if not LIST_MARKER.match(line)))
    return pages


def pdf_text(path: Path) -> str:
    """The whole text, as if the pages were one: a paragraph split by a page break reads whole."""
    return "\n".join(pdf_pages(path))


def docx_text(path: Path) -> str:
    """Every paragraph of the body, in document order, including those inside tables."""
    from docx import Document

    document = Document(str(path))
    body = document.element.body
    texts = []
    for paragraph in body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
        texts.append("".join(t.text or "" for t in paragraph.iter(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")))
    return "\n".join(texts)


def missing(expected: list[str], text: str) -> list[str]:
    """The expected strings that do not appear in `text` (wrapping and spacing ignored)."""
    haystack = squash(text)
    return [s for s in expected if squash(s) not in haystack]


def expected_strings(doc) -> list[str]:
    """Every role string a rendered document is meant to show (the completeness contract)."""
    ctx = doc.context
    role = ctx["role"]
    if doc.kind == "job-ad":
        ad = ctx["ad"]
        out = [role["display_title"], role["summary"], *role["missions"], *role["qualities"]]
        out += [v for v in role["requirements"].values() if v]
        for skill in ad["skills"]:
            out += [skill["name"], *(item["text"] for item in skill["by_level"])]
        out += [row["location"] for row in ad["salary_rows"]]
        out += ctx["company"]["benefits"]
        return out
    if doc.kind == "interview-kit":
        kit = ctx["kit"]
        out = [role["display_title"], role["summary"], *role["missions"], *role["qualities"]]
        for group in kit["groups"]:
            for question in group["questions"]:
                out += [question["text"], *question["follow_ups"], *question["look_for"]]
        for group in kit["scored"]:
            out.append(group["competency"])
            out += [v for v in group["anchors"].values() if v]
        case = kit["case_study"]
        if case:
            out += [case["title"], case["scenario"], case["task"], *case["look_for"]]
        return out
    offer = ctx["offer"]
    return [offer["candidate"]["name"], role["display_title"], offer["level"]["name"], offer["location"],
            *ctx["company"]["benefits"]]


def tool(name: str) -> str:
    """Path of a real client (soffice, qpdf, pdffonts); skipped locally when absent, a failure in CI."""
    found = shutil.which(name)
    if found:
        return found
    if IN_CI:
        pytest.fail(f"{name} is not installed (CI=true): .ci/run must install it")
    pytest.skip(f"{name} not installed")
