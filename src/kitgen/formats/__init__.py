"""Output formats: one class per format with the same small interface, in one registry.

Each format has a `name`, a file `suffix`, the document `kinds` it supports and
`render(doc) -> bytes`. Heavy libraries are imported inside `render`, so choosing formats is cheap.
"""

from __future__ import annotations

from pathlib import Path

from kitgen import templating
from kitgen.documents import Rendered

ALL_KINDS = ("job-ad", "interview-kit", "offer-letter")


class Format:
    """Base of the output formats."""

    name = ""
    suffix = ""
    kinds: tuple[str, ...] = ALL_KINDS

    def render(self, doc: Rendered) -> bytes:  # pragma: no cover - interface
        raise NotImplementedError


def stylesheet(templates: Path | None) -> tuple[Path, str]:
    """The print stylesheet: the project's `kitgen.css` when it overrides the built-in one."""
    for folder in templating.search_path(templates):
        path = folder / "kitgen.css"
        if path.is_file():
            return path, path.read_text(encoding="utf-8")
    raise FileNotFoundError("kitgen.css")


def registry() -> dict[str, Format]:
    from kitgen.formats.docx import DocxFormat
    from kitgen.formats.html import HtmlFormat
    from kitgen.formats.pdf import PdfFormat
    from kitgen.formats.publish import JsonLdFormat, MarkdownFormat

    formats = [PdfFormat(), DocxFormat(), HtmlFormat(), MarkdownFormat(), JsonLdFormat()]
    return {fmt.name: fmt for fmt in formats}


def get(name: str) -> Format:
    return registry()[name]
