"""kitgen's exceptions and the exit codes they map to (0 ok, 1 bad data/template/output, 2 usage)."""

from __future__ import annotations

from dataclasses import dataclass

import click


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in an input file, with its place: `file:line:column: path: message`."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        where += f":{self.column}" if self.line and self.column else ""  # CSV rows have no column
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class KitgenError(click.ClickException):
    """Base of every error kitgen reports to a user without a traceback (exit code 1)."""

    exit_code = 1

    def show(self, file=None) -> None:  # noqa: D102 - same as Click, without the "Error: " prefix on lists
        click.echo(f"error: {self.format_message()}", file=file, err=True)


class DataError(KitgenError):
    """Raised when a role, company, candidate or settings file is invalid; carries every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        lines = [str(p) for p in self.problems]
        lines.append(f"{count} problem{'s' if count != 1 else ''} found")
        super().__init__("\n".join(lines))

    def show(self, file=None) -> None:
        click.echo(self.format_message(), file=file, err=True)


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
