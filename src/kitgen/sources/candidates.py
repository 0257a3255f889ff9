"""The candidates CSV of `kitgen offers`: read it as spreadsheets really export it, row by row.

The file is UTF-8 (with or without BOM) or, when it is not valid UTF-8, Windows-1252 (Excel's plain
"CSV" on Windows); the delimiter is `,` or `;`, whichever the header line has more of (csv.Sniffer
guesses wrong on small files); any line ending. Header names are matched without regard to case,
surrounding spaces, or spaces and hyphens inside ("Start date" is `start_date`).

A problem with the file itself (encoding, columns) is a DataError here. Each row keeps the physical
line it starts on (the header is line 1), so that `kitgen.commands.offers` can report a bad value as
`candidates.csv:7: salary: 'not-a-number' is not a number` and leave only that row out.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from kitgen.errors import DataError, Problem
from kitgen.sources import reading
from kitgen.sources.limits import LIMITS, raise_hint

REQUIRED = ("name", "role", "level", "location", "salary", "start_date")
OPTIONAL = ("email", "address", "contract", "end_date", "trial_period", "respond_by", "kind", "lang", "civility", "variable",
            "cdd_reason", "min_duration")
COLUMNS = REQUIRED + OPTIONAL
DATES = ("start_date", "end_date", "respond_by")
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Row:
    """One candidate row: the line it starts on and its non-empty values by column."""

    line: int
    values: dict[str, str]
    extra: int = 0  # values found beyond the header's last column


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
            text = body.decode(encoding)
        except UnicodeDecodeError as exc:
            error = exc
            continue
        if encoding == "cp1252":
            _check_one_encoding(body, label)
        return text
    what = "invalid UTF-8" if bom else "neither UTF-8 nor Windows-1252 text"
    raise DataError([Problem(label, body.count(b"\n", 0, error.start) + 1, 0, "",
                             f'{what} (byte 0x{body[error.start]:02x}): save it as "CSV UTF-8"')])


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
            raise DataError([Problem(label, number, 0, "", f"the file mixes encodings: line {first} is UTF-8, "
                                     f"line {second} is not (Windows-1252?); save it again as \"CSV UTF-8\"")])
        last = (number, utf8)


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
        text = decode(reading.read_bytes(path, label), label)
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
                if len(rows) > LIMITS["candidate_rows"]:
                    raise DataError([Problem(label, row.line, 0, "", f"more than {LIMITS['candidate_rows']} candidate "
                                             f"rows: kitgen stops here ({raise_hint('candidate_rows')})")])
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
