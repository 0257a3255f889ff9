"""Placeholders: the texts of a role file still to write, and the rule that they are never published.

The marks are data (`placeholders.yaml` beside this file): `TODO`, `XXX`, a text starting with
`À compléter` or `To be completed`, words in angle brackets (`<nom du poste>`). `kitgen new-role`
writes the same marks (`starter`), so a fresh skeleton is always flagged. The loader records each
place on the role (`record`, at load time, with its `file:line:column`); `kitgen validate` warns
about them, and the commands that publish (build, ad, lint, offer, offers) call `check`, which
refuses the role unless the draft is allowed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kitgen.errors import DataError, Problem
from kitgen.i18n import tr
from kitgen.sources import values
from kitgen.sources.yamlsafe import Located, dotted

MARKS_FILE = Path(__file__).with_name("placeholders.yaml")
# Words in angle brackets, `<nom du poste>`: several words, so that a tag-like `<Lab>` or `<script>`
# (text shown as written, markup never) is not taken for one.
ANGLE_RE = re.compile(r"<[^\W\d_][^<>\n/=\"]{0,80}?\s[^<>\n/=\"]{0,80}>")


@functools.cache
def marks() -> dict:
    """The data file: words, openings, angle_brackets, starter."""
    import yaml

    return yaml.safe_load(MARKS_FILE.read_text(encoding="utf-8"))


def starter(lang: str) -> str:
    """The mark `kitgen new-role` writes for a text to write, in `lang`."""
    return marks()["starter"][lang]


def mark_in(text: str) -> str | None:
    """The placeholder mark `text` holds (as the data file spells it, or the bracketed text), or None."""
    for word in marks()["words"]:
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text):
            return word
    start = values.folded(re.sub(r"^\W+", "", text))
    for opening in marks()["openings"]:
        if start.startswith(values.folded(opening)):
            return opening
    found = ANGLE_RE.search(text) if marks().get("angle_brackets") else None
    return found.group() if found else None


def find(items: Iterable[tuple[tuple, Any]], located: Located, label: str) -> list[Problem]:
    """Every text of a file (its (path, value) pairs) that is still a placeholder, with its place."""
    problems = []
    for path, value in items:
        mark = mark_in(value) if isinstance(value, str) else None
        if mark is not None:
            problems.append(Problem(label, *located.where(path), dotted(path),
                                    tr("still a placeholder (%(mark)s): write the real text", mark=mark)))
    return problems


def record(role, problems: list[Problem]) -> None:
    """Keep the role's placeholders on it and on each of its languages' versions."""
    for version in {id(v): v for v in [role, *role._versions.values()]}.values():
        version._placeholders = list(problems)


def found(role) -> list[Problem]:
    """The role's texts still to write, as the loader found them (none for a role made in code)."""
    return list(getattr(role, "_placeholders", None) or [])


def check(role, allow_draft: bool = False) -> list[str]:
    """For a command that publishes `role`: DataError listing every placeholder, unless
    `allow_draft`; then the same lines, returned as warnings (empty for a finished role)."""
    problems = found(role)
    if problems and not allow_draft:
        raise DataError(problems)
    return [str(problem) for problem in problems]
