"""Docs that cannot drift: every command has help and an example in the README."""

from __future__ import annotations

import click

from kitgen.cli import main
from tests.support import ROOT


def _commands(group: click.Group, prefix: str = "kitgen"):
    for name, command in group.commands.items():
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix} {name}")


def test_every_command_has_help_and_a_readme_example():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path, command in _commands(main):
        assert (command.help or "").strip(), f"{path} has no help text"
        assert path in readme, f"{path} is not in the README"


def test_docs_linked_from_the_readme_exist():
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for link in re.findall(r"\]\((docs/[^)#]+)(?:#[^)]*)?\)", readme):
        assert (ROOT / link).is_file(), link
