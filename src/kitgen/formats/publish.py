"""Publishing formats for job ads: Markdown for job boards and schema.org JobPosting JSON-LD."""

from __future__ import annotations

from kitgen.documents import Rendered
from kitgen.formats import Format


class MarkdownFormat(Format):
    name = "md"
    suffix = "md"
    kinds = ("job-ad",)

    def render(self, doc: Rendered) -> bytes:
        from kitgen.publish import markdown

        return markdown(doc).encode("utf-8")


class JsonLdFormat(Format):
    name = "jsonld"
    suffix = "jsonld"
    kinds = ("job-ad",)

    def render(self, doc: Rendered) -> bytes:
        from kitgen.publish import jsonld_text

        return jsonld_text(doc).encode("utf-8")
