"""The command line: each command parses its options, calls one function of `kitgen.commands` and
prints. The only module that imports Click.

Heavy modules (WeasyPrint, python-docx) are imported inside the functions that need them, so
`kitgen --help`, `validate` and `list` start fast. Exit codes: 0 ok, 1 bad data/template/output, 2 usage:
kitgen's own errors (`kitgen.errors`) become Click's messages here, in the command's context.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from kitgen import __version__
from kitgen.errors import KitgenError, UsageError, printable
from kitgen.formats import NAMES as FORMAT_NAMES
from kitgen.i18n import tr, tr_n
from kitgen.sources.languages import LANGUAGES
from kitgen.sources.project import Project
from kitgen.sources.schemas import KINDS as SCHEMA_KINDS


class Reported(click.ClickException):
    """A kitgen error on its way out: printed as kitgen words it (`error: ...`), with its exit code."""

    def __init__(self, error: KitgenError):
        super().__init__(error.message)
        self.error = error
        self.exit_code = error.exit_code

    def show(self, file=None) -> None:
        click.echo(self.error.report(), file=file, err=True)


def click_error(exc: KitgenError, ctx: click.Context) -> click.ClickException:
    """Click's form of a kitgen error: a usage error shows the command's usage line, as Click does."""
    if isinstance(exc, UsageError):
        if exc.param_hint:
            return click.BadParameter(exc.message, ctx=ctx, param_hint=exc.param_hint)
        return click.UsageError(exc.message, ctx=ctx)
    return Reported(exc)


class Context:
    """What every command gets: the project folder and the --debug flag."""

    def __init__(self, root: Path | None, debug: bool):
        self.root = root
        self.debug = debug
        self._project: Project | None = None

    @property
    def project(self) -> Project:
        if self._project is None:
            from kitgen.commands import open_project

            self._project = open_project(self.root)
        return self._project


pass_ctx = click.make_pass_decorator(Context)


def _translate_click() -> None:
    """Click's own words ("Usage:", "Missing option", "Show this message and exit.") through
    kitgen's catalogs, in the language the command line chose (kitgen.i18n)."""
    import importlib

    from kitgen import i18n

    def gettext(message: str) -> str:
        return i18n.translations(i18n.language()).gettext(message)

    def ngettext(singular: str, plural: str, count: int) -> str:
        return i18n.translations(i18n.language()).ngettext(singular, plural, count)

    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


# The modules of Click whose words a kitgen user sees (tools/update_catalogs.py extracts them).
CLICK_MODULES = ("click.core", "click.decorators", "click.exceptions", "click.formatting", "click.parser",
                 "click.termui", "click.types", "click.utils", "click.shell_completion")
_translate_click()


class Translated:
    """Help texts shown in the chosen language: each command's and option's English help is the
    msgid, looked up when the help is shown (the language is known only once the command line is
    read). `help_texts()` lists them for the catalogs."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated_help([self, *self.get_params(ctx)]):
            super().format_help(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated_help([self]):
            return super().get_short_help_str(limit)


@contextlib.contextmanager
def _translated_help(objects: list):
    import inspect

    from kitgen.i18n import tr

    saved = [(item, item.help) for item in objects if getattr(item, "help", None)]
    for item, text in saved:
        item.help = tr(inspect.cleandoc(text))
    try:
        yield
    finally:
        for item, text in saved:
            item.help = text


class KitgenCommand(Translated, click.Command):
    """Turns kitgen's errors into Click's inside the command's context (so a usage error shows the
    command's usage line)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KitgenError as exc:
            raise click_error(exc, ctx) from exc


class KitgenGroup(Translated, click.Group):
    """Commands are KitgenCommands; any unexpected exception is a one-line error unless --debug.
    Before anything is read, the language of kitgen's words is chosen: kitgen.toml's `lang` in the
    project folder (-C, else here), else the environment's (kitgen.i18n)."""

    command_class = KitgenCommand
    group_class = type  # subgroups are KitgenGroups too

    def main(self, args=None, *rest, **options):
        from kitgen import i18n
        from kitgen.sources.project import declared_language

        words = list(sys.argv[1:] if args is None else args)
        i18n.set_language(declared_language(_project_option(words)) or i18n.from_environment())
        return super().main(args, *rest, **options)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except KitgenError as exc:
            raise click_error(exc, ctx) from exc
        except Exception as exc:  # a bug or an environment problem: no traceback without --debug
            if isinstance(ctx.obj, Context) and ctx.obj.debug:
                raise
            raise Reported(KitgenError(tr("%(kind)s: %(reason)s (run with --debug for details)",
                                          kind=type(exc).__name__, reason=exc))) from exc


