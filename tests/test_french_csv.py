"""Issue 20, candidates files as French Excel writes them: Windows-1252, `;`, CRLF, French headers with
accents, day-first dates, amounts with no-break spaces and €; the same letters as the ISO/English file
of the same data. Also the date order of a file, the amounts people write, a letter lost to a code
page, and `kitgen offers --example`.

Files are written byte for byte in each test (the bytes are what the tests are about).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from kitgen.commands.offers_example import ORDER
from kitgen.errors import DataError
from kitgen.sources.candidates import COLUMNS, column_name, french_names, known_columns, read_rows, spellings
from kitgen.sources.values import parse_date, quoted, read_money
from tests.support import docx_text

EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
NBSP, NNBSP = "\u00a0", "\u202f"
REASON = "Remplacement de Mme Roy pendant son congé maternité"
# The same three candidates, as a French Excel saves them ("CSV (séparateur : point-virgule)":
# Windows-1252, CRLF, the salary as the cell shows it) and as an English/ISO file.
FRENCH = ("Nom;Poste;Niveau;Lieu;Salaire brut;Date d'entrée;Type de contrat;Date de fin;Motif du CDD;Civilité;"
          "E-mail\r\n"
          f"Gaëlle Dupré;directeur-ecommerce;Confirmé;Régions;77{NBSP}000{NBSP}€;01/03/2027;CDD;31/08/2027;{REASON};"
          "Madame;gaelle@example.com\r\n"
          f"Noël Lefèvre;directeur-ecommerce;junior;Grandes villes;73 000,50 €;1/2/2027;;;;Monsieur;\r\n"
          "Jordan Lee;backend-engineer;mid;Austin;$145,000;15.02.2027;;;;;jordan@example.com\r\n")
ENGLISH = ("name,role,level,location,salary,start_date,contract,end_date,cdd_reason,civility,email\n"
           f"Gaëlle Dupré,directeur-ecommerce,Confirmé,Régions,77000,2027-03-01,CDD,2027-08-31,{REASON},Madame,"
           "gaelle@example.com\n"
           "Noël Lefèvre,directeur-ecommerce,junior,Grandes villes,73000.50,2027-02-01,,,,Monsieur,\n"
           "Jordan Lee,backend-engineer,mid,Austin,145000,2027-02-15,,,,,jordan@example.com\n")
HEADER_FR = "Nom;Poste;Niveau;Lieu;Salaire;Date d'entrée\r\n"


@pytest.fixture(autouse=True)
def in_tmp(monkeypatch, tmp_path):
    """Today is 2026-01-01; files are made in the temporary folder and named relative to it."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(tmp_path)


def _file(name: str, text: str, encoding: str = "cp1252") -> str:
    Path(name).write_bytes(text.encode(encoding))
    return name


