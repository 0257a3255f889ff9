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


# kitgen's page margins (templates/kitgen.css): 22 mm top, 20 mm bottom, in PDF points.
TOP_MARGIN_PT = 22 / 25.4 * 72
BOTTOM_MARGIN_PT = 20 / 25.4 * 72


def pdf_pages(path: Path) -> list[str]:
    """Text of each page's body: fragments drawn in the top and bottom margins (the running header
    and footer) are left out, so a paragraph broken by a page break reads whole across pages."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(str(path)).pages:
        height = float(page.mediabox.height)
        lines: list[list] = []  # [y, text]

        def visit(text, cm, tm, font, size, lines=lines, height=height):
            y = tm[5] * cm[3] + cm[5] if cm else tm[5]
            if not (BOTTOM_MARGIN_PT < y < height - TOP_MARGIN_PT):
                return
            if text.strip() in ("•",) or re.fullmatch(r"\s*\d+\.\s*", text):
                return  # list markers, drawn after the page's text
            if lines and abs(lines[-1][0] - y) < 1:
                lines[-1][1] += text
            else:
                lines.append([y, text])

        page.extract_text(visitor_text=visit)
        text = "\n".join(t for _, t in lines)
        pages.append("\n".join(line.strip() for line in text.splitlines() if line.strip()))
    return pages


def pdf_text(path: Path) -> str:
    """The whole text, as if the pages were one: a paragraph split by a page break reads whole."""
    return "\n".join(pdf_pages(path))


def french_only(data):
    """A bilingual role's data with its French texts only (its `languages` and `en` texts gone):
    the French sample as a one-language file, for tests that change its keys to plain texts."""
    if isinstance(data, dict) and set(data) == {"fr", "en"}:
        return data["fr"]
    if isinstance(data, dict):
        return {key: french_only(value) for key, value in data.items() if key != "languages"}
    if isinstance(data, list):
        return [french_only(value) for value in data]
    return data


def docx_paragraphs(document):
    """Every paragraph of a python-docx document's body, in order, those inside (nested) tables too."""
    from docx.table import Table

    def walk(container):
        for item in container.iter_inner_content():
            if isinstance(item, Table):
                for row in item.rows:
                    for cell in row.cells:
                        yield from walk(cell)
            else:
                yield item

    yield from walk(document)


def docx_text(path: Path) -> str:
    """Every paragraph of the body, in document order, including those inside tables."""
    from docx import Document

    document = Document(str(path))
    body = document.element.body
    texts = []
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for paragraph in body.iter(f"{w}p"):  # a line break or a tab separates words as a space does
        texts.append("".join(el.text or "" if el.tag == f"{w}t" else "\n" if el.tag == f"{w}br" else "\t"
                             for el in paragraph.iter(f"{w}t", f"{w}br", f"{w}tab")))
    return "\n".join(texts)


RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
# A right-to-left run with the digits and punctuation around it (bidi moves those too).
RTL_RUN = re.compile(rf"([\d\W_]*[{RTL}](?:[\d\W_]*[{RTL}])*[\d\W_]*)")


def _present(needle: str, haystack: str) -> bool:
    """A PDF stores mixed right-to-left and left-to-right text in visual order, so a string with
    Hebrew or Arabic is found run by run: each left-to-right run as written, and each right-to-left
    run (with its neighbouring digits and punctuation) as the same characters in some order."""
    if squash(needle) in haystack:
        return True
    if not re.search(f"[{RTL}]", needle):
        return False
    for index, run in enumerate(squash(part) for part in RTL_RUN.split(squash(needle))):
        if run and index % 2 == 0 and run not in haystack:
            return False
        if run and index % 2 == 1 and not _anagram_in(run, haystack):
            return False
    return True


def _anagram_in(run: str, haystack: str) -> bool:
    from collections import Counter

    want, size = Counter(run), len(run)
    window = Counter(haystack[:size])
    for start in range(len(haystack) - size + 1):
        if window == want:
            return True
        if start + size < len(haystack):
            window[haystack[start]] -= 1
            window[haystack[start + size]] += 1
    return False


def missing(expected: list[str], text: str) -> list[str]:
    """The expected strings that do not appear in `text` (wrapping and spacing ignored)."""
    haystack = squash(text)
    return [s for s in expected if not _present(s, haystack)]


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
