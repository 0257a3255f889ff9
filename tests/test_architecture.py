"""The package's shape (issue 12, docs/architecture.md): layers that import only downwards, no import
cycle, Click in cli.py alone. Every import of every module is read, function-level ones included."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.support import ROOT

PACKAGE = ROOT / "src" / "kitgen"
# cli -> commands -> outputs -> formats -> documents -> sources -> errors (and the version in kitgen/__init__)
LAYERS = {"kitgen.__main__": 7, "kitgen.cli": 6, "kitgen.commands": 5, "kitgen.outputs": 4, "kitgen.formats": 3,
          "kitgen.documents": 2, "kitgen.sources": 1, "kitgen.errors": 0, "kitgen": 0}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> int:
    """The layer of a module: the longest prefix of its name in LAYERS."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in LAYERS:
            return LAYERS[prefix]
    raise AssertionError(f"{module} is in no layer")


def imports(module: str) -> list[tuple[int, str]]:
    """(line, imported kitgen module) for every import statement anywhere in the module."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for alias in node.names:  # `from kitgen.documents import templating` names a module
                candidate = f"{base}.{alias.name}"
                found.append((node.lineno, candidate if candidate in MODULES else base))
    return [(line, name) for line, name in found if name == "kitgen" or name.startswith("kitgen.")]


def all_imports(module: str) -> list[tuple[int, str]]:
    """Also every third-party or standard module imported (for the Click rule)."""
    found = []
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            found.append((node.lineno, node.module or ""))
    return found


def test_every_module_is_in_a_layer_and_imports_only_downwards():
    upward = []
    for module in MODULES:
        for line, imported in imports(module):
            assert imported in MODULES, f"{module}:{line}: imports {imported}, which does not exist"
            if layer(imported) > layer(module):
                upward.append(f"{MODULES[module].relative_to(ROOT)}:{line}: {module} imports {imported}")
    assert upward == []


def test_there_is_no_import_cycle():
    graph = {module: sorted({name for _, name in imports(module)} - {module}) for module in MODULES}
    state: dict[str, str] = {}
    cycles: list[list[str]] = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for imported in graph[module]:
            if state.get(imported) == "open":
                cycles.append(trail[trail.index(imported):] + [imported])
            elif imported not in state:
                visit(imported, trail + [imported])
        state[module] = "done"

    for module in graph:
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_only_the_cli_imports_click():
    found = [f"{module}:{line}" for module in MODULES if module != "kitgen.cli"
             for line, name in all_imports(module) if name == "click" or name.startswith("click.")]
    assert found == []


def test_the_checks_above_can_fail(tmp_path, monkeypatch):
    """The import reader sees a function-level upward import and a relative one."""
    fake = tmp_path / "kitgen" / "sources" / "bad.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("def f():\n    from kitgen.commands import build\n    from .. import cli\n", encoding="utf-8")
    monkeypatch.setitem(MODULES, "kitgen.sources.bad", fake)
    assert imports("kitgen.sources.bad") == [(2, "kitgen.commands.build"), (3, "kitgen.cli")]
    assert layer("kitgen.sources.bad") < layer("kitgen.commands.build")


ARCHITECTURE_DOC = ROOT / "docs" / "architecture.md"


def test_docs_architecture_names_only_modules_that_exist():
    text = ARCHITECTURE_DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:sources|documents|formats|outputs|commands)/[a-z_/]+\.py)`", text))
    named |= {f"{name}.py" for name in re.findall(r"`((?:cli|errors))\.py`", text)}
    assert len(named) > 20
    missing = sorted(name for name in named if not (PACKAGE / name).is_file())
    assert missing == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.count(".") == 1 and MODULES[m].name != "__init__.py"
                                          and m.split(".")[1] not in ("__main__",)))
def test_every_top_level_module_is_in_the_architecture_doc(module):
    assert f"`{module.split('.')[1]}.py`" in ARCHITECTURE_DOC.read_text(encoding="utf-8")


def test_the_docx_class_vocabulary_is_the_templates_one():
    """Every class the DOCX writer understands is used by a built-in template (none is dead), and
    every class it tests for is listed in CLASSES."""
    from kitgen.formats.docx_writer import CLASSES

    templates = " ".join(path.read_text(encoding="utf-8") for path in (ROOT / "templates").glob("*.j2"))
    used = set(re.findall(r'class="([^"]*)"', templates))
    used_words = {word for value in used for word in re.sub(r"\{[{%].*?[%}]\}", " ", value).split()}
    assert sorted(name for name in CLASSES if name not in used_words and name not in templates) == []
    writer = MODULES["kitgen.formats.docx_writer"].read_text(encoding="utf-8")
    tested = set(re.findall(r'"([a-z]+(?:-[a-z]+)*)" in cls\b', writer))
    assert tested and tested <= set(CLASSES)
