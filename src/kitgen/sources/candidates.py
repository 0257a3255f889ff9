"""The candidates file of `kitgen offers`, a CSV file or an Excel workbook: read it as spreadsheets
really export it, row by row.

The file is UTF-8 (with or without BOM) or, when it is not valid UTF-8, Windows-1252 (Excel's plain
"CSV" on Windows); the delimiter is `,` or `;`, whichever the header line has more of (csv.Sniffer
guesses wrong on small files); any line ending. Header names are matched without regard to case,
accents, spaces, hyphens or other punctuation ("Start date" is `start_date`), in English or in French
("Date d'entrée" is `start_date` too: the French names are data, `data/columns.fr.txt`). An unknown
column is named once, with the closest known name; the known columns are listed once.

An Excel workbook (.xlsx, known by its content whatever its name) is read by
`kitgen.sources.workbook` into the same rows: the header in the sheet's row 1, the same columns, each
typed cell as the text the CSV would hold (a date cell is `2027-02-01`), so that the same data gives
the same letters and the same messages. A cell whose type does not fit its column (a number in a
date column, a formula never calculated) is a problem carried by its row.

A problem with the file itself (encoding, columns) is a DataError here. Each row keeps the physical
line it starts on (the header is line 1; in a workbook, the sheet's row), so that
`kitgen.commands.offers` can report a bad value as `candidates.csv:7: salary: 'not-a-number' is not
a number` and leave only that row out.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kitgen.errors import DataError, Problem, UsageError
from kitgen.i18n import tr, tr_n
from kitgen.sources import reading, workbook
from kitgen.sources.limits import LIMITS, raise_hint
from kitgen.sources.values import folded, quoted

REQUIRED = ("name", "role", "level", "location", "salary", "start_date")
OPTIONAL = ("email", "address", "contract", "end_date", "trial_period", "respond_by", "kind", "lang", "civility", "variable",
            "cdd_reason", "min_duration")
COLUMNS = REQUIRED + OPTIONAL
DATES = ("start_date", "end_date", "respond_by")
AMOUNTS = ("salary", "variable")  # a workbook's date cell there is refused, not read as text
UTF8_BOM = b"\xef\xbb\xbf"
FRENCH_NAMES = "columns.fr.txt"  # in kitgen/sources/data/
SUGGEST_CUTOFF = 0.8  # how close an unknown header must be to a known name to be suggested (difflib)


@dataclass(frozen=True)
class Row:
    """One candidate row: the line it starts on and its non-empty values by column."""

    line: int
    values: dict[str, str]
    extra: int = 0  # values found beyond the header's last column
    problems: tuple[tuple[str, str], ...] = ()  # (column, message): workbook cells that are no value
    # The header of each column named otherwise than its English name ({"salary": "Salaire"}): the
    # name messages give the column, as the file's reader knows it. Shared by a file's rows.
    headers: dict[str, str] = field(default_factory=dict, compare=False)

    def shown(self, column: str) -> str:
        """A column as the file's header names it ("Salaire"), else its English name."""
        return self.headers.get(column, column)


