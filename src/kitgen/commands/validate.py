"""`kitgen validate` and `kitgen list`: check the project's files and summarise its roles."""

from __future__ import annotations

from kitgen.errors import DataError, Problem
from kitgen.sources.loading import load_company
from kitgen.sources.project import Project


def validate_project(project: Project, refs: list[str], warn=lambda message: None) -> int:
    """Validate the given roles (or all, plus the company file); return how many files are valid.
    A company text that lacks a language one of the roles is written in is a problem too. What is
    valid but probably not meant goes to `warn` (a competency that no interview stage assesses)."""
    problems: list[Problem] = []
    company = None
    if refs:
        paths = [project.resolve_role(ref) for ref in refs]
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
    if not paths:
        raise DataError([Problem(project.label(project.roles_dir), 0, 0, "", "no role files (*.yaml) found")])
    return len(roles) + (0 if refs or not project.company_path.is_file() else 1)


def coverage_warnings(role) -> list[str]:
    """A role with interview stages: each competency that no stage assesses."""
    if not role.interview.stages:
        return []
    covered = {id(c) for stage in role.interview.stages for c in role.stage_competencies(stage)}
    return [f"{c.name} is assessed in no stage (add it to one of interview.stages)"
            for c in role.competencies if id(c) not in covered]


def role_table(project: Project) -> str:
    """A plain-text table of every role: id, title, language, levels, locations."""
    rows = [("ID", "TITLE", "LANG", "LEVELS", "LOCATIONS")]
    for _, role in project.load_roles():
        rows.append((role.id, role.title, ", ".join(role.languages or [role.lang]), ", ".join(role.level_ids), ", ".join(role.locations) or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)
