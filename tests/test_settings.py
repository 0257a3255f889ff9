"""kitgen.toml: known keys only, formats as a list or a comma-separated text, errors with their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kitgen.commands import open_project

ROLE = """\
lang: en
title: Tester
summary: Tests things.
missions: [Write tests]
levels: [{id: junior, name: Junior}]
competencies: [{name: Testing, expectations: {junior: Writes tests}}]
interview:
  questions: [{text: Tell us how you test}]
"""
KNOWN = "known keys: roles, templates, output, company, formats, offer_template, limits, lang"
FORMATS = "formats: pdf, docx, html, md, jsonld, json"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project with one valid role in roles/ and no kitgen.toml yet."""
    (tmp_path / "roles").mkdir()
    (tmp_path / "roles" / "x.yaml").write_text(ROLE, encoding="utf-8")
    return tmp_path


def settings(root: Path, content: str | bytes) -> None:
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    (root / "kitgen.toml").write_bytes(data)


BAD = {
    "unknown key": ('roles = "roles"\ncolour = "blue"\n', [f"kitgen.toml:2:1: colour: unknown key ({KNOWN})"]),
    "unknown format": ('output = "out"\nformats = ["pdf", "odt"]\n',
                       [f"kitgen.toml:2:1: formats: unknown format 'odt' ({FORMATS})"]),
    "unknown format in a text": ('formats = "pdf, doc"\n', [f"kitgen.toml:1:1: formats: unknown format 'doc' ({FORMATS})"]),
    "no format": ("formats = []\n", [f"kitgen.toml:1:1: formats: no format given ({FORMATS})"]),
    "formats as a number": ("formats = 3\n", ["kitgen.toml:1:1: formats: expected a list of format names (pdf, "
                                              "docx, html, md, jsonld, json)"]),
    "a number among the formats": ('formats = ["pdf", 3]\n', ["kitgen.toml:1:1: formats: expected a list of format "
                                                              "names (pdf, docx, html, md, jsonld, json)"]),
    "a path that is not text": ('roles = "roles"\n\noutput = 3\n', ["kitgen.toml:3:1: output: expected text (a path)"]),
    "a table instead of a path": ("[company]\nname = 1\n", ["kitgen.toml:1:1: company: expected text (a path)"]),
    "syntax error": ('roles = "roles"\noutput = ?\n', ["kitgen.toml:2:10: TOML syntax error: Invalid value"]),
    "syntax error at the end": ('roles = "roles"\nformats = [\n', ["kitgen.toml:2:1: TOML syntax error: Invalid value"]),
    "not UTF-8": ('output = "sortie-\u00e9t\u00e9"\n'.encode("cp1252"),
                  ["kitgen.toml:1:18: not UTF-8: byte 0xe9 at offset 17; save the file as UTF-8"]),
    "every problem at once": ('colour = "blue"\nformats = "pdf,odt"\ntemplates = false\n',
                              [f"kitgen.toml:1:1: colour: unknown key ({KNOWN})",
                               f"kitgen.toml:2:1: formats: unknown format 'odt' ({FORMATS})",
                               "kitgen.toml:3:1: templates: expected text (a path)"]),
}


@pytest.mark.parametrize("content, expected", BAD.values(), ids=BAD.keys())
def test_bad_settings_are_reported_with_their_line(cli, root, content, expected):
    settings(root, content)
    result = cli("validate", root=root)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    count = len(expected)
    assert result.output.splitlines() == [*expected, f"{count} problem{'s' if count != 1 else ''} found"]


@pytest.mark.parametrize("value, expected", [
    ('"pdf, docx"', ["pdf", "docx"]),
    ('"PDF,, Docx ,pdf"', ["pdf", "docx"]),
    ('["html", "md", "jsonld"]', ["html", "md", "jsonld"]),
])
def test_formats_as_text_or_list(cli, root, value, expected):
    settings(root, f"formats = {value}\n")
    assert open_project(root).formats == expected
    result = cli("validate", root=root)
    assert (result.exit_code, result.output) == (0, "1 file valid\n")


def test_defaults_without_settings_file(root):
    project = open_project(root)
    assert project.formats == ["pdf", "docx"]
    assert (project.roles_dir, project.output_dir, project.templates_dir, project.company_path) == (
        root / "roles", root / "output", root / "templates", root / "company.yaml")


def test_settings_move_the_folders(cli, root):
    (root / "roles").rename(root / "people")
    (root / "acme.yaml").write_text("name: Acme\nband_spread: 2\n", encoding="utf-8")
    settings(root, b'\xef\xbb\xbfroles = "people"\r\noutput = "build"\r\ncompany = "acme.yaml"\r\n')
    project = open_project(root)
    assert (project.roles_dir, project.output_dir, project.company_path) == (
        root / "people", root / "build", root / "acme.yaml")
    result = cli("validate", root=root)  # the role is found in people/, the company file is acme.yaml
    assert result.exit_code == 1
    assert result.output.splitlines() == ["acme.yaml:2:14: band_spread: must be less than 1, got 2",
                                          "1 problem found"]