@lru_cache(maxsize=None)
def french_names() -> dict[str, tuple[str, ...]]:
    """{column: its French names}, as `data/columns.fr.txt` writes them, the usual one first."""
    text = resources.files("kitgen.sources").joinpath("data", FRENCH_NAMES).read_text(encoding="utf-8")
    names: dict[str, list[str]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            current = names.setdefault(line[1:-1].strip(), [])
        elif line and current is not None:
            current.append(line)
    return {column: tuple(spellings) for column, spellings in names.items()}


@lru_cache(maxsize=None)
def spellings() -> dict[str, tuple[str, str]]:
    """{header key: (column, the spelling to suggest)} for every name a header may give a column:
    its English name and its French ones."""
    found = {column_name(name): (name, name) for name in COLUMNS}
    for column, names in french_names().items():
        found.update((column_name(name), (column, name)) for name in names if column_name(name) not in found)
    return found


def header_language(rows: list[Row]) -> str | None:
    """ "fr" when the file names a required column in French (Nom, Salaire...), else None: the
    header says who typed the file (`kitgen.commands.offers` reads its dates day first)."""
    headers = rows[0].headers if rows else {}
    return "fr" if any(name in headers for name in REQUIRED) else None


def known_columns() -> str:
    """The one list of the columns, with their usual French name: given once under a bad header."""
    def both(name: str) -> str:
        french = french_names().get(name, ())
        return f"{name} ({french[0]})" if french and column_name(french[0]) != name else name

    return tr("known columns, in English or French: %(required)s; optional: %(optional)s",
              required=", ".join(both(name) for name in REQUIRED), optional=", ".join(both(name) for name in OPTIONAL))


def decode(data: bytes, label: str) -> str:
    """UTF-8 (BOM or not), else Windows-1252; UTF-16 and other encodings are refused, not garbled."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError([Problem(label, 0, 0, "", tr('the file is UTF-16 (Excel\'s "Unicode text"): save it as '
                                                     '"CSV UTF-8"'))])
    # A file that starts with the UTF-8 BOM says it is UTF-8: Windows-1252 would be a wrong guess.
    bom = data.startswith(UTF8_BOM)
    body = data[len(UTF8_BOM):] if bom else data
    for encoding in ("utf-8",) if bom else ("utf-8", "cp1252"):
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError as exc:
            error = exc
            continue
        if encoding == "cp1252":
            _check_one_encoding(body, label)
        return text
    byte = f"{body[error.start]:02x}"
    message = tr('invalid UTF-8 (byte 0x%(byte)s): save it as "CSV UTF-8"', byte=byte) if bom else \
        tr('neither UTF-8 nor Windows-1252 text (byte 0x%(byte)s): save it as "CSV UTF-8"', byte=byte)
    raise DataError([Problem(label, body.count(b"\n", 0, error.start) + 1, 0, "", message)])


def _check_one_encoding(body: bytes, label: str) -> None:
    """A file that is not UTF-8 as a whole but has UTF-8 lines was pasted together from two exports:
    reading it as Windows-1252 would turn "Élodie" into "Ã‰lodie". Refuse it at the line where the
    encoding changes."""
    last: tuple[int, bool] | None = None  # (line, is UTF-8) of the last line with non-ASCII bytes
    for number, line in enumerate(body.splitlines(), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 = True
        except UnicodeDecodeError:
            utf8 = False
        if last is not None and last[1] != utf8:
            first, second = (last[0], number) if last[1] else (number, last[0])
            raise DataError([Problem(label, number, 0, "", tr(
                'the file mixes encodings: line %(first)d is UTF-8, line %(second)d is not (Windows-1252?); save it '
                'again as "CSV UTF-8"', first=first, second=second))])
        last = (number, utf8)


def pick_delimiter(text: str) -> str:
    """`;` when the header line has more semicolons than commas (French Excel), else `,`."""
    header = text.splitlines()[0] if text else ""
    return ";" if header.count(";") > header.count(",") else ","


def column_name(cell: str) -> str:
    """The key a header is known by: " Start Date\ufeff" -> "start_date", "Date d'entrée" ->
    "date_d_entree", "Salaire (€)" -> "salaire" (case, accents, BOM, spaces and punctuation)."""
    return re.sub(r"[\W_]+", "_", folded(cell.replace("\ufeff", ""))).strip("_")


def read_rows(path: Path, label: str, sheet: str | None = None) -> list[Row]:
    """The file's candidate rows, from a CSV file or an Excel workbook (its first sheet, or `sheet`),
    whatever the file's name says; a DataError for a problem with the file or its header."""
    try:
        data = reading.read_bytes(path, label)
    except OSError as exc:
        raise DataError([Problem(label, 0, 0, "", tr("cannot read the file: %(reason)s", reason=exc.strerror))]) \
            from None
    if workbook.is_workbook(data):
        return _sheet_rows(data, label, sheet)
    workbook.refuse_other(data, path.name, label)
    if sheet is not None:
        raise UsageError(tr("%(file)s is a CSV file, which has no sheets (--sheet is for an Excel workbook, .xlsx)",
                            file=label), "'--sheet'")
    return _csv_rows(decode(data, label), label)


def _csv_rows(text: str, label: str) -> list[Row]:
    if not text.strip():
        raise DataError([Problem(label, 0, 0, "", tr("the file is empty (the first line is the header: "
                                                     "%(columns)s...)", columns=", ".join(REQUIRED)))])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=pick_delimiter(text))
    try:
        columns, headers = _columns(next(reader, []), label)
        rows, start = [], reader.line_num + 1
        for cells in reader:
            row = _row(start, columns, cells, headers)
            if row.values or row.extra:  # spreadsheets export blank rows as ";;;;"
                rows.append(row)
                if len(rows) > LIMITS["candidate_rows"]:
                    raise DataError([Problem(label, row.line, 0, "", tr(
                        "more than %(rows)s candidate rows: kitgen stops here (%(hint)s)",
                        rows=LIMITS["candidate_rows"], hint=raise_hint("candidate_rows")))])
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataError([Problem(label, reader.line_num, 0, "", tr("not readable as CSV: %(reason)s", reason=exc))]) \
            from None
    if not rows:
        raise DataError([Problem(label, 0, 0, "", tr("no candidate rows under the header"))])
    return rows


