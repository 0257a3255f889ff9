"""What the shell completes (`kitgen completion bash|zsh|fish`): role ids, levels, locations and
stages, read from the project in the folder of `-C` (else the current one).

Completion runs at every Tab: these functions never raise (a broken file completes nothing) and read
only what they need — role ids from the file names and the ids the files declare, levels, locations
and stages from the role already on the command line, else from every role that loads.
"""

from __future__ import annotations

from pathlib import Path

from kitgen.sources import values


def _project(root: Path | None):
    from kitgen.commands import open_project

    return open_project(root)


def _roles(root: Path | None, role_ref: str | None):
    """The loaded role the command line names, else every role that loads."""
    project = _project(root)
    if role_ref:
        try:
            return [project.find_role(role_ref)[1]]
        except Exception:  # noqa: BLE001 - not a role (yet): complete from all of them
            pass
    roles = []
    for path in project.role_files():
        try:
            roles.append(project.find_role(str(path))[1])
        except Exception:  # noqa: BLE001 - a file with problems completes nothing
            continue
    return roles


def _matching(found: list[tuple[str, str]], incomplete: str) -> list[tuple[str, str]]:
    """(value, help) pairs whose value starts with what was typed (case and accents ignored)."""
    typed = values.folded(incomplete)
    seen, out = set(), []
    for value, help_ in found:
        if value not in seen and values.folded(value).startswith(typed):
            seen.add(value)
            out.append((value, help_))
    return out


def role_ids(root: Path | None, incomplete: str) -> list[tuple[str, str]]:
    try:
        project = _project(root)
        return _matching([(role_id, "") for role_id in project.role_ids()], incomplete)
    except Exception:  # noqa: BLE001
        return []


def levels(root: Path | None, role_ref: str | None, incomplete: str) -> list[tuple[str, str]]:
    try:
        return _matching([(level.id, level.name) for role in _roles(root, role_ref) for level in role.levels],
                         incomplete)
    except Exception:  # noqa: BLE001
        return []


def locations(root: Path | None, role_ref: str | None, incomplete: str) -> list[tuple[str, str]]:
    try:
        return _matching([(place, "") for role in _roles(root, role_ref) for place in role.locations], incomplete)
    except Exception:  # noqa: BLE001
        return []


def stages(root: Path | None, role_ref: str | None, incomplete: str) -> list[tuple[str, str]]:
    try:
        return _matching([(stage.id, stage.name) for role in _roles(root, role_ref) for stage in role.interview.stages],
                         incomplete)
    except Exception:  # noqa: BLE001
        return []
