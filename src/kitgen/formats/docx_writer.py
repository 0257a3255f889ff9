"""The HTML -> Word walker: python-docx builds a real Word document from the rendered page.

Supported HTML (exactly what the templates use; anything else fails loudly): h1-h4, p, ul/ol/li,
table/thead/tbody/tr/th/td, div/section/header/main/article, strong/b/em/i/span/a/br/img, and an
inline svg as a block (a PNG picture drawn by `svg_picture`: the debrief's chart).
Mapping: h1 -> Title, h2-h4 -> Heading 1-3 (Word's navigation pane works), ul/ol -> List Bullet /
List Number (each <ol> restarts at 1), <thead> rows -> repeating header rows. The running header
becomes the Word header; the footer holds "Page {PAGE} / {NUMPAGES}" fields. The CSS classes the
walker understands, and what each one becomes in Word, are listed in `CLASSES`: a template class
not listed there only styles the PDF and HTML.
"""

from __future__ import annotations

import datetime as dt
import re

from kitgen.documents.htmltree import RUNNING_HEADER, XHTML, classes, tag
from kitgen.documents.rendered import OFFER, Rendered
from kitgen.errors import RenderError
from kitgen.formats.resources import allowed_roots, check_url
from kitgen.formats.svg_picture import SVG
from kitgen.i18n import tr

# Every CSS class of the templates that the DOCX output reads, with what it does there.
CLASSES = {
    RUNNING_HEADER: "its spans become the Word page header: the first on the left, the others on the right",
    "new-page": "page break before the element",
    "short": "a list of a few items, kept on one page with its heading (keep-with-next on every item but the last)",
    "keep": "a block kept on one page: keep-with-next paragraphs, rows that do not split",
    "question": "an interview question block: a one-cell table in table style Kitgen Question (brand bar on "
                "the left, light shading), a row that does not split",
    "apply": "the ad's how-to-apply box: a one-cell table in table style Kitgen Box (brand-coloured frame)",
    "signature-block": "the letter's signature: style Kitgen Signature (indented 95 mm), kept on one page",
    "acceptance": "the letter's acceptance slip: style Kitgen Acceptance (a rule above), kept on one page",
    "subtitle": "a paragraph in Word's Subtitle style",
    "qtext": "style Kitgen Question Text (bold: a question's text)",
    "object": "style Kitgen Object (bold: a letter's object line)",
    "salary": "style Kitgen Salary (12 pt bold: the ad's salary)",
    "label": "style Kitgen Label (9 pt bold capitals, grey: a question's 'Notes', 'Follow-up probes')",
    "company": "the letterhead's company name: style Kitgen Company (14 pt, bold, brand colour)",
    "letterhead": "style Kitgen Letterhead (9 pt, grey), a brand-coloured rule under the block",
    "recipient": "style Kitgen Recipient: indented as the CSS does (95 mm), no space between lines",
    "small": "style Kitgen Small (9 pt)",
    "muted": "style Kitgen Muted (9 pt, grey)",
    "place-date": "style Kitgen Place and Date: right-aligned (the letter's place and date)",
    "circle": "a ○ before the text (a rating choice)",
    "box": "a ☐ before the text (a tick box)",
    "target": "a table cell shaded darker and bold (the kit's target level)",
    "notes": "ruled empty lines to write in (each `line` child): a table with only row rules",
    "line": "one ruled line of `notes`",
    "rating": "a rating row (`choice-label`, then `choice`s): a one-row table, cells in style Kitgen Choice",
    "choices": "a row of tick boxes (`choice`s, e.g. the recommendation): a one-row table, style Kitgen Choice",
    "choice": "one cell of `rating` or `choices` (style Kitgen Choice: centred)",
    "choice-label": "the label cell of `rating`, shaded and bold like a header cell",
    "tick": "a tick-box cell of a table (style Kitgen Choice: centred)",
    "score": "a score cell (the scoring sheet, the debrief's ratings and tally): style Kitgen Choice, centred",
    "anchor": "a score cell of the scoring sheet with what the score means (a tick box, then the text)",
    "field": "a fillable kit's PDF form field (text, notes): not in the DOCX, whose page has the blank it covers",
    "num": "a table cell holding an amount (style Kitgen Number: right-aligned)",
    "matrix": "table in 9 pt (the skills matrix)",
    "scoring": "table in 9 pt (the scoring sheet)",
    "grid": "table in 9 pt (the case-study grid)",
    "anchors": "table in 9 pt (level anchors); default widths when the template gives none",
    "facts": "default column widths 32/68 when the template gives none",
    "signature": "default column widths when the template gives none",
    "scoring-key": "default column widths 12/88 when the template gives none",
}
KEEP_CLASSES = {"keep", "question", "apply", "signature-block", "acceptance"}
# Blocks drawn as a frame in the PDF (a border, a shading): a one-cell table in a named table style.
FRAMES = {"question": "Kitgen Question", "apply": "Kitgen Box"}
LAYOUT_ROWS = {"notes", "rating", "choices"}  # <div>s laid out as tables by the CSS
CENTRED_CELLS = {"choice", "tick", "score"}
# Blocks of the letter that get a named Word paragraph style, laid out as the CSS lays them out: a
# Word user restyles the block once, in the style ("Kitgen Recipient"...), for the whole letter.
BLOCK_STYLES = {"letterhead": "Kitgen Letterhead", "recipient": "Kitgen Recipient",
                "signature-block": "Kitgen Signature", "acceptance": "Kitgen Acceptance"}
