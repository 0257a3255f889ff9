"""Job-ad publishing: schema.org JobPosting JSON-LD and Markdown for job boards (filled in by issue 6)."""

from __future__ import annotations

from kitgen.documents import Rendered


def jsonld_text(doc: Rendered) -> str:  # pragma: no cover - replaced by the publishing work
    raise NotImplementedError("jsonld")


def markdown(doc: Rendered) -> str:  # pragma: no cover - replaced by the publishing work
    raise NotImplementedError("md")
