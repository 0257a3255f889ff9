"""The document's font embedded in the DOCX, as Word's "Embed fonts in the file" writes it.

What (ECMA-376 Part 1, §17.8): each face of the font the Normal style names (Regular, Bold,
Italic, Bold Italic) is a part `word/fonts/fontN.odttf` of type obfuscatedFont, related from the
font table; the font table's `<w:font>` entry describes the font (panose, charset, family, pitch,
signature, an alternative name) and points to each face (`w:embedRegular` ... with its key);
settings say `w:embedTrueTypeFonts`. The font is taken from styles.xml, so the DOCX writer's body
font and a company letterhead's own font are handled alike.

Obfuscation (§17.8.1): the first 32 bytes of the font are XOR-ed with the 16 bytes of the key's
GUID, read from its hex digits in reverse order. It only keeps a reader from installing the font
by unzipping the document. Each key is derived from the face's bytes, never random, so equal
inputs still give equal DOCX bytes under SOURCE_DATE_EPOCH. LibreOffice reads the key's digits
in upper case only (writerfilter's EmbeddedFontHandler), as Word writes them.

Where the faces come from: Kitgen Sans from the package's fonts folder; another family through
fontconfig, each face only when fontconfig's file is that very family, weight and slope (a face
the family lacks is left out: Word then slants or emboldens the regular one, as without embedding).

When (the licence): never a face whose OS/2 fsType restricts embedding, allows only preview &
print (Word would open the document read-only; LibreOffice ignores such a font) or bitmaps; never
PostScript (CFF) outlines or a variable font, which Word does not embed; and only a font whose
name table says it is under the SIL Open Font License (Kitgen Sans is: Carlito's licence), unless
the company allows it (`allow`, company.yaml's proposed `brand.embed_font`). A font that is not
embedded changes nothing in the document; the caller gets the reason, to warn.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from kitgen.documents import templating
from kitgen.i18n import tr
from kitgen.sources.branding import BUNDLED_FONT

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
FONT_REL = f"{REL}/font"
ODTTF = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
# Face -> the font table element that embeds it (in the schema's order) and fontconfig's pattern.
FACES = {"Regular": "embedRegular", "Bold": "embedBold", "Italic": "embedItalic", "BoldItalic": "embedBoldItalic"}
FC_STYLES = {"Regular": "", "Bold": ":bold", "Italic": ":italic", "BoldItalic": ":bold:italic"}
# What a reader that ignores embedded fonts should look for: Kitgen Sans is Carlito, metric-compatible
# with Calibri, which every Word has (LibreOffice maps Calibri to Carlito itself and reads no altName).
ALT_NAMES = {BUNDLED_FONT: "Calibri"}
ALLOW_KEY = "brand.embed_font"  # the company file's switch for a font not under the OFL
OFL_MARKS = ("open font license", "scripts.sil.org/ofl", "openfontlicense.org")
MAX_FONT_BYTES = 8 * 1024 * 1024  # all faces together: a CJK family can weigh 60 MB
# CT_Settings children that come before w:embedTrueTypeFonts (ECMA-376 Part 1, §17.15.1).
BEFORE_EMBED = ("writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
                "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
                "printFractionalCharacterWidth", "printFormsData")
PANOSE = ("bFamilyType", "bSerifStyle", "bWeight", "bProportion", "bContrast", "bStrokeVariation",
          "bArmStyle", "bLetterForm", "bMidline", "bXHeight")


@dataclass(frozen=True)
class Face:
    """One face of a font: its style (a key of FACES) and its TrueType file's bytes."""

    style: str
    data: bytes


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def embed_font(parts: dict[str, bytes], allow: bool = False) -> tuple[dict[str, bytes], str | None]:
    """The DOCX's parts (zip entry name -> bytes) with the font of its Normal style embedded, and
    None; or the parts unchanged and why the font is not embedded (None when there is nothing to
    embed: no font named, or the font is already embedded, as in a letterhead saved by Word)."""
    names = _parts_of(parts)
    if names is None:
        return parts, None
    family = body_font(parts[names["styles"]])
    if family is None or _embedded(parts[names["fontTable"]], family):
        return parts, None
    faces, reason = find_faces(family)
    if reason:
        return parts, tr("font %(family)r not embedded: %(reason)s", family=family, reason=reason)
    return embed_faces(parts, family, faces, allow)


