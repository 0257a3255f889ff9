"""`kitgen offers`: one offer letter per row of a candidates file, every row checked before any is written.

The file is read by `kitgen.sources.candidates`; each row's values are parsed by
`kitgen.sources.values` and checked by the offer rules (`kitgen.documents.offer`). A problem in a
row is reported as `candidates.csv:7: salary: 'not-a-number' is not a number` and only that row is
left out. Every row is checked (`plan_offers`) before any letter is written (`write_offers`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from kitgen.documents.context import OfferOptions
from kitgen.documents.offer import OfferRequest, prepare_offer, require_company
from kitgen.documents.render import render_offer
from kitgen.documents.rendered import offer_stem
from kitgen.errors import OfferError, OutputError, Problem, RoleNotFound
from kitgen.outputs.folder import OutputFolder
from kitgen.sources.candidates import DATES, REQUIRED, Row, read_rows
from kitgen.sources.loading import display_path
from kitgen.sources.model import CONTROL_RE, SLUG_RE, Role
from kitgen.sources.project import Project
from kitgen.sources.values import parse_amount, parse_date


SAVE_SECONDS = 1.0  # the manifest is saved at most once a second (and at the end): linear in rows


@dataclass(frozen=True)
class Letter:
    """A checked row, ready to render: its role, its offer options and its output stem."""

    line: int
    role: Role
    options: OfferOptions
    stem: str


@dataclass
class Plan:
    """Every row of a candidates file, checked: the letters to write and the rows left out."""

    letters: list[Letter] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    label: str = ""
    written: int = 0

    @property
    def failed_rows(self) -> int:
        return len({problem.line for problem in self.problems})


def row_request(row: Row, label: str) -> tuple[OfferRequest | None, list[Problem]]:
    """The offer request of one row, or the problems of its values (every one of them)."""
    problems = [Problem(label, row.line, 0, name, "contains a control character")
                for name, value in row.values.items() if CONTROL_RE.search(value)]
    problems += [Problem(label, row.line, 0, name, "missing value") for name in REQUIRED if name not in row.values]
    if row.extra:
        problems.append(Problem(label, row.line, 0, "", f"{row.extra} value(s) beyond the last column "
                                "(a delimiter inside a value that is not quoted?)"))
    parsed: dict[str, object] = {}
    for name, parse in [("salary", parse_amount)] + [(name, parse_date) for name in DATES]:
        if name in row.values:
            try:
                parsed[name] = parse(row.values[name])
            except ValueError as exc:
                problems.append(Problem(label, row.line, 0, name, str(exc)))
    email = row.values.get("email")
    if email and "@" not in email:
        problems.append(Problem(label, row.line, 0, "email", f"{email!r} is not an email address"))
    if problems:
        return None, problems
    text = {name: row.values.get(name) for name in ("contract", "trial_period", "kind", "address", "email")}
    return OfferRequest(candidate=row.values["name"], level=row.values["level"], location=row.values["location"],
                        **parsed, **text), []


def plan_offers(project: Project, path: Path, today: dt.date, allow_outside_band: bool = False,
                allow_past_date: bool = False, folder: OutputFolder | None = None) -> Plan:
    """Read and check every row; nothing is rendered or written here. With the output `folder`, a
    letter whose file name holds another person's letter gets a name of its own."""
    company = require_company(project)
    label = display_path(path)
    plan = Plan(label=label)
    roles: dict[str, Role | None] = {}
    stems: set[str] = set()
    for row in read_rows(path, label):
        request, problems = row_request(row, label)
        if problems:
            plan.problems += problems
            continue
        try:
            role = _role(project, row.values["role"], roles)
            options = prepare_offer(role, company, request, today, allow_outside_band, allow_past_date)
        except OfferError as exc:
            plan.problems.append(Problem(label, row.line, 0, exc.field or "", exc.message))
            continue
        plan.warnings += [Problem(label, row.line, 0, "warning", w) for w in options.warnings]
        base = offer_stem(role.id, options.candidate)
        stem = folder.claim(base, options.candidate, stems) if folder else offer_stem(role.id, options.candidate, stems)
        plan.letters.append(Letter(row.line, role, options, stem))
    return plan


def _role(project: Project, ref: str, cache: dict[str, Role | None]) -> Role:
    """A role by id (not by path: a CSV from elsewhere must not name files); looked up once per run."""
    if ref not in cache:
        try:
            cache[ref] = project.find_role(ref, paths=False)[1] if SLUG_RE.fullmatch(ref) else None
        except RoleNotFound:
            cache[ref] = None
    role = cache[ref]
    if role is None:
        raise OfferError(f"unknown role {ref!r} (roles: {', '.join(project.role_ids()) or 'none'})", "role")
    return role


def write_letter(project: Project, letter: Letter, formats: list[str], out: OutputFolder,
                 lang: str | None = None, docx_template: Path | None = None, force: bool = False) -> list[Path]:
    """Render one checked letter in every format and write its files (the DOCX from the company's
    Word letterhead when one is given)."""
    from kitgen.outputs.produce import produce

    doc = render_offer(letter.role, project.company, letter.options, project.templates_dir, lang, project.root,
                       stem=letter.stem)
    doc.docx_template = docx_template
    return produce(doc, formats, out, force)


def write_offers(project: Project, plan: Plan, formats: list[str], folder: OutputFolder, lang: str | None = None,
                 docx_template: Path | None = None, advance: Callable[[], None] = lambda: None,
                 force: bool = False) -> list[Path]:
    """Write every letter of a checked plan; `advance` is called after each (the progress bar). A
    letter that may not be written (a file kitgen did not write, or an edited one) is reported as a
    problem of its row and the other letters are still written."""
    paths: list[Path] = []
    label = plan.label
    for letter in plan.letters:
        try:
            paths += write_letter(project, letter, formats, folder, lang, docx_template, force)
            plan.written += 1
        except OutputError as exc:
            plan.problems.append(Problem(label, letter.line, 0, "", exc.message))
        folder.save_every(SAVE_SECONDS)
        advance()
    return paths


def summary(plan: Plan, paths: list[Path]) -> str:
    letters, rows = plan.written, plan.failed_rows
    return (f"{letters} letter{'s' if letters != 1 else ''} written ({len(paths)} files), "
            f"{rows} row{'s' if rows != 1 else ''} failed")
