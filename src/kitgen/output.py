"""The one place that writes files: safe names, never outside the output folder, atomic replace.

Every output goes to a temporary file in the target folder, gets 0644 permissions, then replaces
the old file with `os.replace`: a failed or interrupted render never leaves a half-written file and
never destroys a good older one. Files kitgen wrote are recorded in the folder's manifest
(`.kitgen-manifest.json`); a file kitgen did not write is not overwritten unless forced.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path, PurePosixPath

from kitgen.errors import OutputError

MANIFEST = ".kitgen-manifest.json"


def safe_target(out_dir: Path, relative: str) -> Path:
    """Resolve `relative` under `out_dir`; refuse absolute paths, `..` and symlink escapes."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or any(part in ("..", "") for part in pure.parts) or "\\" in relative:
        raise OutputError(f"refused to write {relative!r}: not a plain path inside the output folder")
    root = Path(os.path.realpath(out_dir))
    target = Path(os.path.realpath(root / pure))
    if root not in target.parents:
        raise OutputError(f"refused to write {relative!r}: it would land outside {out_dir}")
    return target


def check_overwrite(out_dir: Path, relative: str, owned: set[str] | None, force: bool) -> Path:
    """The safe target of `relative`; refuse it when a file is there that kitgen did not write."""
    target = safe_target(out_dir, relative)
    if owned is not None and not force and target.exists() and relative not in owned:
        raise OutputError(f"refused to overwrite {target}: kitgen did not write it (use --force)")
    return target


def write_file(out_dir: Path, relative: str, data: bytes, owned: set[str] | None = None,
               force: bool = False) -> Path:
    """Write `data` to `out_dir/relative` atomically; return the final path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = check_overwrite(out_dir, relative, owned, force)
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


def read_manifest(out_dir: Path) -> dict:
    """The manifest: {"outputs": {relative path: {"hash": ..., "role": ...}}}; empty if absent or bad."""
    path = out_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data.get("outputs"), dict) else {"outputs": {}}
    except (OSError, ValueError, AttributeError):
        return {"outputs": {}}


def write_manifest(out_dir: Path, manifest: dict) -> None:
    data = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8")
    write_file(out_dir, MANIFEST, data)


def record(out_dir: Path, written: dict[str, dict]) -> None:
    """Add files to the manifest (used by single-document commands; `build` writes it whole)."""
    manifest = read_manifest(out_dir)
    manifest["outputs"].update(written)
    write_manifest(out_dir, manifest)
