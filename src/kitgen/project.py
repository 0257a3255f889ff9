"""The project folder: kitgen.toml settings, where roles, templates, output and company file live.

A project is the current directory (or `-C DIR`). kitgen.toml is optional; its keys are `roles`,
`templates`, `output`, `company`, `formats` and `offer_template`; any other key is an error.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kitgen.errors import DataError, Problem
from kitgen.loading import display_path, load_company, load_role
from kitgen.model import Company, Role

SETTINGS_FILE = "kitgen.toml"
KNOWN_FORMATS = ("pdf", "docx", "html", "md", "jsonld")
DEFAULTS = {"roles": "roles", "templates": "templates", "output": "output", "company": "company.yaml",
            "formats": ["pdf", "docx"], "offer_template": None}
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
        return load_company(self.company_path, self.root)

    def load_roles(self, paths: list[Path] | None = None) -> list[tuple[Path, Role]]:
        """Load every role (or the given files); all problems of all files in one DataError."""
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
                message = f"role id {role.id!r} is also used by {self.label(first[role.id])}"
                problems.append(Problem(self.label(path), 1, 1, "id", message))
            first.setdefault(role.id, path)
        return problems

    def find_role(self, ref: str) -> tuple[Path, Role]:
        """ROLE is a path to a role file or the id of a project role."""
        candidate = Path(ref)
        if candidate.suffix in ROLE_SUFFIXES and (candidate.is_file() or (self.root / candidate).is_file()):
            path = candidate if candidate.is_file() else self.root / candidate
            return path, load_role(path, self.root)
        for path in self.role_files():
            if path.name.split(".")[0] == ref:
                return path, load_role(path, self.root)
        for path, role in self.load_roles():
            if role.id == ref:
                return path, role
        import click

        known = ", ".join(p.name.split(".")[0] for p in self.role_files()) or "none"
        raise click.BadParameter(f"no role {ref!r} in {self.label(self.roles_dir)} (roles: {known})",
                                 param_hint="ROLE")


def load_project(root: Path | None = None) -> Project:
    """Read kitgen.toml (if any) under `root`; unknown keys and wrong types are data errors."""
    root = (root or Path.cwd()).resolve()
    path = root / SETTINGS_FILE
    settings = dict(DEFAULTS)
    if path.is_file():
        settings.update(_read_settings(path))
    return Project(root, settings)


def _read_settings(path: Path) -> dict:
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", 1) or 1
        column = getattr(exc, "colno", 1) or 1
        raise DataError([Problem(SETTINGS_FILE, line, column, "", f"TOML syntax error: {exc}")]) from exc
    problems = []
    for key, value in data.items():
        line = _line_of(text, key)
        if key not in DEFAULTS:
            problems.append(Problem(SETTINGS_FILE, line, 1, key,
                                    f"unknown key (known keys: {', '.join(DEFAULTS)})"))
        elif key == "formats":
            value = value.split(",") if isinstance(value, str) else value
            value = [f.strip() if isinstance(f, str) else f for f in value] if isinstance(value, list) else value
            bad = [f for f in value if f not in KNOWN_FORMATS] if isinstance(value, list) else [value]
            if bad:
                problems.append(Problem(SETTINGS_FILE, line, 1, key,
                                        f"unknown format {bad[0]!r} (formats: {', '.join(KNOWN_FORMATS)})"))
            data[key] = [f.strip() for f in value] if isinstance(value, list) else value
        elif not isinstance(value, str):
            problems.append(Problem(SETTINGS_FILE, line, 1, key, "expected text (a path)"))
    if problems:
        raise DataError(problems)
    return data


def _line_of(text: str, key: str) -> int:
    match = re.search(rf"^\s*{re.escape(key)}\s*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1
