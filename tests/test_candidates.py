"""Issue 5, many letters: the candidates CSV as spreadsheets export it, row checks with line numbers,
and `kitgen offers` producing exactly the good rows' letters (DOCX, read back).

Fixtures in tests/fixtures/csv are byte-exact (see their .gitattributes): UTF-8, UTF-8 with BOM,
Windows-1252 with semicolons and CRLF, and a file mixing good and bad rows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitgen.cli import main
from kitgen.commands.offers import row_request
from kitgen.documents.rendered import offer_stem
from kitgen.errors import DataError
from kitgen.sources.candidates import (
    Row,
    column_name,
    known_columns,
    pick_delimiter,
    read_rows,
)
from kitgen.sources.values import parse_amount, parse_date
from tests.support import ROOT, docx_text, missing

FIXTURES = ROOT / "tests" / "fixtures" / "csv"
NNBSP, NBSP = "\u202f", "\u00a0"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
BAND_ERROR = (f"95{NNBSP}000{NBSP}€ is outside the band 76{NNBSP}500{NBSP}€ – 93{NNBSP}500{NBSP}€ "
              "for Confirmé in Paris")
MIXED_PROBLEMS = [
    "mixed.csv:3: salary: 'not-a-number' is not a number",
    f"mixed.csv:7: salary: {BAND_ERROR}",
    "mixed.csv:8: start_date: '2027-02-31' is not a valid date (day is out of range for month)",
    "mixed.csv:9: name: missing value",
    "mixed.csv:11: location: the role gives no salary figure for level 'Senior' in 'Remote (US)'",
    "mixed.csv:12: level: unknown level 'expert' (levels: junior, confirme, senior)",
    "mixed.csv:13: role: unknown role 'data-scientist' (roles: backend-engineer, directeur-ecommerce)",
    "mixed.csv:15: start_date: the start date 2025-06-01 is in the past (--allow-past-date re-issues an old letter)",
]
FORMULA = '=HYPERLINK("http://evil.example/","click")'


@pytest.fixture(autouse=True)
def in_fixtures(monkeypatch):
    """Today is 2026-01-01, and file names in messages are relative to the fixtures folder."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(FIXTURES)


def _written(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))


def _problems(error: DataError) -> list[str]:
    return [str(problem) for problem in error.problems]