def _written(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def _errors(result) -> list[str]:
    return result.stderr.splitlines()


# -- the same letters --------------------------------------------------------------------------------

def test_a_french_excel_file_gives_the_letters_of_the_english_file(cli, tmp_path):
    data = _file("candidats.csv", FRENCH)
    assert Path(data).read_bytes().count(b"\xa0") == 2 and b"\x80" in Path(data).read_bytes()  # NBSP, € in cp1252
    english = _file("candidates.csv", ENGLISH, "utf-8")
    runs = {name: cli("offers", name, "-f", "html,docx", "-o", str(tmp_path / f"out-{name}")) for name in (data, english)}
    for result in runs.values():
        assert (result.exit_code, result.stderr) == (0, ""), result.output
    french, plain = (_written(tmp_path / f"out-{name}") for name in (data, english))
    assert sorted(french) == sorted(plain) == [
        "backend-engineer/offer-jordan-lee.docx", "backend-engineer/offer-jordan-lee.html",
        "directeur-ecommerce/offer-gaelle-dupre.docx", "directeur-ecommerce/offer-gaelle-dupre.html",
        "directeur-ecommerce/offer-noel-lefevre.docx", "directeur-ecommerce/offer-noel-lefevre.html"]
    for name in french:
        if name.endswith(".html"):
            assert french[name] == plain[name], name  # byte for byte
        else:
            assert docx_text(tmp_path / f"out-{data}" / name) == docx_text(tmp_path / f"out-{english}" / name), name
    text = docx_text(tmp_path / f"out-{data}" / "directeur-ecommerce/offer-gaelle-dupre.docx")
    assert f"77{NNBSP}000{NBSP}€ par an" in text and "1er mars 2027" in text and "31 août 2027" in text
    assert "February 15, 2027" in docx_text(tmp_path / f"out-{data}" / "backend-engineer/offer-jordan-lee.docx")


def test_a_french_workbook_with_text_dates_reads_them_day_first(cli, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Nom", "Poste", "Niveau", "Lieu", "Salaire", "Date d'entrée"])
    book.active.append(["Gaëlle Dupré", "directeur-ecommerce", "Confirmé", "Régions", "77 000 €", "01/03/2027"])
    book.active.append(["Noël Lefèvre", "directeur-ecommerce", "junior", "Paris", 77000, dt.date(2027, 3, 1)])
    book.save("candidats.xlsx")
    result = cli("offers", "candidats.xlsx", "-f", "docx", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "1er mars 2027" in docx_text(tmp_path / "out/directeur-ecommerce/offer-gaelle-dupre.docx")


# -- each bad cell, its line and a hint -------------------------------------------------------------

def test_each_bad_cell_of_a_french_file_is_named_with_its_line_and_a_hint(cli, tmp_path):
    rows = ["Ana Roy;directeur-ecommerce;junior;Paris;77 000;31/02/2027",
            "Bo Roy;directeur-ecommerce;junior;Paris;77 000;01/03/27",
            "Cy Roy;directeur-ecommerce;junior;Paris;77 k€;01/03/2027",
            "Di Roy;directeur-ecommerce;junior;Paris;$77,000;01/03/2027",
            "Ed Roy;directeur-ecommerce;junior;Paris;７７０００;01/03/2027",
            "Fa Roy;directeur-ecommerce;junior;Paris;beaucoup;13/13/2027",
            "Gu Roy;directeur-ecommerce;expert;Paris;77 000;01/03/2027",
            "Ha Roy;directeur-ecommerce;junior;Paris;77 000;bientôt"]
    _file("c.csv", HEADER_FR + "\r\n".join(rows) + "\r\n", "utf-8")
    result = cli("offers", "c.csv", "-f", "html", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert _errors(result) == [
        "c.csv:2: Date d'entrée: '31/02/2027' is not a date: February 2027 has 28 days",
        "c.csv:3: Date d'entrée: '01/03/27': write the year in full (01/03/2027?): kitgen does not guess the century",
        "c.csv:4: Salaire: '77 k€': write the full amount: 77000",
        "c.csv:5: Salaire: '$77,000' is in $, but the role pays in EUR: write the amount in EUR (without a sign)",
        "c.csv:6: Salaire: '７７０００': full-width digits: retype the amount with ordinary digits (0-9)",
        "c.csv:7: Date d'entrée: '13/13/2027' is not a date: there is no month 13 (the dates of this file are day "
        "first: DD/MM/YYYY)",
        "c.csv:7: Salaire: 'beaucoup' is not a number",
        "c.csv:8: Niveau: unknown level 'expert' (levels: junior, confirme, senior)",
        "c.csv:9: Date d'entrée: 'bientôt' is not a date in the form YYYY-MM-DD: write it DD/MM/YYYY (01/03/2027) "
        "or YYYY-MM-DD",
        "error: 0 letters written (0 files), 8 rows failed"]


def test_messages_show_no_break_spaces_as_spaces_never_as_escapes():
    with pytest.raises(ValueError) as caught:
        read_money(f"58{NBSP}000{NNBSP}lots")
    assert str(caught.value) == "'58 000 lots' is not a number"
    assert quoted("d'entrée") == '"d\'entrée"' and quoted("a\nb") == "'a\\nb'"


# -- the header ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("header, column", [
    ("Nom", "name"), ("NOM COMPLET", "name"), ("Candidat(e)", "name"), ("candidate", "name"),
    ("Poste", "role"), ("Rôle", "role"), ("fiche", "role"), ("Niveau", "level"),
    ("Lieu", "location"), ("Ville", "location"), ("Lieu de travail", "location"),
    ("Salaire", "salary"), ("Salaire brut", "salary"), ("Rémunération", "salary"), ("Salaire (€)", "salary"),
    ("Date d'entrée", "start_date"), ("Date d’entrée", "start_date"), ("DATE D ENTREE", "start_date"),
    ("Date de début", "start_date"), ("Date d'embauche", "start_date"), ("Début", "start_date"),
    ("E-mail", "email"), ("Email", "email"), ("Courriel", "email"), ("mail", "email"), ("Adresse", "address"),
    ("Type", "contract"), ("Contrat", "contract"), ("Type de contrat", "contract"),
    ("Date de fin", "end_date"), ("Fin", "end_date"), ("Civilité", "civility"), ("Variable", "variable"),
    ("Part variable", "variable"), ("Motif", "cdd_reason"), ("Motif du CDD", "cdd_reason"),
    ("Durée minimale", "min_duration"), ("Période d'essai", "trial_period"), ("Réponse avant", "respond_by"),
    ("Date de réponse", "respond_by"), ("Langue", "lang"), ("Type d'offre", "kind"), ("Nature", "kind"),
    ("Start Date", "start_date"), ("respond-by", "respond_by"),
])
def test_french_and_english_header_names(header, column):
    assert spellings()[column_name(header)][0] == column


def test_every_column_has_a_french_name_and_no_french_name_is_another_columns():
    assert set(french_names()) == set(COLUMNS)
    keys = [column_name(name) for names in french_names().values() for name in names]
    assert len(keys) == len(set(keys))


def test_an_unknown_column_is_named_once_with_the_closest_name_and_the_list_is_given_once(tmp_path):
    _file("x.csv", "Nom;Poste;Niveau;Lieu;Salair;Date d'entrée;Statut;Télétravail\r\nA;r;l;p;1;01/03/2027;;\r\n")
    with pytest.raises(DataError) as caught:
        read_rows(Path("x.csv"), "x.csv")
    assert [str(problem) for problem in caught.value.problems] == [
        f"x.csv:1: {known_columns()}",
        "x.csv:1: Salair: unknown column (did you mean 'salaire'?)",
        "x.csv:1: Statut: unknown column",
        "x.csv:1: Télétravail: unknown column",
        "x.csv:1: salary: required column is missing (in French: salaire)"]


def test_a_file_without_a_header_row_is_said_to_have_none(tmp_path):
    _file("x.csv", "Gaëlle Dupré;directeur-ecommerce;junior;Paris;77 000;01/03/2027\r\n")
    with pytest.raises(DataError) as caught:
        read_rows(Path("x.csv"), "x.csv")
    assert [str(problem) for problem in caught.value.problems] == [
        "x.csv:1: no cell of the first line names a column ('Gaëlle Dupré', 'directeur-ecommerce', 'junior', ...): "
        "is the header row missing? The first line names the columns: name, role, level, location, salary, "
        "start_date... or, in French, nom, poste, niveau, lieu, salaire, date d'entrée... (`kitgen offers "
        "--example` writes a file to start from)"]


# -- amounts ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, amount, sign", [
    ("58000", 58000, ""), ("58 000", 58000, ""), (f"58{NBSP}000", 58000, ""), (f"58{NNBSP}000", 58000, ""),
    (f"58{NBSP}000{NBSP}€", 58000, "€"), ("58 000 €", 58000, "€"), ("58000 €", 58000, "€"), ("58000€", 58000, "€"),
    ("€58,000", 58000, "€"), ("$58,000", 58000, "$"), ("58000,00", 58000, ""), ("58 000,50", 58000.5, ""),
    ("58000.5", 58000.5, ""), ("58.000", 58000, ""), ("58,000", 58000, ""), ("1.234.567,89", 1234567.89, ""),
    ("1,234,567.89", 1234567.89, ""), ("58'000", 58000, ""), ("EUR 58000", 58000, "EUR"),
    ("58 000 EUR", 58000, "EUR"), ("58 000 euros", 58000, "euros"), ("12,02", 12.02, ""),
])
def test_amounts_as_people_write_them(text, amount, sign):
    assert read_money(text) == (amount, sign)


