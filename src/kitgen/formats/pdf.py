"""PDF output through WeasyPrint, with a restricted URL fetcher and a per-process font set-up.

Speed: the bundled "Kitgen Sans" is a small pre-subset font. When it alone can draw a document
(every character in its cmap, no other font or font feature named) and WeasyPrint would subset with
fontTools (no HarfBuzz subsetter installed), its files are embedded whole (`full_fonts`): the
fontTools subsetting, about a fifth of the PDF time, is skipped for about 55 KB more per PDF. With
HarfBuzz's subsetter, subsetting costs no more and the files are smaller (`whole_faces`). Otherwise characters the font lacks fall back to the system fonts through
fontconfig and the normal subsetting runs, so a large fallback font is never embedded whole.
Ligatures are off in PDFs: a whole font's text map comes from its cmap, where ligature glyphs
("ti", "ft") have no entry, so copied or extracted text would be garbled (Word does not use them
by default either). The FontConfiguration and the parsed stylesheet are kept for the life of the
process (a `build` worker renders many documents with them).

Accessibility: every PDF is tagged and declares PDF/UA-1 (`pdf_variant="pdf/ua-1"`: the `pdfuaid`
XMP packet, the document title shown by viewers, the language). WeasyPrint links each data cell to
its header cells (`/Headers`) but gives header cells no `/Scope`; `_scope_header_cells` adds it
from the structure tree: a header cell in a row of header cells heads its column, any other heads
its row (the templates mark those `<th scope="row">`, which is what WeasyPrint's `/Headers` follow).
Layout-only structures (rating rows, ruled note lines, tick boxes) are not tables in the templates,
so they are not tagged as data tables.

Page composition: short lists and blocks are kept with their heading by the stylesheet; when the
last page would still hold less than a quarter of a page, the document is laid out once more with
the class `kitgen-tight` on `<html>` (kitgen.css tightens the vertical spacing under it) and that
layout is kept if it has one page fewer.

Safety: the fetcher serves only what `kitgen.formats.resources` allows (`data:` URLs and regular
files under the template folders, the fonts and the company logo, below a size cap). Anything else
fails the document with a RenderError instead of leaving a silent hole or leaking a file.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import re
from functools import lru_cache
from pathlib import Path

from kitgen.documents import templating
from kitgen.documents.rendered import Rendered
from kitgen.errors import RenderError
from kitgen.i18n import tr
from kitgen.formats import Format, stylesheet
from kitgen.formats.resources import allowed_roots, check_url

FONT_FILES = {("normal", "normal"): "Regular", ("bold", "normal"): "Bold",
              ("normal", "italic"): "Italic", ("bold", "italic"): "BoldItalic"}
# What makes WeasyPrint pick another font than Kitgen Sans or glyphs outside its cmap: the monospace
# elements of its default stylesheet, a `font` shorthand, a font-family that does not start with
# Kitgen Sans, or font features (ligatures, old-style figures) a project stylesheet turns on.
OTHER_FONT = re.compile(r"<(?:pre|code|kbd|samp|tt)\b|\bfont\s*:|font-variant|font-feature-settings"
                        r"|font-family\s*:(?!\s*[\"']?Kitgen Sans\b)", re.IGNORECASE)
NO_LIGATURES = "\nhtml, html * { font-variant-ligatures: none; }\n"
CSS_CONTENT = re.compile(r"content\s*:([^;}]*)")
# Page composition: a last page holding less than this share of the page area is pulled back onto
# the previous page when the stylesheet's tighter spacing (`html.kitgen-tight` in kitgen.css) does it.
MIN_LAST_PAGE = 0.25
TIGHT_CLASS = "kitgen-tight"
SOFT_HYPHEN, HYPHEN = "\u00ad", "\u2010"  # WeasyPrint draws U+2010 where it breaks at a soft hyphen


def font_face_css() -> str:
    rules = []
    for (weight, style), name in FONT_FILES.items():
        url = (templating.FONTS_DIR / f"KitgenSans-{name}.ttf").as_uri()
        rules.append(f'@font-face {{ font-family: "Kitgen Sans"; src: url("{url}"); '
                     f"font-weight: {weight}; font-style: {style}; }}")
    return "\n".join(rules) + "\n"


@lru_cache(maxsize=1)
def kitgen_sans_coverage() -> frozenset[str]:
    """The characters every face of Kitgen Sans maps (read once per process from the cmap tables)."""
    from fontTools.ttLib import TTFont

    faces = [TTFont(templating.FONTS_DIR / f"KitgenSans-{name}.ttf", lazy=True) for name in FONT_FILES.values()]
    return frozenset.intersection(*(frozenset(map(chr, face.getBestCmap())) for face in faces))


def kitgen_sans_suffices(html: str, css_text: str) -> bool:
    """True when Kitgen Sans alone draws the document, so its whole (small) files can be embedded.

    `html` is a superset of the drawn text (markup is ASCII); upper case covers text-transform.
    """
    if OTHER_FONT.search(html) or OTHER_FONT.search(css_text):
        return False
    needed = set(html) | set(html.upper()) | set("".join(CSS_CONTENT.findall(css_text)))
    if SOFT_HYPHEN in needed:
        needed.add(HYPHEN)
    needed -= {"\n", "\r", "\t", SOFT_HYPHEN}
    return needed <= kitgen_sans_coverage()


def whole_faces(html: str, css_text: str) -> bool:
    """Embed Kitgen Sans's whole faces rather than subsetting them: only where WeasyPrint would
    subset with fontTools. With HarfBuzz's subsetter (libharfbuzz-subset0) subsetting is cheaper
    than writing the whole faces: 0.93x the CPU time and 280 KB less for the 8 PDFs of
    `bench/levers.py` (docs/benchmarks.md)."""
    return kitgen_sans_suffices(html, css_text) and not harfbuzz_subsetter()


@lru_cache(maxsize=1)
def harfbuzz_subsetter() -> bool:
    """Whether WeasyPrint found HarfBuzz's subsetting library."""
    from weasyprint.text.ffi import harfbuzz_subset

    return harfbuzz_subset is not None


