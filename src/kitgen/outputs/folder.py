"""The output folder of a run: the one owner of the manifest and of what kitgen wrote there.

The manifest (`<output>/.kitgen-manifest.json`) lists every file kitgen wrote: its sha256, the
project that wrote it, the role it belongs to, who or what it is for (`for`: a candidate, a
location) and, for `kitgen build`, how it was made (`source`, `kind`, `level`, `inputs`); `roles`
caches what build read of each role file. An `OutputFolder` reads it once, strictly (a damaged
manifest is an error and is kept as it is), and guards every write:

- a file the manifest does not list is not kitgen's: it is not overwritten unless forced;
- a file kitgen wrote whose bytes changed since was edited by someone: it is not overwritten
  unless forced, and then the edited file is kept beside it as `NAME.edited.EXT`;
- two different people or places whose names give one file name get two files (`claim`);
- `--clean` deletes only this project's files, and keeps edited ones unless forced.

Files go through `kitgen.outputs.files`; the manifest is saved when asked (single-document commands
after each document, `kitgen build` in batches).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from pathlib import Path

from kitgen.errors import OutputError, printable
from kitgen.outputs import files

MANIFEST = ".kitgen-manifest.json"
DAMAGED_COPY = ".kitgen-manifest.damaged.json"
ENTRY_TEXT = ("role", "project", "for", "source", "kind", "inputs")


class ManifestError(OutputError):
    """Raised when the manifest cannot be read or does not have its shape; the file is left as it is."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str | None:
    try:
        return sha256(path.read_bytes())
    except OSError:
        return None


def _shape_problem(data) -> str | None:
    """What is wrong with a parsed manifest's shape, or None."""
    if not isinstance(data, dict):
        return "it is not a JSON object"
    outputs, roles = data.get("outputs"), data.get("roles", {})
    if not isinstance(outputs, dict):
        return '"outputs" is not an object'
    for relative, entry in outputs.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            return f'the entry of {relative!r} has no "sha256" text'
        bad = [key for key in ENTRY_TEXT if key in entry and not isinstance(entry[key], str)]
        if bad or ("level" in entry and not isinstance(entry["level"], (str, type(None)))):
            return f"the entry of {relative!r} has a value of the wrong type ({(bad or ['level'])[0]})"
    if not isinstance(roles, dict) or not all(isinstance(v, dict) for v in roles.values()):
        return '"roles" is not an object of objects'
    return None


