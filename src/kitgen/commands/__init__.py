"""One module per use case, called by the command line: `render` (ad, kit, offer), `offers`,
`build`, `validate` (validate, list), `lint`, `scaffold` (init, new-role, templates), `reproducible`.

Each takes plain values, does its work through the lower layers and returns what the command line
prints; none imports Click. `open_project` is how every command gets its project.
"""

from __future__ import annotations

from pathlib import Path

from kitgen import formats
from kitgen.sources.project import Project, load_project


def open_project(root: Path | None = None) -> Project:
    """The project folder's settings, checked (kitgen.toml's `formats` against the format registry)."""
    return load_project(root, formats.parse_setting)