PARAGRAPH_STYLES = {"company": "Kitgen Company", "place-date": "Kitgen Place and Date",
                    "qtext": "Kitgen Question Text", "label": "Kitgen Label", "object": "Kitgen Object",
                    "salary": "Kitgen Salary", "muted": "Kitgen Muted", "small": "Kitgen Small"}
LETTER_INDENT_MM = 95  # .recipient and .signature-block: margin-left 95mm in kitgen.css
SMALL_TABLES = {"matrix", "scoring", "grid", "anchors"}
HEADINGS = {"h1": "Title", "h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3"}
CONTAINERS = {"div", "section", "header", "main", "article", "footer", "tbody", "thead"}
INLINE = {"strong", "b", "em", "i", "span", "a", "br", "img"}
# A fillable kit's PDF form fields: the DOCX has the printed page they lie over (boxes, lines), and
# Word fills a document by typing in it.
FORM_FIELDS = {"input", "textarea"}
SYMBOLS = {"circle": "○\u00a0", "box": "☐\u00a0"}
HTML_SPACES = str.maketrans("\t\n\r\f", "    ")
BODY_FONT = "Kitgen Sans"  # the PDF's font, embedded in the DOCX (kitgen.formats.docx_fonts)
MARGINS_MM = {"top": 22, "right": 18, "bottom": 20, "left": 18}
CONTENT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]
# Column widths (percent) for tables whose template gives no <colgroup>; the PDF gets them from CSS.
DEFAULT_WIDTHS = {"facts": [32, 68], "salary-table": [40, 60], "signature": [22, 28, 22, 28], "anchors": [24, 76],
                  "rating": [22, 19.5, 19.5, 19.5, 19.5], "scoring-key": [12, 88]}
FRAME_INSET_MM = 6  # a frame's cell margins: what tables inside it lose in width
# The space before and after the headings, as kitgen.css's margins (mm): h1 (Title), h2-h4.
HEADING_SPACE = {"Title": (0, 2), "Heading 1": (7, 2.5), "Heading 2": (4.5, 1.5), "Heading 3": (3, 1)}
LIST_INDENT_TWIPS, LIST_HANGING_TWIPS = 340, 227  # ul { padding-left: 6mm }: text at 6 mm, marker 4 mm before
SYMBOL_PT = 11  # ○ and ☐ drawn as text: a size that shows them as the PDF's drawn circles and boxes
# kitgen's named paragraph styles, from kitgen.css (sizes in pt, spaces and indents in mm; "brand" is
# the brand colour). docs/templates.md lists them for users who restyle them or bring a letterhead.
NAMED_STYLES = {
    "Kitgen Letterhead": {"size": 9, "color": "444444", "after_mm": 0},
    "Kitgen Company": {"based_on": "Kitgen Letterhead", "size": 14, "bold": True, "color": "brand"},
    # "contextual": the space before and after a block, not between its lines (Word's "Don't add
    # space between paragraphs of the same style"), as the CSS puts margins on the block.
    "Kitgen Recipient": {"indent_mm": LETTER_INDENT_MM, "before_mm": 0, "after_mm": 2, "contextual": True},
    "Kitgen Signature": {"indent_mm": LETTER_INDENT_MM, "before_mm": 4, "after_mm": 10, "contextual": True},
    "Kitgen Place and Date": {"align": "RIGHT", "before_mm": 0, "after_mm": 3},
    "Kitgen Acceptance": {"before_mm": 3, "after_mm": 1, "rule_above": "999999", "contextual": True},
    "Kitgen Object": {"bold": True, "after_mm": 3},
    "Kitgen Salary": {"size": 12, "bold": True},
    "Kitgen Question Text": {"bold": True},
    "Kitgen Label": {"size": 9, "bold": True, "caps": True, "color": "444444", "before_mm": 1.5, "after_mm": 0.5},
    "Kitgen Small": {"size": 9},
    "Kitgen Muted": {"size": 9, "color": "555555"},
    "Kitgen Choice": {"size": 8.5, "align": "CENTER", "after_mm": 0},
    "Kitgen Number": {"size": 9.5, "align": "RIGHT", "after_mm": 0},
    "Kitgen Table Text": {"size": 9.5, "after_mm": 0},
    "Kitgen Table Bullet": {"based_on": "List Bullet", "size": 9.5, "after_mm": 0},
}
# Named table styles: borders (size in eighths of a point, colour), cell margins (twips: top, left,
# bottom, right), shading. Kitgen Table is every data table; the others frame a block.
_GRID = {side: (5, "8A8A8A") for side in ("top", "left", "bottom", "right", "insideH", "insideV")}
TABLE_STYLES = {
    "Kitgen Table": {"borders": _GRID, "margins": (40, 85, 40, 85)},
    "Kitgen Question": {"borders": {"left": (20, "brand")}, "margins": (85, 170, 30, 170), "fill": "FAFAFA"},
    "Kitgen Box": {"borders": {side: (8, "brand") for side in ("top", "left", "bottom", "right")},
                   "margins": (170, 170, 120, 170)},
}
GREY_TH = "E8E8E8"
GREY_TARGET = "D6D6D6"  # th.target
GREY_TD_TARGET = "F1F1F1"  # .target (a cell of the target level)


# Speed: a new Word document with kitgen's styles costs about 40 ms (python-docx opens its default
# template, then every style is set through its object model); it depends only on the font and the
# brand colour. The first writer of a process builds it; every document starts from a deep copy
# (about 5 ms), which saves the same bytes (tests/test_speed_levers.py compares them).
_STYLED: dict[tuple[str, str], tuple] = {}


