"""The preview's pages, one function per kind of address; no sockets here (`server` serves them).

- `/`: every role and its documents (the job ad, each level's kit and each stage's kit, in each of
  the role's languages), with links to the page, its PDF and its DOCX; files that do not validate are
  listed with their problems.
- `/doc/<stem>.html|.pdf|.docx`: one document as `kitgen build` makes it (`<stem>` is its output
  name: `directeur-ecommerce/interview-kit-confirme.en`). The HTML is the HTML format's page (the
  print stylesheet inlined) with the preview's own stylesheet, which draws the page at its printed
  size and margins on a grey desk, and the reload script. PDF and DOCX are rendered in memory.
- A role, company or template problem replaces the page with the list of problems
  (`file:line:column: path: message`); the page reloads by itself once the file is fixed.

Every page carries the project's version (a fingerprint of the watched files, `watching`) it was
made from; the reload script compares it with the one the server announces.
"""

from __future__ import annotations

import html
import json
import mimetypes
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2

from kitgen import i18n
from kitgen.commands import open_project
from kitgen.commands.build import RoleFile, documents
from kitgen.documents import templating
from kitgen.documents.rendered import AD, KIT, Rendered
from kitgen.errors import DataError, KitgenError, RoleNotFound
from kitgen.i18n import tr
from kitgen.sources.project import Project

HERE = Path(__file__).parent
FORMATS = ("html", "pdf", "docx")
CONTENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
PAGE_SIZES_MM = {"a3": (297, 420), "a4": (210, 297), "a5": (148, 210), "b5": (176, 250), "letter": (215.9, 279.4),
                 "legal": (215.9, 355.6)}
UNITS_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "pc": 25.4 / 6, "px": 25.4 / 96}


@dataclass
class Page:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Entry:
    """One document of a role: what `kitgen build` would make, and how the index names it."""

    kind: str
    level: str | None
    stem: str
    lang: str
    stage: str | None


