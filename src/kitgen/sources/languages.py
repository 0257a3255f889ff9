"""The languages kitgen speaks: their codes and the Babel locale each one formats money and dates in.

The one list: the role schema, the template catalogs, the command-line choices and the formatting
all read it here. A new language needs its catalog under `kitgen/locale/` and one entry below.
"""

from __future__ import annotations

LOCALES = {"fr": "fr_FR", "en": "en_US"}
LANGUAGES = tuple(LOCALES)


def locale(lang: str) -> str:
    """The Babel locale of a language code: "fr" -> "fr_FR"."""
    return LOCALES[lang]
