"""Issue 20: YAML mistakes in words a person can act on, at the real place, with the line and a caret.

Each test writes a small role (BASE with one line changed) into an empty project, runs
`kitgen validate` and compares the whole output: `file:line:column: message`, then the source line
and a `^` under the column, then the count. Line numbers below are BASE's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kitgen.errors import DataError, Problem
from kitgen.sources import yamlhelp
from kitgen.sources.loading import load_role
from tests.test_validation import BASE, bare, role  # noqa: F401 - bare is a fixture

# BASE (whose line numbers the messages below name), role() and the bare project: test_validation's.


def validate(cli, root: Path, content: str) -> list[str]:
    """Write roles/x.yaml, run `kitgen validate`; it must fail (exit 1) without a traceback."""
    (root / "roles" / "x.yaml").write_bytes(content.encode("utf-8"))
    result = cli("validate", root=root)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output.splitlines()


def shown(first: str, line: str, column: int) -> list[str]:
    """A problem as printed: its first line, the source line indented, a caret under `column`."""
    return [first, f"    {line}", " " * (3 + column) + "^"]


def count(n: int) -> list[str]:
    return [f"{n} problem{'s' if n != 1 else ''} found"]


TAB = "line {n} starts with a tab: YAML indents with spaces only; replace the tab with spaces"

CASES = {
    "tab indenting a key": (
        [("  currency: EUR", "\tcurrency: EUR")],
        shown("roles/x.yaml:16:1: " + TAB.format(n=16), "\\tcurrency: EUR", 1)),
    "tab after spaces": (
        [("      competency: Testing", "    \tcompetency: Testing")],
        shown("roles/x.yaml:14:5: " + TAB.format(n=14), "    \\tcompetency: Testing", 5)),
    "tab after a colon": (
        [("title: Tester", "title:\tTester")],
        shown("roles/x.yaml:2:7: line 2 holds a tab: YAML separates with spaces only; replace the tab "
              "with a space", "title:\\tTester", 7)),
    "': ' inside a text": (
        [("title: Tester", "title: Responsable : e-commerce")],
        shown('roles/x.yaml:2:20: ": " inside a text: put the whole text in quotes: '
              'title: "Responsable : e-commerce"', "title: Responsable : e-commerce", 20)),
    "': ' inside a text, short": (
        [("title: Tester", "title: a: b")],
        shown('roles/x.yaml:2:9: ": " inside a text: put the whole text in quotes: title: "a: b"', "title: a: b", 9)),
    "': ' inside a text, with a comment": (
        [("title: Tester", "title: a: b  # to check")],
        shown('roles/x.yaml:2:9: ": " inside a text: put the whole text in quotes: title: "a: b"  # to check',
              "title: a: b  # to check", 9)),
    "key indented more than the one above": (
        [("  locations: [Paris, Lyon]", "    locations: [Paris, Lyon]")],
        shown('roles/x.yaml:17:5: "locations" is indented more than "currency" on line 16: start it at '
              'column 3, like "currency"', "    locations: [Paris, Lyon]", 5)),
    "key indented less than the one above": (
        [("  locations: [Paris, Lyon]", " locations: [Paris, Lyon]")],
        shown('roles/x.yaml:17:2: "locations" is indented less than "currency" on line 16: start it at '
              'column 3, like "currency"', " locations: [Paris, Lyon]", 2)),
    "key of a list item indented less": (
        [("      competency: Testing", "     competency: Testing")],
        shown('roles/x.yaml:14:6: "competency" is indented less than "text" on line 13: start it at '
              'column 7, like "text"', "     competency: Testing", 6)),
    "list item indented less": (
        [("  - {id: senior, name: Senior}", " - {id: senior, name: Senior}")],
        shown('roles/x.yaml:7:2: this list item is indented less than the one on line 6: start its "-" at '
              'column 3, like the item above', " - {id: senior, name: Senior}", 2)),
    "list item indented more": (
        [("    expectations: {junior: Writes tests, senior: Designs suites}\n",
          "    expectations: {junior: Writes tests, senior: Designs suites}\n   - name: Listening\n")],
        shown('roles/x.yaml:11:4: this list item is indented more than the one on line 9: start its "-" at '
              'column 3, like the item above', "   - name: Listening", 4)),
    "unclosed double quote": (
        [("title: Tester", 'title: "Tester')],
        shown('roles/x.yaml:2:8: this " is never closed: end the text with " on the same line: title: "Tester"',
              'title: "Tester', 8)),
    "unclosed quote closed by a later one": (
        [("title: Tester", 'title: "Tester'), ("summary: Tests things.", 'summary: "Tests things."')],
        shown('roles/x.yaml:2:8: this " is never closed: end the text with " on the same line: title: "Tester"',
              'title: "Tester', 8)),
    "unclosed single quote": (
        [("summary: Tests things.", "summary: 'Tests things.")],
        shown("roles/x.yaml:3:10: this ' is never closed: end the text with ' on the same line: "
              "summary: 'Tests things.'", "summary: 'Tests things.", 10)),
    "apostrophe inside single quotes": (
        [("missions: [Write tests]", "missions:\n  - 'Être à l'écoute'")],
        shown("roles/x.yaml:5:14: this ' closes the text opened by the first ': put the whole text in double "
              "quotes: - \"Être à l'écoute\"", "  - 'Être à l'écoute'", 14)),
    "text after the closing quote": (
        [("title: Tester", 'title: "Chef" de projet')],
        shown("roles/x.yaml:2:15: text after the closing quote: put the whole text in quotes: "
              "title: '\"Chef\" de projet'", 'title: "Chef" de projet', 15)),
    "unclosed bracket": (
        [("missions: [Write tests]", "missions: [Write tests")],
        shown("roles/x.yaml:4:11: this [ is never closed: add the ]: missions: [Write tests]",
              "missions: [Write tests", 11)),
    "unclosed brace inside a list": (
        [("junior: {Paris: 40000, Lyon: [35000, 38000]}", "junior: {Paris: 40000, Lyon: [35000, 38000]")],
        shown("roles/x.yaml:19:13: this { is never closed: add the }: junior: {Paris: 40000, Lyon: [35000, 38000]}",
              "    junior: {Paris: 40000, Lyon: [35000, 38000]", 13)),
    "unclosed brace at the end of a line": (
        [("  - {id: junior, name: Junior}", "  - {id: junior, name: Junior")],
        shown("roles/x.yaml:6:5: this { is never closed: add the }: - {id: junior, name: Junior}",
              "  - {id: junior, name: Junior", 5)),
    "value starting with @": (
        [("title: Tester", "title: @Tester")],
        shown('roles/x.yaml:2:8: a text cannot start with @: put the whole text in quotes: title: "@Tester"',
              "title: @Tester", 8)),
    "value starting with a backtick": (
        [("summary: Tests things.", "summary: `kitgen` tests things.")],
        shown('roles/x.yaml:3:10: a text cannot start with `: put the whole text in quotes: '
              'summary: "`kitgen` tests things."', "summary: `kitgen` tests things.", 10)),
    "value starting with %": (
        [("summary: Tests things.", "summary: %100 remote")],
        shown('roles/x.yaml:3:10: a text cannot start with %: put the whole text in quotes: '
              'summary: "%100 remote"', "summary: %100 remote", 10)),
    "value starting with >": (
        [("summary: Tests things.", "summary: > 5 years of tests")],
        shown('roles/x.yaml:3:10: a text cannot start with >: put the whole text in quotes: '
              'summary: "> 5 years of tests"', "summary: > 5 years of tests", 10)),
    "value read as a comment": (
        [("title: Tester", "title: #1 Tester")],
        shown('roles/x.yaml:2:8: title: the value was read as a comment: put it in quotes: title: "#1 Tester"',
              "title: #1 Tester", 8)),
}


@pytest.mark.parametrize("changes, expected", CASES.values(), ids=CASES.keys())
def test_yaml_mistake_is_explained_at_its_place(cli, bare, changes, expected):
    assert validate(cli, bare, role(*changes)) == expected + count(1)


def test_several_tab_lines_give_one_problem_each(cli, bare):
    text = role(("  currency: EUR\n  locations: [Paris, Lyon]", "\tcurrency: EUR\n\tlocations: [Paris, Lyon]"),
                ("      competency: Testing", "\t\tcompetency: Testing"))
    assert validate(cli, bare, text) == [
        *shown("roles/x.yaml:14:1: " + TAB.format(n=14), "\\t\\tcompetency: Testing", 1),
        *shown("roles/x.yaml:16:1: " + TAB.format(n=16), "\\tcurrency: EUR", 1),
        *shown("roles/x.yaml:17:1: " + TAB.format(n=17), "\\tlocations: [Paris, Lyon]", 1),
        *count(3)]


def test_a_tab_and_a_later_type_error_are_both_reported(cli, bare):
    text = role(("  currency: EUR", "\tcurrency: EUR"), ("senior: {Paris: 60000}", "senior: 60000"))
    assert validate(cli, bare, text) == [
        *shown("roles/x.yaml:16:1: " + TAB.format(n=16), "\\tcurrency: EUR", 1),
        "roles/x.yaml:20:13: salary.bands.senior: expected a mapping (key: value), got 60000",
        *count(2)]


def test_a_problem_on_a_tab_line_has_the_column_of_the_file(cli, bare):
    """The copy indents with spaces; positions are still those of the file as written."""
    text = role(("  currency: EUR", "\tcurrency: eur"))
    assert validate(cli, bare, text) == [
        *shown("roles/x.yaml:16:1: " + TAB.format(n=16), "\\tcurrency: eur", 1),
        "roles/x.yaml:16:12: salary.currency: expected a currency code of three capital letters (EUR, USD), "
        "got 'eur'",
        *count(2)]


def test_a_tab_and_a_syntax_error_after_it(cli, bare):
    text = role(("  currency: EUR", "\tcurrency: EUR"), ("senior: {Paris: 60000}", "senior: @60000"))
    assert validate(cli, bare, text) == [
        *shown("roles/x.yaml:16:1: " + TAB.format(n=16), "\\tcurrency: EUR", 1),
        *shown('roles/x.yaml:20:13: a text cannot start with @: put the whole text in quotes: senior: "@60000"',
               "    senior: @60000", 13),
        *count(2)]


def test_comment_after_a_value_is_a_comment(cli, bare):
    (bare / "roles" / "x.yaml").write_text(role(("title: Tester", "title: Tester  # note"),
                                                ("summary: Tests things.", "summary: Tests things. #todo")))
    result = cli("validate", root=bare)
    assert (result.exit_code, result.output) == (0, "1 file valid\n")


def test_brand_colour_read_as_a_comment(cli, project):
    company = project / "company.yaml"
    lines = company.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, 1) if line.strip().startswith("color:"))
    assert lines[number - 2].strip() == "brand:"
    lines[number - 1] = "  color: #2e7d32\n"
    company.write_text("".join(lines), encoding="utf-8")
    result = cli("validate")
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        *shown(f'company.yaml:{number}:10: brand.color: the value was read as a comment: put it in quotes: '
               f'color: "#2e7d32"', "  color: #2e7d32", 10),
        *count(1)]


def test_brand_colour_in_quotes_is_fine(cli, project):
    company = project / "company.yaml"
    text = company.read_text(encoding="utf-8")
    assert 'color: "#' in text
    company.write_text(text.replace('color: "#0b5394"', 'color: "#2e7d32"'), encoding="utf-8")
    result = cli("validate")
    assert result.exit_code == 0, result.output


def test_list_item_read_as_a_comment(cli, bare):
    text = role(("missions: [Write tests]", "missions:\n  - Write tests\n  - #hashtag"))
    assert validate(cli, bare, text)[:3] == shown(
        'roles/x.yaml:6:5: missions[1]: the value was read as a comment: put it in quotes: - "#hashtag"',
        "  - #hashtag", 5)


def test_other_syntax_errors_keep_pyyaml_words(cli, bare):
    text = role(("salary:\n", "---\nsalary:\n"))
    assert validate(cli, bare, text) == [
        "roles/x.yaml:15:1: YAML syntax error: expected a single document in the stream, but found another document",
        *count(1)]


def test_the_first_line_stays_file_line_column_message(tmp_path):
    """Tools parse the first line; the excerpt is a separate field, printed under it."""
    path = tmp_path / "x.yaml"
    path.write_text(role(("title: Tester", "title: Responsable : e-commerce")), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_role(path, tmp_path)
    [problem] = caught.value.problems
    assert (problem.line, problem.column, problem.path) == (2, 20, "")
    assert problem.message == yamlhelp.say("colon", fixed='title: "Responsable : e-commerce"')
    assert str(problem).splitlines()[0] == f"x.yaml:2:20: {problem.message}"
    assert problem == Problem("x.yaml", 2, 20, "", problem.message)  # the excerpt does not take part


def test_a_wide_or_escaped_character_keeps_the_caret_in_place():
    lines = ["title: 日本\u202e: x"]
    assert yamlhelp.excerpt(lines, 1, 11) == "    title: 日本\\u202e: x\n" + " " * 4 + " " * 17 + "^"



def test_a_file_indented_with_tabs_throughout(cli, bare):
    """More tab lines than one scan each (yamlhelp.MAX_TAB_ROUNDS): the later ones are fixed at once."""
    text = "".join("\t" * ((len(line) - len(line.lstrip(" "))) // 2) + line.lstrip(" ")
                   for line in BASE.splitlines(keepends=True))
    numbers = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith("\t")]
    assert len(numbers) > yamlhelp.MAX_TAB_ROUNDS
    output = validate(cli, bare, text)
    assert output[::3] == [f"roles/x.yaml:{n}:1: " + TAB.format(n=n) for n in numbers] + count(len(numbers))
