"""kitgen's own words in the user's language: messages, errors, warnings and help, from the same
gettext catalogs as the documents' labels (`src/kitgen/locale/{fr,en}/LC_MESSAGES/kitgen.po`).

`tr("unknown role %(ref)r", ref=ref)` looks the English text up in the catalog of the language the
command line chose (`set_language`: the project's `lang` in kitgen.toml, else the environment's
LANGUAGE/LC_ALL/LC_MESSAGES/LANG when kitgen speaks it, else English), then fills in the values
(%-style, as the documents' labels). Only the words are translated: the `file:line:column: path:`
prefix of a problem stays as it is, so that tools can parse it in every language.

`tools/update_catalogs.py` extracts every `tr(...)`, `tr_n(...)` and `N_(...)` (a text marked in a
table, translated where it is shown) of the package; a test fails while one lacks its French. The
language travels to worker processes in KITGEN_MESSAGES_LANG.
"""

from __future__ import annotations

import gettext
import io
import os
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "kitgen"
# The languages kitgen's own words exist in: the catalogs (kitgen.sources.languages lists the same).
LANGUAGES = tuple(sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")))
ENVIRONMENT = "KITGEN_MESSAGES_LANG"
_chosen: list[str] = []


@lru_cache(maxsize=8)
def translations(lang: str) -> gettext.GNUTranslations:
    """Compile the .po catalog of `lang` in memory (no generated .mo file can drift from it)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def from_environment() -> str | None:
    """The language of the user's locale settings when kitgen speaks it (fr_FR.UTF-8 -> fr)."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        for part in value.split(":"):  # LANGUAGE may list several: fr:en
            code = part[:2].lower()
            if code in LANGUAGES:
                return code
        if value and value not in ("C", "POSIX", "C.UTF-8"):
            return None  # set to a language kitgen does not speak: English
    return None


def set_language(lang: str | None) -> str:
    """Choose the messages' language for this process and the workers it starts."""
    lang = lang if lang in LANGUAGES else "en"
    _chosen[:] = [lang]
    os.environ[ENVIRONMENT] = lang
    return lang


def language() -> str:
    if _chosen:
        return _chosen[0]
    inherited = os.environ.get(ENVIRONMENT)
    return inherited if inherited in LANGUAGES else (from_environment() or "en")


def N_(text: str) -> str:
    """Mark `text` for the catalogs without translating it yet: for texts built before the language
    is chosen (a module-level table), translated where they are shown with `tr(text, **values)`."""
    return text


def tr(message: str, /, **values) -> str:
    """`message` (English, with %(name)s places) in the chosen language, with its values."""
    text = translations(language()).gettext(message)
    return text % values if values else text


def tr_n(singular: str, plural: str, count: int, /, **values) -> str:
    """The singular or the plural form, as the language counts (French: 0 and 1 are singular)."""
    text = translations(language()).ngettext(singular, plural, count)
    return text % {"count": count, **values}
