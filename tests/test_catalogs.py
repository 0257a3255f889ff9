"""Every label in the templates has a translation in both catalogs, and no catalog entry is orphaned."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from kitgen.documents.templating import LOCALE_DIR
from kitgen.sources.languages import LANGUAGES
from tests.support import ROOT


def _template_msgids() -> set[str]:
    """The labels of every file babel.cfg names (the same extraction tools/update_catalogs.py runs)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options = parse_mapping_cfg(handle)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_label": (2,)}
    found = extract_from_dir(str(ROOT), method_map, options, keywords=keywords)
    return {message[2] if isinstance(message[2], str) else message[2][0] for message in found}


def _catalog(lang: str):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "kitgen.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def test_every_msgid_is_translated_in_every_language():
    for lang in LANGUAGES:
        untranslated = [m.id for m in _catalog(lang) if m.id and not m.string]
        assert untranslated == [], f"{lang}: untranslated labels (run tools/update_catalogs.py, then translate)"


def test_catalogs_cover_every_template_label():
    used = _template_msgids()
    for lang in LANGUAGES:
        known = {m.id for m in _catalog(lang) if m.id}
        assert sorted(used - known) == [], f"{lang}: labels missing from the catalog (run tools/update_catalogs.py)"
        assert sorted(known - used) == [], f"{lang}: obsolete catalog entries (run tools/update_catalogs.py)"


def test_placeholders_match_between_languages():
    import re

    french = {m.id: m.string for m in _catalog("fr") if m.id}
    for msgid, text in french.items():
        assert sorted(re.findall(r"%\(\w+\)s", msgid)) == sorted(re.findall(r"%\(\w+\)s", text)), msgid