def embed_faces(parts: dict[str, bytes], family: str, faces: tuple[Face, ...],
                allow: bool = False) -> tuple[dict[str, bytes], str | None]:
    """`embed_font` once the faces are found: every face passes the licence checks or none is embedded."""
    from fontTools.ttLib import TTFont

    names = _parts_of(parts)
    if names is None or not faces:
        return parts, (tr("font %(family)r not embedded: no face given", family=family) if names
                       else tr("font %(family)r not embedded: the DOCX has no font table", family=family))
    fonts = {face.style: TTFont(io.BytesIO(face.data), lazy=True) for face in faces}
    if reason := _refusal_of(faces, fonts, allow):
        return parts, tr("font %(family)r not embedded: %(reason)s", family=family, reason=reason)
    out = dict(parts)
    embeds = _add_face_parts(out, names["fontTable"], faces)
    entry = font_entry(family, fonts.get("Regular") or next(iter(fonts.values())), embeds)
    out[names["fontTable"]] = _with_entry(out[names["fontTable"]], entry)
    out[names["settings"]] = _with_embed_setting(out[names["settings"]])
    out["[Content_Types].xml"] = _with_odttf_type(out["[Content_Types].xml"])
    return out, None


def _refusal_of(faces: tuple[Face, ...], fonts: dict, allow: bool) -> str | None:
    """Why the faces must not be embedded: one face's licence or outlines, or their weight."""
    for face in faces:
        if reason := refusal(fonts[face.style], allow):
            return tr("%(style)s face: %(reason)s", style=face.style, reason=reason)
    size = sum(len(face.data) for face in faces)
    if size > MAX_FONT_BYTES:
        return tr("its faces weigh %(size)s MB, more than the %(limit)d MB kitgen embeds",
                  size=format(size / 2**20, ".1f"), limit=MAX_FONT_BYTES // 2**20)
    return None


def _add_face_parts(out: dict[str, bytes], table: str, faces: tuple[Face, ...]) -> list[tuple[str, str, str]]:
    """Add each face, obfuscated, as a part related from the font table; (style, rel id, key) of each."""
    rels_name, folder = _rels_name(table), posixpath.dirname(table)
    rels = _xml(out.get(rels_name, f'<Relationships xmlns="{PACKAGE_RELS}"/>'.encode()))
    embeds = []
    for face in sorted(faces, key=lambda f: list(FACES).index(f.style)):
        key = font_key(face.data)
        part = _free_name(out, posixpath.join(folder, "fonts", "font{}.odttf"))
        out[part] = obfuscate(face.data, key)
        rel_id = _free_rel_id(rels)
        etree.SubElement(rels, f"{{{PACKAGE_RELS}}}Relationship", Id=rel_id, Type=FONT_REL,
                         Target=posixpath.relpath(part, folder))
        embeds.append((face.style, rel_id, key))
    out[rels_name] = _bytes(rels)
    return embeds


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 §17.8.1: XOR the first 32 bytes with the key's 16 bytes in reverse order (the GUID's
    hex digits read from the end). Its own inverse: obfuscating twice gives the font back."""
    mask = bytes.fromhex(re.sub(r"[{}-]", "", key))[::-1] * 2
    return bytes(a ^ b for a, b in zip(data[:32], mask)) + data[32:]


def font_key(data: bytes) -> str:
    """`{XXXXXXXX-XXXX-4XXX-XXXX-XXXXXXXXXXXX}`, in upper case, from a hash of the face's bytes."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16], version=4)).upper() + "}"


def body_font(styles: bytes) -> str | None:
    """The font the document's text is set in: the default paragraph style's (Normal) ascii font,
    else the document defaults'; None when only a theme font is named. (LibreOffice writes its
    Normal style without w:default.)"""
    root = _xml(styles)
    for path in ("w:style[@w:type='paragraph'][@w:default='1']/w:rPr/w:rFonts/@w:ascii",
                 "w:style[@w:type='paragraph'][@w:styleId='Normal']/w:rPr/w:rFonts/@w:ascii",
                 "w:docDefaults/w:rPrDefault/w:rPr/w:rFonts/@w:ascii"):
        found = root.xpath(path, namespaces={"w": W})
        if found and found[0].strip():
            return str(found[0]).strip()
    return None


@lru_cache(maxsize=8)
def find_faces(family: str) -> tuple[tuple[Face, ...], str | None]:
    """The faces of `family` found on this machine (its Regular at least), or why there are none."""
    if _family_key(family) == _family_key(BUNDLED_FONT):
        return tuple(Face(style, (templating.FONTS_DIR / f"KitgenSans-{style}.ttf").read_bytes())
                     for style in FACES), None
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return (), tr("fontconfig's fc-match is not installed")
    faces = tuple(face for style in FACES if (face := _fontconfig_face(fc_match, family, style)))
    if not any(face.style == "Regular" for face in faces):
        return (), tr("not installed on this machine (fontconfig has no regular face of that family)")
    return faces, None


