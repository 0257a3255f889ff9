"""`kitgen validate` and `kitgen list`: check the project's files and summarise its roles."""

from __future__ import annotations

from pathlib import Path

from kitgen.errors import DataError, Problem
from kitgen.i18n import tr
from kitgen.sources import placeholders
from kitgen.sources.loading import load_company
from kitgen.sources.project import ROLE_SUFFIXES, Project


def validate_project(project: Project, refs: list[str], warn=lambda message: None) -> int:
    """Validate the given roles (or all, plus the company file); return how many files are valid.
    A company text that lacks a language one of the roles is written in is a problem too. What is
    valid but probably not meant goes to `warn` (a competency that no interview stage assesses, a
    text still a placeholder). A folder among `refs` stands for every role file in it."""
    problems: list[Problem] = []
    company = None
    if refs:
        paths = list(dict.fromkeys(path for ref in refs for path in role_paths(project, ref)))
    else:
        paths = project.role_files()
        if project.company_path.is_file():
            try:
                company = load_company(project.company_path, project.root)
            except DataError as exc:
                problems += exc.problems
    try:
        roles = project.load_roles(paths)
    except DataError as exc:
        problems += exc.problems
        roles = []
    needed = dict.fromkeys(lang for _, role in roles for lang in (role.languages or [role.lang]))
    for lang in needed if company is not None else ():
        problems += [p for p in company.missing(lang) if p not in problems]
    if problems:
        raise DataError(problems)
    for path, role in roles:
        for message in coverage_warnings(role):
            warn(f"{project.label(path)}: {message}")
        for problem in placeholders.found(role):
            warn(str(problem))
    if not paths:
        raise DataError([Problem(project.label(project.roles_dir), 0, 0, "", tr("no role files (*.yaml) found"))])
    return len(roles) + (0 if refs or not project.company_path.is_file() else 1)


def role_paths(project: Project, ref: str) -> list[Path]:
    """The role files `ref` names: a folder's role files (*.yaml, *.yml; not the company file), else
    the one role file or id (`Project.resolve_role`)."""
    folder = next((path for path in (project.root / ref, Path(ref)) if path.is_dir()), None)
    if folder is None:
        return [project.resolve_role(ref)]
    company = project.company_path.resolve()
    found = sorted(path for path in folder.iterdir() if path.suffix in ROLE_SUFFIXES and path.is_file()
                   and path.resolve() != company)
    if not found:
        raise DataError([Problem(project.label(folder), 0, 0, "", tr("no role files (*.yaml) found"))])
    return found


def coverage_warnings(role) -> list[str]:
    """A role with interview stages: each competency that no stage assesses."""
    if not role.interview.stages:
        return []
    covered = {id(c) for stage in role.interview.stages for c in role.stage_competencies(stage)}
    return [tr("%(competency)s is assessed in no stage (add it to one of interview.stages)", competency=c.name)
            for c in role.competencies if id(c) not in covered]


def role_table(project: Project) -> str:
    """A plain-text table of every role: id, title, language, levels, locations."""
    rows = [(tr("ID"), tr("TITLE"), tr("LANG"), tr("LEVELS"), tr("LOCATIONS"))]
    for _, role in project.load_roles():
        rows.append((role.id, role.title, ", ".join(role.languages or [role.lang]), ", ".join(role.level_ids), ", ".join(role.locations) or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)
