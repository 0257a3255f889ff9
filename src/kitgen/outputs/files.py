"""The one place that writes a file: safe names, never outside the output folder, atomic replace.

Every output goes to a temporary file in the target folder, gets 0644 permissions, then replaces
the old file with `os.replace`: a failed or interrupted render never leaves a half-written file and
never destroys a good older one. Which files kitgen wrote is `kitgen.outputs.folder`'s business.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath

from kitgen.errors import OutputError, printable


def safe_target(out_dir: Path, relative: str) -> Path:
    """The path of `relative` under `out_dir`; refuse absolute paths, `..`, and any symbolic link
    below the output folder (a write never follows a link: it would replace another file)."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or any(part in ("..", "") for part in pure.parts) or "\\" in relative:
        raise OutputError(f"refused to write {printable(repr(relative))}: not a plain path inside the output folder")
    root = Path(os.path.realpath(out_dir))  # the folder itself may be a link (`-o` to elsewhere)
    current = root
    for index, part in enumerate(pure.parts):
        current = current / part
        if current.is_symlink():
            shown = "/".join(pure.parts[: index + 1])
            raise OutputError(f"refused to write {printable(relative)}: {printable(shown)} is a symbolic link "
                              f"inside the output folder (to {printable(os.readlink(current))}); kitgen never "
                              "writes through a link: remove it")
    if root not in current.parents:
        raise OutputError(f"refused to write {printable(repr(relative))}: it would land outside {out_dir}")
    return current


def write_file(out_dir: Path, relative: str, data: bytes) -> Path:
    """Write `data` to `out_dir/relative` atomically; return the final path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = safe_target(out_dir, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    safe_target(out_dir, relative)  # the parent may have been a symlink created meanwhile
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o644)  # mkstemp files are 0600
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target
