"""kitgen's own words in the user's language (issue 20): the project's `lang` in kitgen.toml, else
the environment's, else English; the same catalogs as the documents; the `file:line:column: path:`
prefix the same in every language. (tests/test_catalogs.py: every text has its French.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitgen import i18n
from kitgen.cli import main

ROLE = "roles/backend-engineer.yaml"


def run(project: Path | None, *args: str, language: str = "en"):
    env = {"LANGUAGE": language, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
    base = ["-C", str(project)] if project else []
    return CliRunner(env=env).invoke(main, [*base, *args], prog_name="kitgen")


def test_the_help_speaks_the_language_of_the_environment():
    french = run(None, "--help", language="fr").output
    assert french.startswith("Utilisation : kitgen [OPTIONS] COMMAND [ARGS]...")
    assert "Afficher ce message et quitter." in french
    assert "Construire l’annonce et tous les guides d’entretien" in french
    english = run(None, "--help", language="en").output
    assert english.startswith("Usage: kitgen [OPTIONS] COMMAND [ARGS]...")
    assert "Build the job ad and every interview kit" in english
    assert run(None, "--help", language="de").output == english  # a language kitgen does not speak


def test_an_options_help_and_clicks_errors_are_french_too(project: Path):
    kit = run(project, "kit", "--help", language="fr").output
    assert "Identifiant du niveau cible (par ex. confirme)." in kit and "[obligatoire]" in kit
    missing = run(project, "kit", language="fr")
    assert missing.exit_code == 2
    assert "Erreur : Argument manquant 'ROLE'." in missing.output


def test_the_projects_lang_wins_over_the_environment(project: Path):
    (project / "kitgen.toml").write_text('lang = "fr"\n', encoding="utf-8")
    assert run(project, "kit", "--help", language="en").output.startswith("Utilisation : kitgen kit")
    (project / "kitgen.toml").write_text('lang = "en"\n', encoding="utf-8")
    assert run(project, "kit", "--help", language="fr").output.startswith("Usage: kitgen kit")


def test_a_problem_keeps_its_prefix_and_changes_its_words(project: Path):
    role = project / ROLE
    lines = role.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[at] = "title: Backend: Engineer"
    role.write_text("\n".join(lines) + "\n", encoding="utf-8")
    english = run(project, "validate", ROLE, language="en")
    french = run(project, "validate", ROLE, language="fr")
    assert english.exit_code == french.exit_code == 1
    prefix = f"roles/backend-engineer.yaml:{at + 1}:15: "
    first_en, first_fr = english.output.splitlines()[0], french.output.splitlines()[0]
    assert first_en == prefix + '": " inside a text: put the whole text in quotes: title: "Backend: Engineer"'
    assert first_fr == prefix + "« : » à l’intérieur d’un texte : mettre tout le texte entre guillemets : " \
                                'title: "Backend: Engineer"'
    assert english.output.splitlines()[-1] == "1 problem found"
    assert french.output.splitlines()[-1] == "1 problème trouvé"


def test_an_unknown_lang_in_kitgen_toml_is_reported(project: Path):
    (project / "kitgen.toml").write_text('lang = "de"\n', encoding="utf-8")
    result = run(project, "validate")
    assert result.exit_code == 1
    assert "kitgen.toml:1:1: lang: expected one of fr, en, got 'de'" in result.output


def test_the_language_reaches_worker_processes(monkeypatch):
    monkeypatch.setenv("LANGUAGE", "en")
    i18n.set_language("fr")
    assert os.environ[i18n.ENVIRONMENT] == "fr"
    code = "from kitgen.i18n import tr; print(tr('the file is empty'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "le fichier est vide"


@pytest.mark.parametrize(("value", "expected"), [("fr_FR.UTF-8", "fr"), ("en_GB.UTF-8", "en"), ("de_DE.UTF-8", None),
                                                 ("C.UTF-8", None), ("", None)])
def test_the_environments_language(monkeypatch, value: str, expected: str | None):
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", value)
    assert i18n.from_environment() == expected


def test_plural_forms_count_as_french_does():
    i18n.set_language("fr")
    assert i18n.tr_n("%(count)d problem found", "%(count)d problems found", 0) == "0 problème trouvé"
    assert i18n.tr_n("%(count)d problem found", "%(count)d problems found", 2) == "2 problèmes trouvés"
    i18n.set_language("en")
    assert i18n.tr_n("%(count)d problem found", "%(count)d problems found", 0) == "0 problems found"
