"""An Excel workbook (.xlsx) read as rows of typed cells, and each cell as the text a CSV would hold.

The one module that opens a workbook (openpyxl, read-only). A workbook is known by its content, not
its name: a ZIP archive that openpyxl can open. An old binary workbook (.xls, an OLE2 file) is
refused with what to do instead. The workbook is read from bytes the caller has already read; before
openpyxl unpacks anything, the archive's unpacked size is checked, and as the sheet is read its rows
and columns are counted, so that a "zip bomb" or a sheet running to row 1 048 576 stops at a limit
instead of filling the memory.

Each cell keeps its Excel type (text, number, date, true/false, error; a formula gives its saved
value). `cell_text` turns one into the text the CSV reader would have read (`2027-02-01` for a date
cell, `58000` for the number 58000 or 58000.0, `10%` for 0.1 shown as a percentage) or a ValueError
naming the cell when its type does not fit the column (a date in an amount column, a number in a date
column, a formula that was never calculated). Callers add the place (file, row, column).

`write_workbook` writes the other way, for `kitgen offers --example`: a sheet of typed cells (real
dates, numbers) under a header row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from kitgen.errors import DataError, Problem
from kitgen.i18n import tr
from kitgen.sources.limits import LIMITS, raise_hint

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003), an encrypted .xlsx, old Office files
SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
MAX_COLUMNS = 256  # column IV, the old .xls limit: a candidates sheet has 18; guards the row width
FORMULA_TAG = re.compile(rb"<(?:[\w.-]+:)?f[\s/>]")  # a formula element, with or without a namespace prefix
UNPACKED_MB_PER_1000_ROWS = 4  # allowed unpacked size: a real row of candidates takes well under 1 KB
DATE, AMOUNT, TEXT = "date", "amount", "text"  # what a column expects of its cells
# What reading a damaged archive or a part openpyxl does not understand raises (SyntaxError: an XML
# part that does not parse): said as "not readable as an Excel workbook", not as a crash.
BROKEN = (zipfile.BadZipFile, zlib.error, KeyError, IndexError, ValueError, TypeError, AttributeError, SyntaxError,
          EOFError, OSError)


@dataclass(frozen=True)
class Cell:
    """One cell as Excel typed it. `kind`: empty, text, number, date, bool, error, or formula (a
    formula with no saved value); `value` the Python value (str, int, float, bool, datetime...)."""

    coordinate: str
    kind: str
    value: object = None
    number_format: str = "General"

    @property
    def empty(self) -> bool:
        return self.kind == "empty" or (self.kind == "text" and not str(self.value).strip())


def is_workbook(data: bytes) -> bool:
    """Whether the bytes start as a ZIP archive does (every .xlsx is one); `open_rows` then tells
    whether openpyxl can read it."""
    return data.startswith(ZIP_MAGIC)


def refuse_other(data: bytes, name: str, label: str) -> None:
    """A DataError for a file that is no workbook but is not text either: an old .xls, or a file
    named .xlsx that is not a ZIP archive (a CSV file renamed, a truncated download)."""
    if data.startswith(OLE2_MAGIC):
        # Excel also wraps a workbook protected by a password in this old container.
        raise DataError([Problem(label, 0, 0, "", tr("this is an old Excel workbook (.xls), or one protected by a "
                                                     "password, which kitgen does not read: save it as .xlsx or CSV "
                                                     "UTF-8 (without a password)"))])
    if name.lower().endswith(SUFFIXES):
        raise DataError([Problem(label, 0, 0, "", tr("not an Excel workbook (.xlsx): the file does not start as one "
                                                     "does (a damaged copy? a CSV file renamed? then name it .csv)"))])


@contextlib.contextmanager
def open_rows(data: bytes, label: str, sheet: str | None = None) -> Iterator[Iterator[tuple[int, list[Cell]]]]:
    """The rows of a sheet (the first one, or the one named `sheet`) as (row number, cells), from row 1
    on, blank rows included (as empty lists). The workbook is closed when the block ends."""
    _check_unpacked_size(data, label)
    readings = (True, False) if _has_formulas(data, label) else (True,)
    books: list = []
    # openpyxl warns about the parts it ignores (data validation...) and about a date cell outside
    # Excel's dates (which it reads as #VALUE!, reported as such): nothing for the user to see.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            for data_only in readings:
                books.append(_load(data, label, data_only))
            values, *formulas = (_sheet(book, label, sheet) for book in books)
            yield _rows(values, formulas[0] if formulas else None, label)
        finally:
            for book in books:
                book.close()


def _load(data: bytes, label: str, data_only: bool):
    """The workbook read-only; with `data_only`, formulas give their saved value (None when there is
    none), without it their text: two readings, since only the second can tell an empty cell from a
    formula that was never calculated."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except (InvalidFileException, *BROKEN) as exc:
        raise _unreadable(label, exc) from None


