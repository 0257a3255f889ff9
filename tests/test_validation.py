"""Issue 2: every bad role or company file gets exact `file:line:col: path: message` lines, exit 1.

Most tests start from BASE, a small valid role, change one line and run `kitgen validate` on a
project holding only that file, then compare the whole output line by line.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kitgen.sources.yamlsafe
from kitgen.errors import DataError
from kitgen.sources.loading import load_role
from kitgen.sources.model import Role
from tests.support import ROOT

# Line numbers of BASE, which the expected messages below refer to.
BASE = """\
lang: en
title: Tester
summary: Tests things.
missions: [Write tests]
levels:
  - {id: junior, name: Junior}
  - {id: senior, name: Senior}
competencies:
  - name: Testing
    expectations: {junior: Writes tests, senior: Designs suites}
interview:
  questions:
    - text: How do you test?
      competency: Testing
salary:
  currency: EUR
  locations: [Paris, Lyon]
  bands:
    junior: {Paris: 40000, Lyon: [35000, 38000]}
    senior: {Paris: 60000}
"""
ROLE_KEYS = ("id, lang, languages, title, title_feminine, title_neutral, also_known_as, summary, missions, levels, "
             "competencies, qualities, interview, salary, career_paths, requirements, contract_type")


def role(*changes: tuple[str, str]) -> str:
    """BASE with each (old, new) replaced; `old` must appear exactly once, so no change is a no-op."""
    text = BASE
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    """A project with an empty roles/ folder and no company file."""
    (tmp_path / "roles").mkdir()
    return tmp_path


def write(root: Path, name: str, content: str | bytes) -> Path:
    path = root / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def problems(cli, root: Path, *args: str) -> list[str]:
    """Run `kitgen validate ARGS` on `root`; it must fail with exit 1, without a traceback."""
    result = cli("validate", *args, root=root)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output.splitlines()


def found(*lines: str) -> list[str]:
    """The expected output: the problem lines, then the count."""
    count = len(lines)
    return [*lines, f"{count} problem{'s' if count != 1 else ''} found"]


def test_base_role_is_valid(cli, bare):
    write(bare, "roles/x.yaml", BASE)
    result = cli("validate", root=bare)
    assert (result.exit_code, result.output) == (0, "1 file valid\n")


# -- one problem each: (the change to BASE, the message line) ----------------------------------

CASES = {
    "unknown key, did you mean": (
        [("title: Tester", "titel: Tester")],
        ["roles/x.yaml:1:1: title: required key is missing",
         "roles/x.yaml:2:1: titel: unknown key 'titel' (did you mean 'title'?)"]),
    "unknown key, known keys": (
        [("title: Tester\n", "title: Tester\nzzz: 1\n")],
        [f"roles/x.yaml:3:1: zzz: unknown key 'zzz' (known keys: {ROLE_KEYS})"]),
    "unknown key in a question": (
        [("      competency: Testing", "      competncy: Testing")],
        ["roles/x.yaml:14:7: interview.questions[0].competncy: unknown key 'competncy' "
         "(did you mean 'competency'?)"]),
    "unknown key in a level": (
        [("{id: junior, name: Junior}", "{id: junior, name: Junior, experiance: 2 years}")],
        ["roles/x.yaml:6:32: levels[0].experiance: unknown key 'experiance' (did you mean 'experience'?)"]),
    "missing required key": (
        [("summary: Tests things.\n", "")],
        ["roles/x.yaml:1:1: summary: required key is missing"]),
    "missing nested key": (
        [("{id: junior, name: Junior}", "{id: junior}")],
        ["roles/x.yaml:6:5: levels[0].name: required key is missing"]),
    "list where text is expected": (
        [("title: Tester", "title: [a, b]")],
        ["roles/x.yaml:2:8: title: expected text, got a list"]),
    "text where a list is expected": (
        [("missions: [Write tests]", "missions: Write tests")],
        ["roles/x.yaml:4:11: missions: expected a list, got 'Write tests'"]),
    "mapping where a list is expected": (
        [("  questions:\n", "  questions: {a: 1}\n  more:\n")],
        ["roles/x.yaml:12:14: interview.questions: expected a list, got a mapping",
         "roles/x.yaml:13:3: interview.more: unknown key 'more' (known keys: questions, case_study, stages)"]),
    "number where text is expected": (
        [("title: Tester", "title: 5")],
        ["roles/x.yaml:2:8: title: expected text, got 5"]),
    "boolean where text is expected": (
        [("title: Tester", "title: true")],
        ["roles/x.yaml:2:8: title: expected text, got true"]),
    "empty value": (
        [("title: Tester", "title:")],
        ["roles/x.yaml:2:7: title: expected text, got nothing (an empty value)"]),
    "empty text": (
        [("title: Tester", 'title: ""')],
        ["roles/x.yaml:2:8: title: must not be empty"]),
    "empty list": (
        [("missions: [Write tests]", "missions: []")],
        ["roles/x.yaml:4:11: missions: needs at least 1 item"]),
    "item that is not a mapping": (
        [("levels:\n", "levels:\n  - 5\n")],
        ["roles/x.yaml:6:5: levels[0]: expected a mapping (key: value), got 5"]),
    "unknown language": (
        [("lang: en", "lang: de")],
        ["roles/x.yaml:1:7: lang: expected one of 'fr' or 'en', got 'de'"]),
    "currency code": (
        [("currency: EUR", "currency: euros")],
        ["roles/x.yaml:16:13: salary.currency: expected a currency code of three capital letters "
         "(EUR, USD), got 'euros'"]),
    "year out of range": (
        [("currency: EUR\n", "currency: EUR\n  as_of: 1800\n")],
        ["roles/x.yaml:17:10: salary.as_of: must be at least 1990, got 1800"]),
    "whole number expected": (
        [("currency: EUR\n", "currency: EUR\n  as_of: 2024.5\n")],
        ["roles/x.yaml:17:10: salary.as_of: expected a whole number, got 2024.5"]),
    "question minutes of 0": (
        [("      competency: Testing\n", "      competency: Testing\n      minutes: 0\n")],
        ["roles/x.yaml:15:16: interview.questions[0].minutes: must be greater than 0, got 0"]),
    "unsafe id": (
        [("title: Tester\n", "title: Tester\nid: ../../x\n")],
        ["roles/x.yaml:3:5: id: '../../x' is not a safe id: use lowercase letters, digits and hyphens, "
         "starting with a letter or digit, at most 64 characters"]),
    "id too long": (
        [("title: Tester\n", f"title: Tester\nid: {'a' * 65}\n")],
        [f"roles/x.yaml:3:5: id: {'a' * 65!r} is not a safe id: use lowercase letters, digits and hyphens, "
         "starting with a letter or digit, at most 64 characters"]),
    "unsafe level id": (
        [("{id: junior, name: Junior}", "{id: Junior Plus, name: Junior}")],
        ["roles/x.yaml:6:10: levels[0].id: 'Junior Plus' is not a safe id: use lowercase letters, digits "
         "and hyphens, starting with a letter or digit, at most 64 characters",
         "roles/x.yaml:10:19: competencies[0].expectations: no expectation for level 'Junior Plus'",
         "roles/x.yaml:10:20: competencies[0].expectations.junior: unknown level 'junior' "
         "(levels: Junior Plus, senior)",
         "roles/x.yaml:19:5: salary.bands.junior: band for unknown level 'junior' (levels: Junior Plus, senior)"]),
    "level id given twice": (
        [("{id: senior, name: Senior}", "{id: junior, name: Senior}")],
        ["roles/x.yaml:7:10: levels[1].id: level id 'junior' is given twice",
         "roles/x.yaml:10:42: competencies[0].expectations.senior: unknown level 'senior' (levels: junior)",
         "roles/x.yaml:20:5: salary.bands.senior: band for unknown level 'senior' (levels: junior)"]),
    "expectation missing a level": (
        [("{junior: Writes tests, senior: Designs suites}", "{junior: Writes tests}")],
        ["roles/x.yaml:10:19: competencies[0].expectations: no expectation for level 'senior'"]),
    "expectations missing every level": (
        [("{junior: Writes tests, senior: Designs suites}", "{}")],
        ["roles/x.yaml:10:19: competencies[0].expectations: no expectation for level 'junior'",
         "roles/x.yaml:10:19: competencies[0].expectations: no expectation for level 'senior'"]),
    "expectation for an unknown level": (
        [("senior: Designs suites}", "senior: Designs suites, expert: Teaches}")],
        ["roles/x.yaml:10:66: competencies[0].expectations.expert: unknown level 'expert' "
         "(levels: junior, senior)"]),
    "question naming an unknown competency": (
        [("      competency: Testing", "      competency: Teamwork")],
        ["roles/x.yaml:14:19: interview.questions[0].competency: unknown competency 'Teamwork' "
         "(competencies: Testing)"]),
    "band for an unknown level": (
        [("    senior: {Paris: 60000}\n", "    senior: {Paris: 60000}\n    expert: {Paris: 90000}\n")],
        ["roles/x.yaml:21:5: salary.bands.expert: band for unknown level 'expert' (levels: junior, senior)"]),
    "band for an unknown location": (
        [("{Paris: 60000}", "{Paris: 60000, Nice: 50000}")],
        ["roles/x.yaml:20:28: salary.bands.senior.Nice: band for unknown location 'Nice' "
         "(locations: Paris, Lyon)"]),
    "min greater than max": (
        [("[35000, 38000]", "[39000, 38000]")],
        ["roles/x.yaml:19:34: salary.bands.junior.Lyon: min 39000 is greater than max 38000"]),
    "range of three values": (
        [("[35000, 38000]", "[1, 2, 3]")],
        ["roles/x.yaml:19:34: salary.bands.junior.Lyon: a range is [min, max], got 3 values"]),
    "amount of 0": (
        [("{Paris: 60000}", "{Paris: 0}")],
        ["roles/x.yaml:20:21: salary.bands.senior.Paris: an amount must be greater than 0, got 0"]),
    "negative amount": (
        [("{Paris: 60000}", "{Paris: -5}")],
        ["roles/x.yaml:20:21: salary.bands.senior.Paris: an amount must be greater than 0, got -5"]),
    "negative min of a range": (
        [("[35000, 38000]", "[-1, 38000]")],
        ["roles/x.yaml:19:34: salary.bands.junior.Lyon: an amount must be greater than 0, got -1"]),
    "amount that is not a number": (
        [("{Paris: 60000}", "{Paris: 77 K€}")],
        ["roles/x.yaml:20:21: salary.bands.senior.Paris: expected a number or [min, max], got '77 K€'"]),
    "text inside a range": (
        [("[35000, 38000]", "[35000, lots]")],
        ["roles/x.yaml:19:34: salary.bands.junior.Lyon: expected a number, got 'lots'"]),
    "band of a level that is not a mapping": (
        [("senior: {Paris: 60000}", "senior: 60000")],
        ["roles/x.yaml:20:13: salary.bands.senior: expected a mapping (key: value), got 60000"]),
    "escaped control character": (
        [("title: Tester", 'title: "Bell\\x07"')],
        ["roles/x.yaml:2:8: title: contains the control character U+0007, which documents cannot hold: "
         "remove it"]),
    "escaped NUL in a nested list": (
        [("missions: [Write tests]", 'missions: ["Write\\0tests"]')],
        ["roles/x.yaml:4:12: missions[0]: contains the control character U+0000, which documents cannot "
         "hold: remove it"]),
    "duplicate key": (
        [("summary: Tests things.\n", "summary: Tests things.\ntitle: Again\n")],
        ["roles/x.yaml:4:1: title: duplicate key (first given on line 2)"]),
    "duplicate key in a question": (
        [("      competency: Testing\n", "      competency: Testing\n      text: Again?\n")],
        ["roles/x.yaml:15:7: interview.questions[0].text: duplicate key (first given on line 13)"]),
    "anchor and alias": (
        [("title: Tester\n", "title: &t Tester\ntitle_neutral: *t\n")],
        ["roles/x.yaml:2:8: YAML anchor 't' is not allowed: write the value out",
         "roles/x.yaml:3:16: YAML alias 't' is not allowed: write the value out"]),
    "list as a key": (
        [("title: Tester\n", "title: Tester\n[a]: x\n")],
        ["roles/x.yaml:3:1: a key must be a plain word, not a list or a mapping"]),
    # A syntax error, an unclosed list or quote, a tab: tests/test_yaml_errors.py (explained, with a caret).
    "two documents": (
        [("salary:\n", "---\nsalary:\n")],
        ["roles/x.yaml:15:1: YAML syntax error: expected a single document in the stream, "
         "but found another document"]),
}


@pytest.mark.parametrize("changes, expected", CASES.values(), ids=CASES.keys())
def test_bad_role_reports_exact_lines(cli, bare, changes, expected):
    write(bare, "roles/x.yaml", role(*changes))
    assert problems(cli, bare) == found(*expected)


# -- whole-file problems --------------------------------------------------------------------------

FILES = {
    "empty file": (b"", "roles/x.yaml:1:1: the file is empty"),
    "only blanks": (b"  \n\n", "roles/x.yaml:1:1: the file is empty"),
    "only comments": (b"# nothing yet\n", "roles/x.yaml:1:1: the file is empty"),
    "top level is a list": (b"- a\n- b\n", "roles/x.yaml:1:1: the top level must be a mapping (key: value)"),
    "top level is a scalar": (b"\nhello\n", "roles/x.yaml:2:1: the top level must be a mapping (key: value)"),
    "not UTF-8": ("lang: en\ntitle: Caf\u00e9\n".encode("cp1252"),
                  "roles/x.yaml:2:11: not UTF-8: byte 0xe9 at offset 19; save the file as UTF-8"),
    "raw control character": (BASE.replace("Tests things.", "Tests\x07things.").encode(),
                              "roles/x.yaml:3:15: the file contains the control character U+0007: remove it"),
    "raw NUL": (BASE.replace("Tester", "Test\x00er").encode(),
                "roles/x.yaml:2:12: the file contains the control character U+0000: remove it"),
}


@pytest.mark.parametrize("content, expected", FILES.values(), ids=FILES.keys())
def test_bad_file_reports_exact_line(cli, bare, content, expected):
    write(bare, "roles/x.yaml", content)
    assert problems(cli, bare) == found(expected)


def test_bom_and_crlf_are_accepted(cli, bare):
    write(bare, "roles/x.yaml", b"\xef\xbb\xbf" + BASE.replace("\n", "\r\n").encode())
    result = cli("validate", root=bare)
    assert (result.exit_code, result.output) == (0, "1 file valid\n")


def test_bom_and_crlf_keep_line_numbers(cli, bare):
    write(bare, "roles/x.yaml", b"\xef\xbb\xbf" + role(("{Paris: 60000}", "{Paris: 0}")).replace("\n", "\r\n").encode())
    assert problems(cli, bare) == found(
        "roles/x.yaml:20:21: salary.bands.senior.Paris: an amount must be greater than 0, got 0")


def test_billion_laughs_is_rejected_without_building_it(cli, bare, monkeypatch):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    write(bare, "roles/x.yaml", "\n".join(lines) + "\n")

    def never(*args, **kwargs):
        raise AssertionError("the YAML tree was built")

    # Building the node tree (or walking it) is what expands the aliases: neither may happen.
    monkeypatch.setattr(yaml, "compose", never)
    monkeypatch.setattr(kitgen.sources.yamlsafe, "_build", never)
    output = problems(cli, bare)
    assert output[0] == "roles/x.yaml:1:4: YAML anchor 'a' is not allowed: write the value out"
    assert output[1] == "roles/x.yaml:2:4: YAML anchor 'b' is not allowed: write the value out"
    assert output[2] == "roles/x.yaml:2:8: YAML alias 'a' is not allowed: write the value out"
    assert output[-1] == "81 problems found"  # 9 anchors and 72 aliases
    assert len(output) == 82


# -- YAML's implicit types: text stays text -------------------------------------------------------

def test_yes_no_off_and_leading_zeros_stay_text(bare):
    path = write(bare, "roles/x.yaml", role(
        ("title: Tester\n", "title: NO\nqualities: [yes, off, On, n]\nalso_known_as: [01234, 2024-01-15]\n"),
        ("{id: junior, name: Junior}", "{id: junior, name: Junior, experience: 0123}")))
    loaded = load_role(path, bare)
    assert isinstance(loaded, Role)
    assert loaded.title == "NO"
    assert loaded.qualities == ["yes", "off", "On", "n"]
    assert loaded.also_known_as == ["01234", "2024-01-15"]
    assert loaded.levels[0].experience == "0123"


def test_text_that_looks_like_a_boolean_validates(cli, bare):
    write(bare, "roles/x.yaml", role(("title: Tester", "title: NO")))
    result = cli("validate", root=bare)
    assert (result.exit_code, result.output) == (0, "1 file valid\n")


# -- several problems, several files --------------------------------------------------------------

def test_every_problem_of_a_file_in_one_run(cli, bare):
    write(bare, "roles/x.yaml", role(
        ("title: Tester", "titel: Tester"), ("missions: [Write tests]", "missions: []"),
        ("      competency: Testing", "      competency: X"), ("[35000, 38000]", "[39000, 38000]"),
        ("{Paris: 60000}", "{Paris: 77 K€}")))
    assert problems(cli, bare) == found(
        "roles/x.yaml:1:1: title: required key is missing",
        "roles/x.yaml:2:1: titel: unknown key 'titel' (did you mean 'title'?)",
        "roles/x.yaml:4:11: missions: needs at least 1 item",
        "roles/x.yaml:14:19: interview.questions[0].competency: unknown competency 'X' (competencies: Testing)",
        "roles/x.yaml:19:34: salary.bands.junior.Lyon: min 39000 is greater than max 38000",
        "roles/x.yaml:20:21: salary.bands.senior.Paris: expected a number or [min, max], got '77 K€'")


def test_problems_of_two_files_in_one_run(cli, bare):
    write(bare, "roles/x.yaml", role(("{Paris: 60000}", "{Paris: -1}")))
    write(bare, "roles/y.yaml", role(("lang: en", "lang: es")))
    assert problems(cli, bare) == found(
        "roles/x.yaml:20:21: salary.bands.senior.Paris: an amount must be greater than 0, got -1",
        "roles/y.yaml:1:7: lang: expected one of 'fr' or 'en', got 'es'")


def test_two_role_files_with_the_same_id(cli, bare):
    write(bare, "roles/a.yaml", BASE)
    write(bare, "roles/b.yaml", role(("lang: en\n", "# the id of a.yaml, by mistake\nid: a\nlang: en\n")))
    assert problems(cli, bare) == found("roles/b.yaml:2:5: id: role id 'a' is also used by roles/a.yaml")


def test_same_id_from_a_file_name_points_at_line_1(cli, bare):
    write(bare, "roles/a.yaml", role(("lang: en\n", "id: b\nlang: en\n")))
    write(bare, "roles/b.yaml", BASE)
    assert problems(cli, bare) == found("roles/b.yaml:1:1: id: role id 'b' is also used by roles/a.yaml")


def test_file_name_that_is_not_a_slug_without_id(cli, bare):
    write(bare, "roles/Head of QA.yaml", BASE)
    assert problems(cli, bare) == found(
        "roles/Head of QA.yaml:1:1: id: no id given and the file name 'Head of QA' is not a safe id: "
        "add `id: lowercase-with-hyphens`")


def test_file_name_that_is_not_a_slug_with_an_id(cli, bare):
    write(bare, "roles/Head of QA.yaml", role(("lang: en\n", "id: head-of-qa\nlang: en\n")))
    result = cli("validate", root=bare)
    assert (result.exit_code, result.output) == (0, "1 file valid\n")


# -- what to validate -----------------------------------------------------------------------------

@pytest.fixture
def two_roles(bare):
    """x.yaml is valid; y.yaml (id `why`) has one problem."""
    write(bare, "roles/x.yaml", BASE)
    write(bare, "roles/y.yaml", role(("lang: en\n", "id: why\nlang: en\n"), ("title: Tester", "title: [a]")))
    return bare


BAD_Y = "roles/y.yaml:3:8: title: expected text, got a list"


@pytest.mark.parametrize("ref", ["x", "roles/x.yaml"])
def test_validate_one_good_role(cli, two_roles, ref):
    result = cli("validate", ref, root=two_roles)
    assert (result.exit_code, result.output) == (0, "1 file valid\n")


@pytest.mark.parametrize("ref", ["y", "why", "roles/y.yaml"])
def test_validate_one_bad_role(cli, two_roles, ref):
    assert problems(cli, two_roles, ref) == found(BAD_Y)


def test_validate_a_path_outside_the_roles_folder(cli, two_roles, tmp_path):
    elsewhere = write(tmp_path, "draft.yaml", role(("{Paris: 60000}", "{Paris: 0}")))
    assert problems(cli, two_roles, str(elsewhere)) == found(
        "draft.yaml:20:21: salary.bands.senior.Paris: an amount must be greater than 0, got 0")


def test_unknown_role_id_is_a_usage_error(cli, two_roles):
    # y.yaml is broken: that must not hide the real answer, "no such role".
    result = cli("validate", "nope", root=two_roles)
    assert result.exit_code == 2
    assert "no role 'nope' in roles (roles: x, y)" in result.output
    assert BAD_Y not in result.output


def test_relative_path_is_read_from_the_project(cli, project, monkeypatch):
    # The repository has a valid roles/directeur-ecommerce.yaml too: -C must win over the cwd.
    monkeypatch.chdir(ROOT)
    path = project / "roles" / "directeur-ecommerce.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("lang: fr", "lang: de"), encoding="utf-8")
    output = problems(cli, project, "roles/directeur-ecommerce.yaml")
    assert output[-1] == "1 problem found"
    assert output[0].startswith("roles/directeur-ecommerce.yaml:")
    assert output[0].endswith(": lang: expected one of 'fr' or 'en', got 'de'")


def test_no_role_files(cli, bare):
    assert problems(cli, bare) == found("roles: no role files (*.yaml) found")


# -- the company file -----------------------------------------------------------------------------

COMPANY = {
    "unknown keys": (
        "name: Acme\nband_spred: 0.1\nofer_valid_days: 3\n",
        ["company.yaml:2:1: band_spred: unknown key 'band_spred' (did you mean 'band_spread'?)",
         "company.yaml:3:1: ofer_valid_days: unknown key 'ofer_valid_days' (did you mean 'offer_valid_days'?)"]),
    "band_spread of 1 or more": (
        "name: Acme\nband_spread: 1.5\n",
        ["company.yaml:2:14: band_spread: must be less than 1, got 1.5"]),
    "negative band_spread": (
        "name: Acme\nband_spread: -0.1\n",
        ["company.yaml:2:14: band_spread: must be at least 0, got -0.1"]),
    "band_spread as text": (
        "name: Acme\nband_spread: 10 %\n",
        ["company.yaml:2:14: band_spread: expected a number, got '10 %'"]),
    "offer_valid_days of 0 and a signatory without title": (
        "name: Acme\noffer_valid_days: 0\nsignatory: {name: Ada}\n",
        ["company.yaml:2:19: offer_valid_days: must be greater than 0, got 0",
         "company.yaml:3:12: signatory.title: required key is missing"]),
    "brand colour": (
        "name: Acme\nbrand:\n  color: blue\n",
        ["company.yaml:3:10: brand.color: expected a colour written \"#rrggbb\", in quotes, got 'blue'"]),
    "missing name": (
        "legal_name: Acme SAS\n",
        ["company.yaml:1:1: name: required key is missing"]),
}


@pytest.mark.parametrize("content, expected", COMPANY.values(), ids=COMPANY.keys())
def test_bad_company_file(cli, bare, content, expected):
    write(bare, "roles/x.yaml", BASE)
    write(bare, "company.yaml", content)
    assert problems(cli, bare) == found(*expected)


def test_company_and_role_problems_together(cli, bare):
    write(bare, "roles/x.yaml", role(("lang: en", "lang: EN")))
    write(bare, "company.yaml", "name: Acme\nname: Acme bis\n")
    assert problems(cli, bare) == found(
        "company.yaml:2:1: name: duplicate key (first given on line 1)",
        "roles/x.yaml:1:7: lang: expected one of 'fr' or 'en', got 'EN'")


def test_valid_company_counts_as_a_file(cli, bare):
    write(bare, "roles/x.yaml", BASE)
    write(bare, "company.yaml", "name: Acme\nband_spread: 0.15\n")
    result = cli("validate", root=bare)
    assert (result.exit_code, result.output) == (0, "2 files valid\n")


# -- kitgen list ----------------------------------------------------------------------------------

def test_list_prints_a_table(cli, bare):
    write(bare, "roles/x.yaml", BASE)
    write(bare, "roles/ops.yaml", role(
        ("title: Tester", "title: Site reliability engineer"), ("lang: en", "lang: fr"),
        ("salary:\n  currency: EUR\n  locations: [Paris, Lyon]\n", "salary:\n  currency: EUR\n  locations: [Paris]\n"),
        ("Lyon: [35000, 38000]", "")))
    write(bare, "roles/plain.yaml", BASE.split("salary:")[0])
    result = cli("list", root=bare)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "ID     TITLE                      LANG  LEVELS          LOCATIONS",
        "ops    Site reliability engineer  fr    junior, senior  Paris",
        "plain  Tester                     en    junior, senior  -",
        "x      Tester                     en    junior, senior  Paris, Lyon",
    ]


def test_list_reports_bad_files(cli, bare):
    write(bare, "roles/x.yaml", role(("{Paris: 60000}", "{Paris: 0}")))
    result = cli("list", root=bare)
    assert result.exit_code == 1
    assert result.output.splitlines() == found(
        "roles/x.yaml:20:21: salary.bands.senior.Paris: an amount must be greater than 0, got 0")


# -- internal errors and --debug ------------------------------------------------------------------

BOOM = """
import sys
import kitgen.commands.validate

