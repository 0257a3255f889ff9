"""What kitgen may read: a file whose real path stays inside the folder it comes from.

A role file comes from its folder (the roles folder, or the folder a path on the command line
names), a template or stylesheet from its templates folder, the company file, a letterhead and a
candidates file from the folder their path names, the logo from the project folder. A symbolic link
that leads out of that folder (`roles/x.yaml -> ~/private.yaml`, `templates/footer.html.j2 ->
../secret/id_rsa`) is refused before anything is read, with a message that names the link and
never shows a byte of what it points to. Git keeps symbolic links, so a shared repository of
templates or roles can carry one.
"""

from __future__ import annotations

import os
from pathlib import Path

from kitgen.errors import DataError, Problem
from kitgen.i18n import tr


def real_inside(path: Path, folder: Path) -> bool:
    """Whether the file `path` leads to lies inside `folder` (both fully resolved)."""
    real, root = Path(os.path.realpath(path)), Path(os.path.realpath(folder))
    return real == root or root in real.parents


def escape_message(folder_label: str) -> str:
    return tr("refused to read it: it is a symbolic link to a file outside %(folder)s (kitgen reads only files "
              "inside the folders they come from; put a copy of the file there instead)", folder=folder_label)


def check_inside(path: Path, label: str, folder: Path | None = None, folder_label: str | None = None) -> None:
    """A DataError naming `label` when `path` leads out of `folder` (default: the folder it is in)."""
    folder = folder if folder is not None else path.parent
    if not real_inside(path, folder):
        parent = str(Path(label).parent)
        shown = folder_label or (parent if parent not in ("", ".") else tr("its folder"))
        raise DataError([Problem(label, 0, 0, "", escape_message(shown))])


def read_bytes(path: Path, label: str, folder: Path | None = None, folder_label: str | None = None) -> bytes:
    check_inside(path, label, folder, folder_label)
    return path.read_bytes()