def _unreadable(label: str, exc: Exception) -> DataError:
    """A ZIP archive openpyxl cannot read: a damaged workbook, or another kind of archive (.ods)."""
    reason = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc) or type(exc).__name__
    return DataError([Problem(label, 0, 0, "", tr("not readable as an Excel workbook (.xlsx): %(reason)s; save it "
                                                  "again as .xlsx or CSV UTF-8", reason=reason))])


def _sheet(book, label: str, name: str | None):
    if not book.worksheets:
        raise DataError([Problem(label, 0, 0, "", tr("the workbook has no sheet of cells"))])
    if name is None:
        return book.worksheets[0]
    titles = [sheet.title for sheet in book.worksheets]
    found = [t for t in titles if t == name] or [t for t in titles if t.casefold() == name.strip().casefold()]
    if not found:
        raise DataError([Problem(label, 0, 0, "", tr("no sheet %(name)r in the workbook (sheets: %(sheets)s)",
                                                     name=name, sheets=", ".join(repr(t) for t in titles)))])
    return book[found[0]]


def _check_unpacked_size(data: bytes, label: str) -> None:
    """Refuse an archive that unpacks to more than a sheet of `candidate_rows` rows can need, before
    openpyxl unpacks it (it reads the shared strings whole). zipfile never gives more bytes than a
    member declares, so the declared sizes are a bound."""
    limit = max(LIMITS["candidate_rows"], 1000) * UNPACKED_MB_PER_1000_ROWS * 1024 * 1024 // 1000
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except BROKEN as exc:
        raise _unreadable(label, exc) from None
    if total > limit:
        raise DataError([Problem(label, 0, 0, "", tr(
            "the workbook unpacks to %(size)s MB, more than the %(limit)s MB allowed for %(rows)s candidate rows "
            "(%(hint)s)", size=format(total / 1024 / 1024, ",.0f"), limit=format(limit / 1024 / 1024, ",.0f"),
            rows=LIMITS["candidate_rows"], hint=raise_hint("candidate_rows")))])


