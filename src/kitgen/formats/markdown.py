"""Markdown for job boards: the rendered ad's body walked element by element (labels are already
translated there): headings, bullet lists, bold labels, links, no HTML."""

from __future__ import annotations

import re

from kitgen.documents.htmltree import SPACES, body, collapse, shown, tag
from kitgen.documents.rendered import AD, Rendered
from kitgen.formats import Format

HEADINGS = {"h1": "#", "h2": "##", "h3": "###", "h4": "####"}


class MarkdownFormat(Format):
    name = "md"
    kinds = (AD,)

    def render(self, doc: Rendered) -> bytes:
        return markdown(doc).encode("utf-8")


def markdown(doc: Rendered) -> str:
    """The ad in Markdown for job boards: headings, bullet lists, bold labels, no HTML."""
    writer = _MarkdownWriter("\u00a0: " if doc.lang == "fr" else ": ")
    writer.blocks_of(body(doc.html))
    return "\n\n".join(block for block in writer.blocks if block.strip()) + "\n"


class _MarkdownWriter:
    """Walks the page body; each heading, paragraph, list or table becomes one Markdown block."""

    def __init__(self, colon: str):
        self.colon = colon  # French puts a (no-break) space before a colon
        self.blocks: list[str] = []

    def blocks_of(self, el) -> None:
        if (el.text or "").strip(SPACES):
            self.blocks.append(line_start(_inline_text(el.text)))
        for child in el:
            if shown(child):
                self.block(child)
            if (child.tail or "").strip(SPACES):
                self.blocks.append(line_start(_inline_text(child.tail)))

    def block(self, el) -> None:
        name = tag(el)
        if name in HEADINGS:
            self.blocks.append(f"{HEADINGS[name]} {self.inline(el)}")
        elif name == "p":
            self.blocks.append(line_start(self.inline(el)))
        elif name in ("ul", "ol"):
            items = [self.inline(li) for li in el if shown(li) and tag(li) == "li"]
            self.blocks.append("\n".join(f"- {line_start(item)}" for item in items if item))
        elif name == "table":
            self.blocks.append("\n".join(self.rows(el)))
        else:  # div, section, header...: their children are blocks
            self.blocks_of(el)

    def rows(self, table) -> list[str]:
        """A facts table becomes "- **Label**: value" lines; header rows (<thead>) are left out."""
        lines = []
        for row in _body_rows(table):
            cells = [(tag(cell), self.inline(cell)) for cell in row if shown(cell)]
            if len(cells) < 2 or not all(text for _, text in cells):
                continue  # a fact with no value: nothing to publish
            (kind, label), values = cells[0], [text for _, text in cells[1:]]
            label = f"**{label}**" if kind == "th" else line_start(label)
            lines.append(f"- {label}{self.colon}{' – '.join(values)}")
        return lines

    def inline(self, el) -> str:
        parts = [_inline_text(el.text)]
        for child in el:
            if shown(child):
                parts.append(self.inline_element(child))
            parts.append(_inline_text(child.tail))
        return collapse("".join(parts)).strip(SPACES)

    def inline_element(self, el) -> str:
        name = tag(el)
        inner = self.inline(el)
        if name in ("strong", "b") and inner:
            return f"**{inner}**"
        if name in ("em", "i") and inner:
            return f"*{inner}*"
        if name == "a":
            href = el.get("href") or ""
            if not href or href.startswith("mailto:") or inner == escape_markdown(href):
                return inner
            return f"[{inner}]({href.replace(')', '%29').replace(' ', '%20')})"
        if name == "br":
            return " "
        return inner


def _body_rows(table) -> list:
    """The <tr> of a table outside its <thead>, in order."""
    rows = []
    for part in table:
        name = tag(part) if isinstance(part.tag, str) else ""
        if name == "tr":
            rows.append(part)
        elif name in ("tbody", "tfoot"):
            rows += [row for row in part if isinstance(row.tag, str) and tag(row) == "tr"]
    return rows


def _inline_text(text: str | None) -> str:
    return escape_markdown(collapse(text)) if text else ""


def escape_markdown(text: str) -> str:
    """Backslash the characters that would turn text into Markdown: `*`, `_`, `` ` ``, `[`, `<`...

    Minimal on purpose: an underscore inside a word (snake_case) and `&` outside an entity stay.
    """
    text = re.sub(r"([\\`*\[\]<>~])", r"\\\1", text)
    text = re.sub(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])", r"\\_", text)
    return re.sub(r"&(?=#?\w+;)", r"\\&", text)


def line_start(text: str) -> str:
    """Escape what only matters at the start of a line: headings, quotes, list markers, rules."""
    if re.match(r"[#+=|-]", text):
        return "\\" + text
    return re.sub(r"^(\d+)([.)])(\s|$)", r"\1\\\2\3", text)
