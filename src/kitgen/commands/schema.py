"""`kitgen schema KIND`: the JSON Schema of a role, company, scorecard or settings file; and the
schema files a project keeps in `schema/` so that editors find them (`init`, `new-role`,
tools/update_schemas.py). The schemas themselves are made in `kitgen.sources.schemas`.
"""

from __future__ import annotations

import os
from pathlib import Path

from kitgen import formats
from kitgen.sources import schemas

KINDS = schemas.KINDS
SCHEMA_DIR = "schema"  # in a project, beside kitgen.toml: what the files' schema lines point to


def schema_text(kind: str) -> str:
    """What `kitgen schema KIND` prints: the schema, 2-space indented, with a final newline."""
    return schemas.dump(schemas.generate(kind, formats.NAMES))


def schema_files() -> dict[str, str]:
    """{path in a project: text} of every schema: `schema/role.schema.json`..."""
    return {f"{SCHEMA_DIR}/{name}": text for name, text in schemas.files(formats.NAMES).items()}


def schema_line(kind: str, folder: Path, root: Path) -> str:
    """The first line of a YAML file of `folder` that tells VS Code's YAML extension (and other
    clients of yaml-language-server) its schema: a path relative to the file, to the project's copy."""
    target = Path(os.path.relpath(root / SCHEMA_DIR / schemas.file_name(kind), folder)).as_posix()
    return f"# yaml-language-server: $schema={target if target.startswith('.') else './' + target}"
