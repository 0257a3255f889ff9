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
    """The document element of a page, its elements named in the XHTML namespace as an HTML5
    parser names them.

    Speed: libxml2's HTML parser (lxml, already there for python-docx) reads a kit in under 1 ms,
    tinyhtml5 (pure Python) in about 30 ms, a fifth of the DOCX time. The two give the same tree
    for the pages kitgen's templates make: every DOCX, Markdown and JSON-LD output is byte for byte
    the same with either (tests/test_speed_levers.py compares the trees of every sample page).
    libxml2 knows HTML 4 only, so a page with inline SVG or MathML (whose names are case-sensitive:
    viewBox) or a <template> is read by tinyhtml5, as are pages it reports as broken.
    """
    tree = fast_parse(html, XHTML)
    return tree if tree is not None else html5_parse(html)


FOREIGN = re.compile(r"<(?:svg|math|template)\b", re.IGNORECASE)


def html5_parse(html: str):
    """The page as tinyhtml5 (WeasyPrint's HTML5 parser) reads it."""
    import tinyhtml5

    return tinyhtml5.parse(html)


def fast_parse(html: str, namespace: str):
    """The page read by libxml2, its element names prefixed with `namespace` (XHTML, or "" as
    WeasyPrint reads pages); None when tinyhtml5 must read it."""
    if FOREIGN.search(html):
        return None
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(remove_comments=True, recover=True, default_doctype=False)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None
    if parser.error_log.filter_from_errors():
        return None  # a page libxml2 had to repair: its repair may differ from HTML5's
    if namespace:
        for element in root.iter():
            if isinstance(element.tag, str):
                element.tag = namespace + element.tag
    # Where HTML5 puts the whitespace around <head> and <body> (none before <head>; what follows
    # </body> goes into the body, at its end).
    if not (root.text or "").strip(SPACES):
        root.text = None
    body = root.find(f"{namespace}body")
    if body is not None and body.tail is not None and not body.tail.strip(SPACES):
        if len(body):
            body[-1].tail = (body[-1].tail or "") + body.tail
        else:
            body.text = (body.text or "") + body.tail
        body.tail = None
    return root


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