class Site:
    """The pages of one project folder. The project, its roles and its company are read again for
    every page, so that a page always shows the files as they are."""

    def __init__(self, root: Path | None, version=lambda: "", lang: str | None = None):
        self.root = root
        self.version = version  # () -> the current fingerprint of the watched files
        self.lang = lang

    # -- routing ---------------------------------------------------------------------------------

    def get(self, path: str) -> Page:
        version = self.version()
        if path == "/":
            return self._guard(lambda: self.index(version), version)
        if path.startswith("/doc/"):
            stem, dot, suffix = path[len("/doc/"):].rpartition(".")
            if dot and suffix in FORMATS:
                return self._guard(lambda: self.document(stem, suffix, version), version)
        if path.startswith("/_kitgen/"):
            return self.asset(path[len("/_kitgen/"):])
        return self._not_found(path, version)

    def _guard(self, make, version: str) -> Page:
        """A page, or the problems that stop it from being made (the server keeps running)."""
        try:
            return make()
        except DataError as exc:
            return self._problems([str(problem) for problem in exc.problems], version)
        except KitgenError as exc:
            return self._problems(exc.message.splitlines(), version)
        except Exception as exc:  # a template bug or an environment problem: said, not a dead server
            return self._problems([f"{type(exc).__name__}: {exc}"], version, status=500)

    # -- the pages -------------------------------------------------------------------------------

    def index(self, version: str) -> Page:
        project = open_project(self.root)
        problems: list[str] = []
        if project.company_path.is_file():
            try:
                project.company  # noqa: B018 - a bad company file stops every document
            except DataError as exc:
                problems += [str(problem) for problem in exc.problems]
        roles = []
        for path in project.role_files():
            try:
                info = role_file(project, path)
            except DataError as exc:
                problems += [str(problem) for problem in exc.problems]
                continue
            roles.append({"id": info.id, "title": info.role.display_title(), "file": info.label,
                          "rows": self._rows(info)})
        body = self._template("index.html.j2").render(
            roles=roles, problems=problems, version=version, project=project.root.resolve().name,
            roles_dir=project.label(project.roles_dir))
        return Page(200, CONTENT_TYPES["html"], body.encode("utf-8"))

    def _rows(self, info: RoleFile) -> list[dict]:
        """The index's table of one role: a row per document, a cell per language."""
        role = info.role
        rows: dict[tuple, dict] = {}
        for kind, level, stem, lang, stage in documents(info, ()):
            key = (kind, level, stage)
            if key not in rows:
                rows[key] = {"kind": kind, "level": role.level(level).name if level else None,
                             "stage": role.stage(stage).name if stage else None, "links": []}
            rows[key]["links"].append({"lang": lang, "href": f"/doc/{stem}"})
        return list(rows.values())

    def document(self, stem: str, suffix: str, version: str) -> Page:
        project = open_project(self.root)
        role_id = stem.split("/", 1)[0]
        try:
            path = project.resolve_role(role_id, paths=False)
        except RoleNotFound:
            return self._not_found(f"/doc/{stem}.{suffix}", version)
        info = role_file(project, path)
        entry = next((Entry(*found) for found in documents(info, ()) if found[2] == stem), None)
        if entry is None:
            return self._not_found(f"/doc/{stem}.{suffix}", version)
        doc = render(project, info, entry)
        if suffix == "html":
            return Page(200, CONTENT_TYPES["html"], self._page(project, doc, stem, version).encode("utf-8"))
        from kitgen import formats

        data = formats.get(suffix).render(doc)
        name = f"{stem.replace('/', '-')}.{suffix}"
        return Page(200, CONTENT_TYPES[suffix], data, {"Content-Disposition": f'inline; filename="{name}"',
                                                       "Cache-Control": "no-store"})

    def _page(self, project: Project, doc: Rendered, stem: str, version: str) -> str:
        """The HTML format's page, dressed for the screen: the sheet at its printed size, a bar with
        the PDF and DOCX links (not printed), the reload script."""
        from kitgen import formats

        page = formats.get("html").render(doc).decode("utf-8")
        logo = doc.context["brand"]["logo"]
        if logo:  # a file: address the browser may not open from an http page
            page = page.replace(logo["url"], "/_kitgen/logo")
        _, css = formats.stylesheet(project.templates_dir)
        head = self._template("head.html.j2").render(version=version, sheet=sheet_css(css), fonts=font_faces())
        bar = self._template("bar.html.j2").render(stem=stem, title=doc.title, lang=doc.lang)
        page = page.replace("</head>", head + "</head>", 1)
        start = page.find("<body")
        close = page.find(">", start) + 1 if start >= 0 else 0
        page = page[:close] + "\n" + bar + page[close:]
        return page.replace("<html ", f'<html data-kitgen-version="{html.escape(version)}" ', 1)

    def _problems(self, problems: list[str], version: str, status: int = 200) -> Page:
        body = self._template("problems.html.j2").render(problems=problems, version=version)
        return Page(status, CONTENT_TYPES["html"], body.encode("utf-8"))

    def _not_found(self, path: str, version: str) -> Page:
        body = self._template("not-found.html.j2").render(path=path, version=version)
        return Page(404, CONTENT_TYPES["html"], body.encode("utf-8"))

    def asset(self, name: str) -> Page:
        """The preview's stylesheet and script, the bundled fonts, the company logo."""
        if name in ("preview.css", "reload.js"):
            return Page(200, mimetypes.guess_type(name)[0] or "text/plain", (HERE / name).read_bytes(),
                        {"Cache-Control": "no-store"})
        if name.startswith("fonts/"):
            font = templating.FONTS_DIR / name[len("fonts/"):]
            if font.parent == templating.FONTS_DIR and font.suffix == ".ttf" and font.is_file():
                return Page(200, "font/ttf", font.read_bytes())
        if name == "logo":
            project = open_project(self.root)
            from kitgen.sources.branding import logo_path

            try:
                path = logo_path(project.company, project.root)
            except DataError:
                path = None
            if path is not None and path.is_file():
                return Page(200, mimetypes.guess_type(path.name)[0] or "application/octet-stream", path.read_bytes(),
                            {"Cache-Control": "no-store"})
        return Page(404, "text/plain; charset=utf-8", tr("not found").encode("utf-8"))

    # -- helpers ---------------------------------------------------------------------------------

    def _template(self, name: str) -> jinja2.Template:
        return _environment(self.lang or i18n.language()).get_template(name)


