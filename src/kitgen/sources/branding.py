"""The company's brand: checks of company.yaml's `brand` (logo, font) and the brand render context.

- The logo is `brand.logo` (or the older top-level `logo`; giving both with different values is
  an error). It must be a PNG or JPEG file inside the project folder: an absolute path, `..` or a
  symlink leading outside is refused, so a shared company file cannot make documents embed
  `/etc/passwd` or a file from someone's home folder.
- The font is `brand.font`, a family name fontconfig must know (`fc-list : family`): WeasyPrint
  would otherwise fall back to another font without a word, and the PDF would not look like the
  company's. The bundled "Kitgen Sans" is always available. Without `fc-list` (fontconfig's
  utilities not installed) the check is skipped and fontconfig's own fallback applies.

Each problem names company.yaml's field with its line and column, like every data error.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

from kitgen.errors import Problem
from kitgen.i18n import tr, tr_n
from kitgen.sources.yamlsafe import Located

DEFAULT_COLOR = "#0b5394"
BUNDLED_FONT = "Kitgen Sans"
LOGO_FORMATS = {"PNG": "PNG", "JPEG": "JPEG"}  # what both WeasyPrint and python-docx embed
# A family name goes into a CSS string and a Word style: letters, digits and a few separators only.
FONT_NAME_RE = re.compile(r"[\w][\w .'&+-]{0,79}")
HEADER_LOGO_HEIGHT_MM = 6.0  # fits the 8 pt running header
HEADER_LOGO_MAX_WIDTH_MM = 40.0
FAMILIES_SHOWN = 40


def logo_field(data: Any) -> tuple[tuple[str, ...], str] | None:
    """Where the logo is given (`brand.logo` wins over the older top-level `logo`) and its value."""
    brand = data.get("brand") if isinstance(data, dict) else None
    if isinstance(brand, dict) and isinstance(brand.get("logo"), str):
        return ("brand", "logo"), brand["logo"]
    if isinstance(data, dict) and isinstance(data.get("logo"), str):
        return ("logo",), data["logo"]
    return None


def logo_path(company, root: Path) -> Path | None:
    """The company's logo file (checked by `brand_problems` when the company file was loaded)."""
    found = logo_field(company.model_dump()) if company is not None else None
    return Path(os.path.realpath(root / found[1])) if found else None


def brand_problems(data: Any, located: Located, label: str, root: Path) -> list[Problem]:
    """Every problem of the logo and the font of a company file's raw data."""
    if not isinstance(data, dict):
        return []
    problems = []

    def add(path: tuple[str, ...], message: str) -> None:
        problems.append(Problem(label, *located.where(path), ".".join(path), message))

    brand = data.get("brand") if isinstance(data.get("brand"), dict) else {}
    both = isinstance(brand.get("logo"), str) and isinstance(data.get("logo"), str)
    if both and brand["logo"] != data["logo"]:
        add(("logo",), tr("two logos given (%(here)r here, %(brand)r in brand.logo): keep brand.logo only",
                          here=data["logo"], brand=brand["logo"]))
    found = logo_field(data)
    if found and (message := _logo_problem(found[1], root)):
        add(found[0], message)
    if isinstance(brand.get("font"), str) and (message := font_problem(brand["font"])):
        add(("brand", "font"), message)
    return problems


def _logo_problem(value: str, root: Path) -> str | None:
    root = Path(os.path.realpath(root))
    path = Path(os.path.realpath(root / value))  # an absolute value replaces root: caught below
    if root not in path.parents:
        return tr("%(value)r is outside the project folder: put the image inside it (e.g. assets/logo.png)",
                  value=value)
    if not path.is_file():
        return tr("%(value)r: no such file in the project", value=value)
    try:
        kind = image_format(path)
    except OSError as exc:
        return tr("%(value)r cannot be read: %(reason)s", value=value, reason=exc.strerror or exc)
    if kind not in LOGO_FORMATS:
        return tr("%(value)r is not a PNG or JPEG image (PDF and Word both embed those)", value=value)
    return None


def image_format(path: Path) -> str | None:
    """"PNG", "JPEG"... from the file's first bytes (its name may lie), None when unknown."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    return None


def font_problem(name: str) -> str | None:
    """Why a brand font cannot be used (unsafe name, not installed), or None."""
    if not FONT_NAME_RE.fullmatch(name):
        return tr("%(name)r is not a font family name (letters, digits, spaces and . ' & + - only, "
                  "at most 80 characters)", name=name)
    families = installed_families()
    if families is None or _family_key(name) in {_family_key(f) for f in families + (BUNDLED_FONT,)}:
        return None
    close = difflib.get_close_matches(name, families, n=1, cutoff=0.6)
    shown = ", ".join(families[:FAMILIES_SHOWN])
    if len(families) > FAMILIES_SHOWN:
        shown = tr_n("%(families)s and %(count)d more", "%(families)s and %(count)d more",
                     len(families) - FAMILIES_SHOWN, families=shown)
    if close:
        return tr("font %(name)r is not installed (did you mean %(close)r? fontconfig found: %(families)s; "
                  "see `fc-list : family`). Install it, or remove brand.font to use %(bundled)s",
                  name=name, close=close[0], families=shown, bundled=BUNDLED_FONT)
    return tr("font %(name)r is not installed (fontconfig found: %(families)s; see `fc-list : family`). "
              "Install it, or remove brand.font to use %(bundled)s", name=name, families=shown, bundled=BUNDLED_FONT)


def _family_key(name: str) -> str:
    """fontconfig compares family names without regard to case or spaces."""
    return re.sub(r"\s+", "", name).casefold()


@lru_cache(maxsize=1)
def installed_families() -> tuple[str, ...] | None:
    """Every family name fontconfig knows, sorted; None when `fc-list` is not available."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        result = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    names = set()
    for line in result.stdout.splitlines():
        # "DejaVu Sans,DejaVu Sans Condensed": one font, several names; fc-list escapes - , : with "\".
        names.update(name.replace("\\", "").strip() for name in re.split(r"(?<!\\),", line))
    return tuple(sorted(name for name in names if name))


def brand_context(company, logo: Path | None) -> dict:
    """The `brand` variable of every template: colour, font and logo (None when not set)."""
    brand = company.brand if company is not None else None
    return {
        "color": brand.color if brand and brand.color else DEFAULT_COLOR,
        "font": brand.font if brand else None,
        "embed_font": brand.embed_font if brand else None,
        "logo": _logo_context(logo) if logo else None,
    }


def _logo_context(path: Path) -> dict:
    """The logo's URL and the size it takes in the running header (6 mm high, at most 40 mm wide)."""
    from PIL import Image

    with Image.open(path) as image:
        width, height = image.size
    header_width = HEADER_LOGO_HEIGHT_MM * width / max(height, 1)
    scale = min(1.0, HEADER_LOGO_MAX_WIDTH_MM / header_width)
    return {"url": path.as_uri(), "width_mm": round(header_width * scale, 2),
            "height_mm": round(HEADER_LOGO_HEIGHT_MM * scale, 2)}
