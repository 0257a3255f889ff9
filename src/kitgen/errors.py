"""kitgen's exceptions and the exit codes they map to (0 ok, 1 bad data/template/output, 2 usage).

The library raises these and nothing else for a user's mistake; only `kitgen.cli` turns them into
messages and exit codes (Click's usage message for a `UsageError`, `error: ...` for the others).
This module imports nothing of kitgen but `kitgen.i18n` (its words in the user's language) and no
third-party library: every layer may use it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from kitgen.i18n import tr, tr_n


def printable(text: str) -> str:
    """`text` with every control or format character escaped (`\\n`, `\\x1b`, `\\u202e`), so that a
    file name cannot start a forged message line or reorder the terminal's text."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char == " " else _escape(char) for char in text)


def _escape(char: str) -> str:
    if unicodedata.category(char) in ("Zs",):  # spaces other than " " are visible enough
        return char
    return repr(char)[1:-1] if char in "\n\r\t" else f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in an input file, with its place: `file:line:column: path: message`."""

    file: str
    line: int
    column: int
    path: str
    message: str
    excerpt: str = field(default="", compare=False)  # lines shown under the first: the source, a caret

    def __str__(self) -> str:
        file = printable(self.file)
        where = f"{file}:{self.line}" if self.line else file
        where += f":{self.column}" if self.line and self.column else ""  # CSV rows have no column
        first = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        return f"{first}\n{self.excerpt}" if self.excerpt else first


class KitgenError(Exception):
    """Base of every error kitgen reports to a user without a traceback (exit code 1)."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def report(self) -> str:
        """The text the command line prints on stderr."""
        return tr("error: %(message)s", message=self.message)


class UsageError(KitgenError):
    """Raised when an option or argument has a value kitgen cannot use (exit code 2).

    `param_hint` names the option (`'--level'`, `ROLE`), as Click shows it: "Invalid value for
    '--level': ...". Without it the message stands alone after Click's usage line.
    """

    exit_code = 2

    def __init__(self, message: str, param_hint: str | None = None):
        super().__init__(message)
        self.param_hint = param_hint


class RoleNotFound(UsageError):
    """Raised when a ROLE argument names no role file and no role id of the project."""


class DataError(KitgenError):
    """Raised when a role, company, candidate or settings file is invalid; carries every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        lines = [str(p) for p in self.problems]
        lines.append(tr_n("%(count)d problem found", "%(count)d problems found", count))
        super().__init__("\n".join(lines))

    def report(self) -> str:
        return self.message


class TemplateError(KitgenError):
    """Raised when a template cannot be found, compiled or rendered (names template and line)."""


class RenderError(KitgenError):
    """Raised when a document cannot be turned into PDF/DOCX/HTML (refused fetch, unsupported HTML...)."""


class OutputError(KitgenError):
    """Raised when an output file cannot be written safely (outside the output folder, not ours...)."""


class OfferError(KitgenError):
    """Raised when an offer's values break a rule: salary outside its band, below the SMIC, bad dates.

    `field` names the value at fault (a CSV column: salary, start_date...) when there is one.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
