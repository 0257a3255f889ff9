"""The schema.org JobPosting of a job ad as a file of its own (the `jsonld` format), indented for people."""

from __future__ import annotations

import json

from kitgen.documents.rendered import AD, Rendered
from kitgen.formats import Format


class JsonLdFormat(Format):
    name = "jsonld"
    kinds = (AD,)

    def render(self, doc: Rendered) -> bytes:
        return jsonld_text(doc).encode("utf-8")


def jsonld_text(doc: Rendered) -> str:
    """The `jsonld` file: the same JobPosting the HTML ad embeds, indented for people."""
    return json.dumps(doc.context["ad"]["posting"], ensure_ascii=False, indent=2) + "\n"
