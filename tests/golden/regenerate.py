"""Regenerate the golden HTML of the sample project: `make golden` (or `.venv/bin/python tests/golden/regenerate.py`).

Run it after an intended template or catalog change, read the diff (`git diff tests/golden`), and
commit the new files with the change. tests/test_golden.py compares fresh renders with these files.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.golden.cases import GOLDEN_DIR, golden_documents  # noqa: E402


def main() -> None:
    for name, html in golden_documents():
        path = GOLDEN_DIR / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        print(path)


if __name__ == "__main__":
    main()