@pytest.mark.parametrize("text, message", [
    ("58 k€", "'58 k€': write the full amount: 58000"), ("58k", "'58k': write the full amount: 58000"),
    ("57,5 K", "'57,5 K': write the full amount: 57500"),
    ("８５０００", "'８５０００': full-width digits: retype the amount with ordinary digits (0-9)"),
    ("٥٨٠٠٠", "'٥٨٠٠٠': digits of another script: retype the amount with ordinary digits (0-9)"),
    ("cinquante mille", "'cinquante mille' is not a number"), ("58,000.000", "'58,000.000' is ambiguous: write thousands with a space (85 000) or none (85000)"),
    ("58.000.5", "'58.000.5' is not a number"), ("1,234,56", "'1,234,56' is not a number"),
    ("0,500", "'0,500' is ambiguous: write thousands with a space (85 000) or none (85000)"),
    ("€58 000 €", "'€58 000 €' is not a number"), ("-58000", "'-58000' is not a number"),
])
def test_amounts_refused_with_a_hint(text, message):
    with pytest.raises(ValueError) as caught:
        read_money(text)
    assert str(caught.value) == message


def test_a_currency_sign_of_the_roles_currency_is_accepted_another_is_named(cli, tmp_path):
    _file("c.csv", "name,role,level,location,salary,start_date\n"
                   "Jordan Lee,backend-engineer,mid,Austin,145 000 €,2027-02-15\n"
                   "Sam Roy,backend-engineer,mid,Austin,USD 145000,2027-02-15\n", "utf-8")
    result = cli("offers", "c.csv", "-f", "html", "-o", str(tmp_path / "out"))
    assert _errors(result) == [
        "c.csv:2: salary: '145 000 €' is in €, but the role pays in USD: write the amount in USD (without a sign)",
        "error: 1 letter written (1 files), 1 row failed"]


