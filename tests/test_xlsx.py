"""Candidates from an Excel workbook: `kitgen offers candidats.xlsx` gives the same letters and the
same row errors as the same data in a CSV file, reads typed cells as Excel typed them (numbers,
dates, text that looks like a formula, a formula's saved value), names the cell that cannot be read,
and knows a workbook by its content (a workbook named .csv, an old .xls).

Workbooks are written with openpyxl in each test. openpyxl never calculates formulas, so a formula it
writes has no saved value, as in a workbook made by a program; `_save_value` gives one its saved
value, as Excel or LibreOffice would on saving.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from click.testing import CliRunner

from kitgen.cli import main
from kitgen.errors import DataError
from kitgen.sources.candidates import known_columns, read_rows
from kitgen.sources.limits import LIMITS
from kitgen.sources.workbook import Cell, cell_text, number_text
from tests.support import ROOT, docx_text

EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
HEADER = ["name", "role", "level", "location", "salary", "start_date", "email", "address"]
FEB, MAR = dt.date(2027, 2, 1), dt.date(2027, 3, 1)
ERRORS = ("#REF!", "#VALUE!", "#DIV/0!")
# The same candidates twice: as the workbook's typed cells, and as the text of the CSV file. Row 4 is
# blank; the multi-line address is last, where it moves no CSV line number.
ROWS = [
    (["Élodie Marchand", "directeur-ecommerce", "confirme", "Paris", 85000, FEB, "elodie@example.com", None],
     ["Élodie Marchand", "directeur-ecommerce", "confirme", "Paris", "85000", "2027-02-01", "elodie@example.com", ""]),
    (["=Hélène Roy", "directeur-ecommerce", "Confirmé", "paris", "=E2", MAR, None, "+33 6 12 34 56 78"],
     ["=Hélène Roy", "directeur-ecommerce", "Confirmé", "paris", "85000", "2027-03-01", "", "+33 6 12 34 56 78"]),
    ([None] * 8, [""] * 8),
    (["Bad Date", "directeur-ecommerce", "confirme", "Paris", 85000, "31/02/2027", None, None],
     ["Bad Date", "directeur-ecommerce", "confirme", "Paris", "85000", "31/02/2027", "", ""]),
    (["Bad Salary", "directeur-ecommerce", "confirme", "Paris", "not-a-number", FEB, None, None],
     ["Bad Salary", "directeur-ecommerce", "confirme", "Paris", "not-a-number", "2027-02-01", "", ""]),
    (["Half Euro", "directeur-ecommerce", "junior", "Paris", 77000.5, FEB, None, None],
     ["Half Euro", "directeur-ecommerce", "junior", "Paris", "77000.5", "2027-02-01", "", ""]),
    (["Jordan Lee", "backend-engineer", "mid", "Austin", 150000, FEB, "jordan@example.com", "1 Main St\nAustin, TX"],
     ["Jordan Lee", "backend-engineer", "mid", "Austin", "150000", "2027-02-01", "jordan@example.com",
      "1 Main St\nAustin, TX"]),
]
LETTERS = ["backend-engineer/offer-jordan-lee", "directeur-ecommerce/offer-elodie-marchand",
           "directeur-ecommerce/offer-half-euro", "directeur-ecommerce/offer-helene-roy"]


@pytest.fixture(autouse=True)
def in_tmp(monkeypatch, tmp_path):
    """Today is 2026-01-01; files are made in the temporary folder and named relative to it."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(tmp_path)


def _workbook(path: Path, rows: list[list], header: list = HEADER, title: str = "Candidats", more=()) -> Path:
    """A workbook with a sheet of `rows` under `header` (strings starting with "=" are formulas, as in
    Excel, except in the name column where they are text; "#REF!" is an error cell), then the sheets
    of `more` (title, rows)."""
    book = openpyxl.Workbook()
    for index, (name, cells) in enumerate([(title, [header, *rows]), *more]):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = name
        for row in cells:
            sheet.append(row)
        for cell in sheet["A"]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed text that looks like a formula: Excel stores it as a string
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "dd/mm/yyyy"  # as a French Excel shows dates
                elif cell.value in ERRORS:
                    cell.data_type = "e"
    book.save(path)
    return path