def refusal(font, allow: bool) -> str | None:
    """Why this face (a fontTools TTFont) must not be embedded, or None."""
    if "OS/2" not in font:
        return tr("no OS/2 table: its embedding permissions are unknown")
    if "glyf" not in font:
        return tr("PostScript (CFF) outlines, which Word does not embed")
    if "fvar" in font:
        return tr("a variable font, which Word does not embed")
    fs_type = font["OS/2"].fsType
    usage = fs_type & 0x000E  # bits 1-3; when several are set, the least restrictive applies
    shown = f"{fs_type:#06x}"
    if fs_type & 0x0200:
        return tr("its licence allows bitmap embedding only (OS/2 fsType %(fs_type)s)", fs_type=shown)
    if usage and not usage & 0x0008:
        if usage & 0x0004:
            return tr("its licence allows preview & print embedding only (OS/2 fsType %(fs_type)s): Word "
                      "would open the document read-only", fs_type=shown)
        return tr("its licence does not allow embedding (OS/2 fsType %(fs_type)s, restricted)", fs_type=shown)
    if not allow and not _open_font_license(font):
        return tr("its name table does not say it is under the SIL Open Font License; if its licence allows "
                  "embedding, set %(key)s: true in company.yaml", key=ALLOW_KEY)
    return None


def font_entry(family: str, regular, embeds: list[tuple[str, str, str]]) -> etree._Element:
    """The font table's `<w:font>` for the family, described from its regular face, in the schema's
    order: altName, panose1, charset, family, pitch, sig, then embedRegular ... embedBoldItalic."""
    os2 = regular["OS/2"]
    entry = etree.Element(w("font"), nsmap={"w": W, "r": REL})
    entry.set(w("name"), family)
    panose = bytes(getattr(os2.panose, field) for field in PANOSE).hex().upper()
    latin1 = getattr(os2, "ulCodePageRange1", 1) & 1  # OS/2 version 0 has no code page ranges
    values = [("altName", ALT_NAMES.get(family)), ("panose1", panose), ("charset", "00" if latin1 else "01"),
              ("family", _word_family(os2.panose)), ("pitch", _pitch(regular))]
    for name, value in values:
        if value:
            etree.SubElement(entry, w(name)).set(w("val"), value)
    sig = etree.SubElement(entry, w("sig"))
    for attr, field in (("usb0", "ulUnicodeRange1"), ("usb1", "ulUnicodeRange2"), ("usb2", "ulUnicodeRange3"),
                        ("usb3", "ulUnicodeRange4"), ("csb0", "ulCodePageRange1"), ("csb1", "ulCodePageRange2")):
        sig.set(w(attr), f"{getattr(os2, field, 0):08X}")
    for style, rel_id, key in embeds:
        embed = etree.SubElement(entry, w(FACES[style]))
        embed.set(f"{{{REL}}}id", rel_id)
        embed.set(w("fontKey"), key)
    return entry


# -- finding the faces -------------------------------------------------------------------------