def _columns(cells: list[str], label: str) -> tuple[list[str], dict[str, str]]:
    """The column of each header cell, and the headers that name a column otherwise than its English
    name; a DataError naming each unknown, repeated or missing column, the known ones listed once."""
    keys = [column_name(cell) for cell in cells]
    while keys and not keys[-1]:  # a trailing delimiter makes an empty last column
        keys.pop()
    known = spellings()
    names = [known[key][0] if key in known else "" for key in keys]
    if keys and not any(names):
        raise DataError([_no_header(cells[:len(keys)], label)])
    problems = []
    for index, (key, name) in enumerate(zip(keys, names)):
        if not name:
            shown = cells[index].replace("\ufeff", "").strip() or f"column {index + 1}"
            close = _did_you_mean(key)
            problems.append(Problem(label, 1, 0, shown, tr("unknown column (did you mean %(name)s?)", name=close)
                                    if close else tr("unknown column")))
        elif name in names[:index]:
            problems.append(Problem(label, 1, 0, name, tr("the column appears twice")))
    for name in REQUIRED:
        if name not in names:
            french = french_names().get(name, ())
            problems.append(Problem(label, 1, 0, name, tr("required column is missing (in French: %(name)s)",
                                                          name=french[0]) if french
                                    else tr("required column is missing")))
    if problems:
        listed = [Problem(label, 1, 0, "", known_columns())] if not all(names) or not set(REQUIRED) <= set(names) else []
        raise DataError(problems + listed)
    headers = {name: cells[index].replace("\ufeff", "").strip() for index, (key, name) in enumerate(zip(keys, names))
               if key != name}
    return names, headers


def _did_you_mean(key: str) -> str:
    """The known spelling closest to an unknown header's key, quoted ("" when none is close)."""
    close = difflib.get_close_matches(key, list(spellings()), n=1, cutoff=SUGGEST_CUTOFF) if key else []
    return quoted(spellings()[close[0]][1]) if close else ""


def _no_header(cells: list[str], label: str) -> Problem:
    """A first line of which no cell names a column is a candidate row: the header is missing."""
    shown = ", ".join(quoted(cell.strip()) for cell in cells[:3] if cell.strip()) + (", ..." if len(cells) > 3 else "")
    french = ", ".join(french_names()[name][0] for name in REQUIRED)
    return Problem(label, 1, 0, "", tr("no cell of the first line names a column (%(cells)s): is the header row "
                                       "missing? The first line names the columns: %(columns)s... or, in French, "
                                       "%(french)s... (`kitgen offers --example` writes a file to start from)",
                                       cells=shown, columns=", ".join(REQUIRED), french=french))


def _row(line: int, columns: list[str], cells: list[str], headers: dict[str, str]) -> Row:
    values = {name: cell.strip() for name, cell in zip(columns, cells) if cell.strip()}
    extra = sum(1 for cell in cells[len(columns):] if cell.strip())
    return Row(line, values, extra, headers=headers)


def _sheet_rows(data: bytes, label: str, sheet: str | None) -> list[Row]:
    """A workbook's rows, as the CSV reader gives them: row 1 is the header, blank rows are skipped,
    each row is numbered as in the sheet."""
    with workbook.open_rows(data, label, sheet) as cells_by_row:
        first = next(cells_by_row, None)
        if first is None:
            raise DataError([Problem(label, 0, 0, "", tr("the sheet is empty (its first row is the header: "
                                                         "%(columns)s...)", columns=", ".join(REQUIRED)))])
        columns, headers = _columns(["" if cell.value is None else str(cell.value) for cell in first[1]], label)
        rows = [_sheet_row(number, columns, cells, headers) for number, cells in cells_by_row
                if not all(cell.empty for cell in cells)]
    if not rows:
        raise DataError([Problem(label, 0, 0, "", tr("no candidate rows under the header"))])
    return rows


def _sheet_row(number: int, columns: list[str], cells: list[workbook.Cell], headers: dict[str, str]) -> Row:
    """One row of a workbook: each cell as text, or the problem of a cell whose type does not fit."""
    values, problems = {}, []
    for name, cell in zip(columns, cells):
        expect = workbook.DATE if name in DATES else workbook.AMOUNT if name in AMOUNTS else workbook.TEXT
        try:
            text = workbook.cell_text(cell, expect).strip()
        except ValueError as exc:
            problems.append((name, str(exc)))
            continue
        if text:
            values[name] = text
    beyond = [cell.coordinate for cell in cells[len(columns):] if not cell.empty]
    if beyond:
        shown = ", ".join(beyond[:3]) + (", ..." if len(beyond) > 3 else "")
        problems.append(("", tr_n("%(count)d value(s) beyond the header's last column, in %(cells)s",
                                  "%(count)d value(s) beyond the header's last column, in %(cells)s", len(beyond),
                                  cells=shown)))
    return Row(number, values, 0, tuple(problems), headers)