# -- values --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("85000", 85000), ("85 000", 85000), (f"85{NNBSP}000", 85000), (f" 1{NBSP}234 567 ", 1234567),
    ("85000.50", 85000.5), ("85000,50", 85000.5), ("85 000,5", 85000.5), ("12,02", 12.02),
    ("85,000", 85000), ("1.234.567", 1234567),  # money has no third decimal: these group thousands
])
def test_amounts_people_type(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize("text, message", [
    ("not-a-number", "'not-a-number' is not a number"),
    ("0,500", "'0,500' is ambiguous: write thousands with a space (85 000) or none (85000)"),
    ("85 00", "'85 00' is not a number"),
    ("85000 €", "'85000 €': write the amount without its currency (€); it is in the role's currency"),
    ("1e5", "'1e5' is not a number"),
    ("nan", "'nan' is not a number"), ("-5", "'-5' is not a number"), ("85000.505", "'85000.505' is not a number"),
])
def test_amounts_refused(text, message):
    with pytest.raises(ValueError) as caught:
        parse_amount(text)
    assert str(caught.value) == message


def test_dates_are_iso_and_real():
    assert parse_date(" 2027-02-01 ") == dt.date(2027, 2, 1)
    for text, message in [("2027-02-31", "'2027-02-31' is not a valid date (day is out of range for month)"),
                          ("01/02/2027", "'01/02/2027' is not a date in the form YYYY-MM-DD"),
                          ("20270201", "'20270201' is not a date in the form YYYY-MM-DD")]:
        with pytest.raises(ValueError) as caught:
            parse_date(text)
        assert str(caught.value) == message


def test_header_names_and_delimiter():
    assert column_name("\ufeff Start Date ") == "start_date"
    assert column_name("Respond-By") == "respond_by"
    assert pick_delimiter("name;role;level,x\r\nA,B,C,D,E") == ";"
    assert pick_delimiter("name,role;x\n") == ","


def test_same_slug_gets_distinct_stems(tmp_path):
    from kitgen.outputs.folder import OutputFolder

    used: set[str] = set()
    folder = OutputFolder(tmp_path)  # not opened: an empty manifest, claims within this run only
    stems = [folder.claim(offer_stem("r", name), name, used) for name in ["Camille Durand", "camille durand", "Camille-Durand-2",
                                                       "Camille Durand"]]
    assert stems == ["r/offer-camille-durand", "r/offer-camille-durand-2", "r/offer-camille-durand-2-2",
                     "r/offer-camille-durand-3"]


# -- the file ------------------------------------------------------------------------------------

def test_utf8_with_a_quoted_multiline_address():
    rows = read_rows(Path("utf8.csv"), "utf8.csv")
    assert [row.line for row in rows] == [2, 4]  # the first row spans lines 2-3
    assert rows[0].values["name"] == "Élodie Marchand"
    assert rows[0].values["address"] == "3 rue des Fleurs\n69002 Lyon"
    assert "address" not in rows[1].values  # an empty cell is no value


def test_utf8_bom_and_loose_header_names():
    assert Path("utf8-bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_rows(Path("utf8-bom.csv"), "utf8-bom.csv")
    assert rows[0].values == {"name": "Zoé Brébant", "role": "directeur-ecommerce", "level": "Confirmé",
                              "location": "paris", "salary": "85 000", "start_date": "2027-02-01", "contract": "CDD",
                              "end_date": "2027-08-31", "trial_period": "1 mois", "respond_by": "2026-01-20",
                              "kind": "promesse",
                              "cdd_reason": "Remplacement de Mme Roy (cheffe de projet) pendant son congé"}


def test_cp1252_semicolons_crlf():
    data = Path("cp1252-semicolon.csv").read_bytes()
    assert b"\r\n" in data and b"\xe9" in data  # guard: the fixture really is what it claims
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    rows = read_rows(Path("cp1252-semicolon.csv"), "c.csv")
    assert [(r.line, r.values["name"], r.values["location"], r.values["salary"]) for r in rows] == [
        (2, "Gaëlle Dupré", "Régions", "69 500"), (3, "Noël Lefèvre", "Grandes villes", "81000,50")]


@pytest.mark.parametrize("data, problems", [
    ("name,role,level,location,salery,start_date\nA,r,l,p,1,2027-02-01\n".encode(), [
        f"x.csv:1: {known_columns()}",
        "x.csv:1: salary: required column is missing (in French: salaire)",
        "x.csv:1: salery: unknown column (did you mean 'salary'?)"]),
    ("name,role,level,location,salary,start_date,Name\n".encode(), [
        "x.csv:1: name: the column appears twice"]),
    (b"", ["x.csv: the file is empty (the first line is the header: name, role, level, location, salary, "
           "start_date...)"]),
    ("name,role,level,location,salary,start_date\n,,,\n".encode(), ["x.csv: no candidate rows under the header"]),
    ("name,role".encode("utf-16"), ["x.csv: the file is UTF-16 (Excel's \"Unicode text\"): save it as \"CSV UTF-8\""]),
    (b"\xef\xbb\xbfname\n\xe9\n", ["x.csv:2: invalid UTF-8 (byte 0xe9): save it as \"CSV UTF-8\""]),
    (b"name\n\x81\n", ["x.csv:2: neither UTF-8 nor Windows-1252 text (byte 0x81): save it as \"CSV UTF-8\""]),
])
def test_file_problems_stop_everything(tmp_path, data, problems):
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    with pytest.raises(DataError) as caught:
        read_rows(path, "x.csv")
    assert _problems(caught.value) == problems


def test_row_problems_are_all_reported():
    row = Row(4, {"name": "A\x07", "role": "r", "level": "l", "salary": "lots", "start_date": "2027-13-01",
                  "end_date": "soon", "email": "nobody"}, extra=1)
    request, problems = row_request(row, "c.csv")
    assert request is None
    assert sorted(str(p) for p in problems) == [
        "c.csv:4: 1 value(s) beyond the last column (a delimiter inside a value that is not quoted?)",
        "c.csv:4: email: 'nobody' is not an email address",
        "c.csv:4: end_date: 'soon' is not a date in the form YYYY-MM-DD",
        "c.csv:4: location: missing value",
        "c.csv:4: name: contains a control character",
        "c.csv:4: salary: 'lots' is not a number",
        "c.csv:4: start_date: '2027-13-01' is not a valid date (month must be in 1..12)",
    ]


# -- kitgen offers -------------------------------------------------------------------------------

@pytest.mark.parametrize("fixture, files, expected", [
    ("utf8.csv", ["directeur-ecommerce/offer-elodie-marchand.docx", "backend-engineer/offer-jordan-lee.docx"],
     ["Élodie Marchand", "3 rue des Fleurs", "69002 Lyon", f"85{NNBSP}000{NBSP}€ par an", "1er février 2027",
      "Jordan Lee", "$150,000 per year", "February 1, 2027", "jordan@example.com"]),
    ("utf8-bom.csv", ["directeur-ecommerce/offer-zoe-brebant.docx", "backend-engineer/offer-sam-roy.docx"],
     ["Zoé Brébant", "Objet : promesse unilatérale de contrat de travail",
      "Contrat à durée déterminée (CDD) — jusqu’au 31 août 2027", "1 mois", "au 20 janvier 2026",
      "Motif du recours au CDD", "Remplacement de Mme Roy (cheffe de projet) pendant son congé",
      "Sam Roy", "$98,000.50 per year", "March 1, 2027", "Remote (US)"]),
    ("cp1252-semicolon.csv", ["directeur-ecommerce/offer-gaelle-dupre.docx",
                              "directeur-ecommerce/offer-noel-lefevre.docx"],
     ["Gaëlle Dupré", "Régions", f"69{NNBSP}500{NBSP}€ par an", "Noël Lefèvre", "Grandes villes",
      f"81{NNBSP}000,50{NBSP}€ par an", "1er mars 2027"]),
])
def test_offers_from_real_world_files(cli, tmp_path, fixture, files, expected):
    out = tmp_path / "out"
    result = cli("offers", fixture, "-f", "docx", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert _written(out) == sorted(files)
    assert result.stdout.splitlines()[-1] == "2 letters written (2 files), 0 rows failed"
    text = "\n".join(docx_text(out / name) for name in files)
    assert missing(expected, text) == []
    assert [s for s in expected if ("€" in s or "$" in s) and s not in text] == []  # exact spaces


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """`kitgen offers mixed.csv` run once on the sample project (read only), DOCX into a temporary folder."""
    out = tmp_path_factory.mktemp("mixed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        patch.chdir(FIXTURES)
        result = CliRunner().invoke(main, ["-C", str(ROOT), "offers", "mixed.csv", "-f", "docx", "-o", str(out)])
    return result, out


def test_mixed_file_writes_exactly_the_good_rows(mixed):
    result, out = mixed
    assert result.exit_code == 1
    assert _written(out) == ["directeur-ecommerce/offer-camille-durand-2.docx",
                             "directeur-ecommerce/offer-camille-durand.docx",
                             "directeur-ecommerce/offer-hyperlink-http-evil-example-click.docx",
                             "directeur-ecommerce/offer-multi-line.docx"]


def test_mixed_file_reports_each_bad_row_with_its_line(mixed):
    result, _ = mixed
    assert result.stderr.splitlines() == MIXED_PROBLEMS + ["error: 4 letters written (4 files), 8 rows failed"]


def test_same_name_twice_gives_two_letters(mixed):
    _, out = mixed
    first = docx_text(out / "directeur-ecommerce/offer-camille-durand.docx")
    second = docx_text(out / "directeur-ecommerce/offer-camille-durand-2.docx")
    assert f"85{NNBSP}000{NBSP}€" in first and f"86{NNBSP}000{NBSP}€" in second


def test_formula_name_is_printed_literally(mixed):
    _, out = mixed
    text = docx_text(out / "directeur-ecommerce/offer-hyperlink-http-evil-example-click.docx")
    assert FORMULA in text  # the recipient block, character for character


def test_allow_outside_band_turns_that_row_into_a_warning(cli, tmp_path):
    result = cli("offers", "mixed.csv", "-f", "docx", "-o", str(tmp_path / "out"), "--allow-outside-band", "-q")
    assert result.exit_code == 1
    assert f"mixed.csv:7: warning: {BAND_ERROR}" in result.stderr.splitlines()
    assert "directeur-ecommerce/offer-too-rich.docx" in _written(tmp_path / "out")
    assert result.stderr.splitlines()[-1] == "error: 5 letters written (5 files), 7 rows failed"
    assert result.stdout == ""  # -q: no file list


def test_unknown_column_writes_nothing(cli, tmp_path):
    result = cli("offers", "unknown-column.csv", "-f", "docx", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:3] == [f"unknown-column.csv:1: {known_columns()}",
                                              "unknown-column.csv:1: salary: required column is missing (in French: "
                                              "salaire)",
                                              "unknown-column.csv:1: salery: unknown column (did you mean 'salary'?)"]
    assert not (tmp_path / "out").exists()


def test_offers_need_the_company_file(cli, project, tmp_path):
    (project / "company.yaml").unlink()
    result = cli("offers", "utf8.csv", "-f", "docx", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: an offer letter needs the company file, and company.yaml does not exist")
    assert not (tmp_path / "out").exists()


def test_offers_quiet_success_prints_nothing(cli, tmp_path):
    result = cli("offers", "cp1252-semicolon.csv", "-f", "html", "-o", str(tmp_path / "out"), "-q")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert len(_written(tmp_path / "out")) == 2