def _has_formulas(data: bytes, label: str) -> bool:
    """Whether any XML part of the archive has a formula element (`<f>`, `<x:f ...>`); without one,
    a single reading of the sheet is enough (openpyxl's parsing is most of the time taken). Parts
    other than sheets (charts) may answer yes: that only costs the second reading."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(FORMULA_TAG.search(archive.read(info)) for info in archive.infolist()
                       if info.filename.endswith(".xml"))
    except BROKEN as exc:
        raise _unreadable(label, exc) from None


def _rows(values, formulas, label: str) -> Iterator[tuple[int, list[Cell]]]:
    """Both readings of the sheet side by side (or the values alone when there is no formula), cell
    by cell, counting rows and columns as they come."""
    from openpyxl.utils import get_column_letter

    for sheet in (values, formulas):
        if sheet is not None:
            sheet.reset_dimensions()  # a sheet may claim A1:XFD1048576: read only the cells that exist
    written_rows = formulas.iter_rows(min_row=1, min_col=1) if formulas is not None else itertools.repeat(())
    pairs = enumerate(zip(written_rows, values.iter_rows(min_row=1, min_col=1)), start=1)
    while True:
        try:  # the sheet's XML is parsed as it is read: a damaged part shows here
            number, (written, saved) = next(pairs)
        except StopIteration:
            return
        except BROKEN as exc:
            raise _unreadable(label, exc) from None
        if number - 1 > LIMITS["candidate_rows"]:
            raise DataError([Problem(label, number, 0, "", tr(
                "more than %(rows)s rows under the header: kitgen stops here (%(hint)s)",
                rows=LIMITS["candidate_rows"], hint=raise_hint("candidate_rows")))])
        if len(saved) > MAX_COLUMNS:
            raise DataError([Problem(label, number, 0, "", tr(
                "the row goes on to column %(column)d: kitgen reads at most %(most)d columns", column=len(saved),
                most=MAX_COLUMNS))])
        formulas_of = itertools.chain(written, itertools.repeat(None))
        yield number, [_cell(f"{get_column_letter(index)}{number}", formula, cell)
                       for index, (formula, cell) in enumerate(zip(formulas_of, saved), start=1)]


def _cell(where: str, written, saved) -> Cell:
    """One cell from its two readings: `saved` holds the value, `written` (None when the workbook has
    no formula) says whether it is a formula."""
    value, kind = getattr(saved, "value", None), getattr(saved, "data_type", "n")
    if value is None:
        # A formula whose saved result is "" comes as type "str" with no value; any other formula
        # without a value was never calculated (a workbook written by a program).
        never_calculated = getattr(written, "data_type", "n") == "f" and kind != "str"
        return Cell(where, "formula" if never_calculated else "empty")
    kinds = {"s": "text", "str": "text", "n": "number", "d": "date", "b": "bool", "e": "error"}
    return Cell(where, kinds.get(kind, "text"), value, getattr(saved, "number_format", "General") or "General")


def cell_text(cell: Cell, expect: str) -> str:
    """The text a CSV file would hold for this cell ("" for an empty one), for a column that
    expects DATE, AMOUNT or TEXT; a ValueError naming the cell when its type does not fit."""
    if cell.kind == "formula":
        raise ValueError(tr("cell %(cell)s is a formula with no saved value: open the workbook in Excel or "
                            "LibreOffice and save it again", cell=cell.coordinate))
    if cell.kind == "error":
        raise ValueError(tr("cell %(cell)s holds the error %(error)s: correct it in the workbook", cell=cell.coordinate,
                            error=cell.value))
    if cell.kind == "bool":
        shown = str(cell.value).upper()
        if expect == DATE:
            raise ValueError(tr("cell %(cell)s holds %(value)s, a true/false value: write a date",
                                cell=cell.coordinate, value=shown))
        if expect == AMOUNT:
            raise ValueError(tr("cell %(cell)s holds %(value)s, a true/false value: write an amount",
                                cell=cell.coordinate, value=shown))
        raise ValueError(tr("cell %(cell)s holds %(value)s, a true/false value: write text", cell=cell.coordinate,
                            value=shown))
    if cell.kind == "date":
        return _date_text(cell, expect)
    if cell.kind == "number":
        if expect == DATE:
            raise ValueError(tr("cell %(cell)s holds the number %(number)s, not a date: format the cell as a date "
                                "(or write the date as YYYY-MM-DD text)", cell=cell.coordinate,
                                number=number_text(cell.value)))
        return number_text(cell.value, cell.number_format)
    return "" if cell.value is None else str(cell.value)


def _date_text(cell: Cell, expect: str) -> str:
    """A date cell: its YYYY-MM-DD in a date column. A time of day is refused rather than dropped:
    a date column holding 14:30 is more likely a formula (NOW()) or a typing slip than a date."""
    value = cell.value
    if expect == AMOUNT:
        raise ValueError(tr("cell %(cell)s holds a date (%(date)s), not an amount: format the cell as a number",
                            cell=cell.coordinate, date=_shown(value)))
    if expect != DATE:
        raise ValueError(tr("cell %(cell)s holds a date (%(date)s), not text", cell=cell.coordinate,
                            date=_shown(value)))
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise ValueError(tr("cell %(cell)s holds a date and a time of day (%(date)s): give the date alone",
                                cell=cell.coordinate, date=_shown(value)))
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raise ValueError(tr("cell %(cell)s holds a time or a duration (%(value)s), not a date", cell=cell.coordinate,
                        value=_shown(value)))


def _shown(value: object) -> str:
    """2027-02-01, 2027-02-01 14:30, 14:30 or a duration, as Excel would show them."""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d}" if value.time() == dt.time(0) else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()[:10] if isinstance(value, dt.date) else f"{value:%H:%M}"
    return str(value)


def number_text(value: float, number_format: str = "General") -> str:
    """58000 and 58000.0 -> "58000"; 85000.5 -> "85000.5"; 0.1 shown as a percentage -> "10%". At
    most 15 significant digits, as Excel shows them (a computed 93500.00000000001 is 93500)."""
    if "%" in number_format:
        return f"{number_text(value * 100)}%"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    shown = f"{value:.15g}"
    return str(int(float(shown))) if float(shown).is_integer() else shown


def write_workbook(header: list[str], rows: list[list[object]], title: str, date_format: str) -> bytes:
    """A workbook of one sheet: the header in bold, then the rows as typed cells (a date as a date
    shown in `date_format`, a number as a number with its thousands grouped, text with its line
    breaks shown); empty cells for None."""
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, dt.date):
                cell.number_format = date_format
            elif isinstance(cell.value, (int, float)):
                cell.number_format = "#,##0" if float(cell.value).is_integer() else "#,##0.00"
            elif isinstance(cell.value, str) and "\n" in cell.value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, name in enumerate(header, start=1):
        widest = max([len(str(name))] + [len(line) for row in rows for line in str(row[index - 1] or "").splitlines()])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widest + 2, 10), 40)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