def _styled_document(writer: DocxWriter):
    """A fresh copy of the styled empty document for the writer's font and brand colour, and the
    style ids already looked up in it."""
    import copy

    from docx import Document

    key = (writer.font, writer.brand)
    if key not in _STYLED:
        writer.document, writer.style_ids = Document(), {}
        writer._setup_styles()
        if len(_STYLED) >= 8:
            _STYLED.clear()
        _STYLED[key] = (writer.document, writer.style_ids)
    document, style_ids = _STYLED[key]
    return copy.deepcopy(document), style_ids  # the copies have the same ids: one dict learns them


class DocxWriter:
    """Walks the HTML tree and appends Word paragraphs, lists and tables."""

    def __init__(self, doc: Rendered, when: dt.datetime):
        self.doc = doc
        self.when = when  # the documents' dates (SOURCE_DATE_EPOCH when set), naive UTC
        self.brand = (doc.brand_color or "#0b5394").lstrip("#")
        brand = doc.context.get("brand") or {}
        self.font = brand.get("font") or BODY_FONT  # company.yaml's brand.font, checked when loaded
        self.logo = (brand.get("logo") or {}).get("url")
        self.page_label = "Page"
        self.header_text: list[str] = []
        self.page_break_pending = False
        self.keep = 0
        self.block_style: str | None = None  # the named style of the letter block being walked
        self.width_mm = CONTENT_WIDTH_MM  # the width tables get: less inside a frame
        self.in_table = 0  # inside a data table's cell: its text in 9.5 pt, as the CSS sets tables
        self.document, self.style_ids = _styled_document(self)


    # -- document set-up ---------------------------------------------------------------------
    def _setup_styles(self) -> None:
        from docx.enum.text import WD_TAB_ALIGNMENT
        from docx.shared import Mm, Pt, RGBColor

        styles = self.document.styles
        normal = styles["Normal"]
        normal.font.name = self.font
        normal.font.size = Pt(10.5)
        normal.paragraph_format.space_after = Pt(4)
        _east_asian_font(normal, self.font)
        color = RGBColor.from_string(self.brand.upper())
        sizes = {"Title": 20, "Heading 1": 13.5, "Heading 2": 11.5, "Heading 3": 10.5}
        for name, size in sizes.items():
            style = styles[name]
            style.font.name = self.font
            _east_asian_font(style, self.font)
            style.font.size = Pt(size)
            style.font.color.rgb = color if name in ("Title", "Heading 1") else RGBColor(0x1A, 0x1A, 0x1A)
            style.font.bold = True
            style.font.italic = False
        for name, (before, after) in HEADING_SPACE.items():
            styles[name].paragraph_format.space_before = Mm(before)
            styles[name].paragraph_format.space_after = Mm(after)
        _no_border(styles["Title"])  # the PDF's h1 has no rule under it (Word's Title has one)
        _no_theme_color_or_spacing(styles["Title"])
        subtitle = styles["Subtitle"]  # as in the PDF: upright, no letter-spacing, grey, not Word's blue
        _east_asian_font(subtitle, self.font)
        subtitle.font.italic = False
        subtitle.font.size = Pt(11)
        subtitle.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
        subtitle.paragraph_format.space_after = Mm(4)
        _no_theme_color_or_spacing(subtitle)
        header = styles["Header"]  # the running header: company on the left, title flush right
        header.paragraph_format.tab_stops.clear_all()
        header.paragraph_format.tab_stops.add_tab_stop(Mm(CONTENT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
        self._named_styles(color)
        self._list_indents()
        _paragraph_border(styles["Heading 1"].element.get_or_add_pPr(), "bottom", self.brand, 10, "1")
        footer = styles["Footer"] if "Footer" in [st.name for st in styles] else None
        if footer is not None:  # the page number field takes the style's size, not the run's
            footer.font.size = Pt(8)

    def _list_indents(self) -> None:
        """Lists indented as kitgen.css's (text 6 mm in per level, the marker in the gap): the
        indent lives in the numbering definition each list style uses, which wins over the style."""
        from docx.oxml.ns import qn

        numbering = self.document.part.numbering_part.element
        for kind in ("List Bullet", "List Number"):
            for depth in (1, 2, 3):
                style = self.document.styles[kind if depth == 1 else f"{kind} {depth}"]
                num_pr = style.element.pPr.numPr
                abstract_id = numbering.num_having_numId(num_pr.numId.val).abstractNumId.val
                level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
                abstract = next(a for a in numbering.findall(qn("w:abstractNum"))
                                if a.get(qn("w:abstractNumId")) == str(abstract_id))
                lvl = next(v for v in abstract.findall(qn("w:lvl")) if v.get(qn("w:ilvl")) == str(level))
                for ind in lvl.iter(qn("w:ind")):
                    ind.set(qn("w:left"), str(LIST_INDENT_TWIPS * depth))
                    ind.set(qn("w:hanging"), str(LIST_HANGING_TWIPS))
                    for other in ("w:firstLine", "w:start", "w:end", "w:right"):
                        ind.attrib.pop(qn(other), None)

    def _named_styles(self, brand) -> None:
        """kitgen's named paragraph and table styles (see NAMED_STYLES), laid out as kitgen.css does."""
        from docx.enum.style import WD_STYLE_TYPE
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt, RGBColor

        styles = self.document.styles
        for name, spec in NAMED_STYLES.items():
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles[spec.get("based_on", "Normal")]
            style.quick_style = True
            font, fmt = style.font, style.paragraph_format
            if "size" in spec:
                font.size = Pt(spec["size"])
            if "bold" in spec:
                font.bold = spec["bold"]
            if "caps" in spec:
                font.all_caps = True
            if "color" in spec:
                font.color.rgb = brand if spec["color"] == "brand" else RGBColor.from_string(spec["color"])
            if "indent_mm" in spec:
                fmt.left_indent = Mm(spec["indent_mm"])
            if "align" in spec:
                fmt.alignment = getattr(WD_ALIGN_PARAGRAPH, spec["align"])
            for side in ("before", "after"):
                if f"{side}_mm" in spec:
                    setattr(fmt, f"space_{side}", Mm(spec[f"{side}_mm"]))
            if "rule_above" in spec:
                _paragraph_border(style.element.get_or_add_pPr(), "top", spec["rule_above"], 5, "6")
            if spec.get("contextual"):
                _contextual_spacing(style.element.get_or_add_pPr())
        for name, spec in TABLE_STYLES.items():
            self._table_style(name, spec)

    def _table_style(self, name: str, spec: dict) -> None:
        """A named Word table style: borders, cell margins and shading (Word and LibreOffice apply them)."""
        from docx.enum.style import WD_STYLE_TYPE
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        style = self.document.styles.add_style(name, WD_STYLE_TYPE.TABLE)
        style.base_style = self.document.styles["Normal Table"]
        style.quick_style = True
        tbl_pr = OxmlElement("w:tblPr")
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            value = spec["borders"].get(side)
            element = OxmlElement(f"w:{side}")
            if value is None:
                element.set(qn("w:val"), "nil")
            else:
                size, color = value
                color = self.brand if color == "brand" else color
                for key, val in (("val", "single"), ("sz", str(size)), ("space", "0"), ("color", color.upper())):
                    element.set(qn(f"w:{key}"), val)
            borders.append(element)
        tbl_pr.append(borders)
        tbl_pr.append(_cell_margins(spec["margins"]))
        style.element.append(tbl_pr)
        if "fill" in spec:
            tc_pr = OxmlElement("w:tcPr")
            tc_pr.append(_shading(spec["fill"]))
            style.element.append(tc_pr)

    def _setup_section(self, head_title: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt, RGBColor

        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side, value in MARGINS_MM.items():
            setattr(section, f"{side}_margin", Mm(value))
        section.header_distance = Mm(9)
        section.footer_distance = Mm(9)
        section.different_first_page_header_footer = True
        header = section.header.paragraphs[0]  # as the PDF's: company on the left, title on the right, a rule
        self._header_logo(header)
        texts = [t for t in self.header_text if t] or [head_title]
        for index, text in enumerate([texts[0], "  —  ".join(texts[1:])] if len(texts) > 1 else texts):
            if index:
                header.add_run("\t")
            run = header.add_run(text)
            run.font.size = Pt(8)
            run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        _paragraph_border(header._p.get_or_add_pPr(), "bottom", "999999", 4, "4")
        if self.logo and self.doc.kind != OFFER:  # as in the PDF: a letter has its letterhead
            self._header_logo(section.first_page_header.paragraphs[0])
        for footer in (section.footer, section.first_page_footer):
            paragraph = footer.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for part in (f"{self.page_label} ", "PAGE", " / ", "NUMPAGES"):
                run = _field(paragraph, part) if part.isupper() else paragraph.add_run(part)
                run.font.size = Pt(8)

    def _header_logo(self, paragraph) -> None:
        """The brand logo at the start of a header paragraph, 6 mm high as in the PDF."""
        if not self.logo:
            return
        from docx.shared import Mm, Pt

        run = paragraph.add_run()
        picture = run.add_picture(str(check_url(self.logo, allowed_roots(self.doc))), height=Mm(6))
        _alt_text(picture, self.doc.context.get("company", {}).get("name") or "logo")
        paragraph.add_run("  ").font.size = Pt(8)

    def _core_properties(self, root) -> None:
        props = self.document.core_properties
        when = self.when
        # Word's core properties hold at most 255 characters (python-docx raises beyond).
        props.title = self.doc.title[:255]
        props.subject = self.doc.subject[:255]
        props.author = (self.doc.author or "kitgen")[:255]
        props.last_modified_by = (self.doc.author or "kitgen")[:255]
        props.language = root.get("lang") or self.doc.lang
        props.keywords = self.doc.role_id[:255]
        props.comments = "kitgen"
        props.category = self.doc.kind
        props.created = when
        props.modified = when  # never printed: no lastPrinted
        props.revision = 1

    # -- walking -----------------------------------------------------------------------------
    def build(self, root) -> None:
        head = root.find(f"{XHTML}head")
        for meta in head.iter(f"{XHTML}meta") if head is not None else []:
            if meta.get("name") == "kitgen-page-label":
                self.page_label = meta.get("content") or self.page_label
        body = root.find(f"{XHTML}body")
        self._core_properties(root)
        self._blocks(body, self.document)
        self._setup_section(self.doc.title)
        _drop_template_leftovers(self.document)
        _shrink_paragraph_after_last_table(self.document)

    def _blocks(self, parent, container) -> None:
        if (parent.text or "").strip():
            self._paragraph(container, parent, text_only=True)
        for child in parent:
            self._block(child, container)
            if (child.tail or "").strip():
                paragraph = self._new_paragraph(container)
                self._add_text(paragraph, child.tail, {})

    def _block(self, el, container) -> None:
        name = tag(el)
        cls = classes(el)
        if RUNNING_HEADER in cls:
            self.header_text = [" ".join(span.itertext()).strip() for span in el]
            return
        if "new-page" in cls:
            self.page_break_pending = True
        if name in HEADINGS:
            self._paragraph(container, el, style=HEADINGS[name])
        elif name == "p":
            self._paragraph(container, el)
        elif name in ("ul", "ol"):
            self._list(el, container, numbered=name == "ol", depth=1)
        elif name == "table":
            self._table(el, container)
        elif name in CONTAINERS and cls & LAYOUT_ROWS:
            self._layout_row(el, container, cls)
        elif name in CONTAINERS and cls & FRAMES.keys():
            self._frame(el, container, next(FRAMES[c] for c in FRAMES if c in cls))
        elif name in CONTAINERS:
            keep = bool(cls & KEEP_CLASSES)
            block = next((BLOCK_STYLES[c] for c in BLOCK_STYLES if c in cls), None)
            self.keep += keep
            outer, self.block_style = self.block_style, block or self.block_style
            self._blocks(el, container)
            self.block_style = outer
            self.keep -= keep
            if keep:
                _end_keep(container)
            if "letterhead" in cls:
                _rule_below(container, self.brand)
        elif name in ("script", "style") or name in FORM_FIELDS:
            return
        elif name in INLINE:
            paragraph = self._new_paragraph(container)
            self._inline(el, paragraph, {})
        elif name == f"{SVG}svg":
            self._svg(el, container)
        else:
            raise RenderError(f"{self.doc.stem}.docx: "
                              + tr("unsupported HTML element <%(name)s> for DOCX output", name=name))

    def _svg(self, el, container) -> None:
        """An inline SVG (the debrief's chart) as a picture of its size, drawn by svg_picture."""
        import io

        from docx.shared import Mm

        from kitgen.formats.svg_picture import svg_png

        try:
            png, width_mm, _ = svg_png(el)
        except RenderError as exc:
            raise RenderError(f"{self.doc.stem}.docx: {exc.message}") from None
        picture = self._new_paragraph(container).add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))
        _alt_text(picture, el.get("aria-label") or "".join(next((t.itertext() for t in el if t.tag == f"{SVG}title"),
                                                                   [])))

    def _style_id(self, name: str) -> str:
        if name not in self.style_ids:
            self.style_ids[name] = self.document.styles[name].style_id
        return self.style_ids[name]

    def _new_paragraph(self, container, style: str | None = None):
        if hasattr(container, "_kitgen_fresh") and container._kitgen_fresh:
            paragraph = container.paragraphs[0]
            container._kitgen_fresh = False
        else:
            paragraph = container.add_paragraph()
        if style is None and self.in_table:
            style = "Kitgen Table Text"
        if style:
            # Set the style id directly: python-docx's name lookup walks the styles part on every
            # call and was two thirds of the DOCX time.
            paragraph._p.get_or_add_pPr().style = self._style_id(style)
        if self.page_break_pending:
            paragraph.paragraph_format.page_break_before = True
            self.page_break_pending = False
        if self.keep:
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.keep_together = True
        return paragraph

    def _paragraph(self, container, el, style: str | None = None, text_only: bool = False):
        cls = classes(el)
        if style is None and "subtitle" in cls:
            style = "Subtitle"
        if style is None:
            style = next((PARAGRAPH_STYLES[c] for c in PARAGRAPH_STYLES if c in cls), None) or self.block_style
        paragraph = self._new_paragraph(container, style)
        if text_only:
            self._add_text(paragraph, el.text, {})
        else:
            self._inline_children(el, paragraph, {})
        return paragraph

    def _inline_children(self, el, paragraph, fmt: dict) -> None:
        self._add_text(paragraph, el.text, fmt)
        for child in el:
            self._inline(child, paragraph, fmt)
            self._add_text(paragraph, child.tail, fmt)

    def _inline(self, el, paragraph, fmt: dict) -> None:
        name = tag(el)
        if name == "br":
            paragraph.add_run().add_break()
            return
        if name == "img":
            self._image(el, paragraph)
            return
        if name in FORM_FIELDS:  # a radio button drawn as a tick box prints as one; a text field as its blank
            if "box" in classes(el):
                self._add_text(paragraph, SYMBOLS["box"], {**fmt, "size": SYMBOL_PT})
            return
        if name not in INLINE:
            raise RenderError(f"{self.doc.stem}.docx: "
                              + tr("unsupported element <%(name)s> inside a paragraph", name=name))
        cls = classes(el)
        for symbol_class, symbol in SYMBOLS.items():
            if symbol_class in cls:
                self._add_text(paragraph, symbol, {**fmt, "size": SYMBOL_PT})
        inner = dict(fmt)
        if "muted" in cls:  # grey small print inside a paragraph or a cell
            inner.update(size=9, color="555555")
        if name in ("strong", "b"):
            inner["bold"] = True
        if name in ("em", "i"):
            inner["italic"] = True
        self._inline_children(el, paragraph, inner)

    def _add_text(self, paragraph, text: str | None, fmt: dict) -> None:
        if not text:
            return
        # Collapse only the whitespace HTML collapses: str.split() would also eat U+00A0 and U+202F,
        # the no-break spaces of French money ("85 000 €") and of "« lu et approuvé »". A space at
        # either end is kept, once: it separates this text from the element before or after it
        # ("<strong>Junior :</strong> Connaît" must not become "Junior :Connaît").
        text = re.sub(" +", " ", text.translate(HTML_SPACES))
        runs = paragraph._p.r_lst
        if text.startswith(" ") and (not runs or runs[-1].text.endswith(" ") or not runs[-1].text):
            text = text[1:]  # the start of a paragraph, or a space already there
        if not text:
            return
        # The run's XML made directly (what python-docx's Run and Font setters write, in the
        # schema's order b, i, color, sz): through its object model this was a third of the DOCX time.
        run = paragraph._p.add_r()
        properties = [(name, value) for name, value in (
            ("w:b", None if fmt.get("bold") else False), ("w:i", None if fmt.get("italic") else False),
            ("w:color", fmt.get("color") or False),
            ("w:sz", str(round(fmt["size"] * 2)) if fmt.get("size") else False)) if value is not False]
        if properties:
            run.append(_element("w:rPr", *(_element(name, val=value) for name, value in properties)))
        run.text = text

    def _image(self, el, paragraph) -> None:
        from docx.shared import Mm

        src = el.get("src") or ""
        try:
            path = check_url(src, allowed_roots(self.doc))
        except RenderError as exc:
            raise RenderError(f"{self.doc.stem}.docx: {exc.message}") from None
        if path is not None:
            _alt_text(paragraph.add_run().add_picture(str(path), height=Mm(14)), el.get("alt") or "")

    # -- lists -------------------------------------------------------------------------------
    def _list(self, el, container, numbered: bool, depth: int) -> None:
        style = ("List Number" if numbered else "List Bullet") + ("" if depth == 1 else f" {min(depth, 3)}")
        if style == "List Bullet" and self.in_table:
            style = "Kitgen Table Bullet"
        num_id = self._restart_numbering(style) if numbered else None
        short = "short" in classes(el)
        for item in el:
            if tag(item) != "li":
                raise RenderError(f"{self.doc.stem}.docx: "
                                  + tr("<%(name)s> inside a list (only <li>)", name=tag(item)))
            paragraph = self._new_paragraph(container, style)
            if num_id is not None:
                numPr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                numPr.get_or_add_ilvl().val = 0
                numPr.get_or_add_numId().val = num_id
            if short and item is not el[-1]:
                paragraph.paragraph_format.keep_with_next = True
            self._add_text(paragraph, item.text, {})
            for child in item:
                if tag(child) in ("ul", "ol"):
                    self._list(child, container, tag(child) == "ol", depth + 1)
                else:
                    self._inline(child, paragraph, {})
                self._add_text(paragraph, child.tail, {})

    def _restart_numbering(self, style_name: str) -> int:
        """A new numbering instance for one <ol>, so every numbered list starts at 1."""
        numbering = self.document.part.numbering_part.element
        style = self.document.styles[style_name]
        base_id = style.element.pPr.numPr.numId.val
        abstract_id = numbering.num_having_numId(base_id).abstractNumId.val
        num = numbering.add_num(abstract_id)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    # -- tables ------------------------------------------------------------------------------
    def _table(self, el, container, rows: list[tuple[bool, list]] | None = None) -> None:
        rows = _rows(el) if rows is None else rows
        if not rows:
            return
        cls = classes(el)
        width = max(len(cells) for _, cells in rows)
        table = self._new_table(container, "Kitgen Table", width)
        for is_header, cells in rows:
            row = table.add_row()
            _row_flags(row, header=is_header, keep=True)
            row_cells = row.cells  # python-docx walks the whole table for each call
            for index, cell_el in enumerate(cells):
                self.in_table += 1
                self._cell(row_cells[index], cell_el, is_header, cls)
                self.in_table -= 1
        _widths(table, _column_widths(el, cls, width), self.width_mm)
        if "notes" in cls:
            _ruled(table)
        self._spacer(container)

    def _new_table(self, container, style: str, columns: int, rows: int = 0):
        if self.page_break_pending:  # Word breaks a page before a paragraph, not before a table
            self.page_break_pending = False
            self._new_paragraph(container).paragraph_format.page_break_before = True
        table = container.add_table(rows=rows, cols=columns)
        table._tbl.tblPr.style = self._style_id(style)
        _indent(table, TABLE_STYLES[style]["margins"][1])
        return table

    def _spacer(self, container) -> None:
        """The space after a table (the CSS's margin-bottom): an empty paragraph of a small size.
        In a cell python-docx has already put one after the table (Word ends every cell with a
        paragraph): that one is used."""
        from docx.table import _Cell

        in_cell = isinstance(container, _Cell)
        spacer = container.paragraphs[-1] if in_cell else container.add_paragraph()
        spacer.paragraph_format.space_after = 0
        _mark_size(spacer, 3 if in_cell else 9)
        if self.keep:
            spacer.paragraph_format.keep_with_next = True

    def _layout_row(self, el, container, cls: set[str]) -> None:
        """Ruled note lines, a rating row, a row of tick boxes: <div>s the CSS lays out as a table."""
        if "notes" in cls:
            rows = [(False, [line]) for line in el if tag(line) == "div"]
        else:
            rows = [(False, [cell for cell in el if tag(cell) == "span"])]
        self._table(el, container, rows)

    def _frame(self, el, container, style: str) -> None:
        """A framed block (a question, the how-to-apply box): one cell of a named table style, a row
        that does not split across pages, as the PDF keeps the block on one page."""
        from docx.shared import Mm

        if style == "Kitgen Box":  # .apply { margin-top: 5mm; break-before: avoid }: kept with what precedes
            if getattr(container, "paragraphs", None):
                container.paragraphs[-1].paragraph_format.keep_with_next = True
            spacer = self._new_paragraph(container)
            spacer.paragraph_format.space_after = Mm(2)
            spacer.paragraph_format.keep_with_next = True
        table = self._new_table(container, style, 1, rows=1)
        _row_flags(table.rows[0], header=False, keep=True)
        _widths(table, [100], self.width_mm)
        cell = table.cell(0, 0)
        cell._kitgen_fresh = True
        outer, self.width_mm = self.width_mm, self.width_mm - FRAME_INSET_MM
        self._blocks(el, cell)
        cell.paragraphs[0].paragraph_format.space_before = 0  # .apply h2 { margin-top: 0 }
        self.width_mm = outer
        self._spacer(container)

    def _cell(self, cell, el, is_header: bool, table_classes: set[str]) -> None:
        cell._kitgen_fresh = True
        cls = classes(el)
        header_cell = tag(el) == "th" or "choice-label" in cls
        if any(tag(child) in ("ul", "ol", "p", "table", "div") for child in el):
            self._blocks(el, cell)
        else:
            style = "Kitgen Choice" if cls & CENTRED_CELLS else "Kitgen Number" if "num" in cls else None
            paragraph = self._new_paragraph(cell, style)
            bold = header_cell or "target" in cls or ("choice" in cls and "choices" in table_classes)
            self._inline_children(el, paragraph, {"bold": bold})
        if is_header:  # the PDF's brand rule under <thead> cells
            _bottom_rule(cell, self.brand)  # before the shading: Word wants tcBorders before shd
        if header_cell or "target" in cls:
            _shade(cell, GREY_TARGET if header_cell and "target" in cls else GREY_TD_TARGET if "target" in cls
                   else GREY_TH)
        if table_classes & SMALL_TABLES:
            from docx.shared import Pt

            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)


