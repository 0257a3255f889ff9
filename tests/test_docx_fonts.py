"""The DOCX carries its font (kitgen.formats.docx_fonts), as Word's "Embed fonts in the file" does:
the obfuscated faces, their content type and relationships, the font table entry and the setting,
read back from the zip; the licence rules; and LibreOffice drawing the document in Kitgen Sans on
a machine where fontconfig knows neither Kitgen Sans nor Carlito."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from kitgen.commands import open_project
from kitgen.documents import templating
from kitgen.documents.context import AdOptions
from kitgen.documents.render import render_ad
from kitgen.formats import docx_fonts
from kitgen.formats.docx import DocxFormat, _parts
from kitgen.formats.docx_fonts import (
    FONT_REL,
    ODTTF,
    Face,
    embed_faces,
    embed_font,
    find_faces,
    obfuscate,
)
from kitgen.sources.branding import installed_families
from tests.support import ROOT, tool

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
EPOCH = "1790000000"
STYLES = {"embedRegular": "Regular", "embedBold": "Bold", "embedItalic": "Italic", "embedBoldItalic": "BoldItalic"}


def sample_ad(**brand):
    project = open_project(ROOT)
    _, role = project.find_role("directeur-ecommerce")
    doc = render_ad(role, project.company, AdOptions(), project.templates_dir, None, ROOT)
    doc.context["brand"] = {**doc.context["brand"], **brand}
    return doc


@pytest.fixture(scope="module")
def ad_docx() -> bytes:
    return DocxFormat().render(sample_ad())


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def font_entry(data: bytes, family: str = "Kitgen Sans"):
    fonts = etree.fromstring(part(data, "word/fontTable.xml"))
    entries = [font for font in fonts.iter(f"{W}font") if font.get(f"{W}name") == family]
    assert len(entries) == 1, [font.get(f"{W}name") for font in fonts.iter(f"{W}font")]
    return entries[0]


def embedded_faces(data: bytes) -> dict[str, bytes]:
    """Face -> the font file got back from the DOCX: relationship, part, key, de-obfuscation."""
    rels = {rel.get("Id"): rel for rel in etree.fromstring(part(data, "word/_rels/fontTable.xml.rels"))}
    faces = {}
    for embed in font_entry(data):
        if embed.tag.removeprefix(W) in STYLES:
            rel = rels[embed.get(f"{R}id")]
            assert rel.get("Type") == FONT_REL
            key = embed.get(f"{W}fontKey")
            assert re.fullmatch(r"\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}", key), key
            faces[STYLES[embed.tag.removeprefix(W)]] = obfuscate(part(data, f"word/{rel.get('Target')}"), key)
    return faces


# -- what the DOCX holds -------------------------------------------------------------------------

def test_each_face_is_an_obfuscated_part_that_gives_back_the_bundled_font(ad_docx):
    faces = embedded_faces(ad_docx)
    assert list(faces) == ["Regular", "Bold", "Italic", "BoldItalic"]
    for style, data in faces.items():
        assert data == (templating.FONTS_DIR / f"KitgenSans-{style}.ttf").read_bytes(), style
    with zipfile.ZipFile(io.BytesIO(ad_docx)) as archive:
        stored = sorted(n for n in archive.namelist() if n.startswith("word/fonts/"))
        assert stored == [f"word/fonts/font{n}.odttf" for n in (1, 2, 3, 4)]
        for name in stored:  # obfuscated: not a TrueType file any more, the same length
            assert archive.read(name)[:4] != b"\x00\x01\x00\x00"
    types = etree.fromstring(part(ad_docx, "[Content_Types].xml"))
    odttf = [d for d in types if d.get("Extension") == "odttf"]
    assert len(odttf) == 1 and odttf[0].get("ContentType") == ODTTF == \
        "application/vnd.openxmlformats-officedocument.obfuscatedFont"
    assert odttf[0].tag.endswith("}Default")


def test_the_font_table_describes_the_font_in_the_schemas_order(ad_docx):
    entry = font_entry(ad_docx)
    children = [child.tag.removeprefix(W) for child in entry]
    assert children == ["altName", "panose1", "charset", "family", "pitch", "sig",
                        "embedRegular", "embedBold", "embedItalic", "embedBoldItalic"]
    values = {child.tag.removeprefix(W): child.get(f"{W}val") for child in entry}
    assert values["altName"] == "Calibri"  # metric-compatible: what a reader without the font should use
    assert values["panose1"] == "020F0502020204030204"  # Carlito's, which is Calibri's
    assert (values["charset"], values["family"], values["pitch"]) == ("00", "swiss", "variable")
    assert entry.find(f"{W}sig").get(f"{W}csb0") == "00000193"
    styles = part(ad_docx, "word/styles.xml").decode()
    normal = re.search(r'<w:style [^>]*w:styleId="Normal".*?</w:style>', styles, re.S).group(0)
    assert 'w:ascii="Kitgen Sans"' in normal  # the family embedded is the family the text is set in


def test_settings_ask_to_embed_truetype_fonts_in_the_schemas_place(ad_docx):
    settings = [child.tag.removeprefix(W) for child in etree.fromstring(part(ad_docx, "word/settings.xml"))]
    assert settings.count("embedTrueTypeFonts") == 1
    position = settings.index("embedTrueTypeFonts")
    assert settings[position - 1] == "zoom" and settings[position + 1] == "proofState"


def test_python_docx_opens_the_document_and_keeps_the_fonts_when_it_saves_it(tmp_path, ad_docx):
    from docx import Document

    document = Document(io.BytesIO(ad_docx))
    assert document.paragraphs[0].text
    document.save(str(tmp_path / "again.docx"))
    assert embedded_faces((tmp_path / "again.docx").read_bytes()) == embedded_faces(ad_docx)


def test_same_bytes_twice_under_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first, second = DocxFormat().render(sample_ad()), DocxFormat().render(sample_ad())
    assert first == second
    assert "fontKey" in part(first, "word/fontTable.xml").decode()


def test_embedding_twice_changes_nothing(ad_docx):
    parts = _parts(ad_docx)
    again, reason = embed_font(parts)
    assert reason is None and again == parts  # a letterhead Word saved with its fonts stays as it is


def test_a_letterhead_made_by_libreoffice_gets_its_font_embedded_in_its_own_entry():
    """Another producer's parts: a Normal style without w:default, the family already in the font
    table (replaced where it stands), settings with zoom then defaultTabStop."""
    with zipfile.ZipFile(ROOT / "tests/fixtures/letterhead/letterhead.docx") as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for name in ("word/styles.xml", "word/fontTable.xml"):
        parts[name] = parts[name].replace(b"Liberation Serif", b"Kitgen Sans")
    before = [f.get(f"{W}name") for f in etree.fromstring(parts["word/fontTable.xml"])]
    out, reason = embed_font(parts)
    assert reason is None
    data = zip_of(out)
    assert [f.get(f"{W}name") for f in etree.fromstring(out["word/fontTable.xml"])] == before
    assert embedded_faces(data)["Regular"] == (templating.FONTS_DIR / "KitgenSans-Regular.ttf").read_bytes()
    settings = [child.tag.removeprefix(W) for child in etree.fromstring(out["word/settings.xml"])]
    assert settings[:3] == ["zoom", "embedTrueTypeFonts", "defaultTabStop"]


def test_a_company_that_turns_embedding_off_gets_the_font_named_only():
    doc = sample_ad(embed_font=False)
    data = DocxFormat().render(doc)
    assert not [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if "odttf" in n or "fonts/" in n]
    assert b"embedTrueTypeFonts" not in part(data, "word/settings.xml") and doc.warnings == []


# -- licence rules -------------------------------------------------------------------------------

def with_fs_type(tmp_path: Path, fs_type: int) -> Face:
    from fontTools.ttLib import TTFont

    font = TTFont(templating.FONTS_DIR / "KitgenSans-Regular.ttf")
    font["OS/2"].fsType = fs_type
    path = tmp_path / f"fstype-{fs_type}.ttf"
    font.save(path)
    return Face("Regular", path.read_bytes())


@pytest.mark.parametrize("fs_type, why", [(0x0002, "restricted"), (0x0004, "preview & print"),
                                          (0x0208, "bitmap embedding only")])
def test_a_face_whose_licence_forbids_editable_embedding_is_not_embedded(tmp_path, ad_docx, fs_type, why):
    parts = _parts(ad_docx)
    plain, _ = strip_fonts(parts)
    out, reason = embed_faces(plain, "Kitgen Sans", (with_fs_type(tmp_path, fs_type),), allow=True)
    assert out is plain
    assert reason.startswith("font 'Kitgen Sans' not embedded: Regular face: ") and why in reason, reason


@pytest.mark.parametrize("fs_type", [0x0000, 0x0008, 0x000C])  # installable, editable, editable wins
def test_installable_and_editable_faces_are_embedded(tmp_path, ad_docx, fs_type):
    plain, _ = strip_fonts(_parts(ad_docx))
    face = with_fs_type(tmp_path, fs_type)
    out, reason = embed_faces(plain, "Kitgen Sans", (face,))
    assert reason is None
    assert obfuscate(out["word/fonts/font1.odttf"], font_entry(zip_of(out)).find(f"{W}embedRegular")
                     .get(f"{W}fontKey")) == face.data


def test_a_brand_font_not_under_the_ofl_is_embedded_only_when_the_company_allows_it():
    tool("fc-match")
    if "DejaVu Sans" not in (installed_families() or ()):
        pytest.skip("DejaVu Sans not installed")
    doc = sample_ad(font="DejaVu Sans")  # Bitstream Vera licence: free, but not the OFL
    plain = DocxFormat().render(doc)
    assert "word/fonts/font1.odttf" not in zipfile.ZipFile(io.BytesIO(plain)).namelist()
    assert doc.warnings == [(f"{doc.stem}.docx: font 'DejaVu Sans' not embedded: Regular face: its name table does "
                             "not say it is under the SIL Open Font License; if its licence allows embedding, set "
                             "brand.embed_font: true in company.yaml")]
    allowed = sample_ad(font="DejaVu Sans", embed_font=True)
    faces = embedded_faces_of(DocxFormat().render(allowed), "DejaVu Sans")
    assert allowed.warnings == [] and set(faces) == {"Regular", "Bold", "Italic", "BoldItalic"}
    files = {style: subprocess.run([tool("fc-match"), "-f", "%{file}", f"DejaVu Sans{docx_fonts.FC_STYLES[style]}"],
                                   capture_output=True, text=True, check=True).stdout for style in faces}
    assert all(faces[style] == Path(file).read_bytes() for style, file in files.items())


def test_fontconfigs_nearest_font_of_another_family_is_never_embedded():
    tool("fc-match")
    if "Calibri" in (installed_families() or ()):
        pytest.skip("Calibri is installed here")
    faces, reason = find_faces("Calibri")  # fontconfig answers Carlito, or DejaVu Sans
    assert faces == () and reason.startswith("not installed on this machine"), reason


def embedded_faces_of(data: bytes, family: str) -> dict[str, bytes]:
    rels = {rel.get("Id"): rel.get("Target") for rel in etree.fromstring(part(data, "word/_rels/fontTable.xml.rels"))}
    return {STYLES[e.tag.removeprefix(W)]: obfuscate(part(data, f"word/{rels[e.get(f'{R}id')]}"), e.get(f"{W}fontKey"))
            for e in font_entry(data, family) if e.tag.removeprefix(W) in STYLES}


# -- LibreOffice, without the font installed -----------------------------------------------------

def strip_fonts(parts: dict[str, bytes]) -> tuple[dict[str, bytes], int]:
    """The parts as they were before embedding (no odttf, no font relationships, no embed elements)."""
    out = {name: data for name, data in parts.items()
           if not name.startswith("word/fonts/") and name != "word/_rels/fontTable.xml.rels"}
    out["word/fontTable.xml"], count = re.subn(rb"<w:embed\w+ [^>]*/>", b"", parts["word/fontTable.xml"])
    return out, count


def zip_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def no_carlito_env(tmp_path: Path) -> dict[str, str]:
    """A fontconfig that sees DejaVu only: neither Kitgen Sans nor Carlito nor any other system font."""
    import os

    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
                    "  <dir>/usr/share/fonts/truetype/dejavu</dir>\n"
                    f"  <cachedir>{tmp_path / 'fontconfig-cache'}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf))
    families = subprocess.run([tool("fc-list"), ":", "family"], capture_output=True, text=True, env=env,
                              check=True).stdout
    assert "DejaVu Sans" in families, "the test needs fonts-dejavu-core in /usr/share/fonts/truetype/dejavu"
    assert "Carlito" not in families and "Kitgen" not in families, families
    return env


def office_pdf(tmp_path: Path, name: str, data: bytes, env: dict[str, str]) -> Path:
    docx = tmp_path / f"{name}.docx"
    docx.write_bytes(data)
    out = tmp_path / "lo"
    profile = (tmp_path / f"profile-{name}").as_uri()
    subprocess.run([tool("soffice"), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(docx)], capture_output=True, timeout=180, env=env, check=False)
    pdf = out / f"{name}.pdf"
    assert pdf.exists(), f"LibreOffice made no PDF of {docx}"
    return pdf


def pdf_fonts(pdf: Path) -> dict[str, str]:
    """pdffonts: font name without its subset prefix -> its "emb" column."""
    lines = subprocess.run([tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    fonts = {}
    for line in lines.splitlines()[2:]:
        columns = line.split()
        fonts[columns[0].split("+", 1)[-1]] = columns[-5]
    return fonts


def text_by_font(pdf: Path) -> dict[str, str]:
    """Every character drawn, by the font that draws it (pypdf)."""
    from pypdf import PdfReader

    drawn: dict[str, str] = {}
    for page in PdfReader(str(pdf)).pages:
        def visit(text, cm, tm, font, size):
            if font is not None and text.strip():
                name = str(font.get("/BaseFont", "")).split("+", 1)[-1]
                drawn[name] = drawn.get(name, "") + text
        page.extract_text(visitor_text=visit)
    return drawn


BULLET = "\uf0b7"  # python-docx's List Bullet draws U+F0B7 in Symbol, a font no test machine has


@pytest.mark.realclient
def test_libreoffice_draws_the_docx_in_its_embedded_font_without_carlito_installed(tmp_path, ad_docx):
    env = no_carlito_env(tmp_path)
    pdf = office_pdf(tmp_path, "embedded", ad_docx, env)
    fonts = pdf_fonts(pdf)
    assert fonts.get("KitgenSans-Regular") == "yes" and fonts.get("KitgenSans-Bold") == "yes", fonts
    drawn = text_by_font(pdf)
    others = {name: set(text) for name, text in drawn.items() if not name.startswith("KitgenSans-")}
    assert all(chars <= {BULLET, " ", "\u00a0"} for chars in others.values()), others  # bullets only
    assert "Directeur ou directrice e-commerce" in drawn["KitgenSans-Bold"]


@pytest.mark.realclient
def test_without_the_embedded_font_the_same_docx_falls_back_to_dejavu(tmp_path, ad_docx):
    """The control: the environment really lacks the font, so the test above can fail."""
    env = no_carlito_env(tmp_path)
    plain, stripped = strip_fonts(_parts(ad_docx))
    assert stripped == 4
    pdf = office_pdf(tmp_path, "plain", zip_of(plain), env)
    fonts = pdf_fonts(pdf)
    assert not any(name.startswith("KitgenSans") for name in fonts), fonts
    drawn = text_by_font(pdf)
    assert all(name.startswith("DejaVu") for name in drawn), drawn
    assert "Directeur ou directrice e-commerce" in "".join(drawn.values())
