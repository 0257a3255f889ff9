"""Shell completion (issue 19): Click's completion, run as the shell runs it, completes role ids,
levels, locations and stages from the project; `kitgen completion SHELL` prints each shell's script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import BashComplete
from click.testing import CliRunner

from kitgen.cli import main


def complete(project: Path, words: list[str], incomplete: str) -> list[str]:
    completer = BashComplete(main, {}, "kitgen", "_KITGEN_COMPLETE")
    return [item.value for item in completer.get_completions(["-C", str(project), *words], incomplete)]


def test_a_partial_role_id_completes(project: Path):
    assert complete(project, ["kit"], "back") == ["backend-engineer"]
    assert complete(project, ["build"], "") == ["backend-engineer", "directeur-ecommerce"]
    assert complete(project, ["build", "backend-engineer"], "dir") == ["directeur-ecommerce"]


def test_a_partial_level_completes_from_the_role_on_the_command_line(project: Path):
    assert complete(project, ["kit", "backend-engineer", "--level"], "s") == ["senior"]
    assert complete(project, ["kit", "directeur-ecommerce", "--level"], "") == ["junior", "confirme", "senior"]
    assert complete(project, ["kit", "directeur-ecommerce", "--level"], "CONF") == ["confirme"]
    # No role yet (build --level): the levels of every role.
    assert complete(project, ["build", "--level"], "") == ["junior", "mid", "senior", "confirme"]


def test_locations_and_stages_complete(project: Path):
    assert complete(project, ["offer", "directeur-ecommerce", "--location"], "") == ["Paris", "Grandes villes",
                                                                                    "Régions"]
    assert complete(project, ["offer", "directeur-ecommerce", "--location"], "reg") == ["Régions"]
    role = project / "roles" / "backend-engineer.yaml"
    text = role.read_text(encoding="utf-8")
    names = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("  - name:")]
    role.write_text(text.replace("\ninterview:\n", f"\ninterview:\n  stages:\n    - id: technical\n      name: "
                                 f"Technical interview\n      competencies: [{names[0]}]\n    - id: team\n      name: "
                                 f"Team fit\n      competencies: [{names[1]}]\n", 1), encoding="utf-8")
    assert CliRunner().invoke(main, ["-C", str(project), "validate", "backend-engineer"]).exit_code == 0
    assert complete(project, ["kit", "backend-engineer", "--stage"], "te") == ["technical", "team"]


def test_a_broken_role_file_completes_nothing_of_its_own_and_never_fails(project: Path):
    (project / "roles" / "backend-engineer.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    assert complete(project, ["kit", "backend-engineer", "--level"], "") == ["junior", "confirme", "senior"]
    assert complete(project, ["kit"], "") == ["backend-engineer", "directeur-ecommerce"]
    assert complete(project / "nowhere", ["kit"], "") == []


@pytest.mark.parametrize(("shell", "marker"), [("bash", "complete -o nosort -F _kitgen_completion kitgen"),
                                               ("zsh", "compdef _kitgen_completion kitgen"),
                                               ("fish", "complete --no-files --command kitgen")])
def test_the_completion_command_prints_each_shells_script(shell: str, marker: str):
    result = CliRunner().invoke(main, ["completion", shell])
    assert result.exit_code == 0 and marker in result.output
    assert "_KITGEN_COMPLETE" in result.output


def test_bash_completes_through_the_installed_command(project: Path):
    """As bash calls it: the environment variables, the words, the output Click's script reads."""
    env = {**os.environ, "_KITGEN_COMPLETE": "bash_complete", "COMP_WORDS": f"kitgen -C {project} kit dir",
           "COMP_CWORD": "4"}
    result = subprocess.run([str(Path(sys.executable).parent / "kitgen")], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["plain,directeur-ecommerce"]
