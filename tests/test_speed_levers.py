"""Issue 21: what makes kitgen faster must not change what it writes. The fast HTML reader gives
the tree the HTML5 parser gives for every sample page, and a DOCX started from the process's styled
copy is the same file as one made from scratch."""

from __future__ import annotations

from pathlib import Path

import pytest

from kitgen.documents import htmltree


def _pages(project: Path):
    """Every page the sample project makes: each role's ad and kits in each of its languages."""
    from kitgen.commands import open_project
    from kitgen.documents.context import AdOptions, KitOptions
    from kitgen.documents.render import render_ad, render_kit

    opened = open_project(project)
    pages = []
    for path in sorted(opened.roles_dir.glob("*.yaml")):
        _, role = opened.find_role(path.stem)
        for lang in role.languages or [role.lang]:
            pages.append(render_ad(role, opened.company, AdOptions(), opened.templates_dir, lang, opened.root))
            pages += [render_kit(role, opened.company, KitOptions(level=level), opened.templates_dir, lang,
                                 opened.root) for level in role.level_ids]
    return pages


def _shape(element, last: bool = False):
    """An element as (tag, attributes, text, tail, children); comments left out. The whitespace
    after the body's last element is the source's end of file, which the parsers keep differently."""
    children = [child for child in element if isinstance(child.tag, str)]
    tail = (element.tail or "").rstrip() if last else element.tail or ""
    return (element.tag, dict(element.attrib), element.text or "", tail,
            [_shape(child, last and child is children[-1]) for child in children])


def test_the_fast_reader_gives_the_html5_tree_of_every_sample_page(project: Path):
    pages = _pages(project)
    assert len(pages) >= 8
    for page in pages:
        fast, html5 = htmltree.parse(page.html), htmltree.html5_parse(page.html)
        assert fast.__class__.__module__.startswith("lxml"), "the sample pages are read by libxml2"
        assert _shape(fast, last=True) == _shape(html5, last=True), page.stem


@pytest.mark.parametrize("html", [
    '<!DOCTYPE html><html><body><svg viewBox="0 0 10 10"><title>x</title></svg></body></html>',
    "<!DOCTYPE html><html><body><p>unclosed <b>bold</p><i>x</body></html>",
])
def test_pages_libxml2_cannot_read_as_html5_are_read_by_tinyhtml5(html: str):
    tree = htmltree.parse(html)
    assert not tree.__class__.__module__.startswith("lxml")


def test_a_space_between_inline_elements_is_kept():
    body = htmltree.body("<!DOCTYPE html><html><body><p><strong>Junior :</strong> Connaît <em>x</em></p>"
                         "</body></html>")
    assert htmltree.collapse("".join(body.itertext())) == "Junior : Connaît x"


def test_a_docx_from_the_styled_copy_is_the_docx_made_from_scratch(project: Path, monkeypatch):
    from kitgen.formats import docx_writer
    from kitgen.formats.docx import DocxFormat

    from kitgen.documents.rendered import KIT

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    page = next(p for p in _pages(project) if p.kind == KIT)
    docx_writer._STYLED.clear()
    scratch = DocxFormat().render(page)  # builds the styled document of this font and colour
    assert len(docx_writer._STYLED) == 1
    assert DocxFormat().render(page) == scratch  # from the copy
    page.brand_color = "#aa0000"
    other = DocxFormat().render(page)
    assert len(docx_writer._STYLED) == 2 and other != scratch
    docx_writer._STYLED.clear()
    assert DocxFormat().render(page) == other
