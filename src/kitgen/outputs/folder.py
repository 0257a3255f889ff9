"""The output folder of a run: the one owner of the manifest and of what kitgen wrote there.

The manifest (`<output>/.kitgen-manifest.json`) lists every file kitgen wrote with its sha256, the
role it belongs to and, for `kitgen build`, how it was made (`source`, `kind`, `level`, `inputs`);
`roles` caches what build read of each role file. An `OutputFolder` reads it once, refuses to
overwrite a file the manifest does not list (unless forced), writes each file through
`kitgen.outputs.files` and saves the manifest when asked — single-document commands after each
document, `kitgen build` in batches (`save_every`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from pathlib import Path

from kitgen.errors import OutputError
from kitgen.outputs import files

MANIFEST = ".kitgen-manifest.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str | None:
    try:
        return sha256(path.read_bytes())
    except OSError:
        return None


class OutputFolder:
    """One output folder for one run: its manifest, its owned files, its writes."""

    def __init__(self, path: Path):
        self.path = path
        self.manifest = self._read()
        self.owned = set(self.entries)
        self.dirty = False
        self._saved = time.monotonic()

    @property
    def entries(self) -> dict[str, dict]:
        """{relative path: entry} of every file kitgen wrote here."""
        return self.manifest["outputs"]

    @property
    def roles(self) -> dict[str, dict]:
        """`kitgen build`'s cache of the role files it read (by label)."""
        return self.manifest.setdefault("roles", {})

    def _read(self) -> dict:
        """The manifest: {"outputs": {relative path: {"sha256": ..., "role": ...}}}; empty if absent or bad."""
        try:
            data = json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
            return data if isinstance(data.get("outputs"), dict) else {"outputs": {}}
        except (OSError, ValueError, AttributeError):
            return {"outputs": {}}

    # -- writing -----------------------------------------------------------------------------
    def check(self, relative: str, force: bool = False) -> Path:
        """The safe target of `relative`; refuse it when a file is there that kitgen did not write."""
        target = files.safe_target(self.path, relative)
        if not force and target.exists() and relative not in self.owned:
            raise OutputError(f"refused to overwrite {target}: kitgen did not write it (use --force)")
        return target

    def write(self, relative: str, data: bytes, entry: dict, force: bool = False) -> Path:
        """Write one file and record it (entry + its sha256); the manifest is saved by `save`."""
        self.check(relative, force)
        target = files.write_file(self.path, relative, data)
        self.entries[relative] = dict(entry, sha256=sha256(data))
        self.owned.add(relative)
        self.dirty = True
        return target

    def write_document(self, rendered: dict[str, bytes], role_id: str, force: bool = False) -> list[Path]:
        """Write the files of one document, whole or not at all: every target is checked first."""
        for relative in rendered:
            self.check(relative, force)
        written = [self.write(relative, data, {"role": role_id}, force) for relative, data in rendered.items()]
        self.save()
        return written

    def remove(self, relative: str) -> bool:
        """Delete a file the manifest says kitgen wrote (and only such a file); drop its entry."""
        if relative not in self.entries:
            return False
        target = files.safe_target(self.path, relative)
        target.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # the role's folder, once empty
            target.parent.rmdir()
        del self.entries[relative]
        self.owned.discard(relative)
        self.dirty = True
        return True

    def is_current(self, relative: str, inputs_hash: str) -> bool:
        """Up to date: same inputs as recorded, and the file on disk is the one kitgen wrote."""
        entry = self.entries.get(relative)
        if not entry or entry.get("inputs") != inputs_hash:
            return False
        return file_sha256(self.path / relative) == entry.get("sha256")

    # -- the manifest ------------------------------------------------------------------------
    def save(self) -> None:
        data = json.dumps(self.manifest, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8")
        files.write_file(self.path, MANIFEST, data)
        self.dirty = False
        self._saved = time.monotonic()

    def save_every(self, seconds: float) -> None:
        """Save when something changed and `seconds` have passed since the last save."""
        if self.dirty and time.monotonic() - self._saved > seconds:
            self.save()
