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

Files go through `kitgen.outputs.files`. A run holds the folder's lock (`.kitgen-lock`, `flock`)
from `open` to `close`: a second run waits for it (saying so) up to `wait` seconds, then fails, so
two runs never lose each other's entries. Before each file is written its entry goes to a journal
(`.kitgen-journal`, fsynced); the manifest is saved in batches (`save_every`) and at `close`, which
empties the journal. A run killed at any instant leaves, for each file, the old state or the new
one: the next run adopts every journalled file whose bytes match its entry, removes the temporary
files the killed run left, and needs no `--force`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from kitgen.errors import OutputError, printable
from kitgen.i18n import tr
from kitgen.outputs import files

MANIFEST = ".kitgen-manifest.json"
DAMAGED_COPY = ".kitgen-manifest.damaged.json"
LOCK = ".kitgen-lock"
JOURNAL = ".kitgen-journal"
DEFAULT_WAIT = 600.0  # seconds a run waits for another one writing to the same folder
ENTRY_TEXT = ("role", "project", "for", "source", "from", "kind", "inputs", "lang", "letterhead")


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
        return tr("it is not a JSON object")
    outputs, roles = data.get("outputs"), data.get("roles", {})
    if not isinstance(outputs, dict):
        return tr('"outputs" is not an object')
    for relative, entry in outputs.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            return tr('the entry of %(path)r has no "sha256" text', path=relative)
        bad = [key for key in ENTRY_TEXT if key in entry and not isinstance(entry[key], str)]
        if "options" in entry and not (isinstance(entry["options"], dict)
                                       and all(isinstance(entry.get(key), str) for key in ("from", "kind", "lang"))):
            bad.append("options")
        if "templates" in entry and not (isinstance(entry["templates"], list)
                                         and all(isinstance(t, str) for t in entry["templates"])):
            bad.append("templates")
        if bad or ("level" in entry and not isinstance(entry["level"], (str, type(None)))):
            return tr("the entry of %(path)r has a value of the wrong type (%(key)s)", path=relative,
                      key=(bad or ["level"])[0])
    if not isinstance(roles, dict) or not all(isinstance(v, dict) for v in roles.values()):
        return tr('"roles" is not an object of objects')
    return None