def _fontconfig_face(fc_match: str, family: str, style: str) -> Face | None:
    """The face fontconfig gives for family and style, when it is that family and that style
    (fontconfig answers every question with its nearest font: Carlito for Calibri, the regular
    face for a bold the family lacks)."""
    from fontTools.ttLib import TTFont, TTLibError

    pattern = re.sub(r"([\\:,-])", r"\\\1", family) + FC_STYLES[style]
    try:
        result = subprocess.run([fc_match, "-f", "%{file}\n%{index}\n%{family}", pattern], capture_output=True,
                                text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    file, index, families = (result.stdout.split("\n", 2) + ["", ""])[:3]
    names = {_family_key(name.replace("\\", "")) for name in re.split(r"(?<!\\),", families)}
    if result.returncode != 0 or not file or _family_key(family) not in names:
        return None
    try:
        font = TTFont(file, fontNumber=int(index or 0) & 0xFFFF, lazy=True)
        if _style_of(font) != style:
            return None
        return Face(style, _standalone(Path(file), font))
    except (OSError, ValueError, KeyError, TTLibError):  # a damaged file is a face not found
        return None


def _standalone(path: Path, font) -> bytes:
    """The face's own file; a face of a collection (.ttc) written out alone."""
    data = path.read_bytes()
    if data[:4] != b"ttcf":
        return data
    buffer = io.BytesIO()
    font.recalcTimestamp = False  # the same bytes every time
    font.save(buffer)
    return buffer.getvalue()


def _style_of(font) -> str:
    head, os2 = font["head"], font["OS/2"]
    bold = bool(head.macStyle & 1 or os2.fsSelection & 0x20 or os2.usWeightClass >= 600)
    italic = bool(head.macStyle & 2 or os2.fsSelection & 0x201)  # italic or oblique
    return {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic", (True, True): "BoldItalic"}[
        (bold, italic)]


def _family_key(name: str) -> str:
    """Family names compared as fontconfig compares them (and kitgen.sources.branding): no case, no spaces."""
    return re.sub(r"\s+", "", name).casefold()


def _open_font_license(font) -> bool:
    """The name table's licence description (13) or licence URL (14) names the SIL OFL."""
    text = " ".join(record.toUnicode() for record in font["name"].names if record.nameID in (13, 14))
    return any(mark in text.casefold() for mark in OFL_MARKS)


def _word_family(panose) -> str:
    """Word's font family from the PANOSE class: swiss (sans), roman (serif), modern (monospaced)..."""
    if panose.bFamilyType == 2:  # Latin text
        if panose.bProportion == 9:
            return "modern"
        return "swiss" if panose.bSerifStyle in (11, 12, 13, 14, 15) else "roman" if 2 <= panose.bSerifStyle <= 10 \
            else "auto"
    return {3: "script", 4: "decorative"}.get(panose.bFamilyType, "auto")


def _pitch(font) -> str:
    return "fixed" if font["post"].isFixedPitch or font["OS/2"].panose.bProportion == 9 else "variable"


# -- the parts of the package ------------------------------------------------------------------

def _parts_of(parts: dict[str, bytes]) -> dict[str, str] | None:
    """The zip entry names of the styles, font table and settings of the main document, or None."""
    document = _related(parts, "", "officeDocument")
    if document is None:
        return None
    names = {kind: _related(parts, document, kind) for kind in ("styles", "fontTable", "settings")}
    if not all(name in parts for name in names.values()) or "[Content_Types].xml" not in parts:
        return None
    return names


def _related(parts: dict[str, bytes], source: str, kind: str) -> str | None:
    """The part `source` (a zip entry name, "" for the package) relates to with type .../`kind`."""
    rels = parts.get(_rels_name(source))
    if rels is None:
        return None
    for rel in _xml(rels):
        if rel.get("Type") == f"{REL}/{kind}" and rel.get("TargetMode") != "External":
            return posixpath.normpath(posixpath.join(posixpath.dirname(source), rel.get("Target", ""))).lstrip("/")
    return None


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _free_name(parts: dict[str, bytes], template: str) -> str:
    number = 1
    while template.format(number) in parts:
        number += 1
    return template.format(number)


def _free_rel_id(rels: etree._Element) -> str:
    used = {rel.get("Id") for rel in rels}
    number = 1
    while f"rId{number}" in used:
        number += 1
    return f"rId{number}"


def _embedded(font_table: bytes, family: str) -> bool:
    """The font table already embeds a face of `family` (a letterhead saved with Word's option)."""
    return any(_family_key(font.get(w("name"), "")) == _family_key(family) and
               any(font.find(w(element)) is not None for element in FACES.values())
               for font in _xml(font_table).iterfind(w("font")))


def _with_entry(font_table: bytes, entry: etree._Element) -> bytes:
    """The font table with `entry` in place of the family's entry (at its place), or added last."""
    root = _xml(font_table)
    for font in root.iterfind(w("font")):
        if _family_key(font.get(w("name"), "")) == _family_key(entry.get(w("name"))):
            font.addprevious(entry)
            root.remove(font)
            break
    else:
        root.append(entry)
    return _bytes(root)


def _with_embed_setting(settings: bytes) -> bytes:
    """settings.xml with `<w:embedTrueTypeFonts/>`, after the elements the schema puts before it."""
    root = _xml(settings)
    existing = root.find(w("embedTrueTypeFonts"))
    if existing is not None:
        existing.attrib.pop(w("val"), None)  # w:val="0" would turn it off
        return _bytes(root)
    before = [index for index, child in enumerate(root) if etree.QName(child).localname in BEFORE_EMBED
              and etree.QName(child).namespace == W]
    root.insert(before[-1] + 1 if before else 0, etree.Element(w("embedTrueTypeFonts")))
    return _bytes(root)


def _with_odttf_type(content_types: bytes) -> bytes:
    """[Content_Types].xml with `<Default Extension="odttf" ContentType="...obfuscatedFont"/>`."""
    root = _xml(content_types)
    defaults = root.findall(f"{{{CONTENT_TYPES}}}Default")
    if any(default.get("Extension", "").lower() == "odttf" for default in defaults):
        return content_types
    element = etree.Element(f"{{{CONTENT_TYPES}}}Default", Extension="odttf", ContentType=ODTTF)
    if defaults:
        defaults[-1].addnext(element)
    else:
        root.insert(0, element)
    return _bytes(root)


def _xml(data: bytes) -> etree._Element:
    """Parse a part; no entity is expanded, nothing fetched (a letterhead comes from outside)."""
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
