"""An inline <svg> of a template as a PNG picture, for the DOCX (Word shows pictures, not SVG markup).

Drawn with Pillow (already there: WeasyPrint depends on it), for exactly the SVG the built-in
templates write — the debrief's chart: `svg` (width and height in mm, a viewBox), `rect`, `line`,
`circle`, `polygon`, `text` (x, y, font-size, font-weight, text-anchor, fill), `title`. Colours are
`#rrggbb`; there are no transforms, no paths, no styles. Anything else fails loudly with its name,
as the HTML walker does, rather than drawing a wrong picture.
"""

from __future__ import annotations

import io
import re

from kitgen.errors import RenderError
from kitgen.i18n import tr

SVG = "{http://www.w3.org/2000/svg}"
DPI = 300
MM = DPI / 25.4  # pixels per millimetre
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _num(el, name: str, default: float = 0.0) -> float:
    value = el.get(name)
    return float(NUMBER.match(value).group()) if value else default


def _colour(value: str | None) -> str | None:
    return None if value in (None, "none") else value


def svg_png(svg) -> tuple[bytes, float, float]:
    """The PNG of an inline <svg> element, and its width and height in mm."""
    from PIL import Image, ImageDraw

    width_mm, height_mm = _num(svg, "width"), _num(svg, "height")
    _, _, view_w, view_h = (float(v) for v in (svg.get("viewBox") or f"0 0 {width_mm} {height_mm}").split())
    scale = width_mm * MM / view_w
    image = Image.new("RGB", (round(view_w * scale), round(view_h * scale)), "#ffffff")
    draw = ImageDraw.Draw(image)
    for el in svg:
        _draw(draw, el, scale)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(DPI, DPI))
    return out.getvalue(), width_mm, height_mm


def _draw(draw, el, scale: float) -> None:
    name = el.tag[len(SVG):] if isinstance(el.tag, str) and el.tag.startswith(SVG) else str(el.tag)
    fill, stroke = _colour(el.get("fill")), _colour(el.get("stroke"))
    line = max(1, round(_num(el, "stroke-width", 1) * scale)) if stroke else 0
    if name == "title":
        return
    if name == "rect":
        x, y = _num(el, "x") * scale, _num(el, "y") * scale
        box = [x, y, x + _num(el, "width") * scale, y + _num(el, "height") * scale]
        draw.rectangle(box, fill=fill, outline=stroke, width=line)
    elif name == "line":
        points = [_num(el, key) * scale for key in ("x1", "y1", "x2", "y2")]
        draw.line(points, fill=stroke, width=line)
    elif name == "circle":
        x, y, r = (_num(el, key) * scale for key in ("cx", "cy", "r"))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=fill, outline=stroke, width=line)
    elif name == "polygon":
        values = [float(v) * scale for v in NUMBER.findall(el.get("points") or "")]
        draw.polygon(list(zip(values[::2], values[1::2])), fill=fill, outline=stroke, width=line)
    elif name == "text":
        _text(draw, el, scale, fill or "#000000")
    else:
        raise RenderError(tr("unsupported SVG element <%(name)s> in a picture for DOCX output", name=name))


def _text(draw, el, scale: float, fill: str) -> None:
    from PIL import ImageFont

    from kitgen.documents.templating import FONTS_DIR

    bold = el.get("font-weight") == "bold"
    font = ImageFont.truetype(str(FONTS_DIR / f"KitgenSans-{'Bold' if bold else 'Regular'}.ttf"),
                              max(1, round(_num(el, "font-size", 4) * scale)))
    anchor = {"middle": "ms", "end": "rs"}.get(el.get("text-anchor") or "", "ls")  # on the baseline, as SVG
    draw.text((_num(el, "x") * scale, _num(el, "y") * scale), "".join(el.itertext()), font=font, fill=fill,
              anchor=anchor)