class OutputFolder:
    """One output folder for one run of one project: its manifest, its owned files, its writes.

    `rebuild=True` (`kitgen build --rebuild-manifest`) sets a damaged manifest aside (as
    `.kitgen-manifest.damaged.json`) and starts an empty one; an existing file is then adopted only
    when its bytes are exactly what kitgen renders now.
    """

    def __init__(self, path: Path, project_root: Path | None = None, rebuild: bool = False):
        self.path = path
        # The project as seen from the output folder: stays true when both move together.
        self.project = os.path.relpath(os.path.realpath(project_root), os.path.realpath(path)) \
            if project_root is not None else None
        self.rebuild = rebuild
        self.manifest = self._read()
        self.owned = set(self.entries)
        self.dirty = False
        self._saved = time.monotonic()

    @property
    def file(self) -> Path:
        return self.path / MANIFEST

    @property
    def entries(self) -> dict[str, dict]:
        """{relative path: entry} of every file kitgen wrote here (any project)."""
        return self.manifest["outputs"]

    @property
    def roles(self) -> dict[str, dict]:
        """`kitgen build`'s cache of the role files it read (by label)."""
        return self.manifest.setdefault("roles", {})

    def _read(self) -> dict:
        try:
            text = self.file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {"outputs": {}}
        except (OSError, UnicodeDecodeError) as exc:
            return self._damaged(f"cannot be read: {exc}")
        try:
            data = json.loads(text)
        except ValueError as exc:
            return self._damaged(f"not JSON: {exc}")
        problem = _shape_problem(data)
        return self._damaged(problem) if problem else data

    def _damaged(self, why: str) -> dict:
        if not self.rebuild:
            raise ManifestError(
                f"{printable(str(self.file))} is damaged ({why}); kitgen left it as it is. Restore it from a "
                "backup, or run `kitgen build --rebuild-manifest` to rebuild it from the files that match what "
                "kitgen renders")
        with contextlib.suppress(OSError):
            os.replace(self.file, self.path / DAMAGED_COPY)
        return {"outputs": {}}

    def mine(self, entry: dict) -> bool:
        """Whether an entry was written by this project (entries of older kitgen versions have none)."""
        return self.project is None or entry.get("project", self.project) == self.project

    # -- names -------------------------------------------------------------------------------
    def claim(self, base: str, owner: str | None, used: set[str] | None = None) -> str:
        """The stem for a document made for `owner` (a candidate, a location): `base` unless kitgen
        wrote it for someone else, then `base-2`, `base-3`... A stem used earlier in this run is
        skipped too. Without an owner, `base`."""
        if owner is None:
            return base
        used = used if used is not None else set()
        number = 1
        while True:
            stem = base if number == 1 else f"{base}-{number}"
            owners = {entry.get("for") for rel, entry in self.entries.items() if rel.rsplit(".", 1)[0] == stem}
            if stem not in used and owners <= {owner, None}:
                used.add(stem)
                return stem
            number += 1

    # -- writing -----------------------------------------------------------------------------
    def check(self, relative: str, force: bool = False, data: bytes | None = None) -> Path:
        """The safe target of `relative`; refuse it when a file is there that kitgen did not write,
        or that someone edited since kitgen wrote it (unless forced)."""
        target = files.safe_target(self.path, relative)
        if force or not target.exists():
            return target
        shown = printable(str(target))
        if relative not in self.owned:
            if self.rebuild and data is not None and file_sha256(target) == sha256(data):
                return target
            if self.rebuild:
                raise OutputError(f"refused to overwrite {shown}: it does not match what kitgen renders "
                                  "(move it away, or use --force)")
            raise OutputError(f"refused to overwrite {shown}: kitgen did not write it (use --force)")
        if self.edited(relative):
            raise OutputError(f"refused to overwrite {shown}: it was edited since kitgen wrote it (--force "
                              f"replaces it and keeps the edited file as {edited_name(target).name})")
        return target

    def edited(self, relative: str) -> bool:
        """A file kitgen wrote whose bytes are no longer what it wrote."""
        entry = self.entries.get(relative)
        target = self.path / relative
        return entry is not None and target.is_file() and file_sha256(target) != entry.get("sha256")

    def write(self, relative: str, data: bytes, entry: dict, force: bool = False) -> Path:
        """Write one file and record it (entry + project + sha256); the manifest is saved by `save`."""
        target = self.check(relative, force, data)
        if relative in self.owned and force and self.edited(relative):
            os.replace(target, edited_name(target))  # the edit is kept, never lost
        if not (target.exists() and relative not in self.owned and file_sha256(target) == sha256(data)):
            files.write_file(self.path, relative, data)
        record = dict(entry, sha256=sha256(data))
        if self.project is not None:
            record["project"] = self.project
        self.entries[relative] = record
        self.owned.add(relative)
        self.dirty = True
        return target

    def write_document(self, rendered: dict[str, bytes], entry: dict, force: bool = False) -> list[Path]:
        """Write the files of one document, whole or not at all: every target is checked first."""
        for relative, data in rendered.items():
            self.check(relative, force, data)
        written = [self.write(relative, data, entry, force) for relative, data in rendered.items()]
        self.save()
        return written

    def remove(self, relative: str, force: bool = False) -> str:
        """Delete a file the manifest says this project wrote: "removed", "kept" (edited, not forced)
        or "gone" (it was not there any more); the entry goes unless the file is kept."""
        if relative not in self.entries or not self.mine(self.entries[relative]):
            return "kept"
        if self.edited(relative) and not force:
            return "kept"
        target = files.safe_target(self.path, relative)
        existed = target.exists()
        target.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # the role's folder, once empty
            target.parent.rmdir()
        del self.entries[relative]
        self.owned.discard(relative)
        self.dirty = True
        return "removed" if existed else "gone"

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


def edited_name(target: Path) -> Path:
    """`job-ad.docx` -> `job-ad.edited.docx` (then `job-ad.edited-2.docx`...): where an edit is kept."""
    stem, dot, suffix = target.name.partition(".")
    number = 1
    while True:
        name = f"{stem}.edited{'' if number == 1 else f'-{number}'}{dot}{suffix}"
        if not (target.parent / name).exists():
            return target.parent / name
        number += 1
