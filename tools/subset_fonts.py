"""Make the small Latin subset of Carlito ("Kitgen Sans") that kitgen ships in src/kitgen/fonts/.

Carlito (SIL OFL 1.1) is metric-compatible with Calibri: the PDF uses Carlito and the DOCX asks for
Calibri, so both look alike in Word, LibreOffice and print. A pre-subset font keeps WeasyPrint's
per-document font subsetting cheap (REFERENCE.md §7: the biggest single lever on PDF speed).
Characters outside the subset fall back to the system fonts (DejaVu, Noto) through fontconfig.

Run: python tools/subset_fonts.py [/usr/share/fonts/truetype/crosextra]
(needs Debian's fonts-crosextra-carlito; only to refresh the committed files).
"""
import sys
from pathlib import Path

from fontTools import subset

UNICODES = (
    "U+0020-007E,U+00A0-017F,U+0192,U+0218-021B,U+02C6-02DD,U+0300-0301,U+1E9E,"
    "U+2000-206F,U+20AC,U+20A3-20B9,U+2116,U+2122,U+2190-2193,U+2212,U+2215,U+2610-2612,"
    "U+2713-2714,U+25A1,U+25CB,U+25CF,U+FB01-FB02"
)
STYLES = ["Regular", "Bold", "Italic", "BoldItalic"]


def rename(font, style: str) -> None:
    """OFL: a modified font may not keep the Reserved Font Name, so the subset is "Kitgen Sans"."""
    human = {"BoldItalic": "Bold Italic"}.get(style, style)
    names = {1: "Kitgen Sans", 2: human, 3: f"KitgenSans-{style}", 4: f"Kitgen Sans {human}",
             6: f"KitgenSans-{style}", 16: "Kitgen Sans", 17: human}
    font["name"].names = [n for n in font["name"].names if n.nameID not in names]
    for name_id, text in names.items():
        font["name"].setName(text, name_id, 3, 1, 0x409)


def add_space_aliases(font) -> None:
    """Carlito has no glyph for U+00A0 (no-break space), which French text and Babel's money format
    use everywhere. Add one, a copy of the space, as its own glyph so that text extracted from the
    PDF keeps U+00A0 (a shared glyph would map back to U+0020)."""
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    order = font.getGlyphOrder()
    if "uni00A0" not in order:
        font.setGlyphOrder(order + ["uni00A0"])
        font["glyf"].glyphOrder = font.getGlyphOrder()
        font["glyf"].glyphs["uni00A0"] = Glyph()
        font["hmtx"].metrics["uni00A0"] = font["hmtx"].metrics["space"]
        font["maxp"].numGlyphs = len(font.getGlyphOrder())
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[0xA0] = "uni00A0"
            table.cmap.setdefault(0x202F, "uni00A0")


def main() -> None:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/crosextra")
    out = Path(__file__).resolve().parents[1] / "src" / "kitgen" / "fonts"
    out.mkdir(parents=True, exist_ok=True)
    for style in STYLES:
        options = subset.Options()
        options.layout_features = ["kern", "liga", "onum", "lnum", "tnum"]
        options.name_IDs = ["*"]
        options.hinting = False
        options.notdef_outline = True
        font = subset.load_font(str(src / f"Carlito-{style}.ttf"), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
        subsetter.subset(font)
        rename(font, style)
        add_space_aliases(font)
        target = out / f"KitgenSans-{style}.ttf"
        subset.save_font(font, str(target), options)
        print(target, target.stat().st_size)


if __name__ == "__main__":
    main()
