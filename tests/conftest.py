"""Shared fixtures: a copy of the sample project, a CLI runner bound to it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitgen.cli import main
from tests.support import ROOT


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    """kitgen's messages in English whatever the machine's locale (LANG=fr_FR would otherwise turn
    them French: kitgen.i18n); the tests of French messages set the language themselves."""
    monkeypatch.setenv("LANGUAGE", "en")
    monkeypatch.delenv("KITGEN_MESSAGES_LANG", raising=False)
    from kitgen import i18n

    i18n._chosen.clear()
    yield
    i18n._chosen.clear()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the sample project (roles and company file) in a temporary folder."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "roles", root / "roles")
    shutil.copy(ROOT / "company.yaml", root / "company.yaml")
    return root


@pytest.fixture
def cli(project: Path):
    """Run `kitgen -C <project> ARGS...`; returns Click's result (exit_code, output, stderr)."""
    runner = CliRunner()

    def invoke(*args: str, root: Path | None = None):
        return runner.invoke(main, ["-C", str(root or project), *args], catch_exceptions=False)

    return invoke
