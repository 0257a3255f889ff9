"""Extract every fixed text kitgen shows and merge them into the fr and en catalogs.

The texts: the templates' labels and the preview's (babel.cfg's Jinja entries), the package's
messages (`tr(...)`, `tr_n(...)`, `_label(lang, ...)` in src/kitgen/**.py), the command line's help
(`kitgen.cli.help_texts()`) and Click's own words in the modules kitgen patches
(`kitgen.cli.CLICK_MODULES`). `messages()` is what tests/test_catalogs.py checks the catalogs against.

Run after changing a text: `.venv/bin/python tools/update_catalogs.py`. New French msgids are added
with an empty msgstr (the catalog test fails until someone translates them); new English msgstrs are
the msgids themselves, filled in automatically; a translation already written (in either language,
with its comments) is kept. Obsolete entries are dropped.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "kitgen" / "locale"
# Words Click translates through a variable (`_(extra["required"])`), which extraction cannot see.
CLICK_WORDS = ("required",)
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_label": (2,), "tr": None, "tr_n": (1, 2),
            "N_": None}


def messages() -> dict[str | tuple[str, str], str]:
    """{msgid (or (singular, plural)): where it comes from} of every text kitgen shows."""
    sys.path.insert(0, str(ROOT / "src"))
    found: dict = {}

    def add(message, origin: str) -> None:
        if message and message not in found:
            found[message] = origin

    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options = parse_mapping_cfg(handle)
    for filename, _line, message, _comments, _context in extract_from_dir(str(ROOT), method_map, options,
                                                                          keywords=KEYWORDS):
        add(tuple(message) if isinstance(message, (tuple, list)) else message, filename)
    cli = importlib.import_module("kitgen.cli")
    for text in cli.help_texts():
        add(text, "help")
    for name in cli.CLICK_MODULES:
        path = importlib.import_module(name).__file__
        for _line, message, _comments, _context in extract_from_file(
                "python", path, keywords={"_": None, "ngettext": (1, 2)}):
            add(tuple(message) if isinstance(message, (tuple, list)) else message, name)
    for word in CLICK_WORDS:
        add(word, "click.core")
    return found


def main() -> None:
    found = messages()
    for lang in ("fr", "en"):
        po_path = LOCALE / lang / "LC_MESSAGES" / "kitgen.po"
        old = read_po(po_path.open("rb"), locale=lang) if po_path.exists() else None
        catalog = Catalog(locale=lang, domain="kitgen", project="kitgen", fuzzy=False)
        for message, origin in found.items():
            previous = old.get(message) if old else None
            written = previous.string if previous else None
            if written and (all(written) if isinstance(written, (tuple, list)) else True):
                # a translation someone wrote (English may differ from its msgid)
                catalog.add(message, written, user_comments=previous.user_comments)
            elif lang == "en":
                catalog.add(message, message)
            else:
                catalog.add(message, ("",) * catalog.num_plurals if isinstance(message, tuple) else "",
                            auto_comments=[f"from {origin}"] if origin.startswith("click") else [])
        with po_path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, no_location=True, sort_output=True)
        missing = [m.id for m in catalog if m.id and not (all(m.string) if m.pluralizable else m.string)]
        print(f"{lang}: {len(catalog)} messages, {len(missing)} untranslated")


if __name__ == "__main__":
    main()
