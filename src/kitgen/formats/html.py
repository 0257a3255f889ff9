"""HTML output: the rendered page with its stylesheet inlined, for previews and career sites."""

from __future__ import annotations

from kitgen.documents.rendered import Rendered
from kitgen.formats import Format, stylesheet


class HtmlFormat(Format):
    name = "html"
    stylesheet = True

    def render(self, doc: Rendered) -> bytes:
        _, css = stylesheet(doc.templates)
        style = f"<style>\n{css}</style>\n"
        html = doc.html.replace("<style>", style + "<style>", 1) if "<style>" in doc.html else doc.html
        return html.encode("utf-8")
