"""Regenerate the committed JSON Schemas in schema/ (role, company, scorecard, settings).

Run after changing a model in src/kitgen/sources/ or a text of src/kitgen/sources/schema_texts.yaml:
`.venv/bin/python tools/update_schemas.py`. tests/test_schema.py fails while a committed file differs
from what `kitgen schema KIND` prints. A file no kind makes any more is deleted.
"""

from pathlib import Path

from kitgen.commands.schema import SCHEMA_DIR, schema_files

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    files = schema_files()
    (ROOT / SCHEMA_DIR).mkdir(exist_ok=True)
    for name, text in files.items():
        path = ROOT / name
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        if old != text:
            path.write_text(text, encoding="utf-8", newline="\n")
        print(f"{name}: {'unchanged' if old == text else 'written'}")
    for path in sorted((ROOT / SCHEMA_DIR).glob("*.schema.json")):
        if f"{SCHEMA_DIR}/{path.name}" not in files:
            path.unlink()
            print(f"{SCHEMA_DIR}/{path.name}: deleted")


if __name__ == "__main__":
    main()