def role_file(project: Project, path: Path) -> RoleFile:
    """A role file loaded and validated (a DataError otherwise), as the build's plan sees it."""
    from kitgen.sources.loading import load_role

    role = load_role(path, project.root)
    return RoleFile(path, project.label(path), "", role.id, role.lang, role.level_ids, role,
                    list(role.languages or [role.lang]), [stage.id for stage in role.interview.stages])


def render(project: Project, info: RoleFile, entry: Entry) -> Rendered:
    """The document as `kitgen build` renders it (the same options as its pool's jobs)."""
    from kitgen.documents.context import AdOptions, KitOptions
    from kitgen.documents.render import render_ad, render_kit

    company = project.company
    if entry.kind == AD:
        return render_ad(info.role, company, AdOptions(), project.templates_dir, entry.lang, project.root)
    assert entry.kind == KIT
    return render_kit(info.role, company, KitOptions(level=entry.level, stage=entry.stage), project.templates_dir,
                      entry.lang, project.root)


@lru_cache(maxsize=4)
def _environment(lang: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE), autoescape=True, trim_blocks=True,
                             lstrip_blocks=True, extensions=["jinja2.ext.i18n"], undefined=jinja2.StrictUndefined)
    env.install_gettext_translations(templating.translations(lang), newstyle=True)
    env.globals["lang"] = lang
    env.filters["json"] = lambda value: json.dumps(value)
    return env


def font_faces() -> str:
    """@font-face rules for the bundled Kitgen Sans, served by the preview."""
    from kitgen.formats.pdf import FONT_FILES

    return "\n".join(f'@font-face {{ font-family: "Kitgen Sans"; src: url("/_kitgen/fonts/KitgenSans-{name}.ttf"); '
                     f"font-weight: {weight}; font-style: {style}; }}" for (weight, style), name in FONT_FILES.items())


def sheet_css(stylesheet: str) -> str:
    """Custom properties for the preview's sheet: the first `@page` rule's size and margins."""
    width, height = PAGE_SIZES_MM["a4"]
    margins = [20.0, 20.0, 20.0, 20.0]
    import tinycss2

    for rule in tinycss2.parse_stylesheet(stylesheet, skip_comments=True, skip_whitespace=True):
        if rule.type != "at-rule" or rule.lower_at_keyword != "page" or tinycss2.serialize(rule.prelude).strip():
            continue
        for declaration in tinycss2.parse_blocks_contents(rule.content or [], skip_whitespace=True, skip_comments=True):
            if declaration.type != "declaration":
                continue
            tokens = [token for token in declaration.value if token.type not in ("whitespace", "comment")]
            if declaration.lower_name == "size":
                size = _page_size(tokens)
                width, height = size or (width, height)
            elif declaration.lower_name == "margin":
                lengths = [_mm(token) for token in tokens]
                if lengths and None not in lengths and len(lengths) <= 4:
                    margins = _sides(lengths)
        break
    top, right, bottom, left = margins
    return (f":root {{ --sheet-width: {width:g}mm; --sheet-height: {height:g}mm; --sheet-top: {top:g}mm; "
            f"--sheet-right: {right:g}mm; --sheet-bottom: {bottom:g}mm; --sheet-left: {left:g}mm; }}")


def _sides(values: list[float]) -> list[float]:
    """CSS's 1 to 4 values of a box shorthand as [top, right, bottom, left]."""
    top = values[0]
    right = values[1] if len(values) > 1 else top
    bottom = values[2] if len(values) > 2 else top
    left = values[3] if len(values) > 3 else right
    return [top, right, bottom, left]


def _page_size(tokens) -> tuple[float, float] | None:
    names = [token.lower_value for token in tokens if token.type == "ident"]
    lengths = [_mm(token) for token in tokens if token.type == "dimension"]
    size = next((PAGE_SIZES_MM[name] for name in names if name in PAGE_SIZES_MM), None)
    if len(lengths) == 2 and None not in lengths:
        size = (lengths[0], lengths[1])
    if size and "landscape" in names:
        size = (size[1], size[0])
    return size


def _mm(token) -> float | None:
    if token.type == "dimension" and token.lower_unit in UNITS_MM:
        return float(token.value) * UNITS_MM[token.lower_unit]
    if token.type == "number" and token.value == 0:
        return 0.0
    return None
