"""`kitgen offers`: one offer letter per row of a candidates file, every row checked before any is written.

The file (CSV, or an Excel workbook) is read by `kitgen.sources.candidates`; each row's values are
parsed by `kitgen.sources.values` and checked by the offer rules (`kitgen.documents.offer`). A problem
in a row (a workbook cell of the wrong type among them) is reported as `candidates.csv:7: salary:
'not-a-number' is not a number` and only that row is left out. Every row is checked (`plan_offers`)
before any letter is written (`write_offers`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from kitgen.commands.inputs import Inputs, recorder
from kitgen.commands.pool import Job, run_jobs
from kitgen.documents.context import OfferOptions
from kitgen.documents.offer import OfferRequest, prepare_offer, require_company
from kitgen.documents.rendered import OFFER, language_tag, offer_stem
from kitgen.errors import DataError, OfferError, OutputError, Problem, RoleNotFound
from kitgen.outputs.folder import OutputFolder
from kitgen.sources.candidates import DATES, REQUIRED, Row, read_rows
from kitgen.sources.languages import LANGUAGES
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
    path: Path  # the role file
    lang: str = ""  # the letter's language


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
    problems = [Problem(label, row.line, 0, name, message) for name, message in row.problems]
    problems += [Problem(label, row.line, 0, name, "contains a control character")
                 for name, value in row.values.items() if CONTROL_RE.search(value)]
    problems += [Problem(label, row.line, 0, name, "missing value") for name in REQUIRED
                 if name not in row.values and name not in dict(row.problems)]
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
    lang = (row.values.get("lang") or "").strip().lower() or None
    if lang and lang not in LANGUAGES:
        problems.append(Problem(label, row.line, 0, "lang", f"unknown language {lang!r} "
                                f"(kitgen speaks: {', '.join(LANGUAGES)})"))
    email = row.values.get("email")
    if email and "@" not in email:
        problems.append(Problem(label, row.line, 0, "email", f"{email!r} is not an email address"))
    if problems:
        return None, problems
    text = {name: row.values.get(name) for name in ("contract", "trial_period", "kind", "address", "email", "civility", "variable",
                                         "cdd_reason", "min_duration")}
    text["lang"] = lang
    return OfferRequest(candidate=row.values["name"], level=row.values["level"], location=row.values["location"],
                        **parsed, **text), []


def plan_offers(project: Project, path: Path, today: dt.date, folder: OutputFolder, allow_outside_band: bool = False,
                allow_past_date: bool = False, lang: str | None = None, sheet: str | None = None) -> Plan:
    """Read and check every row (of a CSV file, or of a workbook's first sheet or `sheet`); nothing
    is rendered or written here. A letter whose file name holds another person's letter, in this run
    or in the output `folder`, gets a name of its own. Each letter is in its row's `lang`, else in
    `lang` (--lang), else in its role's primary language."""
    company = require_company(project)
    label = display_path(path)
    plan = Plan(label=label)
    roles: dict[str, tuple[Path, Role] | None] = {}
    stems: set[str] = set()
    for row in read_rows(path, label, sheet):
        request, problems = row_request(row, label)
        if problems:
            plan.problems += problems
            continue
        try:
            path, role = _role(project, row.values["role"], roles)
            request = dataclasses.replace(request, lang=request.lang or lang or role.primary)
            options = prepare_offer(role, company, request, today, allow_outside_band, allow_past_date,
                                    project.templates_dir)
        except OfferError as exc:
            plan.problems.append(Problem(label, row.line, 0, exc.field or "", exc.message))
            continue
        except DataError as exc:  # the company file lacks a text in this letter's language
            plan.problems += [Problem(label, row.line, 0, "lang", f"{request.lang}: {problem}")
                              for problem in exc.problems]
            continue
        plan.warnings += [Problem(label, row.line, 0, "warning", w) for w in options.warnings]
        stem = folder.claim(offer_stem(role.id, options.candidate), options.candidate, stems,
                            language_tag(request.lang, role.primary))
        plan.letters.append(Letter(row.line, role, options, stem, path, request.lang))
    return plan


def _role(project: Project, ref: str, cache: dict[str, tuple[Path, Role] | None]) -> tuple[Path, Role]:
    """A role by id (not by path: a CSV from elsewhere must not name files); looked up once per run."""
    if ref not in cache:
        try:
            cache[ref] = project.find_role(ref, paths=False) if SLUG_RE.fullmatch(ref) else None
        except RoleNotFound:
            cache[ref] = None
    role = cache[ref]
    if role is None:
        raise OfferError(f"unknown role {ref!r} (roles: {', '.join(project.role_ids()) or 'none'})", "role")
    return role


def write_offers(project: Project, plan: Plan, formats: list[str], folder: OutputFolder,
                 docx_template: Path | None = None, advance: Callable[[], None] = lambda: None,
                 force: bool = False, jobs: int | None = None) -> list[Path]:
    """Render every letter of a checked plan in the process pool of `kitgen build` (`jobs` workers,
    default: the number of CPUs) and write each as it comes back; `advance` is called after each
    (the progress bar). A letter that fails to render or may not be written (a file kitgen did not
    write, an edited one) is reported as a problem of its row; the other letters are still written."""
    by_stem = {letter.stem: letter for letter in plan.letters}
    work = [Job(letter.role.id, OFFER, None, letter.stem, tuple(formats), letter.options, letter.lang, docx_template)
            for letter in plan.letters]
    roles = {letter.role.id: letter.role for letter in plan.letters}
    state = {"roles": roles, "company": project.company, "templates": project.templates_dir, "root": project.root}
    workers = max(1, min(jobs or os.cpu_count() or 1, len(work)))
    written: dict[str, list[Path]] = {}
    inputs = Inputs(project, project.company)
    with contextlib.closing(run_jobs(work, workers, state)) as results:
        for job, result in results:
            letter = by_stem[job.stem]
            record = recorder(inputs, letter.path, OFFER, letter.lang, letter.options, None, docx_template)
            problem = result.error or _write(folder, letter, result.files, written, force, record)
            if problem:
                plan.problems.append(Problem(plan.label, letter.line, 0, "", problem))
            else:
                plan.written += 1
            folder.save_every(SAVE_SECONDS)
            advance()
    return [path for letter in plan.letters for path in written.get(letter.stem, [])]  # in the file's order


def _write(folder: OutputFolder, letter: Letter, files: dict[str, bytes], written: dict[str, list[Path]],
           force: bool, record) -> str | None:
    """Write one letter's files (whole or not at all); the message when that is refused."""
    entry = {"role": letter.role.id, "for": letter.options.candidate}
    try:
        written[letter.stem] = folder.write_document(files, lambda rel: dict(entry, **record(rel.rsplit(".", 1)[1])),
                                                     force)
    except OutputError as exc:
        return exc.message
    return None


def summary(plan: Plan, paths: list[Path]) -> str:
    letters, rows = plan.written, plan.failed_rows
    return (f"{letters} letter{'s' if letters != 1 else ''} written ({len(paths)} files), "
            f"{rows} row{'s' if rows != 1 else ''} failed")
