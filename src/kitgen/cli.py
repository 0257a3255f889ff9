"""The command line: each command parses its options, calls one library function and prints.

Heavy modules (WeasyPrint, python-docx) are imported inside the functions that need them, so
`kitgen --help`, `validate` and `list` start fast. Exit codes: 0 ok, 1 bad data/template/output, 2 usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kitgen import __version__
from kitgen.errors import KitgenError
from kitgen.project import KNOWN_FORMATS, Project, load_project


class Context:
    """What every command gets: the project folder and the --debug flag."""

    def __init__(self, root: Path | None, debug: bool):
        self.root = root
        self.debug = debug
        self._project: Project | None = None

    @property
    def project(self) -> Project:
        if self._project is None:
            self._project = load_project(self.root)
        return self._project


pass_ctx = click.make_pass_decorator(Context)


class KitgenGroup(click.Group):
    """Turns any unexpected exception into a one-line error unless --debug is given."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug or an environment problem: no traceback without --debug
            if isinstance(ctx.obj, Context) and ctx.obj.debug:
                raise
            raise KitgenError(f"{type(exc).__name__}: {exc} (run with --debug for details)") from exc


def parse_formats(values: tuple[str, ...], default: list[str], allowed=KNOWN_FORMATS) -> list[str]:
    """`-f pdf,docx -f html` -> ['pdf', 'docx', 'html']; an unknown format is a usage error."""
    if not values:
        return list(default)
    formats: list[str] = []
    for value in values:
        for name in (v.strip().lower() for v in value.split(",") if v.strip()):
            if name not in allowed:
                raise click.BadParameter(f"unknown format {name!r} (formats: {', '.join(allowed)})",
                                         param_hint="'-f' / '--format'")
            if name not in formats:
                formats.append(name)
    return formats


@click.group(cls=KitgenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="kitgen")
@click.option("-C", "--project", "root", type=click.Path(file_okay=False, path_type=Path),
              help="Project folder (default: the current directory).")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
@click.pass_context
def main(ctx: click.Context, root: Path | None, debug: bool) -> None:
    """Turn role files into job ads, interview kits and offer letters (PDF, DOCX, HTML)."""
    ctx.obj = Context(root, debug)


@main.command()
@click.argument("refs", nargs=-1, metavar="[PATH|ROLE-ID]...")
@pass_ctx
def validate(obj: Context, refs: tuple[str, ...]) -> None:
    """Check role files (default: every role and the company file) and report every problem.

    Example: kitgen validate roles/directeur-ecommerce.yaml
    """
    from kitgen.validation import validate_project

    checked = validate_project(obj.project, list(refs))
    click.echo(f"{checked} file{'s' if checked != 1 else ''} valid")


@main.command(name="list")
@pass_ctx
def list_roles(obj: Context) -> None:
    """Print a table of the project's roles: id, title, language, levels, locations.

    Example: kitgen list
    """
    from kitgen.validation import role_table

    click.echo(role_table(obj.project))


def run() -> None:
    """Entry point used by tests that want the real exit code without Click's runner."""
    sys.exit(main())
