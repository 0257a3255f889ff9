"""The one place that writes a file: safe names, never outside the output folder, atomic replace.

Every output goes to a temporary file in the target folder (`.NAME.XXXXXXXX.tmp`), is flushed to
disk (fsync), gets 0644 permissions, then replaces the old file with `os.replace`, and the folder is
fsynced: a failed or interrupted render, a kill or a power cut never leaves a half-written or empty
file and never destroys a good older one. Which files kitgen wrote is `kitgen.outputs.folder`'s
business. An OS error (no space, read-only, a file where a folder should be) becomes an
`OutputError` that names the path and says what to do.

`KITGEN_PAUSE_AT=POINT[:MATCH[:N]]` (tests only) stops the process for a minute at the N-th pass
(default 1) through POINT (`before-rename`, `after-rename`) of a file whose name contains MATCH,
after creating the file named by `KITGEN_PAUSE_FILE`: the kill tests kill kitgen there.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import time
from pathlib import Path, PurePosixPath

from kitgen.errors import OutputError, printable
from kitgen.i18n import N_, tr

TEMP_RE = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")  # what mkstemp(prefix=".NAME.", suffix=".tmp") makes
ADVICE = {  # N_: in the catalogs, translated where shown (os_error)
    errno.ENOSPC: N_("the disk is full: free some space, then run the command again"),
    errno.EDQUOT: N_("the disk quota is used up: free some space, then run the command again"),
    errno.EROFS: N_("the file system is read-only: choose another output folder (-o, or `output` in kitgen.toml)"),
    errno.EACCES: N_("permission denied: choose an output folder you may write to (-o, or `output` in kitgen.toml)"),
    errno.EPERM: N_("permission denied: choose an output folder you may write to (-o, or `output` in kitgen.toml)"),
    errno.EEXIST: N_("a file stands where a folder is needed: move it, or choose another output folder"),
    errno.ENOTDIR: N_("a file stands where a folder is needed: move it, or choose another output folder"),
    errno.EISDIR: N_("a folder stands where a file is to be written: move it away"),
    errno.ENAMETOOLONG: N_("the file name is too long for this file system: use a shorter output folder path"),
    errno.ELOOP: N_("a symbolic link stands there: remove it (kitgen never writes through a link)"),
}
_passes: dict[str, int] = {}


def os_error(exc: OSError, path: Path | str) -> OutputError:
    """One line naming the path and what to do, for any OS error on output."""
    where = printable(str(exc.filename or path))
    advice = tr(ADVICE[exc.errno]) if exc.errno in ADVICE else exc.strerror or str(exc)
    return OutputError(tr("cannot write %(path)s: %(reason)s", path=where, reason=advice))


def _pause(point: str, name: str) -> None:
    spec = os.environ.get("KITGEN_PAUSE_AT")
    if not spec:
        return
    wanted, _, rest = spec.partition(":")
    match, _, count = rest.partition(":")
    if wanted != point or match not in name:
        return
    _passes[spec] = _passes.get(spec, 0) + 1
    if _passes[spec] == int(count or 1):
        Path(os.environ["KITGEN_PAUSE_FILE"]).write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(60)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (a power cut after it must not undo it)."""
    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def safe_target(out_dir: Path, relative: str) -> Path:
    """The path of `relative` under `out_dir`; refuse absolute paths, `..`, and any symbolic link
    below the output folder (a write never follows a link: it would replace another file)."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or any(part in ("..", "") for part in pure.parts) or "\\" in relative:
        raise OutputError(tr("refused to write %(path)s: not a plain path inside the output folder",
                             path=printable(repr(relative))))
    root = Path(os.path.realpath(out_dir))  # the folder itself may be a link (`-o` to elsewhere)
    current = root
    for index, part in enumerate(pure.parts):
        current = current / part
        if current.is_symlink():
            shown = "/".join(pure.parts[: index + 1])
            raise OutputError(tr("refused to write %(path)s: %(link)s is a symbolic link inside the output folder "
                                 "(to %(target)s); kitgen never writes through a link: remove it",
                                 path=printable(relative), link=printable(shown),
                                 target=printable(os.readlink(current))))
    if root not in current.parents:
        raise OutputError(tr("refused to write %(path)s: it would land outside %(folder)s",
                             path=printable(repr(relative)), folder=out_dir))
    return current


def write_file(out_dir: Path, relative: str, data: bytes) -> Path:
    """Write `data` to `out_dir/relative` atomically and durably; return the final path."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        target = safe_target(out_dir, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        safe_target(out_dir, relative)  # the parent may have been a symlink created meanwhile
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise os_error(exc, out_dir / relative) from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o644)  # mkstemp files are 0600
        _pause("before-rename", relative)
        os.replace(temp, target)
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise os_error(exc, target) from exc
        raise
    fsync_folder(target.parent)
    _pause("after-rename", relative)
    return target


def remove_stale_temps(out_dir: Path) -> list[Path]:
    """Delete the temporary files a killed run left (called with the folder's lock held)."""
    removed = []
    if not out_dir.is_dir():
        return removed
    for path in out_dir.rglob(".*.tmp"):
        if TEMP_RE.match(path.name) and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
