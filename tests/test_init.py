"""Issue 9, starting a project: `kitgen init` in an empty folder gives a project that validates,
builds and lints clean; it never overwrites a file; `kitgen new-role` writes skeletons that
validate, and refuses bad ids and existing roles."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kitgen.cli import main
from tests.support import docx_text, missing, pdf_text

RUNNER = CliRunner()


def run(*args: str):
    return RUNNER.invoke(main, list(args), catch_exceptions=False)


def test_init_validate_build_and_lint_in_an_empty_folder(tmp_path):
    root = tmp_path / "recrutement"
    result = run("init", str(root))
    assert result.exit_code == 0, result.output
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*")) == [
        "company.yaml", "kitgen.toml", "output", "roles", "roles/responsable-service-client.yaml",
        "schema", "schema/company.schema.json", "schema/role.schema.json", "schema/scorecard.schema.json",
        "schema/settings.schema.json", "templates", "templates/README.md"]
    assert run("-C", str(root), "validate").output == "2 files valid\n"
    built = run("-C", str(root), "build", "-j", "2", "-q", "--level", "confirme")
    assert built.exit_code == 0, built.output
    folder = root / "output" / "responsable-service-client"
    ad_text = pdf_text(folder / "job-ad.pdf")
    assert missing(["Responsable du service client", "Votre société", "Relation client"], ad_text) == []
    kit_text = docx_text(folder / "interview-kit-confirme.docx")
    assert missing(["Racontez-nous une réclamation difficile", "Animation d'équipe"], kit_text) == []
    assert sorted(p.name for p in folder.iterdir()) == [
        "interview-kit-confirme.docx", "interview-kit-confirme.pdf", "job-ad.docx", "job-ad.pdf"]
    lint = run("-C", str(root), "lint", "--strict")
    assert (lint.exit_code, lint.output.splitlines()[-1]) == (0, "1 role checked: 0 errors, 0 warnings")


def test_init_in_english_makes_an_english_project(tmp_path):
    result = run("init", str(tmp_path), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert run("-C", str(tmp_path), "validate").output == "2 files valid\n"
    assert run("-C", str(tmp_path), "lint", "--strict").exit_code == 0
    ad = run("-C", str(tmp_path), "ad", "customer-support-specialist", "-f", "docx")
    assert ad.exit_code == 0, ad.output
    text = docx_text(tmp_path / "output/customer-support-specialist/job-ad.docx")
    assert missing(["Customer Support Specialist", "Your company", "$42,000"], text) == []


def test_init_prints_the_next_three_commands(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = run("init", "acme").output.splitlines()
    assert lines[0] == ("created in acme: kitgen.toml, templates/README.md, company.yaml, "
                        "roles/responsable-service-client.yaml, schema/role.schema.json, schema/company.schema.json, "
                        "schema/scorecard.schema.json, schema/settings.schema.json, output/")
    assert lines[1:] == ["next: fill in company.yaml, then",
                         "  kitgen -C acme validate",
                         "  kitgen -C acme build",
                         '  kitgen -C acme new-role charge-recrutement --title "Chargé ou chargée de recrutement"']
    here = run("-C", "acme", "init", "--lang", "en", str(tmp_path / "other")).output.splitlines()
    assert here[2] == f"  kitgen -C {tmp_path / 'other'} validate"


def test_init_in_the_current_folder_says_plain_kitgen(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("init").output.splitlines()[2] == "  kitgen validate"


def test_init_refuses_to_clobber_and_writes_nothing(tmp_path):
    (tmp_path / "kitgen.toml").write_text("formats = ['pdf']\n", encoding="utf-8")
    (tmp_path / "company.yaml").write_text("name: Mine\n", encoding="utf-8")
    result = run("init", str(tmp_path))
    assert result.exit_code == 1
    assert result.output == ("error: refused to overwrite existing files (nothing was written):\n"
                             f"  {tmp_path / 'kitgen.toml'}\n  {tmp_path / 'company.yaml'}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["company.yaml", "kitgen.toml"]
    assert (tmp_path / "company.yaml").read_text(encoding="utf-8") == "name: Mine\n"


def test_init_twice_refuses_the_second_time(tmp_path):
    assert run("init", str(tmp_path)).exit_code == 0
    again = run("init", str(tmp_path), "--lang", "en")
    assert again.exit_code == 1
    assert f"  {tmp_path / 'company.yaml'}\n" in again.output
    assert not (tmp_path / "roles/customer-support-specialist.yaml").exists()


# -- new-role ------------------------------------------------------------------------------------

@pytest.fixture
def fresh(tmp_path) -> Path:
    assert run("init", str(tmp_path)).exit_code == 0
    return tmp_path


@pytest.mark.parametrize("args, levels", [
    ((), ["junior", "confirme", "senior"]),
    (("--lang", "en"), ["junior", "mid", "senior"]),
    (("--levels", "stagiaire, lead-dev"), ["stagiaire", "lead-dev"]),
])
def test_new_role_writes_a_skeleton_that_validates(fresh, args, levels):
    result = run("-C", str(fresh), "new-role", "charge-recrutement", "--title", "Chargé·e : recrutement # RH \"A\"",
                 *args)
    assert result.exit_code == 0, result.output
    path = fresh / "roles/charge-recrutement.yaml"
    mark = "To be completed" if "en" in args else "À compléter"
    assert result.output.splitlines() == [str(path), f'next: replace every "{mark}" with your text, then run '
                                          "`kitgen validate roles/charge-recrutement.yaml`"]
    validated = run("-C", str(fresh), "validate", "roles/charge-recrutement.yaml")
    assert (validated.exit_code, validated.stdout) == (0, "1 file valid\n")
    line = 11 if "en" in args else 15  # the French skeleton says more about titles first
    assert f"warning: roles/charge-recrutement.yaml:{line}:10: summary: still a placeholder ({mark}): write the " \
           "real text" in validated.stderr.splitlines()
    from kitgen.sources.loading import load_role

    role = load_role(path)
    assert role.title == "Chargé·e : recrutement # RH \"A\""
    assert role.level_ids == levels
    assert role.summary == mark
    kit = run("-C", str(fresh), "kit", "charge-recrutement", "--level", levels[0], "-f", "html")
    assert kit.exit_code == 0, kit.output


@pytest.mark.parametrize("role_id", ["Data_Analyst", "_x", "a" * 65, "../x", "é"])
def test_new_role_refuses_a_bad_id(fresh, role_id):
    result = run("-C", str(fresh), "new-role", role_id, "--title", "X")
    assert result.exit_code == 2
    assert f"Invalid value for ID: {role_id!r} is not a safe id" in result.output
    assert not any(p.name != "responsable-service-client.yaml" for p in (fresh / "roles").iterdir())


@pytest.mark.parametrize("levels, message", [
    ("junior,Junior", "'Junior' is not a safe level id"),
    ("junior,junior", "a level id is given twice"),
    (" , ", "give at least one level id"),
])
def test_new_role_refuses_bad_levels(fresh, levels, message):
    result = run("-C", str(fresh), "new-role", "x", "--title", "X", "--levels", levels)
    assert result.exit_code == 2
    assert message in result.output


def test_new_role_refuses_an_existing_role(fresh):
    result = run("-C", str(fresh), "new-role", "responsable-service-client", "--title", "X")
    assert (result.exit_code, result.output) == (
        1, "error: role 'responsable-service-client' exists already: roles/responsable-service-client.yaml "
           "(nothing was written)\n")


def test_new_role_refuses_an_id_another_file_declares(fresh):
    source = fresh / "roles/responsable-service-client.yaml"
    source.rename(fresh / "roles/support.yaml")
    result = run("-C", str(fresh), "new-role", "responsable-service-client", "--title", "X")
    assert result.exit_code == 1
    assert "exists already: roles/support.yaml" in result.output
    assert not (fresh / "roles/responsable-service-client.yaml").exists()
