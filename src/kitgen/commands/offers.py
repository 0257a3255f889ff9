"""`kitgen offers`: one offer letter per row of a candidates file, every row checked before any is written.

The file (CSV, or an Excel workbook) is read by `kitgen.sources.candidates`; each row's values are
parsed by `kitgen.sources.values` and checked by the offer rules (`kitgen.documents.offer`). A problem
in a row (a workbook cell of the wrong type among them) is reported as `candidates.csv:7: salary:
'not-a-number' is not a number` (the column named as the file's header names it: `Salaire`) and only
that row is left out. Every row is checked (`plan_offers`) before any letter is written (`write_offers`).

The file's day/month/year dates are read in one order for the whole file (`date_order`): day first
when the file is French (its header, else --lang, else the project's `lang`, else every role it
names); otherwise only YYYY-MM-DD, a 01/03/2027 being refused with the hint `--date-order`.
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
from kitgen.i18n import tr, tr_n
from kitgen.sources import placeholders
from kitgen.sources.candidates import DATES, REQUIRED, Row, header_language, read_rows
from kitgen.sources.languages import LANGUAGES
from kitgen.sources.loading import display_path
from kitgen.sources.model import CONTROL_RE, SLUG_RE, Role
from kitgen.sources.project import Project
from kitgen.sources.values import currency_fits, lost_letter, parse_date, quoted, read_money

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
        return len({problem.line for problem in self.problems if problem.file == self.label})


def row_request(row: Row, label: str, order: str | None = None,
                currency: str | None = None) -> tuple[OfferRequest | None, list[Problem]]:
    """The offer request of one row, or the problems of its values (every one of them). Dates are
    read in the file's `order` (`kitgen.sources.values.parse_date`); an amount written with a
    currency sign must be in the role's `currency` (None: not known, not checked)."""
    def problem(name: str, message: str) -> Problem:
        return Problem(label, row.line, 0, row.shown(name) if name else "", message)

    problems = [problem(name, message) for name, message in row.problems]
    problems += [problem(name, tr("contains a control character"))
                 for name, value in row.values.items() if CONTROL_RE.search(value)]
    problems += [problem(name, tr("missing value")) for name in REQUIRED
                 if name not in row.values and name not in dict(row.problems)]
    if row.extra:
        problems.append(problem("", tr("%(count)d value(s) beyond the last column "
                                       "(a delimiter inside a value that is not quoted?)", count=row.extra)))
    parsed: dict[str, object] = {}
    text = {name: row.values.get(name) for name in ("contract", "trial_period", "kind", "address", "email", "civility", "variable",
                                         "cdd_reason", "min_duration")}
    for name in ("salary", "variable", *DATES):
        value = row.values.get(name)
        if value is None or (name == "variable" and value.endswith("%")):  # a share: read by the offer rules
            continue
        try:
            if name in DATES:
                parsed[name] = parse_date(value, order)
            elif name == "salary":
                parsed[name] = _amount(value, currency)
            else:  # the offer rules read the variable pay again: give them the plain amount
                text[name] = f"{_amount(value, currency)}"
        except ValueError as exc:
            problems.append(problem(name, str(exc)))
    lang = (row.values.get("lang") or "").strip().lower() or None
    if lang and lang not in LANGUAGES:
        problems.append(problem("lang", tr("unknown language %(key)r (kitgen speaks: %(languages)s)",
                                           key=lang, languages=", ".join(LANGUAGES))))
    email = row.values.get("email")
    if email and "@" not in email:
        problems.append(problem("email", tr("%(email)r is not an email address", email=email)))
    if problems:
        return None, problems
    text["lang"] = lang
    return OfferRequest(candidate=row.values["name"], level=row.values["level"], location=row.values["location"],
                        **parsed, **text), []


def _amount(text: str, currency: str | None) -> float:
    """An amount cell: as `read_money` reads it, its currency sign (if any) that of the role."""
    amount, sign = read_money(text)
    if sign and currency and not currency_fits(sign, currency):
        raise ValueError(tr("%(amount)s is in %(sign)s, but the role pays in %(currency)s: write the amount in "
                            "%(currency)s (without a sign)", amount=quoted(text), sign=sign, currency=currency))
    return amount


def row_warnings(row: Row, label: str) -> list[Problem]:
    """A cell where a letter was lost to a code page ("Fran?ois", "Zo\ufffd"): a warning naming it; the
    letter is still written, as the cell has it."""
    found = []
    for name, value in row.values.items():
        how = lost_letter(value, name=name == "name")
        if how:
            found.append(Problem(label, row.line, 0, "warning", tr(
                '%(column)s: %(value)s %(how)s (a letter lost when the file went through an encoding without it?): '
                'correct the cell, or save the file as "CSV UTF-8"; the letter is written as the cell has it',
                column=row.shown(name), value=quoted(value), how=how)))
    return found


