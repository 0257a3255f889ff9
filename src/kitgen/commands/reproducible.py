"""`kitgen build --reproducible`: choose SOURCE_DATE_EPOCH from the inputs, so that two builds of
the same role files give byte-identical documents on any machine.

The date is the time of the last git commit that touched the role files or the company file when
the project is in a git repository and those files have no uncommitted change (the same on every
clone); otherwise the newest modification time of those files. An explicit SOURCE_DATE_EPOCH wins.
"""

from __future__ import annotations

import os
import subprocess

from kitgen.sources.project import Project


def input_files(project: Project) -> list:
    files = list(project.role_files())
    if project.company_path.is_file():
        files.append(project.company_path)
    return files


def epoch(project: Project) -> int:
    files = input_files(project)
    committed = _git_epoch(project, files)
    if committed is not None:
        return committed
    return max((int(path.stat().st_mtime) for path in files), default=0)


def _git_epoch(project: Project, files: list) -> int | None:
    if not files:
        return None
    names = [str(path) for path in files]
    try:
        dirty = subprocess.run(["git", "status", "--porcelain", "--", *names], cwd=project.root,
                               capture_output=True, text=True, timeout=10)
        if dirty.returncode != 0 or dirty.stdout.strip():
            return None
        last = subprocess.run(["git", "log", "-1", "--format=%ct", "--", *names], cwd=project.root,
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    value = last.stdout.strip()
    return int(value) if last.returncode == 0 and value.isdigit() else None


def apply(project: Project) -> int:
    """Set SOURCE_DATE_EPOCH (unless already set) and return the value in force."""
    if not os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch(project))
    return int(os.environ["SOURCE_DATE_EPOCH"])
