"""What an output depends on: the digest of its inputs, recorded in its manifest entry.

An output is up to date when the digest computed now equals the recorded one and the file is still
the one kitgen wrote. The inputs of one output file: the role file, the company file and its logo,
the template files Jinja loads for its kind (the template and what it extends, imports and
includes, from the project's `templates/` or the built-ins), the stylesheet (PDF and HTML), the
catalog of its language, the fonts (PDF only), kitgen's and the renderer library's versions, the
kind, level and format, and SOURCE_DATE_EPOCH. Nothing else: a Word letterhead or a note dropped
into `templates/` rebuilds nothing, a change to the kit template rebuilds the kits only.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from kitgen import __version__
from kitgen.documents import templating
from kitgen.documents.rendered import TEMPLATES
from kitgen.sources.project import Project

if TYPE_CHECKING:
    from kitgen.formats import Format


def sha(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))  # length-prefixed: no two part lists collide
        digest.update(data)
    return digest.hexdigest()


def _tree_digest(folders: list[Path]) -> str:
    """Names and bytes of every file under the folders (a new override template counts too)."""
    parts: list[bytes | str] = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            parts += [str(path.relative_to(folder)), path.read_bytes()]
        parts.append("/")
    return sha(*parts)


def file_bytes(path: Path | None) -> bytes:
    try:
        return path.read_bytes() if path else b""
    except OSError:
        return b""


class Inputs:
    """The digests outputs depend on; each shared file is read once per build."""

    def __init__(self, project: Project, company):
        from kitgen.sources.branding import (
            logo_path,  # brand.logo, or the older top-level logo
        )

        logo = logo_path(company, project.root)
        self.project = project
        self.shared = sha(__version__, os.environ.get("SOURCE_DATE_EPOCH", ""),
                           file_bytes(project.company_path), file_bytes(logo))
        self._by_lang: dict[str, str] = {}
        self._by_format: dict[str, str] = {}
        self._by_kind: dict[str, tuple[str, list[str]]] = {}
        self._css: str | None = None

    def kind(self, kind: str) -> tuple[str, list[str]]:
        """The digest of the template files a kind's documents load, and those files' labels."""
        if kind not in self._by_kind:
            folder = self.project.templates_dir
            files = templating.template_files(TEMPLATES[kind], folder)
            if files is None:  # a template chosen at render time: every template folder counts
                self._by_kind[kind] = (_tree_digest(templating.search_path(folder)), ["*"])
            else:
                labels = sorted(_template_label(path, folder) for path in files)
                files = sorted(files, key=lambda path: _template_label(path, folder))
                parts = [part for label, path in zip(labels, files) for part in (label, file_bytes(path))]
                self._by_kind[kind] = (sha(*parts), labels)
        return self._by_kind[kind]

    def stylesheet(self) -> str:
        if self._css is None:
            from kitgen.formats import stylesheet

            path, css = stylesheet(self.project.templates_dir)
            self._css = sha(_template_label(path, self.project.templates_dir), css)
        return self._css

    def lang(self, lang: str) -> str:
        if lang not in self._by_lang:
            catalog = templating.LOCALE_DIR / lang / "LC_MESSAGES" / f"{templating.DOMAIN}.po"
            self._by_lang[lang] = sha(lang, file_bytes(catalog))
        return self._by_lang[lang]

    def document(self, role_sha: str, lang: str, kind: str, level: str | None, format_: Format) -> str:
        """The digest of everything one output file depends on (what its manifest entry records)."""
        templates_hash, _ = self.kind(kind)
        css = self.stylesheet() if format_.stylesheet else ""
        role_hash = sha(role_sha, self.shared, self.lang(lang))
        return sha(role_hash, kind, level or "", templates_hash, css, self.format(format_))

    def format(self, format_: Format) -> str:
        """A format's own inputs: its name, its library's version, the fonts it embeds."""
        if format_.name not in self._by_format:
            fonts = _tree_digest([templating.FONTS_DIR]) if format_.fonts else ""
            self._by_format[format_.name] = sha(format_.name, _library_version(format_.library), fonts)
        return self._by_format[format_.name]


def _template_label(path: Path, project_templates: Path) -> str:
    """`templates/job-ad.html.j2` for a project override, `builtin/job-ad.html.j2` for kitgen's own."""
    for folder, prefix in ((project_templates, project_templates.name), (templating.builtin_templates_dir(), "builtin")):
        with contextlib.suppress(ValueError):
            return f"{prefix}/{path.resolve().relative_to(folder.resolve()).as_posix()}"
    return str(path)


def _library_version(library: str | None) -> str:
    from importlib import metadata

    try:
        return metadata.version(library) if library else ""
    except metadata.PackageNotFoundError:
        return ""


def recorder(inputs: Inputs, role_path: Path, kind: str, lang: str, options, level: str | None = None,
             letterhead: Path | None = None):
    """For a document made by `kitgen ad`, `kit`, `offer` or `offers`: the manifest fields of each of
    its files (by format name) — the options it was made with and the digest of its inputs — so
    that `kitgen build` can tell when it is out of date and `kitgen build --stale` can make it again."""
    from kitgen import formats
    from kitgen.documents.context import options_data

    project = inputs.project
    role_sha = sha256_of(role_path)
    # The role file as seen from the project folder (even outside it: "../drafts/x.yaml").
    source = Path(os.path.relpath(os.path.realpath(role_path), os.path.realpath(project.root))).as_posix()
    common = {"kind": kind, "from": source, "lang": lang, "options": options_data(options),
              "templates": inputs.kind(kind)[1]}
    if letterhead is not None:
        common["letterhead"] = Path(os.path.relpath(os.path.realpath(letterhead),
                                                    os.path.realpath(project.root))).as_posix()

    def fields(format_name: str) -> dict:
        return dict(common, inputs=inputs.document(role_sha, lang, kind, level, formats.get(format_name)))

    return fields


def sha256_of(path: Path) -> str:
    return hashlib.sha256(file_bytes(path)).hexdigest()
