"""Issue 20, placeholders are never published: a text still holding a mark of the starter files
(TODO, XXX, À compléter, To be completed, <...>: kitgen/sources/placeholders.yaml) is a warning of
`kitgen validate`, one line per place, and an error of build, ad, lint and offer unless
--allow-draft. A `kitgen new-role` skeleton is flagged; the sample roles are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from kitgen.sources import placeholders
from kitgen.sources.loading import load_role
from tests.support import ROOT

ROLE = "roles/backend-engineer.yaml"
MISSION = "  - Write readable, tested code and review the changes of your colleagues.\n"  # line 21
DRAFT_LINE = "roles/backend-engineer.yaml:21:5: missions[1]: still a placeholder (TODO): write the real text"


def drafted(project: Path, text: str = "  - TODO say what the engineer reviews.\n") -> Path:
    """The sample backend role with its second mission (line 21) replaced by `text`."""
    path = project / ROLE
    source = path.read_text(encoding="utf-8")
    assert source.count(MISSION) == 1
    path.write_text(source.replace(MISSION, text), encoding="utf-8")
    return path


@pytest.mark.parametrize("text, mark", [
    ("TODO", "TODO"), ("Write the tests (TODO: which ones?)", "TODO"), ("Paid XXX a year", "XXX"),
    ("À compléter", "À compléter"), ("à compléter : les missions", "À compléter"),
    ("A compléter", "À compléter"), ("[À compléter]", "À compléter"), ("To be completed", "To be completed"),
    ("to be completed later", "To be completed"), ("Report to <name of the manager>", "<name of the manager>"),
])
def test_the_marks_of_a_text_still_to_write(text, mark):
    assert placeholders.mark_in(text) == mark


@pytest.mark.parametrize("text", [
    "Le dossier à compléter par le candidat", "TODOS", "todo", "a < b > c", "Salaire <40000", "XXL", "R&D <Lab>",
    "Chef </script><script>alert(1)</script>", '<a href="x y">',  # text that looks like markup is shown as written
    "Complete the form",
])
def test_real_text_is_not_a_placeholder(text):
    assert placeholders.mark_in(text) is None


def test_the_sample_and_starter_roles_hold_no_placeholder():
    paths = [*sorted((ROOT / "roles").glob("*.yaml")), *sorted((ROOT / "src/kitgen/starter").glob("*/roles/*.yaml"))]
    assert len(paths) == 4
    assert {path.name: placeholders.found(load_role(path)) for path in paths} == {path.name: [] for path in paths}


def test_the_starter_mark_is_one_of_the_marks():
    for lang in ("fr", "en"):
        assert placeholders.mark_in(placeholders.starter(lang)) == placeholders.starter(lang)


# -- validate: warnings, one line per place ---------------------------------------------------------

def test_validate_warns_about_each_place_and_still_passes(cli, project):
    drafted(project, "  - TODO\n  - <a mission>\n")
    result = cli("validate", ROLE)
    assert (result.exit_code, result.stdout) == (0, "1 file valid\n")
    assert result.stderr.splitlines() == [
        f"warning: {DRAFT_LINE}",
        "warning: roles/backend-engineer.yaml:22:5: missions[2]: still a placeholder (<a mission>): write the real text"]


@pytest.mark.parametrize("lang, mark, count", [("fr", "À compléter", 12), ("en", "To be completed", 12)])
def test_a_new_role_skeleton_is_flagged_everywhere_a_text_is_to_write(cli, project, lang, mark, count):
    assert cli("new-role", "draft", "--title", "Draft", "--lang", lang).exit_code == 0
    result = cli("validate", "roles/draft.yaml")
    assert (result.exit_code, result.stdout) == (0, "1 file valid\n")
    lines = result.stderr.splitlines()
    assert len(lines) == count
    assert all(line.startswith("warning: roles/draft.yaml:") and line.endswith(
        f": still a placeholder ({mark}): write the real text") for line in lines)
    assert any(": competencies[0].name: " in line for line in lines)
    built = cli("build", "draft", "-f", "html")
    assert built.exit_code == 1
    assert not (project / "output/draft").exists()


# -- build, ad, lint, offer: errors unless --allow-draft ---------------------------------------------

def test_build_refuses_a_draft_role_alone_and_builds_the_others(cli, project):
    drafted(project)
    result = cli("build", "-f", "html", "--level", "senior")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [DRAFT_LINE, "1 problem found"]
    assert "error: roles/backend-engineer.yaml: roles/" not in result.output  # the file name once
    assert not (project / "output/backend-engineer").exists()
    assert (project / "output/directeur-ecommerce/job-ad.html").is_file()


def test_build_with_allow_draft_builds_and_warns_every_time(cli, project):
    drafted(project)
    first = cli("build", "backend-engineer", "-f", "html", "--allow-draft")
    assert first.exit_code == 0, first.output
    assert f"warning: {DRAFT_LINE}" in first.stderr.splitlines()
    assert (project / "output/backend-engineer/job-ad.html").is_file()
    again = cli("build", "backend-engineer", "-f", "html")  # the draft is read again, never "up to date"
    assert again.exit_code == 1
    assert DRAFT_LINE in again.stderr.splitlines()


def test_ad_refuses_a_draft_and_writes_nothing(cli, project):
    drafted(project)
    result = cli("ad", "backend-engineer", "-f", "html")
    assert (result.exit_code, result.output) == (1, f"{DRAFT_LINE}\n1 problem found\n")
    assert not (project / "output").exists()
    allowed = cli("ad", "backend-engineer", "-f", "html", "--allow-draft")
    assert allowed.exit_code == 0, allowed.output
    assert allowed.stderr.splitlines()[0] == f"warning: {DRAFT_LINE}"
    assert (project / "output/backend-engineer/job-ad.html").is_file()


def test_lint_reports_a_placeholder_as_an_error_or_with_allow_draft_a_warning(cli, project):
    drafted(project)
    result = cli("lint", "backend-engineer")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == ("roles/backend-engineer.yaml:21:5: error: placeholder: missions[1]: "
                                             "still a placeholder (TODO): write the real text")
    allowed = cli("lint", "backend-engineer", "--allow-draft")
    assert allowed.stdout.splitlines()[0].startswith("roles/backend-engineer.yaml:21:5: warning: placeholder: ")
    assert allowed.exit_code == 0, allowed.output


OFFER = ("offer", "backend-engineer", "--candidate", "Sam Roy", "--level", "mid", "--location", "Austin",
         "--salary", "145000", "--start-date", "2030-02-01", "-f", "html")


def test_offer_refuses_a_draft_role_and_writes_nothing(cli, project):
    drafted(project)
    result = cli(*OFFER)
    assert (result.exit_code, result.output) == (1, f"{DRAFT_LINE}\n1 problem found\n")
    assert not (project / "output").exists()
    allowed = cli(*OFFER, "--allow-draft")
    assert allowed.exit_code == 0, allowed.output
    assert f"warning: {DRAFT_LINE}" in allowed.stderr.splitlines()


def test_check_is_the_function_the_offers_command_calls(project):
    role = load_role(drafted(project), project)
    from kitgen.errors import DataError

    with pytest.raises(DataError) as raised:
        placeholders.check(role)
    assert [str(p) for p in raised.value.problems] == [DRAFT_LINE]
    assert placeholders.check(role, allow_draft=True) == [DRAFT_LINE]
    assert placeholders.check(load_role(project / "roles/directeur-ecommerce.yaml", project)) == []


def test_offers_leaves_out_the_rows_of_a_draft_role_and_writes_the_others(cli, project, tmp_path):
    drafted(project)
    csv = tmp_path / "candidates.csv"
    csv.write_text("name,role,level,location,salary,start_date\n"
                   "Jordan Lee,backend-engineer,mid,Austin,150000,2027-09-01\n"
                   "Élodie Marchand,directeur-ecommerce,confirme,Paris,85000,2027-09-01\n"
                   "Sam Taylor,backend-engineer,senior,Austin,190000,2027-10-01\n", encoding="utf-8")
    result = cli("offers", str(csv), "-f", "html", "--allow-past-date")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines.count(DRAFT_LINE) == 1  # the role's place, listed once
    for line in (2, 4):
        assert (f"{csv}:{line}: role: role 'backend-engineer' still has placeholder texts (listed above): write "
                "them, or give --allow-draft") in lines
    written = sorted(p.name for p in (project / "output").rglob("*.html"))
    assert written == ["offer-elodie-marchand.html"]
    allowed = cli("offers", str(csv), "-f", "html", "--allow-past-date", "--allow-draft")
    assert allowed.exit_code == 0, allowed.output
    assert allowed.stderr.splitlines().count(DRAFT_LINE.replace("21:5: ", "21:5: warning: ")) == 1
    assert len(list((project / "output").rglob("*.html"))) == 3
