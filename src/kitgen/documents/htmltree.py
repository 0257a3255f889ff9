"""Reading a rendered page back: element names and classes, the body, the text a reader sees.

The HTML is parsed with tinyhtml5 (WeasyPrint's parser, light to import). The JSON-LD description,
the Markdown and DOCX writers and `kitgen lint` all read the page through these helpers.
"""

from __future__ import annotations

import re

XHTML = "{http://www.w3.org/1999/xhtml}"
SKIPPED = {"head", "script", "style", "img"}
SPACES = " \t\n\r\f"  # HTML whitespace; U+00A0 and U+202F are text (French "Formation\u00a0:")
RUNNING_HEADER = "running-header"  # the class of the page's running header (not body text)


def tag(element) -> str:
    name = element.tag
    return name[len(XHTML):] if isinstance(name, str) and name.startswith(XHTML) else str(name)


def classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def collapse(text: str) -> str:
    """HTML's whitespace rule: runs of spaces, tabs and newlines are one space; no-break spaces stay."""
    return re.sub(f"[{SPACES}]+", " ", text)


def parse(html: str):
    """The document element of a page."""
    import tinyhtml5

    return tinyhtml5.parse(html)


def body(html: str):
    return next(el for el in parse(html) if tag(el) == "body")


def shown(el) -> bool:
    """An element whose text is part of the page body (not head, script, style, image, running header)."""
    return isinstance(el.tag, str) and tag(el) not in SKIPPED and RUNNING_HEADER not in classes(el)


def page_text(html: str) -> str:
    """What a reader sees: the body's text without the running header, scripts and styles."""
    parts: list[str] = []

    def walk(el) -> None:
        parts.append(el.text or "")
        for child in el:
            if shown(child):
                walk(child)
            parts.append(child.tail or "")

    walk(body(html))
    return collapse(" ".join(parts)).strip(SPACES)