# -- the date order -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, order, date", [
    ("01/03/2027", "dmy", dt.date(2027, 3, 1)), ("1/3/2027", "dmy", dt.date(2027, 3, 1)),
    ("01.03.2027", "dmy", dt.date(2027, 3, 1)), ("01-03-2027", "dmy", dt.date(2027, 3, 1)),
    ("03/04/2027", "dmy", dt.date(2027, 4, 3)), ("03/04/2027", "mdy", dt.date(2027, 3, 4)),
    ("2027-03-01", "dmy", dt.date(2027, 3, 1)), ("2027-03-01", "mdy", dt.date(2027, 3, 1)),
    ("2027-03-01", None, dt.date(2027, 3, 1)), ("29/02/2028", "dmy", dt.date(2028, 2, 29)),
])
def test_dates_in_a_files_order(text, order, date):
    assert parse_date(text, order) == date


@pytest.mark.parametrize("text, order, message", [
    ("31/02/2027", "dmy", "'31/02/2027' is not a date: February 2027 has 28 days"),
    ("29/02/2027", "dmy", "'29/02/2027' is not a date: February 2027 has 28 days"),
    ("31/04/2027", "dmy", "'31/04/2027' is not a date: April 2027 has 30 days"),
    ("00/04/2027", "dmy", "'00/04/2027' is not a date: April 2027 has 30 days"),
    ("04/31/2027", "mdy", "'04/31/2027' is not a date: April 2027 has 30 days"),
    ("01/03/27", "mdy", "'01/03/27': write the year in full (01/03/2027?): kitgen does not guess the century"),
    ("01/03-2027", "dmy", "'01/03-2027' is not a date in the form YYYY-MM-DD: write it DD/MM/YYYY (01/03/2027) "
                          "or YYYY-MM-DD"),
    ("03/04/2027", None, "'03/04/2027' is not a date in the form YYYY-MM-DD, and the file does not say whether the "
                         "day or the month comes first: give --date-order dmy (day first) or mdy (month first), or "
                         "write the date YYYY-MM-DD"),
    ("01/03/2027", "iso", "'01/03/2027' is not a date in the form YYYY-MM-DD"),
])
def test_dates_refused_in_plain_words(text, order, message):
    with pytest.raises(ValueError) as caught:
        parse_date(text, order)
    assert str(caught.value) == message


