"""Every text kitgen shows — the templates' labels, its messages, its help, Click's own words — has
its translation in both catalogs, and no catalog entry is orphaned (tools/update_catalogs.py's
extraction is the list)."""

from __future__ import annotations

import importlib.util
import re

from babel.messages.pofile import read_po

from kitgen.documents.templating import LOCALE_DIR
from kitgen.sources.languages import LANGUAGES
from tests.support import ROOT

PLACES = re.compile(r"%\(\w+\)[sdr]|\{[^{}]*\}")


def _tool():
    spec = importlib.util.spec_from_file_location("update_catalogs", ROOT / "tools" / "update_catalogs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _catalog(lang: str):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "kitgen.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def _translated(message) -> bool:
    return all(message.string) if message.pluralizable else bool(message.string)


def test_every_msgid_is_translated_in_every_language():
    for lang in LANGUAGES:
        untranslated = [m.id for m in _catalog(lang) if m.id and not _translated(m)]
        assert untranslated == [], f"{lang}: untranslated texts (run tools/update_catalogs.py, then translate)"


def test_catalogs_cover_every_text_kitgen_shows():
    used = set(_tool().messages())
    assert "Usage:" in used and "unknown error" in used  # Click's own words are in
    assert any(text.startswith("Build the job ad and every interview kit") for text in used if isinstance(text, str))
    for lang in LANGUAGES:
        known = {m.id for m in _catalog(lang) if m.id}
        assert sorted(map(str, used - known)) == [], f"{lang}: texts missing from the catalog (run tools/update_catalogs.py)"
        assert sorted(map(str, known - used)) == [], f"{lang}: obsolete catalog entries (run tools/update_catalogs.py)"


def test_placeholders_match_between_languages():
    for message in _catalog("fr"):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = sorted(PLACES.findall(ids[-1]))  # a plural's forms carry the plural's places
        for text in strings[1:] if len(strings) > 1 else strings:
            assert sorted(PLACES.findall(text)) == expected, message.id