@contextlib.contextmanager
def _missing_glyphs():
    """Collect the characters WeasyPrint had to draw as .notdef boxes (no font covers them)."""
    found: set[str] = set()

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if ".notdef glyph" in message:
                found.update(re.findall(r"\(U\+[0-9A-F]+\)", message))

    logger = logging.getLogger("weasyprint")
    handler = Catch(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)


@lru_cache(maxsize=4)
def _state(templates: Path | None):
    """Font configuration and parsed stylesheets, built once per process and templates folder."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    css_path, css_text = stylesheet(templates)
    fetcher = _fetcher_class()((templating.FONTS_DIR, css_path.parent))
    css = CSS(string=font_face_css() + css_text + NO_LIGATURES, base_url=css_path.as_uri(), font_config=fonts,
              url_fetcher=fetcher)
    return fonts, css, css_text


# WeasyPrint's FontConfiguration cleans up in __del__, which fails once the interpreter has torn its
# modules down ("Exception ignored in FontConfiguration.__del__"): drop the cached ones before that.
atexit.register(lambda: _state.cache_clear())


@lru_cache(maxsize=1)
def _fetcher_class():
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class Refused(FatalURLFetchingError):
        """A fetch the allow-list refused; fatal so that the document fails loudly."""

    class SafeFetcher(URLFetcher):
        def __init__(self, roots: tuple[Path, ...]):
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, fail_on_errors=True)
            self.roots = tuple(Path(os.path.realpath(r)) for r in roots)

        def fetch(self, url, headers=None):
            try:
                path = check_url(url, self.roots)
            except RenderError as exc:
                raise Refused(exc.message) from None
            if path is None:
                return super().fetch(url, headers)
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    SafeFetcher.Refused = Refused
    return SafeFetcher


def _layout(html, fonts, options: dict):
    return html.render(font_config=fonts, **options)


def _composed(new_html, fonts, options: dict):
    """The document laid out so that its last page is not a few lines alone: as written; else with
    tighter spacing if that saves the page; else with the last section that starts on the page
    before moved to the last page, if that gives the last page its quarter. `new_html` makes a
    fresh, unlaid-out HTML object (each layout needs its own)."""
    first = new_html()
    document = _layout(first, fonts, options)
    if len(document.pages) < 2 or last_page_fill(document.pages[-1]) >= MIN_LAST_PAGE:
        return document
    tight = new_html()
    root = tight.etree_element
    root.set("class", f"{root.get('class') or ''} {TIGHT_CLASS}".strip())
    tighter = _layout(tight, fonts, options)
    if len(tighter.pages) < len(document.pages):
        return tighter
    section = _last_section_start(document, first.etree_element, len(document.pages) - 2)
    if section is None:
        return document
    moved = new_html()
    heading = [el for el in moved.etree_element.iter("h2")][section]
    heading.set("style", f"{heading.get('style') or ''}; break-before: page".lstrip("; "))
    balanced = _layout(moved, fonts, options)
    if len(balanced.pages) == len(document.pages) and last_page_fill(balanced.pages[-1]) >= MIN_LAST_PAGE:
        return balanced
    return document


def _last_section_start(document, root, page_index: int) -> int | None:
    """The position, among the document's <h2>, of the last one that starts on page `page_index`
    (0-based) below the top of that page; None if there is none."""
    def h2_boxes(box):
        if getattr(box, "element_tag", None) == "h2":
            yield box
            return
        for child in getattr(box, "children", ()):
            yield from h2_boxes(child)

    starts: dict = {}  # each <h2> element: (its first page, whether it opens that page)
    for index, page in enumerate(document.pages):
        top = page._page_box.content_box_y()
        for box in h2_boxes(page._page_box):
            starts.setdefault(box.element, (index, box.position_y <= top + 1))
    candidates = [element for element, (index, at_top) in starts.items() if index == page_index and not at_top]
    if not candidates:
        return None
    order = list(root.iter("h2"))
    return max(order.index(element) for element in candidates)


def last_page_fill(page) -> float:
    """How much of the page area a laid-out page's content fills, from 0 to 1 (used on the last
    page, where the root box ends with the content)."""
    from weasyprint.formatting_structure import boxes

    box = page._page_box
    top = box.content_box_y()
    bottom = max((child.position_y + child.margin_height() for child in box.children
                  if not isinstance(child, boxes.MarginBox)), default=top)
    return max(0.0, min(1.0, (bottom - top) / box.height))


def _finisher(info: dict[str, str]):
    """WeasyPrint's finisher: header cells' /Scope, and the document's own information keys."""
    def finish(document, pdf) -> None:
        import pydyf

        _scope_header_cells(document, pdf)
        _radio_widgets_without_names(pdf)
        for key, value in info.items():
            pdf.info[key] = pydyf.String(value)
    return finish


