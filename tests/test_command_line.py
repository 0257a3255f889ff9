"""Issue 20, small items of the command line: `validate DIR`, `kitgen help [COMMAND]`, `-V`, a build
error naming its file once, a quoted amount, a start date years ahead."""

from __future__ import annotations

import datetime as dt
import re
import shutil

from kitgen import __version__
from kitgen.documents.templating import today
from tests.support import ROOT


def test_validate_a_folder_checks_every_role_file_in_it(cli, project):
    result = cli("validate", "roles/")
    assert (result.exit_code, result.output) == (0, "2 files valid\n")
    assert cli("validate", "roles").output == "2 files valid\n"


def test_validate_any_folder_of_role_files(cli, project, tmp_path):
    elsewhere = tmp_path / "drafts"
    elsewhere.mkdir()
    shutil.copy(ROOT / "roles/backend-engineer.yaml", elsewhere / "backend-engineer.yaml")
    (elsewhere / "notes.txt").write_text("not a role", encoding="utf-8")
    assert cli("validate", str(elsewhere)).output == "1 file valid\n"
    (elsewhere / "broken.yml").write_text("lang: en\n", encoding="utf-8")
    result = cli("validate", str(elsewhere))
    assert result.exit_code == 1
    assert f"{elsewhere / 'broken.yml'}:1:1: title: required key is missing" in result.output.splitlines()


def test_validate_an_empty_folder_says_so(cli, project):
    (project / "empty").mkdir()
    result = cli("validate", "empty")
    assert (result.exit_code, result.output) == (1, "empty: no role files (*.yaml) found\n1 problem found\n")


def test_help_prints_the_help_of_kitgen_or_of_a_command(cli):
    assert cli("help").output == cli("--help").output
    assert cli("help", "offer").output == cli("offer", "--help").output
    assert cli("help", "templates", "copy").output == cli("templates", "copy", "--help").output
    assert "  help " in cli("--help").output


def test_dash_v_is_the_version(cli):
    assert cli("-V").output == cli("--version").output == f"kitgen, version {__version__}\n"


def test_a_build_error_names_its_file_once(cli, project):
    path = project / "roles/backend-engineer.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("lang: en", "lang: de", 1), encoding="utf-8")
    result = cli("build", "backend-engineer", "-f", "html")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "roles/backend-engineer.yaml:7:7: lang: expected one of 'fr' or 'en', got 'de'"
    assert "error: roles/backend-engineer.yaml: roles/backend-engineer.yaml" not in result.output
    assert result.stderr.splitlines()[-1] == "error: 1 document(s) or role file(s) failed"


def test_a_quoted_amount_says_to_remove_the_quotes(cli, project):
    path = project / "roles/backend-engineer.yaml"
    text = path.read_text(encoding="utf-8").replace("      Austin: 145000", '      Austin: "145000"', 1)
    path.write_text(text.replace("Remote (US): 105000", "Remote (US): [\"100_000\", 110000]", 1), encoding="utf-8")
    result = cli("validate", "backend-engineer")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert [re.sub(r"^roles/backend-engineer\.yaml:\d+:\d+: ", "", line) for line in lines] == [
        'salary.bands.junior.Remote (US): expected a number, got the text "100_000": remove the quotes to make '
        "it a number",
        'salary.bands.mid.Austin: expected a number or [min, max], got the text "145000": remove the quotes to '
        "make it a number",
        "2 problems found"]


def test_a_quoted_minimum_salary_says_to_remove_the_quotes(cli, project):
    path = project / "roles/backend-engineer.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("    flsa: exempt\n    name: Junior\n") == 1
    path.write_text(text.replace("    name: Junior\n", '    name: Junior\n    minimum_salary: "62000"\n', 1),
                    encoding="utf-8")
    result = cli("validate", "backend-engineer")
    assert (result.exit_code, result.output) == (
        1, 'roles/backend-engineer.yaml:30:21: levels[0].minimum_salary: expected a number, got the text "62000": '
           "remove the quotes to make it a number\n1 problem found\n")


def test_a_start_date_years_ahead_is_refused(cli, project):
    result = cli("offer", "directeur-ecommerce", "--candidate", "Élodie Marchand", "--level", "confirme",
                 "--location", "Paris", "--salary", "85000", "--start-date", "9999-12-31", "-f", "html")
    day = today()
    latest = day.replace(year=day.year + 5) if (day.month, day.day) != (2, 29) else dt.date(day.year + 5, 2, 28)
    assert (result.exit_code, result.output) == (
        1, f"error: the start date 9999-12-31 is more than 5 years away (after {latest.isoformat()}): check the year; "
           "an offer is made for a start within 5 years\n")
    assert not (project / "output").exists()


def test_the_far_date_rule_is_in_prepare_offer_for_the_csv_path_too(project):
    from kitgen.documents.offer import OfferRequest, prepare_offer
    from kitgen.errors import OfferError
    from kitgen.sources.loading import load_company, load_role

    role = load_role(project / "roles/directeur-ecommerce.yaml", project)
    company = load_company(project / "company.yaml", project)
    request = OfferRequest(candidate="Élodie Marchand", level="confirme", location="Paris", salary=85000,
                           start_date=dt.date(2033, 1, 1))
    try:
        prepare_offer(role, company, request, dt.date(2027, 1, 1))
    except OfferError as exc:
        assert (exc.field, exc.message.split(":")[0]) == (
            "start_date", "the start date 2033-01-01 is more than 5 years away (after 2032-01-01)")
    else:
        raise AssertionError("a start date six years ahead was accepted")
    assert prepare_offer(role, company, request, dt.date(2028, 1, 1)).start_date == dt.date(2033, 1, 1)
