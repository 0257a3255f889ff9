"""The candidates CSV of `kitgen offers`: read it as spreadsheets really export it, check every row.

The file is UTF-8 (with or without BOM) or, when it is not valid UTF-8, Windows-1252 (Excel's plain
"CSV" on Windows); the delimiter is `,` or `;`, whichever the header line has more of (csv.Sniffer
guesses wrong on small files); any line ending. Header names are matched without regard to case,
surrounding spaces, or spaces and hyphens inside ("Start date" is `start_date`).

A problem with the file itself (encoding, columns) stops everything. A problem in a row is reported
as `candidates.csv:7: salary: 'not-a-number' is not a number`, where 7 is the physical line the row
starts on (the header is line 1), and only that row is left out. Every row is checked (`plan_offers`)
before any letter is written (`write_letter`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import click

from kitgen.context import OfferOptions
from kitgen.documents import render_offer, slugify
from kitgen.errors import DataError, OfferError, Problem
from kitgen.loading import display_path
from kitgen.model import CONTROL_RE, SLUG_RE, Role
from kitgen.offers import OfferRequest, prepare_offer, require_company
from kitgen.project import Project

REQUIRED = ("name", "role", "level", "location", "salary", "start_date")
OPTIONAL = ("email", "address", "contract", "end_date", "trial_period", "respond_by", "kind")
COLUMNS = REQUIRED + OPTIONAL
DATES = ("start_date", "end_date", "respond_by")

# A whole number, with a space of any kind between groups of three digits ("85 000"), then at most
# two decimals after a point or a comma ("85000.50", "85000,50": French spreadsheets write a comma).
AMOUNT_RE = re.compile(r"(?:\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+|\d+)(?:[.,]\d{1,2})?")
# "85,000" and "85.000" mean 85 thousand in one country and 85 in another: refuse to guess.
AMBIGUOUS_RE = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Row:
    """One candidate row: the line it starts on and its non-empty values by column."""

    line: int
    values: dict[str, str]
    extra: int = 0  # values found beyond the header's last column


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

    @property
    def failed_rows(self) -> int:
        return len({problem.line for problem in self.problems})


# -- values --------------------------------------------------------------------------------------

def parse_amount(text: str) -> float:
    """ "85000", "85 000", "85000.50", "85000,50" -> a number; ValueError saying why otherwise."""
    value = text.strip()
    if AMOUNT_RE.fullmatch(value):
        return float(re.sub(r"[ \u00a0\u202f\u2009]", "", value).replace(",", "."))
    if AMBIGUOUS_RE.fullmatch(value):
        raise ValueError(f"{value!r} is ambiguous: write thousands with a space (85 000) or none (85000)")
    raise ValueError(f"{value!r} is not a number")


def parse_iso_date(text: str) -> dt.date:
    """A YYYY-MM-DD date; ValueError saying why otherwise (01/02/2027 is not guessed at)."""
    value = text.strip()
    if not DATE_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid date ({exc})") from None


# -- the file ------------------------------------------------------------------------------------

def decode(data: bytes, label: str) -> str:
    """UTF-8 (BOM or not), else Windows-1252; UTF-16 and other encodings are refused, not garbled."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError([Problem(label, 0, 0, "", 'the file is UTF-16 (Excel\'s "Unicode text"): '
                                 'save it as "CSV UTF-8"')])
    # A file that starts with the UTF-8 BOM says it is UTF-8: Windows-1252 would be a wrong guess.
    bom = data.startswith(UTF8_BOM)
    body = data[len(UTF8_BOM):] if bom else data
    for encoding in ("utf-8",) if bom else ("utf-8", "cp1252"):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError as exc:
            error = exc
    what = "invalid UTF-8" if bom else "neither UTF-8 nor Windows-1252 text"
    raise DataError([Problem(label, body.count(b"\n", 0, error.start) + 1, 0, "",
                             f'{what} (byte 0x{body[error.start]:02x}): save it as "CSV UTF-8"')])


def pick_delimiter(text: str) -> str:
    """`;` when the header line has more semicolons than commas (French Excel), else `,`."""
    header = text.splitlines()[0] if text else ""
    return ";" if header.count(";") > header.count(",") else ","


def column_name(cell: str) -> str:
    """ " Start Date\ufeff" -> "start_date" (case, outer spaces, BOM, inner spaces and hyphens)."""
    return re.sub(r"[\s-]+", "_", cell.replace("\ufeff", "").strip().casefold())