def _save_value(path: Path, coordinate: str, value: str) -> None:
    """Give the formula in `coordinate` its saved value, as Excel does when it saves the workbook."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet, count = re.subn(rf'(<c r="{coordinate}"[^>]*><f>[^<]*</f>)<v(?:\s*/>|></v>)', rf"\1<v>{value}</v>", sheet)
    assert count == 1, sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows([header, *rows])
    return path


def _written(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


# -- the same letters and errors as the CSV --------------------------------------------------------

@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """`kitgen offers` on the workbook and on the equivalent CSV file (HTML and DOCX), run once on the
    sample project (read only)."""
    tmp_path = tmp_path_factory.mktemp("both")
    book = _workbook(tmp_path / "candidats.xlsx", [typed for typed, _ in ROWS])
    _save_value(book, "E3", "85000.0")  # =E2 as Excel saves it: a float
    _csv(tmp_path / "candidats.csv", [text for _, text in ROWS])
    runs = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        patch.chdir(tmp_path)
        for name in ("candidats.xlsx", "candidats.csv"):
            runs[name] = CliRunner().invoke(main, ["-C", str(ROOT), "offers", name, "-f", "html,docx",
                                                   "-o", str(tmp_path / name.replace(".", "-"))])
    return runs, tmp_path


def test_a_workbook_gives_the_csv_files_row_errors_with_the_sheets_row_numbers(both):
    runs, _ = both
    for name, result in runs.items():
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            # French and English roles, English headers: the file does not say which comes first
            f"{name}:5: start_date: '31/02/2027' is not a date in the form YYYY-MM-DD, and the file does not "
            "say whether the day or the month comes first: give --date-order dmy (day first) or mdy (month "
            "first), or write the date YYYY-MM-DD",
            f"{name}:6: salary: 'not-a-number' is not a number",
            "error: 4 letters written (8 files), 2 rows failed",
        ]


def test_a_workbook_gives_the_csv_files_letters(both):
    _, tmp_path = both
    from_book, from_csv = _written(tmp_path / "candidats-xlsx"), _written(tmp_path / "candidats-csv")
    assert sorted(from_book) == sorted(f"{stem}.{suffix}" for stem in LETTERS for suffix in ("html", "docx"))
    assert sorted(from_book) == sorted(from_csv)
    for name in from_book:
        if name.endswith(".html"):
            assert from_book[name].decode() == from_csv[name].decode(), name
        else:
            assert docx_text(tmp_path / "candidats-xlsx" / name) == docx_text(tmp_path / "candidats-csv" / name), name


def test_typed_cells_reach_the_letter_as_excel_shows_them(both):
    _, tmp_path = both
    out = tmp_path / "candidats-xlsx"
    helene = docx_text(out / "directeur-ecommerce/offer-helene-roy.docx")
    assert "=Hélène Roy" in helene  # text that looks like a formula stays text
    assert "+33 6 12 34 56 78" in helene
    assert "85\u202f000\u00a0€ par an" in helene  # the saved value of =E2 (85000.0)
    assert "1er mars 2027" in helene  # a date cell
    assert "77\u202f000,50\u00a0€ par an" in docx_text(out / "directeur-ecommerce/offer-half-euro.docx")
    jordan = docx_text(out / "backend-engineer/offer-jordan-lee.docx")
    assert "1 Main St\nAustin, TX" in jordan and "$150,000 per year" in jordan


# -- cells a workbook has and a CSV file has not ---------------------------------------------------

def test_cells_that_are_not_values_are_named(cli, tmp_path):
    base = ["directeur-ecommerce", "confirme", "Paris"]
    book = _workbook(tmp_path / "candidats.xlsx", [
        ["Never Calculated", *base, "=2*42500", FEB],
        ["Serial Date", *base, 85000, 46419],
        ["Dated Pay", *base, dt.date(2027, 1, 1), FEB],
        ["At Noon", *base, 85000, dt.datetime(2027, 2, 1, 12, 0)],
        ["Broken", *base, "#REF!", FEB],
        ["True Pay", *base, True, FEB],
        ["Extra Cell", *base, 85000, FEB, None, None, "note"],
        ["Calculated", *base, "=2*42500", FEB],
    ])
    _save_value(book, "E9", "85000")
    result = cli("offers", "candidats.xlsx", "-f", "html", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "candidats.xlsx:2: salary: cell E2 is a formula with no saved value: open the workbook in Excel or "
        "LibreOffice and save it again",
        "candidats.xlsx:3: start_date: cell F3 holds the number 46419, not a date: format the cell as a date "
        "(or write the date as YYYY-MM-DD text)",
        "candidats.xlsx:4: salary: cell E4 holds a date (2027-01-01), not an amount: format the cell as a number",
        "candidats.xlsx:5: start_date: cell F5 holds a date and a time of day (2027-02-01 12:00): give the date alone",
        "candidats.xlsx:6: salary: cell E6 holds the error #REF!: correct it in the workbook",
        "candidats.xlsx:7: salary: cell E7 holds TRUE, a true/false value: write an amount",
        "candidats.xlsx:8: 1 value(s) beyond the header's last column, in I8",
        "error: 1 letter written (1 files), 7 rows failed",
    ]
    assert sorted(_written(tmp_path / "out")) == ["directeur-ecommerce/offer-calculated.html"]


@pytest.mark.parametrize("value, number_format, text", [
    (58000, "General", "58000"), (58000.0, "General", "58000"), (58000.0, "#,##0 €", "58000"),
    (85000.5, "General", "85000.5"), (93500.00000000001, "General", "93500"), (0.1, "0%", "10%"),
    (0.125, "0.0%", "12.5%"), (-5, "General", "-5"),
])
def test_numbers_become_the_text_excel_shows(value, number_format, text):
    assert number_text(value, number_format) == text
    assert cell_text(Cell("E2", "number", value, number_format), "amount") == text


def test_date_cells_become_iso_dates_in_date_columns_only():
    assert cell_text(Cell("F2", "date", dt.datetime(2027, 2, 1)), "date") == "2027-02-01"
    assert cell_text(Cell("F2", "date", dt.date(2027, 2, 1)), "date") == "2027-02-01"
    for value, message in [(dt.time(9, 30), "cell F2 holds a time or a duration (09:30), not a date"),
                           (dt.timedelta(days=3), "cell F2 holds a time or a duration (3 days, 0:00:00), not a date")]:
        with pytest.raises(ValueError) as caught:
            cell_text(Cell("F2", "date", value), "date")
        assert str(caught.value) == message
    with pytest.raises(ValueError) as caught:
        cell_text(Cell("A2", "date", dt.datetime(2027, 2, 1)), "text")
    assert str(caught.value) == "cell A2 holds a date (2027-02-01), not text"


# -- sheets ---------------------------------------------------------------------------------------

def test_sheet_picks_another_sheet(cli, tmp_path):
    first = [["Élodie Marchand", "directeur-ecommerce", "confirme", "Paris", 85000, FEB]]
    second = [HEADER[:6], [None] * 6, ["Zoé Brébant", "directeur-ecommerce", "confirme", "Paris", 86000, MAR]]
    _workbook(tmp_path / "candidats.xlsx", first, header=HEADER[:6], more=[("Février", second)])
    result = cli("offers", "candidats.xlsx", "--sheet", "février", "-f", "html", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert sorted(_written(tmp_path / "out")) == ["directeur-ecommerce/offer-zoe-brebant.html"]
    result = cli("offers", "candidats.xlsx", "-f", "html", "-o", str(tmp_path / "first"))
    assert sorted(_written(tmp_path / "first")) == ["directeur-ecommerce/offer-elodie-marchand.html"]


def test_an_unknown_sheet_lists_the_sheets(cli, tmp_path):
    _workbook(tmp_path / "candidats.xlsx", [], more=[("Février", [])])
    result = cli("offers", "candidats.xlsx", "--sheet", "Mars", "-f", "html", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("candidats.xlsx: no sheet 'Mars' in the workbook "
                                             "(sheets: 'Candidats', 'Février')")
    assert not (tmp_path / "out").exists()


def test_sheet_with_a_csv_file_is_a_usage_error(cli, tmp_path):
    _csv(tmp_path / "candidats.csv", [ROWS[0][1]])
    result = cli("offers", "candidats.csv", "--sheet", "Candidats", "-f", "html", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "Invalid value for '--sheet': candidats.csv is a CSV file, which has no sheets (--sheet is for an " \
           "Excel workbook, .xlsx)" in result.stderr


def test_the_header_is_checked_as_a_csv_files_is(tmp_path):
    _workbook(tmp_path / "x.xlsx", [["A", "r", "l", "p", 1, FEB]],
              header=["Name", "Role", "Level", "Location", "Salair", "Start Date", None, None])
    with pytest.raises(DataError) as caught:
        read_rows(Path("x.xlsx"), "x.xlsx")
    assert [str(p) for p in caught.value.problems] == [
        f"x.xlsx:1: {known_columns()}",
        "x.xlsx:1: Salair: unknown column (did you mean 'salaire'?)",
        "x.xlsx:1: salary: required column is missing (in French: salaire)"]


# -- a workbook known by its content ---------------------------------------------------------------

def test_a_workbook_named_csv_is_read_as_a_workbook(cli, tmp_path):
    _workbook(tmp_path / "export.csv", [ROWS[0][0]])
    result = cli("offers", "export.csv", "-f", "html", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert sorted(_written(tmp_path / "out")) == ["directeur-ecommerce/offer-elodie-marchand.html"]


OLD_EXCEL = ("this is an old Excel workbook (.xls), or one protected by a password, which kitgen does not read: "
             "save it as .xlsx or CSV UTF-8 (without a password)")


@pytest.mark.parametrize("name, data, message", [
    ("candidats.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
     OLD_EXCEL),
    ("candidats.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), OLD_EXCEL),
    ("candidats.xlsx", b"name,role\n",
     "not an Excel workbook (.xlsx): the file does not start as one does (a damaged copy? a CSV file renamed? "
     "then name it .csv)"),
])
def test_files_that_are_not_readable_workbooks_are_refused(cli, tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    result = cli("offers", name, "-f", "html", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{name}: {message}"


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    with zipfile.ZipFile(tmp_path / "x.xlsx", "w") as archive:
        archive.writestr("content.xml", "<office:document/>")  # an .ods, say
    with pytest.raises(DataError) as caught:
        read_rows(Path("x.xlsx"), "x.xlsx")
    assert [str(p) for p in caught.value.problems] == [
        "x.xlsx: not readable as an Excel workbook (.xlsx): There is no item named '[Content_Types].xml' in the "
        "archive; save it again as .xlsx or CSV UTF-8"]


def test_a_workbook_with_a_damaged_sheet_is_refused(tmp_path):
    path = _workbook(tmp_path / "x.xlsx", [ROWS[0][0]])
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:-40]  # cut inside the XML
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(DataError) as caught:
        read_rows(Path("x.xlsx"), "x.xlsx")
    assert str(caught.value.problems[0]).startswith("x.xlsx: not readable as an Excel workbook (.xlsx): ")


def test_a_damaged_workbook_is_refused(tmp_path):
    data = _workbook(tmp_path / "x.xlsx", [ROWS[0][0]]).read_bytes()
    (tmp_path / "x.xlsx").write_bytes(data[: len(data) // 2])  # a download cut short
    with pytest.raises(DataError) as caught:
        read_rows(Path("x.xlsx"), "x.xlsx")
    assert str(caught.value.problems[0]).startswith("x.xlsx: not readable as an Excel workbook (.xlsx): ")


# -- limits -----------------------------------------------------------------------------------------

def test_rows_are_counted_as_they_are_read_blank_ones_too(tmp_path, monkeypatch):
    monkeypatch.setitem(LIMITS, "candidate_rows", 3)
    path = _workbook(tmp_path / "x.xlsx", [ROWS[0][0]])
    book = openpyxl.load_workbook(path)
    book.active.cell(1_048_576, 1, "far below")  # the last row Excel has
    book.save(path)
    with pytest.raises(DataError) as caught:
        read_rows(Path("x.xlsx"), "x.xlsx")
    assert [str(p) for p in caught.value.problems] == [
        "x.xlsx:5: more than 3 rows under the header: kitgen stops here (if it is meant to be, raise "
        "`candidate_rows` under [limits] in kitgen.toml)"]


def test_a_row_past_the_column_guard_stops_the_reading(tmp_path):
    path = _workbook(tmp_path / "x.xlsx", [ROWS[0][0]])
    book = openpyxl.load_workbook(path)
    book.active.cell(2, 16_384, "far right")  # column XFD
    book.save(path)
    with pytest.raises(DataError) as caught:
        read_rows(Path("x.xlsx"), "x.xlsx")
    assert [str(p) for p in caught.value.problems] == [
        "x.xlsx:2: the row goes on to column 16384: kitgen reads at most 256 columns"]


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, monkeypatch):
    monkeypatch.setitem(LIMITS, "candidate_rows", 10)  # the floor: 1000 rows' worth, 4 MB
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b" " * (5 * 1024 * 1024))
    assert len(buffer.getvalue()) < 20_000
    (tmp_path / "x.xlsx").write_bytes(buffer.getvalue())
    with pytest.raises(DataError) as caught:
        read_rows(Path("x.xlsx"), "x.xlsx")
    assert [str(p) for p in caught.value.problems] == [
        "x.xlsx: the workbook unpacks to 5 MB, more than the 4 MB allowed for 10 candidate rows (if it is meant "
        "to be, raise `candidate_rows` under [limits] in kitgen.toml)"]


def test_an_empty_sheet_and_a_sheet_without_rows(tmp_path):
    _workbook(tmp_path / "header.xlsx", [[None] * 8, [None] * 8])
    book = openpyxl.Workbook()
    book.save(tmp_path / "empty.xlsx")
    for name, message in [("header.xlsx", "no candidate rows under the header"),
                          ("empty.xlsx", "the sheet is empty (its first row is the header: name, role, level, "
                                         "location, salary, start_date...)")]:
        with pytest.raises(DataError) as caught:
            read_rows(Path(name), name)
        assert [str(p) for p in caught.value.problems] == [f"{name}: {message}"]