def date_order(project: Project, rows: list[Row], lang: str | None,
               roles: dict[str, tuple[Path, Role] | None]) -> str | None:
    """How the file's day/month/year dates are read when --date-order is not given: "dmy" (day first)
    when the file is French, else None (YYYY-MM-DD only: English is written day first in Britain and
    month first in the United States, and kitgen does not guess which). The file is French when its
    header is; else when --lang, else the project's `lang`, says so; else when every role it names is."""
    language = header_language(rows) or lang or project.settings.get("lang")
    if language is None:
        found = [_role_or_none(project, row.values.get("role", ""), roles) for row in rows]
        languages = {known[1].primary for known in found if known}
        language = languages.pop() if len(languages) == 1 else None
    return "dmy" if language == "fr" else None


def _role_or_none(project: Project, ref: str, cache: dict[str, tuple[Path, Role] | None]):
    try:
        return _role(project, ref, cache)
    except OfferError:
        return None


def plan_offers(project: Project, path: Path, today: dt.date, folder: OutputFolder, allow_outside_band: bool = False,
                allow_past_date: bool = False, lang: str | None = None, sheet: str | None = None,
                order: str | None = None, allow_draft: bool = False) -> Plan:
    """Read and check every row (of a CSV file, or of a workbook's first sheet or `sheet`); nothing
    is rendered or written here. A letter whose file name holds another person's letter, in this run
    or in the output `folder`, gets a name of its own. Each letter is in its row's `lang`, else in
    `lang` (--lang), else in its role's primary language. Dates are read in `order` (--date-order:
    dmy, mdy or iso), else in the order `date_order` gives the file. A role whose texts are still
    placeholders has no letter (its rows fail, its places are listed once) unless `allow_draft`."""
    company = require_company(project)
    label = display_path(path)
    plan = Plan(label=label)
    roles: dict[str, tuple[Path, Role] | None] = {}
    stems: set[str] = set()
    drafts: dict[str, bool] = {}  # role id -> still a draft (checked once per run)
    rows = read_rows(path, label, sheet)
    order = order or date_order(project, rows, lang, roles)
    for row in rows:
        plan.warnings += row_warnings(row, label)
        known = _role_or_none(project, row.values.get("role", ""), roles)
        currency = known[1].salary.currency if known and known[1].salary else None
        request, problems = row_request(row, label, order, currency)
        if problems:
            plan.problems += problems
            continue
        try:
            path, role = _role(project, row.values["role"], roles)
            if _draft(role, allow_draft, drafts, plan):
                plan.problems.append(Problem(label, row.line, 0, row.shown("role"), tr(
                    "role %(role)r still has placeholder texts (listed above): write them, or give "
                    "--allow-draft", role=role.id)))
                continue
            request = dataclasses.replace(request, lang=request.lang or lang or role.primary)
            options = prepare_offer(role, company, request, today, allow_outside_band, allow_past_date,
                                    project.templates_dir)
        except OfferError as exc:
            plan.problems.append(Problem(label, row.line, 0, row.shown(exc.field) if exc.field else "", exc.message))
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


def _draft(role: Role, allow_draft: bool, drafts: dict[str, bool], plan: Plan) -> bool:
    """Whether `role` is still a draft that must not be published; its places are added to the
    plan once (as problems, or as warnings with --allow-draft)."""
    if role.id not in drafts:
        places = placeholders.found(role)
        drafts[role.id] = bool(places) and not allow_draft
        if drafts[role.id]:
            plan.problems += places
        else:
            plan.warnings += [Problem(place.file, place.line, place.column, "warning",
                                      f"{place.path}: {place.message}" if place.path else place.message)
                              for place in places]
    return drafts[role.id]


def _role(project: Project, ref: str, cache: dict[str, tuple[Path, Role] | None]) -> tuple[Path, Role]:
    """A role by id (not by path: a CSV from elsewhere must not name files); looked up once per run."""
    if ref not in cache:
        try:
            cache[ref] = project.find_role(ref, paths=False) if SLUG_RE.fullmatch(ref) else None
        except RoleNotFound:
            cache[ref] = None
    role = cache[ref]
    if role is None:
        ids = project.role_ids()
        if not ids:
            raise OfferError(tr("unknown role %(ref)r (roles: none)", ref=ref), "role")
        raise OfferError(tr("unknown role %(ref)r (roles: %(roles)s)", ref=ref, roles=", ".join(ids)), "role")
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
    letters = tr_n("%(count)d letter written (%(files)d files)", "%(count)d letters written (%(files)d files)",
                   plan.written, files=len(paths))
    rows = tr_n("%(count)d row failed", "%(count)d rows failed", plan.failed_rows)
    return f"{letters}, {rows}"
