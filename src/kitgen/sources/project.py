"""The project folder: kitgen.toml settings, where roles, templates, output and company file live,
and THE role resolver.

A project is the current directory (or `-C DIR`). kitgen.toml is optional; its keys are `roles`,
`templates`, `output`, `company`, `formats` and `offer_template`; any other key is an error. The
format names are checked by the function the caller passes (`kitgen.formats.parse_setting`: the
format registry is a higher layer).

A ROLE argument is resolved in one order everywhere (`Project.resolve_role`): a path to a role
file (`.yaml`/`.yml`), read from the project folder first, then from the current folder (as with
`git -C`); else the role file whose name is the id; else the role file that declares that id.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from kitgen.errors import DataError, Problem, RoleNotFound
from kitgen.i18n import tr
from kitgen.sources import limits, yamlsafe
from kitgen.sources.languages import LANGUAGES

if TYPE_CHECKING:  # loading and model import pydantic (~0.2 s): not on the path of `kitgen --help`
    from kitgen.sources.model import Company, Role

SETTINGS_FILE = "kitgen.toml"
DEFAULTS = {"roles": "roles", "templates": "templates", "output": "output", "company": "company.yaml",
            "formats": ["pdf", "docx"], "offer_template": None, "limits": {}, "lang": None}
ROLE_SUFFIXES = (".yaml", ".yml")


@dataclass
class Project:
    """A loaded project: its folders and settings, with roles and the company read on demand."""

    root: Path
    settings: dict = field(default_factory=lambda: dict(DEFAULTS))

    @property
    def roles_dir(self) -> Path:
        return self.root / self.settings["roles"]

    @property
    def templates_dir(self) -> Path:
        return self.root / self.settings["templates"]

    @property
    def output_dir(self) -> Path:
        return self.root / self.settings["output"]

    @property
    def company_path(self) -> Path:
        return self.root / self.settings["company"]

    @property
    def formats(self) -> list[str]:
        return list(self.settings["formats"])

    @property
    def offer_template(self) -> Path | None:
        value = self.settings.get("offer_template")
        return self.root / value if value else None

    def label(self, path: Path) -> str:
        from kitgen.sources.loading import display_path

        return display_path(path, self.root)

    def role_files(self) -> list[Path]:
        if not self.roles_dir.is_dir():
            return []
        return sorted(p for p in self.roles_dir.iterdir() if p.suffix in ROLE_SUFFIXES and p.is_file())

    @cached_property
    def company(self) -> Company | None:
        """The company file, or None when the project has none (required for offers only)."""
        if not self.company_path.is_file():
            return None
        from kitgen.sources.loading import load_company

        return load_company(self.company_path, self.root)

    def load_roles(self, paths: list[Path] | None = None) -> list[tuple[Path, Role]]:
        """Load every role (or the given files); all problems of all files in one DataError."""
        from kitgen.sources.loading import load_role

        problems: list[Problem] = []
        loaded: list[tuple[Path, Role]] = []
        for path in paths if paths is not None else self.role_files():
            try:
                loaded.append((path, load_role(path, self.root)))
            except DataError as exc:
                problems += exc.problems
        problems += self._duplicate_ids(loaded)
        if problems:
            raise DataError(problems)
        return loaded

    def _duplicate_ids(self, loaded: list[tuple[Path, Role]]) -> list[Problem]:
        first: dict[str, Path] = {}
        problems = []
        for path, role in loaded:
            if role.id in first:
                message = tr("role id %(id)r is also used by %(file)s", id=role.id, file=self.label(first[role.id]))
                problems.append(Problem(self.label(path), *_declared_id(path)[1], "id", message))
            first.setdefault(role.id, path)
        return problems

    def role_ids(self) -> list[str]:
        """The ids the roles folder offers, by file name (what "no role X (roles: ...)" lists)."""
        return [path.name.split(".")[0] for path in self.role_files()]

    def resolve_role(self, ref: str, paths: bool = True) -> Path:
        """The role file ROLE names (see the module docstring); `paths=False` takes ids only (a
        candidates file from elsewhere must not name files). RoleNotFound otherwise."""
        candidate = Path(ref)
        if paths and candidate.suffix in ROLE_SUFFIXES:
            for path in (self.root / candidate, candidate):
                if path.is_file():
                    return path
        files = self.role_files()
        for path in files:
            if path.name.split(".")[0] == ref:
                return path
        # Read only the ids, so that a broken file elsewhere does not hide the role asked for.
        for path in files:
            if _declared_id(path)[0] == ref:
                return path
        known = ", ".join(self.role_ids()) or tr("none")
        raise RoleNotFound(tr("no role %(ref)r in %(folder)s (roles: %(roles)s)", ref=ref,
                              folder=self.label(self.roles_dir), roles=known), param_hint="ROLE")

    def find_role(self, ref: str, paths: bool = True) -> tuple[Path, Role]:
        """The role file ROLE names, loaded and validated."""
        from kitgen.sources.loading import load_role

        path = self.resolve_role(ref, paths)
        return path, load_role(path, self.root)


FormatsCheck = Callable[[object], tuple[list[str], "str | None"]]


def load_project(root: Path | None, check_formats: FormatsCheck) -> Project:
    """Read kitgen.toml (if any) under `root`; unknown keys and wrong types are data errors.
    `check_formats` turns the `formats` value into names, or says what is wrong with it."""
    root = (root or Path.cwd()).resolve()
    path = root / SETTINGS_FILE
    settings = dict(DEFAULTS)
    if path.is_file():
        settings.update(_read_settings(path, check_formats))
    limits.configure(settings["limits"])
    return Project(root, settings)


def declared_language(root: Path | None) -> str | None:
    """kitgen.toml's `lang`, read before anything else (the language of the command line's own
    words); None when it is not set or the file cannot be read (the command then reports that)."""
    path = (root or Path.cwd()) / SETTINGS_FILE
    try:
        value = tomllib.loads(path.read_text(encoding="utf-8-sig")).get("lang")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return value if value in LANGUAGES else None


def _read_settings(path: Path, check_formats: FormatsCheck) -> dict:
    text, problems = yamlsafe.read_text(path, SETTINGS_FILE)
    if text is None:
        raise DataError(problems)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError([_toml_problem(exc, text)]) from exc
    for key, value in data.items():
        line = _line_of(text, key)
        if key not in DEFAULTS:
            problems.append(Problem(SETTINGS_FILE, line, 1, key,
                                    tr("unknown key (known keys: %(keys)s)", keys=", ".join(DEFAULTS))))
        elif key == "limits":
            problems += _limit_problems(value, text)
        elif key == "formats":
            data[key], message = check_formats(value)
            if message:
                problems.append(Problem(SETTINGS_FILE, line, 1, key, message))
        elif key == "lang":
            if value not in LANGUAGES:
                problems.append(Problem(SETTINGS_FILE, line, 1, key, tr("expected one of %(choices)s, got %(value)r",
                                                                        choices=", ".join(LANGUAGES), value=value)))
        elif not isinstance(value, str):
            problems.append(Problem(SETTINGS_FILE, line, 1, key, tr("expected text (a path)")))
    if problems:
        raise DataError(problems)
    return data


def _limit_problems(value, text: str) -> list[Problem]:
    """`[limits]`: known keys, whole numbers above 0; each problem on the line of its key."""
    table = re.search(r"^[ \t]*\[limits\]", text, re.MULTILINE)
    line = text.count("\n", 0, table.start()) + 1 if table else _line_of(text, "limits")
    if not isinstance(value, dict):
        return [Problem(SETTINGS_FILE, line, 1, "limits", tr("expected a table ([limits] with key = number)"))]
    problems = []
    for key, number in value.items():
        where = _line_of(text, key, after=table.end() if table else 0) if table else line
        if key not in limits.DEFAULTS:
            problems.append(Problem(SETTINGS_FILE, where, 1, f"limits.{key}",
                                    tr("unknown limit (limits: %(limits)s)", limits=", ".join(limits.DEFAULTS))))
        elif not isinstance(number, int) or isinstance(number, bool) or number < 1:
            problems.append(Problem(SETTINGS_FILE, where, 1, f"limits.{key}",
                                    tr("expected a whole number above 0, got %(value)r", value=number)))
    return problems


def _toml_problem(exc: tomllib.TOMLDecodeError, text: str) -> Problem:
    """tomllib (3.11) puts the place in its message only: "Invalid value (at line 2, column 5)"."""
    message = str(exc)
    match = re.search(r" \(at line (\d+), column (\d+)\)$", message)
    if match:
        line, column = int(match[1]), int(match[2])
    else:  # "(at end of document)": the last line
        line, column = len(text.rstrip("\n").split("\n")), 1
    message = re.sub(r" \(at (line \d+, column \d+|end of document)\)$", "", message)
    return Problem(SETTINGS_FILE, line, column, "", tr("TOML syntax error: %(message)s", message=message))


def _declared_id(path: Path) -> tuple[object, tuple[int, int]]:
    """The `id` a role file writes and where its value stands; (None, (1, 1)) when it has none."""
    text, _ = yamlsafe.read_text(path, "")
    located, _ = yamlsafe.load(text, "") if text is not None else (None, [])
    if located is None or "id" not in located.data:
        return None, (1, 1)
    return located.data["id"], located.values[("id",)]


def _line_of(text: str, key: str, after: int = 0) -> int:
    pattern = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*=", re.MULTILINE)  # not \s: it spans lines
    match = pattern.search(text, after)
    return text.count("\n", 0, match.start()) + 1 if match else 1