# Parts of python-docx's default template that a new document does not need: Word 2010's copy of
# the styles (stylesWithEffects.xml, 438 KB) and an empty bibliography (customXml).
LEFTOVER_RELS = ("http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
                 "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml")


def _shrink_paragraph_after_last_table(document) -> None:
    """A Word body cannot end on a table: the empty paragraph after it is made 1 pt high, so that a
    page filled to its foot by the table (the letter's acceptance block) has no blank page after it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    blocks = [child for child in document.element.body if child.tag in (qn("w:p"), qn("w:tbl"))]
    if len(blocks) < 2 or blocks[-2].tag != qn("w:tbl") or blocks[-1].tag != qn("w:p") \
            or "".join(blocks[-1].itertext()).strip():
        return
    ppr = blocks[-1].get_or_add_pPr()
    spacing = ppr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        ppr.append(spacing)
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "20")
    spacing.set(qn("w:lineRule"), "exact")
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)
    for name in ("w:sz", "w:szCs"):
        size = rpr.find(qn(name))
        if size is None:
            size = OxmlElement(name)
            rpr.append(size)
        size.set(qn("w:val"), "2")


def _drop_leftover_parts(document) -> None:
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype in LEFTOVER_RELS:
            del part.rels[rid]


def _drop_template_leftovers(document) -> None:
    """Leave out the default template's parts and styles the document does not use: styles.xml
    keeps the styles a part names (paragraph, run, table, numbering), the defaults and what
    they are based on or linked to. Word's latent styles (its list of built-in styles, how they
    appear in the gallery) stay: a built-in style applied later is made from them."""
    from docx.oxml.ns import qn

    part = document.part
    _drop_leftover_parts(document)
    used: set[str] = set()
    for xml_part in part.package.iter_parts():
        element = getattr(xml_part, "element", None)
        if element is None or xml_part is part.styles:
            continue
        for name in ("pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink"):
            used.update(el.get(qn("w:val")) for el in element.iter(qn(f"w:{name}")))
    styles = part.styles.element
    by_id = {style.get(qn("w:styleId")): style for style in styles.findall(qn("w:style"))}
    todo = list(used) + [sid for sid, style in by_id.items() if style.get(qn("w:default")) in ("1", "true")]
    keep: set[str] = set()
    while todo:
        sid = todo.pop()
        if sid in keep or sid not in by_id:
            continue
        keep.add(sid)
        style = by_id[sid]
        todo += [ref.get(qn("w:val")) for name in ("basedOn", "next", "link") if (ref := style.find(qn(f"w:{name}"))) is not None]
        todo += [ref.get(qn("w:val")) for ref in style.iter(qn("w:pStyle"), qn("w:rStyle"))]
    for sid, style in by_id.items():
        if sid not in keep:
            styles.remove(style)


def _column_widths(table_el, cls: set[str], count: int) -> list[float]:
    """Percent widths from <colgroup><col style="width: N%">, else the class default, else equal."""
    cols = [col for group in table_el if tag(group) == "colgroup" for col in group if tag(col) == "col"]
    widths = []
    for col in cols:
        style = (col.get("style") or "").replace(" ", "")
        value = style.split("width:", 1)[1].split("%", 1)[0] if "width:" in style and "%" in style else ""
        widths.append(float(value) if value.replace(".", "", 1).isdigit() else 0.0)
    if len(widths) != count or not all(widths):
        widths = next((DEFAULT_WIDTHS[c] for c in cls if c in DEFAULT_WIDTHS), [])
    if len(widths) != count:
        widths = [100 / count] * count
    return widths


def _widths(table, percents: list[float], total_mm: float) -> None:
    from docx.shared import Mm

    table.autofit = False
    widths = [Mm(total_mm * percent / 100) for percent in percents]
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths):
        column.w = width
    for row in table._tbl.tr_lst:  # every row has one cell per column (no spans in the templates)
        for cell, width in zip(row.tc_lst, widths):
            cell.width = width


def _rows(table_el) -> list[tuple[bool, list]]:
    out = []
    for part in table_el:
        name = tag(part)
        if name == "colgroup":
            continue
        if name == "tr":
            out.append((False, list(part)))
            continue
        if name not in ("thead", "tbody", "tfoot"):
            raise ValueError(f"<{name}> inside <table>")
        for tr in part:
            out.append((name == "thead", [c for c in tr if tag(c) in ("td", "th")]))
    return out


def _row_flags(row, header: bool, keep: bool) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    if header:
        element = OxmlElement("w:tblHeader")
        element.set(qn("w:val"), "true")
        tr_pr.append(element)
    if keep:
        element = OxmlElement("w:cantSplit")
        element.set(qn("w:val"), "true")
        tr_pr.append(element)


def _element(name: str, *children, val: str | None = None):
    """A WordprocessingML element, with its w:val and children."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(name)
    if val is not None:
        element.set(qn("w:val"), val)
    element.extend(children)
    return element


