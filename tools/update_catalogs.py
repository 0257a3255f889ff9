"""Extract the fixed labels from the templates and merge them into the fr and en catalogs.

Run after changing a label: `.venv/bin/python tools/update_catalogs.py`. New French msgids are
added with an empty msgstr (the catalog test fails until someone translates them); new English
msgstrs are the msgids themselves, filled in automatically; a translation already written (in either
language, with its comments) is kept. Obsolete entries are dropped.
"""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "kitgen" / "locale"


def main() -> None:
    pot = LOCALE / "kitgen.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
                    "-k", "_label:2", "--no-location", "--sort-output", "--omit-header", "-o", str(pot), str(ROOT)],
                   check=True, capture_output=True)
    template = read_po(pot.open("rb"))
    for lang in ("fr", "en"):
        po_path = LOCALE / lang / "LC_MESSAGES" / "kitgen.po"
        old = read_po(po_path.open("rb"), locale=lang) if po_path.exists() else None
        catalog = template.__class__(locale=lang, domain="kitgen", project="kitgen", fuzzy=False)
        for message in template:
            if not message.id:
                continue
            previous = old.get(message.id) if old else None
            if previous and previous.string:  # a translation someone wrote (English may differ from its msgid)
                catalog.add(message.id, previous.string, user_comments=previous.user_comments)
            else:
                catalog.add(message.id, message.id if lang == "en" else "")
        with po_path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, no_location=True, sort_output=True)
        missing = [m.id for m in catalog if m.id and not m.string]
        print(f"{lang}: {len(catalog)} messages, {len(missing)} untranslated")
    pot.unlink()


if __name__ == "__main__":
    main()
