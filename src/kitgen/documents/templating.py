"""The Jinja environment: template search path, sandbox, autoescape, strict undefined, i18n, filters.

Search order: the project's `templates/` first, then the built-in templates; `builtin/NAME` always
names the built-in one, so a user template can `{% extends "builtin/interview-kit.html.j2" %}`.
Every environment is sandboxed: project templates come from many hands.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.meta
from jinja2.sandbox import SandboxedEnvironment

from kitgen import i18n
from kitgen.documents.formatting import format_date, format_duration, format_money, format_number
from kitgen.errors import TemplateError
from kitgen.i18n import tr
from kitgen.sources import reading
from kitgen.sources.languages import locale as babel_locale

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the kitgen package: locale/, fonts/, templates/
LOCALE_DIR = i18n.LOCALE_DIR
FONTS_DIR = PACKAGE_DIR / "fonts"
DOMAIN = i18n.DOMAIN


def builtin_templates_dir() -> Path:
    """Inside a wheel the templates sit in the package; in a source checkout, at the top level."""
    packaged = PACKAGE_DIR / "templates"
    return packaged if packaged.is_dir() else PACKAGE_DIR.parents[1] / "templates"


translations = i18n.translations  # the catalogs, compiled in memory (kitgen.i18n)


def search_path(project_templates: Path | None) -> list[Path]:
    paths = [project_templates] if project_templates and project_templates.is_dir() else []
    return paths + [builtin_templates_dir()]


class FolderLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that refuses a template whose real path leads out of its folder (a
    symbolic link to `../secret/id_rsa`), before reading it (`kitgen.sources.reading`)."""

    def get_source(self, environment, template):
        for folder in self.searchpath:
            path = Path(folder, *jinja2.loaders.split_template_path(template))
            if path.exists() and not reading.real_inside(path, Path(folder)):
                raise TemplateError(tr("template %(name)r (%(path)s) refused to read it: it is a symbolic link to "
                                       "a file outside %(folder)s (kitgen reads only files inside the folders "
                                       "they come from; put a copy of the file there instead)",
                                       name=template, path=str(path), folder=folder))
        return super().get_source(environment, template)


@lru_cache(maxsize=16)
def environment(project_templates: Path | None, lang: str) -> SandboxedEnvironment:
    """One environment per (templates folder, language), kept for the life of the process."""
    builtin = FolderLoader(str(builtin_templates_dir()))
    loaders: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({"builtin": builtin}, delimiter="/")]
    if project_templates:  # even if the folder does not exist yet: the environment is cached
        loaders.append(FolderLoader(str(project_templates)))
    loaders.append(builtin)
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,  # every template renders HTML; select_autoescape() misses *.html.j2
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)
    locale = babel_locale(lang)
    env.filters["money"] = lambda amount, currency: format_money(amount, currency, locale)
    env.filters["date"] = lambda value: format_date(value, locale)
    env.filters["number"] = lambda value: format_number(value, locale)
    env.filters["duration"] = lambda value: format_duration(value, locale)
    env.filters["css_string"] = _css_string
    env.globals["lang"] = lang
    return env


def template_files(template_name: str, project_templates: Path | None) -> list[Path] | None:
    """The files Jinja loads to render `template_name`: the template, what it extends, imports and
    includes, transitively, each from where the search path finds it (a project override or the
    built-in). None when a template names another one only at render time (then every template
    folder counts). A document's manifest entry depends on these files and no others."""
    env = environment(project_templates, "en")
    found: dict[str, Path] = {}
    todo = [template_name]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        try:
            source, filename, _ = env.loader.get_source(env, name)
        except jinja2.TemplateNotFound:
            continue  # rendering will say so, with the search path
        found[name] = Path(filename)
        try:
            referenced = list(jinja2.meta.find_referenced_templates(env.parse(source)))
        except jinja2.TemplateSyntaxError:
            continue  # rendering will say where
        if None in referenced:
            return None
        todo += referenced
    return sorted(set(found.values()))


def _css_string(value: str) -> str:
    """Quote text for a CSS `content:` string (labels from catalogs land in @page rules)."""
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return jinja2.utils.markupsafe.Markup(f'"{escaped}"')


def render(template_name: str, context: dict, project_templates: Path | None, lang: str) -> str:
    """Render one template to HTML; any template problem becomes a TemplateError naming file and line."""
    env = environment(project_templates, lang)
    try:
        return env.get_template(template_name).render(context)
    except jinja2.TemplateNotFound as exc:
        where = ", ".join(str(p) for p in search_path(project_templates))
        raise TemplateError(tr("template %(name)r not found (searched: %(folders)s)", name=exc.name,
                               folders=where)) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from exc
    except (jinja2.UndefinedError, jinja2.sandbox.SecurityError, TypeError, ValueError) as exc:
        raise TemplateError(f"{_template_line(exc, template_name)}: {exc}") from exc


def _template_line(exc: BaseException, fallback: str) -> str:
    """The template file and line where a render error happened, from the traceback."""
    tb = exc.__traceback__
    found = fallback
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or "/templates/" in filename:
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def today() -> dt.date:
    """Today, or the day of SOURCE_DATE_EPOCH when set (reproducible builds)."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()