def read_rows(path: Path, label: str) -> list[Row]:
    """The file's candidate rows; a DataError for a problem with the file or its header."""
    try:
        text = decode(path.read_bytes(), label)
    except OSError as exc:
        raise DataError([Problem(label, 0, 0, "", f"cannot read the file: {exc.strerror}")]) from None
    if not text.strip():
        raise DataError([Problem(label, 0, 0, "", f"the file is empty (the first line is the header: "
                                 f"{', '.join(REQUIRED)}...)")])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=pick_delimiter(text))
    try:
        columns = _columns(next(reader, []), label)
        rows, start = [], reader.line_num + 1
        for cells in reader:
            row = _row(start, columns, cells)
            if row.values or row.extra:  # spreadsheets export blank rows as ";;;;"
                rows.append(row)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataError([Problem(label, reader.line_num, 0, "", f"not readable as CSV: {exc}")]) from None
    if not rows:
        raise DataError([Problem(label, 0, 0, "", "no candidate rows under the header")])
    return rows


def _columns(cells: list[str], label: str) -> list[str]:
    names = [column_name(cell) for cell in cells]
    while names and not names[-1]:  # a trailing delimiter makes an empty last column
        names.pop()
    problems = []
    for index, name in enumerate(names):
        if name not in COLUMNS:
            shown = name or f"column {index + 1}"
            problems.append(Problem(label, 1, 0, shown, f"unknown column (known columns: {', '.join(COLUMNS)})"))
        elif name in names[:index]:
            problems.append(Problem(label, 1, 0, name, "the column appears twice"))
    problems += [Problem(label, 1, 0, name, f"required column is missing (required: {', '.join(REQUIRED)})")
                 for name in REQUIRED if name not in names]
    if problems:
        raise DataError(problems)
    return names


def _row(line: int, columns: list[str], cells: list[str]) -> Row:
    values = {name: cell.strip() for name, cell in zip(columns, cells) if cell.strip()}
    extra = sum(1 for cell in cells[len(columns):] if cell.strip())
    return Row(line, values, extra)


# -- the rows ------------------------------------------------------------------------------------

def row_request(row: Row, label: str) -> tuple[OfferRequest | None, list[Problem]]:
    """The offer request of one row, or the problems of its values (every one of them)."""
    problems = [Problem(label, row.line, 0, name, "contains a control character")
                for name, value in row.values.items() if CONTROL_RE.search(value)]
    problems += [Problem(label, row.line, 0, name, "missing value") for name in REQUIRED if name not in row.values]
    if row.extra:
        problems.append(Problem(label, row.line, 0, "", f"{row.extra} value(s) beyond the last column "
                                "(a delimiter inside a value that is not quoted?)"))
    parsed: dict[str, object] = {}
    for name, parse in [("salary", parse_amount)] + [(name, parse_iso_date) for name in DATES]:
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
                allow_past_date: bool = False) -> Plan:
    """Read and check every row; nothing is rendered or written here."""
    company = require_company(project)
    label = display_path(path)
    plan = Plan()
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
        plan.letters.append(Letter(row.line, role, options, unique_stem(role.id, options.candidate, stems)))
    return plan


def _role(project: Project, ref: str, cache: dict[str, Role | None]) -> Role:
    """A role by id (not by path: a CSV from elsewhere must not name files); looked up once per run."""
    if ref not in cache:
        try:
            cache[ref] = project.find_role(ref)[1] if SLUG_RE.fullmatch(ref) else None
        except click.BadParameter:
            cache[ref] = None
    role = cache[ref]
    if role is None:
        known = ", ".join(p.name.split(".")[0] for p in project.role_files()) or "none"
        raise OfferError(f"unknown role {ref!r} (roles: {known})", "role")
    return role


def unique_stem(role_id: str, name: str, used: set[str]) -> str:
    """`<role>/offer-<slug>`, with -2, -3... when two candidates of a run share a slug."""
    base = f"{role_id}/offer-{slugify(name)}"
    stem, number = base, 1
    while stem in used:
        number += 1
        stem = f"{base}-{number}"
    used.add(stem)
    return stem


def write_letter(project: Project, letter: Letter, formats: list[str], out_dir: Path,
                 lang: str | None = None, docx_template: Path | None = None) -> list[Path]:
    """Render one checked letter in every format and write its files (the DOCX from the company's
    Word letterhead when one is given)."""
    from kitgen.produce import produce

    doc = render_offer(letter.role, project.company, letter.options, project.templates_dir, lang, project.root,
                       stem=letter.stem)
    doc.docx_template = docx_template
    return produce(doc, formats, out_dir)