def _radio_widgets_without_names(pdf) -> None:
    """WeasyPrint names each radio button widget like its group (`/T`), so viewers and pypdf see a
    field `rating:x.rating:x` under `rating:x`; a group's widgets take their name from the group."""
    for obj in pdf.objects:
        if isinstance(obj, dict) and obj.get("Subtype") == "/Widget" and "Parent" in obj:
            obj.pop("T", None)


def _scope_header_cells(_document, pdf) -> None:
    """Give every header cell of the structure tree its /Scope (a WeasyPrint finisher)."""
    import pydyf

    elements = {obj.reference: obj for obj in pdf.objects
                if isinstance(obj, dict) and obj.get("Type") == "/StructElem"}
    for element in elements.values():
        if element.get("S") != "/TH":
            continue
        row = elements.get(element.get("P"))
        kinds = [elements[kid].get("S") for kid in (row or {}).get("K", ()) if kid in elements]
        scope = "/Column" if kinds and all(kind == "/TH" for kind in kinds) else "/Row"
        element.setdefault("A", pydyf.Dictionary({"O": "/Table"}))["Scope"] = scope


class PdfFormat(Format):
    name = "pdf"
    stylesheet = True
    library = "weasyprint"
    fonts = True

    def render(self, doc: Rendered) -> bytes:
        from weasyprint import HTML

        fetcher_class = _fetcher_class()
        fetcher = fetcher_class(allowed_roots(doc))
        # Relative URLs in a project template resolve against the project's templates folder.
        folders = templating.search_path(doc.templates)
        base = folders[0].as_uri() + "/"
        try:  # the stylesheet is parsed (and its @font-face fetched) inside too: a refusal fails the document
            fonts, css, css_text = _state(doc.templates)
            options = {"stylesheets": [css], "pdf_variant": "pdf/ua-1", "pdf_forms": doc.pdf_forms,
                       "full_fonts": whole_faces(doc.html, css_text)}
            with _missing_glyphs() as missing:
                document = _composed(lambda: HTML(string=doc.html, base_url=base, url_fetcher=fetcher), fonts, options)
                pdf = document.write_pdf(finisher=_finisher(doc.pdf_info), **options)
            if missing:
                doc.warnings.append(f"{doc.stem}.pdf: " + tr("no installed font can draw %(characters)s; install a "
                                                             "font that covers them (e.g. Noto)",
                                                             characters=", ".join(sorted(missing))))
            return pdf
        except BaseException as exc:  # FatalURLFetchingError derives from BaseException
            cause = exc.__cause__ or exc.__context__
            if isinstance(exc, fetcher_class.Refused) or isinstance(cause, fetcher_class.Refused):
                refused = exc if isinstance(exc, fetcher_class.Refused) else cause
                raise RenderError(f"{doc.stem}.pdf: {refused}") from None
            if isinstance(exc, Exception) and type(exc).__module__.startswith("weasyprint"):
                raise RenderError(f"{doc.stem}.pdf: {exc}") from exc
            raise
