"""Issue 9, branding: company.yaml's brand colour, font and logo read back from the PDF (colour
operators in the page content, embedded font names, images) and the DOCX (styles.xml, table
header borders, header and body pictures); a font that is not installed and a logo outside the
project are data errors naming company.yaml's field."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitgen.cli import main
from kitgen.sources.branding import installed_families
from tests.support import IN_CI, ROOT, tool

COLOR = "#c0392b"
RGB = tuple(int(COLOR[i:i + 2], 16) / 255 for i in (1, 3, 5))  # 0.753 0.224 0.169
FONT = "DejaVu Serif"  # fonts-dejavu-core, installed by .ci/run
LOGO_SIZE = (600, 200)
OFFER = ("offer", "directeur-ecommerce", "--candidate", "Élodie Marchand", "--level", "confirme",
         "--location", "Paris", "--salary", "85000", "--start-date", "2027-02-01", "--allow-past-date")


def branded_project(root: Path, brand: str) -> Path:
    shutil.copytree(ROOT / "roles", root / "roles")
    text = (ROOT / "company.yaml").read_text(encoding="utf-8")
    (root / "company.yaml").write_text(text.replace('brand:\n  color: "#0b5394"\n', brand), encoding="utf-8")
    return root


def make_logo(path: Path) -> bytes:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", LOGO_SIZE, COLOR).save(path)
    return path.read_bytes()


def run(root: Path, *args: str):
    return CliRunner().invoke(main, ["-C", str(root), *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def branded(tmp_path_factory):
    """A kit and an offer letter, PDF and DOCX, of a company with a colour, a font and a logo."""
    if FONT not in (installed_families() or ()):
        if IN_CI:
            pytest.fail(f"{FONT} is not installed (CI=true): .ci/run must install fonts-dejavu-core")
        pytest.skip(f"{FONT} not installed")
    root = branded_project(tmp_path_factory.mktemp("branded"),
                           f'brand:\n  color: "{COLOR}"\n  font: {FONT}\n  logo: assets/logo.png\n')
    logo = make_logo(root / "assets/logo.png")
    for args in (("kit", "directeur-ecommerce", "--level", "confirme"), OFFER):
        result = run(root, *args, "-f", "pdf,docx")
        assert result.exit_code == 0, result.output
    out = root / "output/directeur-ecommerce"
    return {"kit": out / "interview-kit-confirme", "offer": out / "offer-elodie-marchand", "logo": logo}


def docx_part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def docx_media(path: Path) -> list[bytes]:
    with zipfile.ZipFile(path) as archive:
        return [archive.read(n) for n in archive.namelist() if n.startswith("word/media/")]


def style_xml(styles: str, style_id: str) -> str:
    match = re.search(rf'<w:style [^>]*w:styleId="{style_id}".*?</w:style>', styles, re.S)
    assert match, style_id
    return match.group(0)


# -- DOCX ----------------------------------------------------------------------------------------

def test_docx_headings_have_the_brand_colour_and_every_style_the_brand_font(branded):
    styles = docx_part(branded["kit"].with_suffix(".docx"), "word/styles.xml")
    hex_color = COLOR[1:].upper()
    for style_id in ("Title", "Heading1"):
        assert f'<w:color w:val="{hex_color}"/>' in style_xml(styles, style_id)
    for style_id in ("Normal", "Title", "Heading1", "Heading2", "Subtitle"):
        fonts = re.search(r"<w:rFonts [^>]*/>", style_xml(styles, style_id)).group(0)
        assert f'w:ascii="{FONT}"' in fonts and f'w:hAnsi="{FONT}"' in fonts, style_id
        assert "Theme" not in fonts and "theme" not in fonts, f"{style_id}: a theme font would win: {fonts}"


def test_docx_table_headings_have_a_rule_in_the_brand_colour(branded):
    document = docx_part(branded["kit"].with_suffix(".docx"), "word/document.xml")
    rules = re.findall(r'<w:tcBorders><w:bottom w:val="single" w:sz="12" w:color="([0-9A-F]{6})"/>', document)
    assert rules and set(rules) == {COLOR[1:].upper()}


def test_docx_kit_has_the_logo_in_both_headers_and_the_letter_in_its_letterhead(branded):
    kit = branded["kit"].with_suffix(".docx")
    assert docx_media(kit) == [branded["logo"]]  # one image part, the logo's own bytes
    from docx import Document

    section = Document(str(kit)).sections[0]
    for header in (section.header, section.first_page_header):
        assert header._element.xpath(".//pic:pic"), "no picture in the Word header"
    letter = Document(str(branded["offer"].with_suffix(".docx")))
    assert letter.element.body.xpath(".//pic:pic"), "no picture in the letterhead"
    assert docx_media(branded["offer"].with_suffix(".docx")) == [branded["logo"]]


# -- PDF -----------------------------------------------------------------------------------------

def fill_colors(page) -> set[tuple[float, float, float]]:
    data = page.get_contents().get_data().decode("latin-1")
    return {tuple(round(float(v), 3) for v in m) for m in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|RG)", data)}


def test_pdf_headings_and_rules_are_in_the_brand_colour(branded):
    from pypdf import PdfReader

    reader = PdfReader(str(branded["kit"].with_suffix(".pdf")))
    wanted = tuple(round(v, 3) for v in RGB)
    assert all(wanted in fill_colors(page) for page in reader.pages[:3])
    default = tuple(round(int("0b5394"[i:i + 2], 16) / 255, 3) for i in (0, 2, 4))
    assert not any(default in fill_colors(page) for page in reader.pages)


def test_pdf_is_set_in_the_brand_font(branded):
    from pypdf import PdfReader

    fonts = set()
    for page in PdfReader(str(branded["kit"].with_suffix(".pdf"))).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert {"DejaVu-Serif", "DejaVu-Serif-Bold"} <= fonts


def drawn_images(stream, resources) -> list[tuple[int, int]]:
    """Sizes of the images a content stream draws (`/Name Do`), following form XObjects: WeasyPrint
    shares one resource dictionary between pages, so what a page lists is not what it draws."""
    xobjects = resources.get("/XObject", {}) if resources else {}
    sizes = []
    for name in re.findall(r"(/[\w.-]+) Do", stream.get_data().decode("latin-1")):
        xobject = xobjects[name].get_object()
        if xobject["/Subtype"] == "/Image":
            sizes.append((xobject["/Width"], xobject["/Height"]))
        else:
            sizes += drawn_images(xobject, xobject.get("/Resources"))
    return sizes


def test_pdf_logo_is_on_every_kit_page_and_in_the_letterhead(branded):
    from pypdf import PdfReader

    kit = PdfReader(str(branded["kit"].with_suffix(".pdf")))
    assert len(kit.pages) > 2
    for page in kit.pages:  # the running header; alone on the first page
        assert drawn_images(page.get_contents(), page["/Resources"]) == [LOGO_SIZE]
    letter = PdfReader(str(branded["offer"].with_suffix(".pdf"))).pages[0]
    assert drawn_images(letter.get_contents(), letter["/Resources"]) == [LOGO_SIZE]  # letterhead, no header


# -- errors --------------------------------------------------------------------------------------

def test_a_font_that_is_not_installed_is_an_error_listing_what_fontconfig_found(tmp_path):
    tool("fc-list")
    root = branded_project(tmp_path, 'brand:\n  color: "#0b5394"\n  font: Source Sans 42\n')
    result = run(root, "validate")
    assert result.exit_code == 1
    line = result.output.splitlines()[0]
    assert line.startswith("company.yaml:50:9: brand.font: font 'Source Sans 42' is not installed (")
    assert f"fontconfig found: {', '.join(installed_families()[:3])}" in line
    assert line.endswith("see `fc-list : family`). Install it, or remove brand.font to use Kitgen Sans")
    assert run(root, "kit", "directeur-ecommerce", "--level", "confirme", "-f", "docx").exit_code == 1


def test_font_names_compare_as_fontconfig_does_and_the_bundled_font_is_always_there(tmp_path):
    tool("fc-list")
    for name in ("dejavuserif", "Kitgen Sans"):
        root = branded_project(tmp_path / name, f'brand:\n  font: {name}\n')
        assert run(root, "validate").exit_code == 0, name


def test_a_font_name_that_is_not_a_name_is_refused(tmp_path):
    root = branded_project(tmp_path, 'brand:\n  font: "x</style><img src=http://x>"\n')
    assert run(root, "validate").output.splitlines()[0] == (
        "company.yaml:49:9: brand.font: 'x</style><img src=http://x>' is not a font family name (letters, digits, "
        "spaces and . ' & + - only, at most 80 characters)")


@pytest.mark.parametrize("value, message", [
    ("../outside.png", "'../outside.png' is outside the project folder: put the image inside it (e.g. assets/logo.png)"),
    ("{outside}", "'{outside}' is outside the project folder: put the image inside it (e.g. assets/logo.png)"),
    ("assets/link.png", "'assets/link.png' is outside the project folder: put the image inside it (e.g. assets/logo.png)"),
    ("assets/logo.svg", "'assets/logo.svg' is not a PNG or JPEG image (PDF and Word both embed those)"),
    ("assets/missing.png", "'assets/missing.png': no such file in the project"),
])
def test_a_bad_logo_is_a_data_error_naming_the_field(tmp_path, value, message):
    root = tmp_path / "project"
    outside = tmp_path / "outside.png"
    make_logo(outside)
    root.mkdir()
    (root / "assets").mkdir()
    (root / "assets/logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (root / "assets/link.png").symlink_to(outside)
    value, message = value.replace("{outside}", str(outside)), message.replace("{outside}", str(outside))
    branded_project(root, f'brand:\n  logo: "{value}"\n')
    result = run(root, "validate")
    assert (result.exit_code, result.output) == (1, f"company.yaml:49:9: brand.logo: {message}\n1 problem found\n")


def test_the_older_logo_key_works_and_two_different_logos_are_an_error(tmp_path):
    root = branded_project(tmp_path, 'logo: assets/logo.png\nbrand:\n  color: "#0b5394"\n')
    make_logo(root / "assets/logo.png")
    make_logo(root / "assets/other.png")
    assert run(root, "validate").exit_code == 0
    from kitgen.commands import open_project
    from kitgen.documents.context import KitOptions
    from kitgen.documents.render import render_kit

    project = open_project(root)
    _, role = project.find_role("directeur-ecommerce")
    context = render_kit(role, project.company, KitOptions(level="junior"), None, None, root).context
    assert context["brand"]["logo"]["url"] == context["company"]["logo_url"] == (root / "assets/logo.png").as_uri()
    assert context["brand"]["logo"]["height_mm"] == 6.0 and context["brand"]["logo"]["width_mm"] == 18.0
    text = (root / "company.yaml").read_text(encoding="utf-8")
    (root / "company.yaml").write_text(text + "  logo: assets/other.png\n", encoding="utf-8")
    assert run(root, "validate").output.splitlines()[0] == (
        "company.yaml:48:7: logo: two logos given ('assets/logo.png' here, 'assets/other.png' in brand.logo): "
        "keep brand.logo only")
