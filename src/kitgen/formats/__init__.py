"""Output formats: a rendered page -> bytes, one class per format, in one registry.

Each format is a `Format` subclass that says what it is in class variables (as Sphinx builders do):
`name`, `suffix`, the document `kinds` it supports, the `library` whose version changes its output
(a new version rebuilds its files) and whether the bundled `fonts` are an input. `REGISTRY` below
is the only list of format names; this module imports nothing heavy, so reading the names for
`--help` or kitgen.toml is cheap, and each format imports its library inside `render`.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from kitgen.documents.rendered import KINDS, Rendered
from kitgen.errors import UsageError
from kitgen.i18n import tr

# name -> "module:class"; the order is the order of `--help` and of error messages.
REGISTRY = {
    "pdf": "kitgen.formats.pdf:PdfFormat",
    "docx": "kitgen.formats.docx:DocxFormat",
    "html": "kitgen.formats.html:HtmlFormat",
    "md": "kitgen.formats.markdown:MarkdownFormat",
    "jsonld": "kitgen.formats.jsonld:JsonLdFormat",
    "json": "kitgen.formats.figures:JsonFormat",
}
NAMES = tuple(REGISTRY)
FORMAT_HINT = "'-f' / '--format'"


class Format:
    """Base of the output formats."""

    name = ""
    kinds: tuple[str, ...] = KINDS
    library: str | None = None  # the distribution that renders it (its version is an input of the output)
    fonts = False  # the bundled fonts are embedded, so they are an input too
    stylesheet = False  # the print stylesheet (kitgen.css) shapes it, so it is an input too

    @property
    def suffix(self) -> str:
        return self.name

    def render(self, doc: Rendered) -> bytes:  # pragma: no cover - interface
        raise NotImplementedError


def get(name: str) -> Format:
    module, cls = REGISTRY[name].split(":")
    return getattr(import_module(module), cls)()


def registry() -> dict[str, Format]:
    return {name: get(name) for name in NAMES}


def names_for(kind: str) -> tuple[str, ...]:
    """The formats a document kind can be written in (md and jsonld: job ads only; json: debriefs only)."""
    return tuple(name for name, fmt in registry().items() if kind in fmt.kinds)


def parse_names(values: tuple[str, ...], default: list[str], allowed: tuple[str, ...] = NAMES) -> list[str]:
    """`-f pdf,docx -f html` -> ['pdf', 'docx', 'html']; an unknown format is a usage error."""
    if not values:
        return list(default)
    names: list[str] = []
    for value in values:
        for name in (v.strip().lower() for v in value.split(",") if v.strip()):
            if name not in allowed:
                raise UsageError(tr("unknown format %(name)r (formats: %(formats)s)", name=name,
                                    formats=", ".join(allowed)), param_hint=FORMAT_HINT)
            if name not in names:
                names.append(name)
    return names


def parse_setting(value) -> tuple[list[str], str | None]:
    """kitgen.toml's `formats`: `"pdf, docx"` or `["pdf", "docx"]` -> the names, or what is wrong.
    Spaces, case and empty items are forgiven, as on the command line (`-f pdf,docx`)."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        return [], tr("expected a list of format names (%(formats)s)", formats=", ".join(NAMES))
    names = list(dict.fromkeys(item.strip().lower() for item in items if item.strip()))
    bad = [name for name in names if name not in NAMES]
    if bad:
        return names, tr("unknown format %(name)r (formats: %(formats)s)", name=bad[0], formats=", ".join(NAMES))
    return names, None if names else tr("no format given (formats: %(formats)s)", formats=", ".join(NAMES))


def stylesheet(templates: Path | None) -> tuple[Path, str]:
    """The print stylesheet: the project's `kitgen.css` when it overrides the built-in one."""
    from kitgen.documents import templating
    from kitgen.sources import reading

    for folder in templating.search_path(templates):
        path = folder / "kitgen.css"
        if path.is_file():
            return path, reading.read_bytes(path, str(path), folder).decode("utf-8")
    raise FileNotFoundError("kitgen.css")
