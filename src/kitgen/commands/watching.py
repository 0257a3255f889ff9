"""What `kitgen preview` and `kitgen build --watch` watch: the files a project's documents are made
from, polled for changes (no extra dependency; a project has tens of files, a poll costs well under a
millisecond each).

Watched: the roles folder, the company file, kitgen.toml, the project's `templates/` folder (its
templates, stylesheet, fonts) and the company logo. A change is a file added, removed, or whose size or
modification time differs; `wait_for_change` returns once the files have stopped changing for a short
moment, so that an editor's save (write, rename, touch) is seen as one change.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path

from kitgen.errors import DataError
from kitgen.sources.project import Project

POLL_SECONDS = 0.25
SETTLE_SECONDS = 0.15  # a change is reported once the files have been still this long
WATCHED_SUFFIXES = (".yaml", ".yml", ".toml", ".j2", ".html", ".css", ".ttf", ".otf", ".woff", ".woff2", ".png",
                    ".jpg", ".jpeg", ".svg", ".docx", ".po", ".mo")

Snapshot = dict[str, tuple[int, int]]


def watched_paths(project: Project) -> list[Path]:
    """The folders and files to watch (the ones that exist now or may appear)."""
    return [project.roles_dir, project.company_path, project.root / "kitgen.toml", project.templates_dir]


def look(root: Path | None) -> Snapshot:
    """The snapshot of a project's watched files and its company logo; with a kitgen.toml that does
    not load, of the usual places (so that its fix is seen too)."""
    from kitgen.commands import open_project
    from kitgen.errors import KitgenError

    try:
        project = open_project(root)
    except KitgenError:
        base = root or Path.cwd()
        return snapshot([base / "kitgen.toml", base / "roles", base / "company.yaml", base / "templates"])
    return snapshot(watched_paths(project), _logo(project))


def _logo(project: Project) -> list[Path]:
    from kitgen.sources.branding import logo_path

    try:
        path = logo_path(project.company, project.root)
    except DataError:  # an invalid company file is watched as a file already
        return []
    return [path] if path is not None else []


def snapshot(paths: list[Path], extra: list[Path] = ()) -> Snapshot:
    """{path: (size, mtime_ns)} of every watched file; folders are walked (hidden entries skipped:
    editors' swap files and .git)."""
    found: Snapshot = {}
    for path in [*paths, *extra]:
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if not name.startswith(".") and name.lower().endswith(WATCHED_SUFFIXES):
                        _stat(Path(folder) / name, found)
        else:
            _stat(path, found)
    return found


def _stat(path: Path, found: Snapshot) -> None:
    try:
        info = path.stat()
    except OSError:
        return
    found[str(path)] = (info.st_size, info.st_mtime_ns)


def fingerprint(state: Snapshot) -> str:
    """A short name of a snapshot (pages compare it to know whether they are out of date)."""
    digest = hashlib.sha256(repr(sorted(state.items())).encode()).hexdigest()
    return digest[:12]


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    """The paths added, removed or modified, sorted."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def wait_for_change(look, before: Snapshot, stop: threading.Event | None = None,
                    poll: float = POLL_SECONDS) -> Snapshot | None:
    """Poll `look()` (which returns a snapshot) until it differs from `before` and then stays the
    same for SETTLE_SECONDS; returns the new snapshot, or None when `stop` is set."""
    while stop is None or not stop.is_set():
        time.sleep(poll)
        now = look()
        if now == before:
            continue
        while stop is None or not stop.is_set():  # let the editor finish writing
            time.sleep(SETTLE_SECONDS)
            later = look()
            if later == now:
                return now
            now = later
    return None


def watch_builds(root: Path | None, build_once, on_build, on_error, state: Snapshot,
                 stop: threading.Event | None = None) -> None:
    """`kitgen build --watch` after its first build (`state`: the snapshot taken before it, so that a
    save made while it ran is not missed): wait for a change, build again (incremental:
    only what the change touched), hand the report to `on_build(changed paths, report)`; an error
    that stops the whole build (a broken company file or kitgen.toml) goes to `on_error(paths,
    error)`, and watching goes on. Returns when `stop` is set; Ctrl-C raises KeyboardInterrupt."""
    from kitgen.commands import open_project
    from kitgen.errors import KitgenError

    while True:
        new = wait_for_change(lambda: look(root), state, stop)
        if new is None:
            return
        paths, state = changed(state, new), new
        try:
            report = build_once(open_project(root))
        except KitgenError as exc:
            on_error(paths, exc)
            continue
        on_build(paths, report)