class OutputFolder:
    """One output folder for one run of one project: its manifest, its owned files, its writes.

    `rebuild=True` (`kitgen build --rebuild-manifest`) sets a damaged manifest aside (as
    `.kitgen-manifest.damaged.json`) and starts an empty one; an existing file is then adopted only
    when its bytes are exactly what kitgen renders now.
    """

    on_wait: Callable[[str], None] = staticmethod(lambda message: None)  # the CLI prints it

    def __init__(self, path: Path, project_root: Path | None = None, rebuild: bool = False,
                 wait: float = DEFAULT_WAIT):
        self.path = path
        # The project as seen from the output folder: stays true when both move together.
        self.project = os.path.relpath(os.path.realpath(project_root), os.path.realpath(path)) \
            if project_root is not None else None
        self.rebuild = rebuild
        self.wait = wait
        self._lock: int | None = None
        self._held = False
        self._created = False
        self.manifest: dict = {"outputs": {}}
        self.owned: set[str] = set()
        self.dirty = False
        self._saved = time.monotonic()

    # -- the run -----------------------------------------------------------------------------
    def __enter__(self) -> OutputFolder:
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()

    def open(self) -> OutputFolder:
        """Take the lock, then read the manifest, replay the journal, remove stale temporary files."""
        self._created = not self.path.exists()
        try:
            self._acquire()
            self.manifest = self._read()
            self.owned = set(self.entries)
            self._replay_journal()
            files.remove_stale_temps(self.path)
        except BaseException:
            self._release()
            raise
        return self

    def close(self) -> None:
        """Save what changed, then let the next run in."""
        try:
            if self._lock is not None and self.dirty:
                self.save()
        finally:
            self._release()

    def _acquire(self) -> None:
        """Lock `.kitgen-lock` (never through a link). A run that held it may have removed it and its
        empty folder meanwhile (it created both and wrote nothing): then lock the new one."""
        deadline = time.monotonic() + self.wait
        while True:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
                self._lock = os.open(self.path / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
            except OSError as exc:
                raise files.os_error(exc, self.path / LOCK) from exc
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self._wait_for_lock(deadline)
            if self._lock_is_current():
                break
            os.close(self._lock)
            self._lock = None
        self._held = True
        os.ftruncate(self._lock, 0)  # who holds it, for the message of a run that waits
        os.pwrite(self._lock, str(os.getpid()).encode("ascii"), 0)

    def _lock_is_current(self) -> bool:
        try:
            return os.fstat(self._lock).st_ino == os.stat(self.path / LOCK, follow_symlinks=False).st_ino
        except OSError:
            return False

    def _wait_for_lock(self, deadline: float) -> None:
        holder = os.pread(self._lock, 32, 0).decode("ascii", "replace").strip() or "?"
        self.on_wait(tr("waiting for another kitgen run (pid %(pid)s) that is writing to %(folder)s...", pid=holder,
                        folder=printable(str(self.path))))
        while True:
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OutputError(tr("another kitgen run (pid %(pid)s) is still writing to %(folder)s after "
                                         "%(seconds)s s: wait for it to end, or give more time with --wait SECONDS",
                                         pid=holder, folder=printable(str(self.path)),
                                         seconds=format(self.wait, "g"))) from None
                time.sleep(0.05)

    def _release(self) -> None:
        if self._lock is None:
            return
        lock, self._lock = self._lock, None
        held, self._held = self._held, False
        if held and self._created and self._nothing_but_the_lock():
            # A run that wrote nothing leaves no output folder behind (it did not exist before).
            (self.path / LOCK).unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                self.path.rmdir()
        os.close(lock)  # closing releases the flock

    def _nothing_but_the_lock(self) -> bool:
        try:
            return [p.name for p in self.path.iterdir()] == [LOCK]
        except OSError:
            return False

    def _replay_journal(self) -> None:
        """Adopt the files a killed run wrote but did not record: their bytes match the journal."""
        journal = self.path / JOURNAL
        if journal.is_symlink():  # not kitgen's: never read or write through it
            journal.unlink()
            return
        try:
            # A line cut by a full disk may end inside a character: only that line is lost.
            lines = journal.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return
        except OSError:
            lines = []
        for line in lines:
            try:
                item = json.loads(line)
                relative, entry = item["path"], item["entry"]
            except (ValueError, KeyError, TypeError):
                continue  # a line torn by the kill: its file was not renamed yet
            if isinstance(entry, dict) and file_sha256(self.path / relative) == entry.get("sha256"):
                self.entries[relative] = entry
                self.owned.add(relative)
                self.dirty = True
        if self.dirty:
            self.save()
        else:
            journal.unlink(missing_ok=True)

    def _journal(self, relative: str, entry: dict) -> None:
        line = json.dumps({"path": relative, "entry": entry}, ensure_ascii=False, sort_keys=True) + "\n"
        try:
            handle = os.open(self.path / JOURNAL, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o644)
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(line)
                stream.flush()
                os.fsync(stream.fileno())
        except OSError as exc:
            raise files.os_error(exc, self.path / JOURNAL) from exc

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
            return self._damaged(tr("cannot be read: %(reason)s", reason=exc))
        try:
            data = json.loads(text)
        except ValueError as exc:
            return self._damaged(tr("not JSON: %(reason)s", reason=exc))
        problem = _shape_problem(data)
        return self._damaged(problem) if problem else data

    def _damaged(self, why: str) -> dict:
        if not self.rebuild:
            raise ManifestError(tr(
                "%(file)s is damaged (%(reason)s); kitgen left it as it is. Restore it from a backup, or run "
                "`kitgen build --rebuild-manifest` to rebuild it from the files that match what kitgen renders",
                file=printable(str(self.file)), reason=why))
        with contextlib.suppress(OSError):
            os.replace(self.file, self.path / DAMAGED_COPY)
        return {"outputs": {}}

    def mine(self, entry: dict) -> bool:
        """Whether an entry was written by this project (entries of older kitgen versions have none)."""
        return self.project is None or entry.get("project", self.project) == self.project

    # -- names -------------------------------------------------------------------------------
    def claim(self, base: str, owner: str | None, used: set[str] | None = None, tag: str = "") -> str:
        """The stem for a document made for `owner` (a candidate, a location): `base` unless kitgen
        wrote it for someone else, then `base-2`, `base-3`... A stem used earlier in this run is
        skipped too. Without an owner, `base`. `tag` (a language, `.en`) goes after the number."""
        if owner is None:
            return base + tag
        used = used if used is not None else set()
        number = 1
        while True:
            stem = (base if number == 1 else f"{base}-{number}") + tag
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
                raise OutputError(tr("refused to overwrite %(path)s: it does not match what kitgen renders "
                                     "(move it away, or use --force)", path=shown))
            raise OutputError(tr("refused to overwrite %(path)s: kitgen did not write it (use --force)", path=shown))
        if self.edited(relative):
            raise OutputError(tr("refused to overwrite %(path)s: it was edited since kitgen wrote it (--force "
                                 "replaces it and keeps the edited file as %(kept)s)", path=shown,
                                 kept=edited_name(target).name))
        return target

    def edited(self, relative: str) -> bool:
        """A file kitgen wrote whose bytes are no longer what it wrote."""
        entry = self.entries.get(relative)
        target = self.path / relative
        return entry is not None and target.is_file() and file_sha256(target) != entry.get("sha256")

    def write(self, relative: str, data: bytes, entry: dict, force: bool = False) -> Path:
        """Write one file and record it (entry + project + sha256): journal first, then the file;
        the manifest is saved by `save_every` / `close`."""
        target = self.check(relative, force, data)
        if relative in self.owned and force and self.edited(relative):
            try:
                os.replace(target, edited_name(target))  # the edit is kept, never lost
            except OSError as exc:
                raise files.os_error(exc, target) from exc
        record = dict(entry, sha256=sha256(data))
        if self.project is not None:
            record["project"] = self.project
        if not (target.exists() and relative not in self.owned and file_sha256(target) == sha256(data)):
            self._journal(relative, record)
            try:
                files.write_file(self.path, relative, data)
            except BaseException:  # Ctrl-C or an error after the rename: the new file is ours all the same
                if file_sha256(target) == record["sha256"]:
                    self.entries[relative] = record
                    self.owned.add(relative)
                    self.dirty = True
                raise
        self.entries[relative] = record
        self.owned.add(relative)
        self.dirty = True
        return target

    def write_document(self, rendered: dict[str, bytes], entry, force: bool = False) -> list[Path]:
        """Write the files of one document, whole or not at all: every target is checked first.
        `entry` is each file's manifest entry, or a function of its relative path giving it."""
        for relative, data in rendered.items():
            self.check(relative, force, data)
        entry_of = entry if callable(entry) else (lambda relative: entry)
        return [self.write(relative, data, entry_of(relative), force) for relative, data in rendered.items()]

    def remove(self, relative: str, force: bool = False) -> str:
        """Delete a file the manifest says this project wrote: "removed", "kept" (edited, not forced)
        or "gone" (it was not there any more); the entry goes unless the file is kept."""
        if relative not in self.entries or not self.mine(self.entries[relative]):
            return "kept"
        if self.edited(relative) and not force:
            return "kept"
        target = files.safe_target(self.path, relative)
        existed = target.exists()
        try:
            target.unlink(missing_ok=True)
        except OSError as exc:
            raise files.os_error(exc, target) from exc
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
        """Write the manifest whole (atomically), then empty the journal it now contains."""
        data = json.dumps(self.manifest, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8")
        files.write_file(self.path, MANIFEST, data)
        (self.path / JOURNAL).unlink(missing_ok=True)
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