def _one(cli, tmp_path, header: str, role: str, start: str, *options: str):
    level, location, salary = ("mid", "Austin", "145000") if role == "backend-engineer" else ("junior", "Paris", "77000")
    _file("c.csv", f"{header}\nJordan Lee,{role},{level},{location},{salary},{start}\n", "utf-8")
    return cli("offers", "c.csv", "-f", "docx", "-o", str(tmp_path / "out"), *options)


ENGLISH_HEADER = "name,role,level,location,salary,start_date"
FRENCH_HEADER = "nom,poste,niveau,lieu,salaire,date d'entrée"


@pytest.mark.parametrize("header, role, options, shown", [
    (FRENCH_HEADER, "backend-engineer", (), "April 3, 2027"),  # a French header: day first
    (ENGLISH_HEADER, "directeur-ecommerce", (), "3 avril 2027"),  # every role French: day first
    (ENGLISH_HEADER, "directeur-ecommerce", ("--date-order", "mdy"), "4 mars 2027"),
    (ENGLISH_HEADER, "backend-engineer", ("--lang", "fr"), "3 avril 2027"),
    (ENGLISH_HEADER, "backend-engineer", ("--date-order", "mdy"), "March 4, 2027"),
    (FRENCH_HEADER, "directeur-ecommerce", ("--date-order", "mdy"), "4 mars 2027"),  # the option wins
])
def test_an_ambiguous_date_is_read_in_the_files_order(cli, tmp_path, header, role, options, shown):
    result = _one(cli, tmp_path, header, role, "03/04/2027", *options)
    assert result.exit_code == 0, result.output
    assert shown in docx_text(next((tmp_path / "out").rglob("*.docx")))


def test_an_english_file_does_not_guess_the_order_of_its_dates(cli, tmp_path):
    result = _one(cli, tmp_path, ENGLISH_HEADER, "backend-engineer", "03/04/2027")
    assert _errors(result)[0] == (
        "c.csv:2: start_date: '03/04/2027' is not a date in the form YYYY-MM-DD, and the file does not say whether "
        "the day or the month comes first: give --date-order dmy (day first) or mdy (month first), or write the "
        "date YYYY-MM-DD")
    assert _one(cli, tmp_path, ENGLISH_HEADER, "backend-engineer", "2027-04-03").exit_code == 0


def test_date_order_iso_refuses_day_first_dates_even_in_a_french_file(cli, tmp_path):
    result = _one(cli, tmp_path, FRENCH_HEADER, "directeur-ecommerce", "03/04/2027", "--date-order", "iso")
    assert _errors(result)[0] == "c.csv:2: date d'entrée: '03/04/2027' is not a date in the form YYYY-MM-DD"


# -- a letter lost to a code page --------------------------------------------------------------------