def _shading(fill: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    return shading


def _shade(cell, fill: str) -> None:
    cell._tc.get_or_add_tcPr().append(_shading(fill))


def _bottom_rule(cell, color: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tcBorders")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "12"), ("color", color.upper())):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    cell._tc.get_or_add_tcPr().append(borders)


def _ruled(table) -> None:
    """Note lines: only a bottom rule on each empty row, a fixed height to write in."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "right", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    for side in ("bottom", "insideH"):
        element = OxmlElement(f"w:{side}")
        for key, value in (("val", "single"), ("sz", "4"), ("color", "9A9A9A")):
            element.set(qn(f"w:{key}"), value)
        borders.append(element)
    table._tbl.tblPr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                           "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    for row in table.rows:
        row.height = Mm(7)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def _end_keep(container) -> None:
    """The last paragraph of a kept block must not be kept with what follows."""
    paragraphs = getattr(container, "paragraphs", [])
    if paragraphs:
        paragraphs[-1].paragraph_format.keep_with_next = False


def _field(paragraph, code: str):
    """A Word field (PAGE, NUMPAGES) as a run: begin, instruction, separate, placeholder, end."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text.strip() == code:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
    return run


def _rule_below(container, color: str) -> None:
    """The letterhead's rule: a bottom border on its last paragraph, in the brand colour."""
    from docx.shared import Mm

    paragraphs = getattr(container, "paragraphs", [])
    if not paragraphs:
        return
    paragraphs[-1].paragraph_format.space_after = Mm(3)
    _paragraph_border(paragraphs[-1]._p.get_or_add_pPr(), "bottom", color, 10, "4")


# pPr children that come after pBdr in the schema's order (Word refuses another order).
AFTER_PBDR = ("shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
              "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
              "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
              "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")


def _paragraph_border(ppr, side: str, color: str, size: int, space: str) -> None:
    """One border (top or bottom) of a paragraph or paragraph style, replacing any it had."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for old in ppr.findall(qn("w:pBdr")):
        ppr.remove(old)
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", str(size)), ("space", space), ("color", color.upper())):
        line.set(qn(f"w:{key}"), value)
    borders.append(line)
    later = [child for child in ppr if child.tag in {qn(f"w:{name}") for name in AFTER_PBDR}]
    if later:
        later[0].addprevious(borders)
    else:
        ppr.append(borders)


def _indent(table, twips: int) -> None:
    """Word (before 2013) and LibreOffice put a table's text, not its edge, on the margin: indent
    the table by its left cell margin so that its border lines up with the text, as in the PDF."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    indent = OxmlElement("w:tblInd")
    indent.set(qn("w:w"), str(twips))
    indent.set(qn("w:type"), "dxa")
    table._tbl.tblPr.insert_element_before(indent, "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar",
                                           "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _no_border(style) -> None:
    from docx.oxml.ns import qn

    ppr = style.element.get_or_add_pPr()
    for borders in ppr.findall(qn("w:pBdr")):
        ppr.remove(borders)


def _mark_size(paragraph, points: float) -> None:
    """The size of an empty paragraph (its mark), which sets its height."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.insert_element_before(rpr, "w:sectPr", "w:pPrChange")
    for tag_name in ("w:sz", "w:szCs"):
        size = OxmlElement(tag_name)
        size.set(qn("w:val"), str(round(points * 2)))
        rpr.append(size)


def _contextual_spacing(ppr) -> None:
    from docx.oxml import OxmlElement

    ppr.insert_element_before(OxmlElement("w:contextualSpacing"), "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                              "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
                              "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _alt_text(picture, text: str) -> None:
    """The picture's alternative text (Word: Format Picture > Alt Text; read by screen readers)."""
    picture._inline.docPr.set("descr", text)


def _cell_margins(twips: tuple[int, int, int, int]):
    """Room around the text of every cell, as the PDF's CSS gives (Word's default is none above and below)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side, value in zip(("top", "left", "bottom", "right"), twips):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(value))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    return margins


def _no_theme_color_or_spacing(style) -> None:
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    for color in rpr.iter(qn("w:color")):
        color.attrib.pop(qn("w:themeColor"), None)
    for spacing in list(rpr.iter(qn("w:spacing"))):
        rpr.remove(spacing)


def _east_asian_font(style, name: str) -> None:
    """Set the font for every script slot, or Word keeps its theme font for some characters; the
    theme attributes (headings: asciiTheme="majorHAnsi") win over named fonts, so they go."""
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)