def _project_option(words: list[str]) -> Path | None:
    """The -C/--project folder of a command line not parsed yet."""
    for index, word in enumerate(words):
        if word in ("-C", "--project") and index + 1 < len(words):
            return Path(words[index + 1])
        if word.startswith("--project="):
            return Path(word.split("=", 1)[1])
        if word.startswith("-C") and len(word) > 2:
            return Path(word[2:])
        if not word.startswith("-"):  # the command's name: what follows is its own
            return None
    return None


def help_texts(command: click.Command | None = None) -> list[str]:
    """Every help text of the command line, as the catalogs hold them (tools/update_catalogs.py)."""
    import inspect

    command = command or main
    found = [inspect.cleandoc(command.help)] if command.help else []
    found += [param.help for param in command.params if getattr(param, "help", None)]
    for sub in getattr(command, "commands", {}).values():
        found += help_texts(sub)
    return found


def _amount_option(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    """--salary: 85000, "85 000", 85000.50 or 85000,50 (a float option would take nan, inf, 1e5)."""
    from kitgen.sources.values import parse_amount

    try:
        return parse_amount(value) if value is not None else None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _date_option(ctx: click.Context, param: click.Parameter, value: str | None):
    """A YYYY-MM-DD option, read by the one date parser (kitgen.sources.values)."""
    from kitgen.sources.values import parse_date

    try:
        return parse_date(value) if value else None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _complete(kind: str):
    """Shell completion of role ids, levels, locations or stages from the project (`-C`, else here)."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str):
        from click.shell_completion import CompletionItem

        from kitgen.commands import completion

        root = ctx.find_root().params.get("root")
        if kind == "roles":
            found = completion.role_ids(root, incomplete)
        else:
            given = [ctx.params.get("role_ref"), *(ctx.params.get("refs") or ()),  # parsed, else still in args
                     *(arg for arg in ctx.args if not arg.startswith("-"))]
            role = next((value for value in given if value), None)
            found = getattr(completion, kind)(root, role, incomplete)
        return [CompletionItem(value, help=help_ or None) for value, help_ in found]

    return complete


ALLOW_DRAFT_HELP = ("Publish a role whose texts are still placeholders (TODO, À compléter): warnings instead of "
                    "errors.")


def wait_option(func):
    """--wait: how long a run waits for another kitgen run writing to the same output folder."""
    return click.option("--wait", type=click.FloatRange(min=0), default=600, show_default=True, metavar="SECONDS",
                        help="How long to wait for another kitgen run writing to the same output folder.")(func)


@contextlib.contextmanager
def _bar(total: int, label: str, enabled: bool, show_item: bool = False):
    """A progress bar on stderr when it is a terminal; yields advance(item=None)."""
    if not enabled or total == 0 or not sys.stderr.isatty():
        yield lambda item=None: None
        return
    options = {"show_pos": True, "item_show_func": lambda item: item or ""} if show_item else {}
    with click.progressbar(length=total, label=label, file=sys.stderr, **options) as bar:
        yield lambda item=None: bar.update(1, item)


@click.group(cls=KitgenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="kitgen")
@click.option("-C", "--project", "root", type=click.Path(file_okay=False, path_type=Path),
              help="Project folder (default: the current directory).")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
@click.pass_context
def main(ctx: click.Context, root: Path | None, debug: bool) -> None:
    """Turn role files into job ads, interview kits and offer letters (PDF, DOCX, HTML)."""
    from kitgen.outputs.folder import OutputFolder

    ctx.obj = Context(root, debug)
    OutputFolder.on_wait = staticmethod(lambda message: click.echo(message, err=True))


@main.command()
@click.argument("refs", nargs=-1, metavar="[PATH|ROLE-ID|DIR]...", shell_complete=_complete("roles"))
@pass_ctx
def validate(obj: Context, refs: tuple[str, ...]) -> None:
    """Check role files (default: every role and the company file; a folder: every role file in it)
    and report every problem; texts still to write (TODO, À compléter) are warnings.

    Example: kitgen validate roles/directeur-ecommerce.yaml
    """
    from kitgen.commands.validate import validate_project

    checked = validate_project(obj.project, list(refs), warn=_warn)
    click.echo(tr_n("%(count)d file valid", "%(count)d files valid", checked))


@main.command(name="list")
@pass_ctx
def list_roles(obj: Context) -> None:
    """Print a table of the project's roles: id, title, language, levels, locations.

    Example: kitgen list
    """
    from kitgen.commands.validate import role_table

    click.echo(role_table(obj.project))


@main.command()
@click.argument("csv_path", metavar="[CANDIDATES.csv|.xlsx]", required=False,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--example", metavar="[FILE]", is_flag=False, flag_value="", default=None,
              help="Write a ready-to-fill candidates file instead (default name: candidats.csv or candidates.csv; "
                   "a .xlsx name writes a workbook), in the project's language (or --lang); never replaces a file.")
@click.option("--date-order", type=click.Choice(["dmy", "mdy", "iso"]), default=None,
              help="How the file's dates like 01/03/2027 are typed: dmy (day first), mdy (month first) or iso "
                   "(YYYY-MM-DD only). Default: dmy for a French file, else YYYY-MM-DD only.")
@click.option("--sheet", metavar="NAME", default=None,
              help="The workbook's sheet to read (default: the first one); not for a CSV file.")
@click.option("-f", "--format", "formats", multiple=True, metavar="FMT[,FMT]",
              help="Formats: pdf, docx, html (default from kitgen.toml, else pdf,docx).")
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: the project's output folder).")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None,
              help="Language of the letters whose row has no `lang` (default: each role's primary language).")
@click.option("--allow-outside-band", is_flag=True, help="Warn instead of failing when outside the band.")
@click.option("--allow-past-date", is_flag=True, help="Allow start dates in the past (re-issuing letters).")
@click.option("--allow-draft", is_flag=True, help=ALLOW_DRAFT_HELP)
@click.option("--docx-template", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Fill this Word letterhead for the DOCX letter (default: offer_template in kitgen.toml).")
@click.option("--force", is_flag=True,
              help="Overwrite letters kitgen did not write, or edited since (an edited one is kept as NAME.edited.EXT).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Letters rendered in parallel (default: the number of CPUs).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, no list of files: problems only.")
@wait_option
@pass_ctx
def offers(obj: Context, csv_path, example, date_order, sheet, formats, out, lang, allow_outside_band, allow_past_date,
           allow_draft, docx_template, force, jobs, quiet, wait):
    """Render one offer letter per row of a CSV file or an Excel workbook (.xlsx: its first sheet,
    or --sheet); every row is checked before any is written.

    Columns: name, role, level, location, salary, start_date; optional: email, address, contract,
    end_date, min_duration, cdd_reason, trial_period, respond_by, kind, lang, civility, variable; or
    their French names (nom, poste, niveau, lieu, salaire, date d'entrée...). Bad rows are reported
    with their line and left out; the exit code is 1 when any row failed. See docs/offers.md.

    Example: kitgen offers candidates.csv -f pdf; kitgen offers candidats.xlsx --sheet Février;
    kitgen offers --example candidats.xlsx (a file to fill in)
    """
    from kitgen.commands import offers as run
    from kitgen.commands.render import letterhead, offer_formats
    from kitgen.documents.templating import today
    from kitgen.outputs.folder import OutputFolder

    project = obj.project
    if example is not None:
        if csv_path is not None:
            raise click.UsageError(tr("give a candidates file or --example, not both"))
        from kitgen.commands.offers_example import write_example

        written = write_example(project, Path(example) if example else None, today(), lang)
        click.echo(tr("%(file)s: fill it in, then: kitgen offers %(file)s", file=printable(str(written))))
        return
    if csv_path is None:
        raise click.UsageError(tr("missing the candidates file (CANDIDATES.csv|.xlsx), or --example to write one"))
    names = offer_formats(project, formats)
    template = letterhead(project, docx_template, names)
    with OutputFolder(out or project.output_dir, project.root, wait=wait) as folder:
        plan = run.plan_offers(project, csv_path, today(), folder, allow_outside_band, allow_past_date, lang, sheet,
                               date_order, allow_draft)
        for problem in sorted(plan.problems + plan.warnings):
            click.echo(str(problem), err=True)
        checked = len(plan.problems)
        with _bar(len(plan.letters), tr("Offer letters"), not quiet) as advance:
            paths = run.write_offers(project, plan, names, folder, template, advance, force, jobs)
    for problem in plan.problems[checked:]:  # letters that could not be written
        click.echo(str(problem), err=True)
    for path in [] if quiet else paths:
        click.echo(printable(str(path)))
    summary = run.summary(plan, paths)
    if plan.problems:
        raise Reported(KitgenError(summary))
    if not quiet:
        click.echo(summary)


@main.command()
@click.argument("refs", nargs=-1, metavar="[ROLE]...", shell_complete=_complete("roles"))
@click.option("-f", "--format", "formats", multiple=True, metavar="FMT[,FMT]",
              help=f"Formats: {', '.join(FORMAT_NAMES)} (default from kitgen.toml, else pdf,docx; "
                   "md and jsonld apply to job ads only).")
@click.option("--level", "levels", multiple=True, shell_complete=_complete("levels"),
              help="Build the kits of this level only (repeatable).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Documents rendered in parallel (default: the number of CPUs).")
@click.option("--force", is_flag=True, help="Rebuild everything, even outputs that are up to date.")
@click.option("--clean", is_flag=True, help="Delete outputs kitgen wrote for roles or levels that are gone "
              "(edited ones are kept unless --force); lists them and asks first.")
@click.option("-y", "--yes", is_flag=True, help="With --clean: delete without asking.")
@click.option("--stale", is_flag=True, help="Also render again the documents made with kitgen ad, kit, offer or "
              "offers whose inputs changed, with the options they were made with.")
@click.option("--rebuild-manifest", is_flag=True,
              help="Start a new record of what kitgen wrote (after a damaged one), keeping only files that "
                   "match what kitgen renders now.")
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: the project's output folder).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, warnings or summary; errors only.")
@click.option("-v", "--verbose", is_flag=True, help="List every file written.")
@click.option("--reproducible", is_flag=True,
              help="Set SOURCE_DATE_EPOCH from the role files (last git commit touching them, else their "
                   "newest modification time) for byte-identical output.")
@click.option("--allow-draft", is_flag=True, help=ALLOW_DRAFT_HELP)
@click.option("-w", "--watch", is_flag=True,
              help="Then watch the roles, the company file, kitgen.toml and the templates, and rebuild what "
                   "changed on every save (one line per rebuild) until Ctrl-C.")
@wait_option
@pass_ctx
def build(obj: Context, refs, formats, levels, jobs, force, clean, yes, stale, rebuild_manifest, out, quiet, verbose,
          reproducible, allow_draft, watch, wait):
    """Build the job ad and every interview kit of each ROLE (default: all roles), rebuilding only
    outputs whose inputs changed.

    Example: kitgen build --jobs 2 -f pdf,docx
    """
    from kitgen.commands.build import build as run_build
    from kitgen.formats import parse_names

    if clean and refs:
        raise click.UsageError(tr("--clean needs a build of every role (give no ROLE)"))
    if watch and (clean or rebuild_manifest):
        raise click.UsageError(tr("--watch cannot be used with %(option)s: run that build once, then watch",
                                  option="--clean" if clean else "--rebuild-manifest"))
    project = obj.project
    from kitgen.commands.reproducible import apply

    def progress(total: int):
        return _bar(total, tr("Building"), not quiet, show_item=True)

    def confirm(relatives: list[str]) -> bool:
        if yes or not relatives:
            return True
        listing = "".join(f"\n  {printable(relative)}" for relative in relatives)
        if sys.stdin.isatty() and sys.stderr.isatty():
            click.echo(tr("--clean will delete %(count)d file(s) kitgen wrote:%(files)s", count=len(relatives),
                          files=listing), err=True)
            return click.confirm(tr("Delete them?"), default=False, err=True)
        raise UsageError(tr("--clean would delete %(count)d file(s):%(files)s\nrun again with --yes to delete them",
                            count=len(relatives), files=listing))

    def once(project: Project, force: bool = force):
        if reproducible:
            apply(project)
        return run_build(project, list(refs), parse_names(formats, project.formats), tuple(levels), jobs,
                         force, clean, out, progress, rebuild_manifest, confirm, wait, stale, allow_draft)

    try:
        if not watch:
            _print_build(once(project), quiet, verbose)
            return
        from kitgen.commands.watching import look

        state = look(obj.root)  # before the first build: a save during it is built next
        try:
            _print_build(once(project), quiet, verbose, fail=False)
        except KitgenError as exc:  # a broken company file: said, and watched until it is fixed
            click.echo(exc.report(), err=True)
        _watch_builds(obj.root, once, quiet, state)
    except KeyboardInterrupt:
        if watch:
            click.echo(tr("stopped watching; only complete files were written"), err=True)
            return
        click.echo(tr("interrupted: only complete files were written"), err=True)
        raise click.exceptions.Exit(130) from None


def _watch_builds(root: Path | None, once, quiet: bool, state) -> None:
    """build --watch: one line per rebuild (what changed, the summary), then its errors."""
    import time

    from kitgen.commands.watching import watch_builds

    def said(paths: list[str], project_root: Path) -> str:
        from kitgen.sources.loading import display_path

        names = [printable(display_path(Path(path), project_root)) for path in paths]
        if len(names) <= 3:
            return ", ".join(names)
        return tr_n("%(files)s and %(count)d more", "%(files)s and %(count)d more", len(names) - 3,
                    files=", ".join(names[:3]))

    base = (root or Path.cwd()).resolve()

    def built(paths: list[str], report) -> None:
        click.echo(tr("%(time)s %(changed)s: %(summary)s", time=time.strftime('%H:%M:%S'), changed=said(paths, base),
                      summary=report.summary()))
        for warning in [] if quiet else report.warnings:
            _warn(warning)
        for where, message in report.failed:
            click.echo(_failure(where, message), err=True)

    def failed(paths: list[str], error: KitgenError) -> None:
        click.echo(tr("%(time)s %(changed)s: nothing built", time=time.strftime('%H:%M:%S'), changed=said(paths, base)))
        click.echo(error.report(), err=True)

    click.echo(tr("watching for changes (Ctrl-C stops)"))
    watch_builds(root, lambda project: once(project, force=False), built, failed, state)


def _failure(where: str, message: str) -> str:
    """A failed document or role file: `error: WHERE: message`, or, for a role file's problems
    (each line already `file:line:column: path: message`), those lines as they are."""
    if message.startswith(f"{printable(where)}:"):
        return message
    return tr("error: %(where)s: %(message)s", where=printable(where), message=message)


def _warn(message: str) -> None:
    """A warning for people on stderr: `warning: message` (the words in the user's language)."""
    click.echo(tr("warning: %(message)s", message=message), err=True)


def _print_build(report, quiet: bool, verbose: bool = False, fail: bool = True) -> None:
    for relative in report.removed:
        click.echo(tr("removed %(file)s", file=printable(relative)))
    for relative in report.kept:
        click.echo(tr("kept %(file)s: edited since kitgen wrote it (--force deletes it)", file=printable(relative)))
    if report.orphans and not quiet:
        click.echo(tr("%(count)d output(s) no longer match a role (kept; --clean deletes them):",
                      count=len(report.orphans)))
        for relative in report.orphans:
            click.echo(f"  {relative}")
    if report.stale and not quiet:
        click.echo(tr("%(count)d document(s) made outside the build are out of date (`kitgen build --stale` "
                      "renders them again with the options they were made with):", count=len(report.stale)))
        for stem in report.stale:
            click.echo(f"  {printable(stem)}")
    for warning in [] if quiet else report.warnings:
        _warn(warning)
    for where, message in report.failed:
        click.echo(_failure(where, message), err=True)
    if not quiet:
        for relative in report.built if verbose else []:
            click.echo(tr("built %(file)s", file=printable(relative)))
        click.echo(report.summary())
        if report.built and not verbose:
            click.echo(tr("rebuilt: %(roles)s (-v lists the files)", roles=report.rebuilt_roles()))
    if report.failed and fail:
        raise Reported(KitgenError(tr("%(count)d document(s) or role file(s) failed", count=len(report.failed))))


@main.command()
@click.argument("refs", nargs=-1, metavar="[ROLE]...", shell_complete=_complete("roles"))
@click.option("--location", default=None, shell_complete=_complete("locations"),
              help="Check the ad for one location, as `kitgen ad --location`.")
@click.option("--level", "levels", multiple=True, shell_complete=_complete("levels"),
              help="Check the ad for one level (repeatable).")
@click.option("--no-salary", is_flag=True, help="Check the ad without its salary, as `kitgen ad --no-salary`.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.option("--allow-draft", is_flag=True, help=ALLOW_DRAFT_HELP)
@pass_ctx
def lint(obj: Context, refs: tuple[str, ...], location, levels, no_salary, strict, allow_draft) -> None:
    """Check the job ad of each ROLE (default: every role) before publishing it.

    Prints `roles/x.yaml: error|warning: rule-id: message`; exit 1 on any error. Rules: pay-range,
    fr-title, fr-language, discriminatory-criterion, gender-coded, missing-mentions (docs/lint.md).

    Example: kitgen lint directeur-ecommerce --strict
    """
    from kitgen.commands.lint import lint_project
    from kitgen.documents.context import AdOptions

    options = AdOptions(location=location, levels=tuple(levels), no_salary=no_salary)
    report = lint_project(obj.project, list(refs), options, strict, allow_draft)
    for finding in report.findings:
        click.echo(str(finding))
    click.echo(report.summary())
    if report.errors:
        click.get_current_context().exit(1)


# -- starting a project, templates -----------------------------------------------------------

@main.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(LANGUAGES), default="fr", show_default=True,
              help="Language of the example role and of the company file.")
@pass_ctx
def init(obj: Context, directory: Path | None, lang: str) -> None:
    """Start a project in DIRECTORY (default: the project folder): kitgen.toml, company.yaml, an
    example role, templates/ and output/. Never overwrites a file.

    Example: kitgen init recrutement --lang fr
    """
    import shlex

    from kitgen.commands.scaffold import init_project

    root = directory or obj.root or Path.cwd()
    written = init_project(root, lang)
    click.echo(tr("created in %(folder)s: %(files)s", folder=root, files=", ".join(written)))
    here = root.resolve() == Path.cwd().resolve()
    prefix = "kitgen" if here else f"kitgen -C {shlex.quote(str(root))}"
    example = 'charge-recrutement --title "Chargé ou chargée de recrutement"' if lang == "fr" else \
        'recruiter --title "Recruiter" --lang en'
    click.echo(tr("next: fill in company.yaml, then"))
    for command in ("validate", "build", f"new-role {example}"):
        click.echo(f"  {prefix} {command}")


@main.command(name="new-role")
@click.argument("role_id", metavar="ID")
@click.option("--title", required=True, help="The role's title.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="fr", show_default=True,
              help="Language of the role file and of its documents.")
@click.option("--levels", default=None, metavar="ID[,ID]...",
              help="Level ids, lowest first (default: junior,confirme,senior; junior,mid,senior in English).")
@pass_ctx
def new_role_command(obj: Context, role_id: str, title: str, lang: str, levels: str | None) -> None:
    """Write roles/ID.yaml, a role skeleton that validates, with placeholders to fill in.

    Example: kitgen new-role charge-recrutement --title "Chargé ou chargée de recrutement"
    """
    from kitgen.commands.scaffold import new_role, parse_levels
    from kitgen.sources.placeholders import starter

    project = obj.project
    path = new_role(project, role_id, title, lang, parse_levels(levels, lang))
    click.echo(path)
    click.echo(tr('next: replace every "%(mark)s" with your text, then run `kitgen validate %(file)s`',
                  mark=starter(lang), file=project.label(path)))


@main.group()
def templates() -> None:
    """List, copy and describe the templates documents are made from (docs/templates.md)."""


@templates.command(name="list")
@pass_ctx
def templates_list(obj: Context) -> None:
    """Print every built-in template and whether the project's templates folder overrides it.

    Example: kitgen templates list
    """
    from kitgen.commands.scaffold import template_table

    click.echo(template_table(obj.project))


@templates.command(name="copy")
@click.argument("name")
@pass_ctx
def templates_copy(obj: Context, name: str) -> None:
    """Copy the built-in template NAME into the project's templates folder, to edit it there.

    Example: kitgen templates copy interview-kit.html.j2
    """
    from kitgen.commands.scaffold import copy_template

    path = copy_template(obj.project, name)
    click.echo(path)
    if name.endswith(".j2") and not name.startswith("_"):
        tag = f'{{% extends "builtin/{name}" %}}'  # Jinja, as the user types it
        click.echo(tr("edit it; or, to change one block only: %(tag)s (docs/templates.md)", tag=tag))


@templates.command(name="fields")
@click.argument("kind", type=click.Choice(["offer"]))
def templates_fields(kind: str) -> None:
    """Print the placeholders a Word letterhead for KIND may use (money and dates come formatted).

    Example: kitgen templates fields offer
    """
    from kitgen.formats.letterhead import describe_fields

    click.echo(describe_fields())


@main.command(name="help")
@click.argument("names", nargs=-1, metavar="[COMMAND]...")
@click.pass_context
def help_command(ctx: click.Context, names: tuple[str, ...]) -> None:
    """Print kitgen's help, or the help of COMMAND (kitgen help templates copy: a subcommand's).

    Example: kitgen help offer
    """
    from kitgen.sources.values import unknown

    command, parent = main, ctx.find_root()
    for name in names:
        commands = getattr(command, "commands", {})
        if name not in commands:
            raise click.UsageError(unknown("command", name, sorted(commands)), ctx=ctx)
        command = commands[name]
        parent = click.Context(command, info_name=name, parent=parent)
    click.echo(command.get_help(parent))


@main.command(name="schema")
@click.argument("kind", metavar="KIND", type=click.Choice(SCHEMA_KINDS))
def schema_command(kind: str) -> None:
    """Print the JSON Schema (Draft 2020-12) of a KIND file: role, company, scorecard (an
    interviewer's YAML sheet) or settings (kitgen.toml), for editors (docs/editors.md).

    Example: kitgen schema role > schema/role.schema.json
    """
    from kitgen.commands.schema import schema_text

    click.echo(schema_text(kind), nl=False)


# -- rendering commands ----------------------------------------------------------------------

def output_options(func):
    """-f/--format, -o/--out, --lang, --force and --wait, shared by the rendering commands."""
    func = wait_option(func)
    func = click.option("--force", is_flag=True,
                        help="Overwrite output files that kitgen did not write, or edited since (an edited one "
                             "is kept as NAME.edited.EXT).")(func)
    func = click.option("--lang", type=click.Choice(LANGUAGES), default=None,
                        help="Language of the document: its labels, and its texts when the role gives them "
                             "in that language (default: the role's primary language).")(func)
    func = click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help="Output folder (default: the project's output folder).")(func)
    func = click.option("-f", "--format", "formats", multiple=True, metavar="FMT[,FMT]",
                        help=f"Formats: {', '.join(FORMAT_NAMES)} (default from kitgen.toml, else pdf,docx).")(func)
    return func


def _print(doc, paths: list[Path]) -> None:
    for warning in doc.warnings:
        _warn(warning)
    for path in paths:
        click.echo(printable(str(path)))


@main.command()
@click.argument("role_ref", metavar="ROLE", shell_complete=_complete("roles"))
@click.option("--location", default=None, shell_complete=_complete("locations"),
              help="Advertise one location (default: every location).")
@click.option("--level", "levels", multiple=True, shell_complete=_complete("levels"),
              help="Advertise one level (repeatable; default: all).")
@click.option("--valid-through", default=None, metavar="YYYY-MM-DD", callback=_date_option, help="Last day to apply.")
@click.option("--apply-url", default=None, help="Where to apply (default: the company file's apply_url).")
@click.option("--no-salary", is_flag=True, help="Leave the salary out (lint reports it as an error).")
@click.option("--allow-draft", is_flag=True, help=ALLOW_DRAFT_HELP)
@output_options
@pass_ctx
def ad(obj: Context, role_ref, location, levels, valid_through, apply_url, no_salary, allow_draft, formats, out, lang,
       force, wait):
    """Render the job ad of ROLE (a role id or a role file).

    Example: kitgen ad directeur-ecommerce --location Paris -f pdf,docx,md,jsonld
    """
    from kitgen.commands import render
    from kitgen.documents.context import AdOptions

    options = AdOptions(location=location, levels=tuple(levels), no_salary=no_salary, apply_url=apply_url,
                        valid_through=valid_through)
    _print(*render.ad(obj.project, role_ref, options, formats, out, lang, force, wait, allow_draft))


@main.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the script that lets SHELL complete kitgen's commands, options, role ids, levels,
    locations and stages (README: "Shell completion").

    Example: kitgen completion bash > ~/.local/share/bash-completion/completions/kitgen
    """
    from click.shell_completion import get_completion_class

    click.echo(get_completion_class(shell)(main, {}, "kitgen", "_KITGEN_COMPLETE").source())


@main.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--no-open", is_flag=True, help="Do not open the browser.")
@pass_ctx
def preview(obj: Context, port: int, no_open: bool) -> None:
    """Show the project's documents in the browser, on http://127.0.0.1:PORT/ only; open pages reload
    when a role, the company file, a template or the stylesheet changes. Ctrl-C stops it.

    Example: kitgen preview --port 8001
    """
    from kitgen.commands.preview.server import serve

    serve(obj.root, port, not no_open, click.echo)


@main.command()
@click.argument("role_ref", metavar="ROLE", shell_complete=_complete("roles"))
@click.option("--level", required=True, shell_complete=_complete("levels"), help="Target level id (e.g. confirme).")
@click.option("--candidate", default=None, help="Candidate name (blank line to fill in otherwise).")
@click.option("--interviewer", "interviewers", multiple=True, help="Interviewer name (repeatable).")
@click.option("--date", "date_", default=None, metavar="YYYY-MM-DD", callback=_date_option, help="Interview date.")
@click.option("--competency", "competencies", multiple=True,
              help="Only these competencies (repeatable): a kit for one interview stage.")
@click.option("--stage", default=None, shell_complete=_complete("stages"),
              help="One interview stage (its id or name): its competencies and questions.")
@click.option("--no-appendix", is_flag=True, help="Leave out the skills matrix appendix.")
@click.option("--fillable/--no-fillable", default=True, show_default=True,
              help="A PDF with form fields to fill in on screen (docs/interview-kits.md lists them).")
@output_options
@pass_ctx
def kit(obj: Context, role_ref, level, candidate, interviewers, date_, competencies, stage, no_appendix, fillable,
        formats, out, lang, force, wait):
    """Render the interview kit of ROLE for one target level.

    Example: kitgen kit directeur-ecommerce --level confirme --candidate "Élodie Marchand" --interviewer "Hélène Marchand"
    """
    from kitgen.commands import render
    from kitgen.documents.context import KitOptions

    options = KitOptions(level=level, candidate=candidate, interviewers=tuple(interviewers), date=date_,
                         competencies=tuple(competencies), appendix=not no_appendix, stage=stage, fillable=fillable)
    _print(*render.kit(obj.project, role_ref, options, formats, out, lang, force, wait))


@main.command()
@click.argument("role_ref", metavar="ROLE", shell_complete=_complete("roles"))
@click.argument("sheets", nargs=-1, required=True, metavar="SHEET...",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--level", required=True, shell_complete=_complete("levels"),
              help="The level the candidate was interviewed for (id or name).")
@click.option("--candidate", required=True, help="The candidate's name, as the sheets give it.")
@output_options
@pass_ctx
def debrief(obj: Context, role_ref, sheets, level, candidate, formats, out, lang, force, wait):
    """Merge the interviewers' scorecards of one candidate (YAML sheets or filled kit PDFs) into a
    debrief: ratings, means, spreads, weighted total, recommendations, notes, the decision to record.

    Example: kitgen debrief directeur-ecommerce --level confirme --candidate "Camille Durand" sarah.yaml marc.pdf
    """
    from kitgen.commands.debrief import debrief as run

    _print(*run(obj.project, role_ref, level, candidate, list(sheets), formats, out, lang, force, wait))


@main.command()
@click.argument("role_ref", metavar="ROLE", shell_complete=_complete("roles"))
@click.option("--candidate", required=True, help="Candidate's full name.")
@click.option("--level", required=True, shell_complete=_complete("levels"), help="Level id (or name).")
@click.option("--location", required=True, shell_complete=_complete("locations"),
              help="Place of work (one of the role's salary locations).")
@click.option("--salary", required=True, callback=_amount_option,
              help="Gross salary in the role's period and currency (85000, \"85 000\", 85000.50).")
@click.option("--start-date", required=True, metavar="YYYY-MM-DD", callback=_date_option, help="First day of work.")
@click.option("--contract", type=click.Choice(["CDI", "CDD"], case_sensitive=False), default=None,
              help="Contract type (default: the company file's, else CDI).")
@click.option("--end-date", default=None, metavar="YYYY-MM-DD", callback=_date_option, help="End of a CDD.")
@click.option("--min-duration", default=None, metavar="DURATION",
              help="A CDD without a precise end: its minimum duration (\"6 mois\", \"18 months\").")
@click.option("--cdd-reason", default=None, metavar="TEXT",
              help="A CDD's reason (motif de recours; required in France), shown in the letter.")
@click.option("--trial-period", default=None, help="Trial period text (default: the company file's).")
@click.option("--respond-by", default=None, metavar="YYYY-MM-DD", callback=_date_option,
              help="Answer deadline (default: today + offer_valid_days).")
@click.option("--kind", type=click.Choice(["offre", "promesse"]), default="offre",
              help="offre: an offer that can be withdrawn until accepted; promesse: a binding promise.")
@click.option("--address", default=None, help="Candidate's postal address (use \\n between lines).")
@click.option("--email", default=None, help="Candidate's email.")
@click.option("--variable", default=None,
              help="Target variable pay: a share of the salary (10%) or an amount (4600), in the salary's period.")
@click.option("--civility", type=click.Choice(["Madame", "Monsieur", "none"], case_sensitive=False), default=None,
              help="How the letter greets the candidate (Madame, Monsieur; none: \"Madame, Monsieur,\").")
@click.option("--allow-outside-band", is_flag=True, help="Warn instead of failing when outside the band.")
@click.option("--allow-past-date", is_flag=True, help="Allow a start date in the past (re-issuing a letter).")
@click.option("--docx-template", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Fill this Word letterhead for the DOCX letter (default: offer_template in kitgen.toml).")
@click.option("--allow-draft", is_flag=True, help=ALLOW_DRAFT_HELP)
@output_options
@pass_ctx
def offer(obj: Context, role_ref, candidate, level, location, salary, start_date, contract, end_date,
          min_duration, cdd_reason, trial_period, respond_by, kind, address, email, variable, civility, allow_outside_band, allow_past_date,
          docx_template, allow_draft, formats, out, lang, force, wait):
    """Render an offer letter for one candidate.

    Example: kitgen offer directeur-ecommerce --candidate "Élodie Marchand" --level confirme --location Paris --salary 85000 --start-date 2027-02-01
    """
    from kitgen.commands import render
    from kitgen.documents.offer import OfferRequest
    from kitgen.documents.templating import today

    request = OfferRequest(candidate=candidate, level=level, location=location, salary=salary,
                           start_date=start_date, contract=contract, end_date=end_date, trial_period=trial_period,
                           respond_by=respond_by, kind=kind, address=address, email=email, civility=civility,
                           variable=variable, cdd_reason=cdd_reason, min_duration=min_duration)
    _print(*render.offer(obj.project, role_ref, request, today(), formats, docx_template, allow_outside_band,
                         allow_past_date, out, lang, force, wait, allow_draft))