def test_a_question_mark_in_place_of_a_letter_is_a_warning_and_the_letter_is_written(cli, tmp_path):
    _file("c.csv", "name,role,level,location,salary,start_date,address,trial_period\n"
                   "Zoé Nguy?n,directeur-ecommerce,junior,Paris,77000,2027-03-01,3 rue ?mile Zola,\n"
                   "Fran\ufffdois Roy,directeur-ecommerce,junior,Paris,77000,2027-03-01,Disponible ?,\n"
                   "André?,directeur-ecommerce,junior,Paris,77000,2027-03-01,ok?,\n"
                   "?,directeur-ecommerce,junior,Paris,77000,2027-03-01,Lyon ? Paris ?,\n", "utf-8")
    result = cli("offers", "c.csv", "-f", "html", "-o", str(tmp_path / "out"))
    hint = ("(a letter lost when the file went through an encoding without it?): correct the cell, or save the file "
            "as \"CSV UTF-8\"; the letter is written as the cell has it")
    assert _errors(result) == [
        f"c.csv:2: warning: address: '3 rue ?mile Zola' holds a ? in place of a letter {hint}",
        f"c.csv:2: warning: name: 'Zoé Nguy?n' holds a ? in place of a letter {hint}",
        f"c.csv:3: warning: name: 'Fran\ufffdois Roy' holds the replacement character U+FFFD (\ufffd) where a letter "
        f"was lost {hint}",
        f"c.csv:4: warning: name: 'André?' holds a ? in place of a letter {hint}"]
    assert result.exit_code == 0
    assert "Zoé Nguy?n" in (tmp_path / "out/directeur-ecommerce/offer-zoe-nguy-n.html").read_text(encoding="utf-8")


# -- kitgen offers --example ------------------------------------------------------------------------

def test_the_example_has_every_column():
    assert sorted(ORDER) == sorted(COLUMNS)


@pytest.mark.parametrize("args, name, first_line", [
    (("--lang", "fr"), "candidats.csv", "\ufeffnom;poste;niveau;lieu;salaire;date d'entrée;contrat;"),
    ((), "candidates.csv", "\ufeffname,role,level,location,salary,start_date,contract,"),  # the first role: English
])
def test_the_example_csv_is_ready_to_use(cli, tmp_path, args, name, first_line):
    result = cli("offers", "--example", *args)
    assert (result.exit_code, result.stdout) == (0, f"{name}: fill it in, then: kitgen offers {name}\n")
    text = Path(name).read_bytes().decode("utf-8")
    assert text.startswith(first_line) and text.count("\r\n") == 2
    if name == "candidats.csv":
        assert ";Junior;Paris;77 000;01/03/2026;" in text  # typed as a French Excel user types them
    letters = cli("offers", name, "-f", "docx", "-o", str(tmp_path / "out"))
    assert (letters.exit_code, letters.stderr) == (0, ""), letters.output
    assert len(_written(tmp_path / "out")) == 1


def test_the_example_workbook_has_typed_cells_and_gives_the_csv_files_letter(cli, tmp_path):
    assert cli("offers", "--example", "c.xlsx", "--lang", "fr").exit_code == 0
    assert cli("offers", "--example", "c.csv", "--lang", "fr").exit_code == 0
    sheet = openpyxl.load_workbook("c.xlsx").active
    header, row = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    assert header[:6] == ["nom", "poste", "niveau", "lieu", "salaire", "date d'entrée"]
    assert row[4] == 77000 and row[5] == dt.datetime(2026, 3, 1) and sheet["F2"].number_format == "dd/mm/yyyy"
    for name in ("c.xlsx", "c.csv"):
        assert cli("offers", name, "-f", "html", "-o", str(tmp_path / f"out-{name}")).exit_code == 0
    assert _written(tmp_path / "out-c.xlsx") == _written(tmp_path / "out-c.csv")


def test_the_example_never_replaces_a_file_and_the_command_needs_one_input(cli, tmp_path):
    Path("candidats.csv").write_text("mine", encoding="utf-8")
    result = cli("offers", "--example", "candidats.csv")
    assert (result.exit_code, result.stderr) == (1, "error: refused to overwrite candidats.csv: the file exists "
                                                    "(name another: kitgen offers --example NAME.csv, or NAME.xlsx)\n")
    assert Path("candidats.csv").read_text(encoding="utf-8") == "mine"
    both = cli("offers", "candidats.csv", "--example", "x.csv")
    assert both.exit_code == 2 and "give a candidates file or --example, not both" in both.stderr
    neither = cli("offers")
    assert neither.exit_code == 2 and "missing the candidates file" in neither.stderr