def boom(*args, **kwargs):
    raise RuntimeError("boom")

kitgen.commands.validate.validate_project = boom
from kitgen.cli import main
main(sys.argv[1:], prog_name="kitgen")
"""


def run_boom(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", BOOM, *args, "-C", str(root), "validate"],
                          capture_output=True, text=True, timeout=120)


def test_internal_error_without_debug_has_no_traceback(bare):
    result = run_boom(bare)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == "error: RuntimeError: boom (run with --debug for details)\n"


def test_internal_error_with_debug_shows_the_traceback(bare):
    result = run_boom(bare, "--debug")
    assert result.returncode == 1
    assert "Traceback (most recent call last):" in result.stderr
    assert ', in boom\n' in result.stderr
    assert result.stderr.rstrip().endswith("RuntimeError: boom")


def test_validate_does_not_import_weasyprint():
    code = (
        "import sys, kitgen.cli\n"
        f"kitgen.cli.main(['-C', {str(ROOT)!r}, 'validate'], standalone_mode=False)\n"
        "assert 'weasyprint' not in sys.modules, 'validate imported weasyprint'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("files valid\n")


# -- no traceback for any file --------------------------------------------------------------------

def _paths(value, path=()):
    """Every place in a parsed role where a value sits (to be replaced by junk)."""
    yield path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield from _paths(item, path + (key,))


BASE_DATA = yaml.safe_load(BASE)
PATHS = list(_paths(BASE_DATA))[1:]
JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6)


def _replaced(data, path, junk):
    if not path:
        return junk
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replaced(data[path[0]], path[1:], junk)
    return copy


PYDANTIC_WORDING = ("should be", "should have", "Value error", "Input ")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("junk") / "x.yaml"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), junk=JUNK)
def test_any_junk_value_gives_problems_not_a_crash(scratch, path, junk):
    scratch.write_text(yaml.safe_dump(_replaced(BASE_DATA, path, junk), allow_unicode=True), encoding="utf-8")
    try:
        load_role(scratch, scratch.parent)
    except DataError as exc:
        for problem in exc.problems:
            assert problem.line >= 1 and problem.column >= 1, problem
            # pydantic's own wording ("Input should be...", "Value error, ...") must not leak.
            assert not any(words in problem.message for words in PYDANTIC_WORDING), problem
