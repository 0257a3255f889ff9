"""PDF and DOCX time per document, in one process: kitgen's PdfFormat against a naive WeasyPrint
render, and each speed lever of issue 21 against kitgen without it, in the same run.

Naive = the same HTML with the same stylesheet inlined (kitgen's HTML output), the font stack
replaced by the machine's default `sans-serif`, rendered with `HTML(string=html).write_pdf()` and
its defaults (subsetting, no tags, a new font configuration each time). Variants isolate the
levers: the old font strategy (subset Kitgen Sans again: with libharfbuzz-subset0 installed this is
HarfBuzz's subsetter), tagging (pdf_tags) on both sides (bench/levers.py compares the PDF levers through
kitgen's own render). DOCX: kitgen's DocxFormat, the same with tinyhtml5, and with the styled document built
from scratch for each document (the two DOCX levers).
Rounds are interleaved so that a busy machine slows every variant alike. CPU time
(time.process_time) is the main figure: other processes on the machine do not inflate it.

Usage: python bench/pdf_compare.py PROJECT ROLE... [--rounds N]   (prints JSON)
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from pathlib import Path


def documents(project_root: Path, role_ids: list[str]):
    from kitgen.commands import open_project
    from kitgen.documents.context import AdOptions, KitOptions
    from kitgen.documents.render import render_ad, render_kit

    project = open_project(project_root)
    docs = []
    for role_id in role_ids:
        _, role = project.find_role(role_id)
        docs.append(render_ad(role, project.company, AdOptions(), project.templates_dir, None, project.root))
        docs += [render_kit(role, project.company, KitOptions(level=level), project.templates_dir, None, project.root)
                 for level in role.level_ids]
    return docs


def naive_html(doc) -> str:
    from kitgen.formats.html import HtmlFormat

    html = HtmlFormat().render(doc).decode("utf-8")
    return re.sub(r"font-family:[^;]*;", "font-family: sans-serif;", html, count=1)


def kitgen_variant(doc, **options) -> bytes:
    """kitgen's own set-up (cached fonts and CSS, safe fetcher) with chosen write_pdf options."""
    from weasyprint import HTML

    from kitgen.documents import templating
    from kitgen.formats import pdf

    fonts, css, _ = pdf._state(doc.templates)
    fetcher = pdf._fetcher_class()(pdf.allowed_roots(doc))
    html = HTML(string=doc.html, base_url=templating.builtin_templates_dir().as_uri() + "/", url_fetcher=fetcher)
    return html.write_pdf(stylesheets=[css], font_config=fonts, **options)


def without(module, name: str, replacement, render):
    """`render` with `module.name` replaced for the call."""
    def call(doc):
        original = getattr(module, name)
        setattr(module, name, replacement)
        try:
            return render(doc)
        finally:
            setattr(module, name, original)
    return call


def variants() -> dict:
    from weasyprint import HTML

    from kitgen.documents import htmltree
    from kitgen.formats import docx_writer, pdf
    from kitgen.formats.docx import DocxFormat
    from kitgen.formats.pdf import PdfFormat

    kitgen, docx = PdfFormat(), DocxFormat()

    def from_scratch(doc):
        docx_writer._STYLED.clear()
        return docx.render(doc)

    return {
        "kitgen": kitgen.render,
        "kitgen, subset fonts (old)": lambda doc: kitgen_variant(doc, pdf_tags=True),
        "kitgen, no tags": lambda doc: kitgen_variant(doc, full_fonts=True),
        "naive": lambda doc: HTML(string=naive_html(doc)).write_pdf(),
        "naive, tags": lambda doc: HTML(string=naive_html(doc)).write_pdf(pdf_tags=True),
        "docx": docx.render,
        "docx, tinyhtml5": without(htmltree, "fast_parse", lambda html, namespace: None, docx.render),
        "docx, styles from scratch": from_scratch,
    }


def phases(doc) -> dict:
    """Where kitgen's PDF time goes: HTML parse + style + layout, then drawing + fonts + tags + PDF."""
    from weasyprint import HTML

    from kitgen.documents import templating
    from kitgen.formats import pdf

    fonts, css, css_text = pdf._state(doc.templates)
    started = time.process_time()
    html = HTML(string=doc.html, base_url=templating.builtin_templates_dir().as_uri() + "/",
                url_fetcher=pdf._fetcher_class()(pdf.allowed_roots(doc)))
    rendered = html.render(stylesheets=[css], font_config=fonts, pdf_tags=True)
    laid_out = time.process_time()
    rendered.write_pdf(pdf_tags=True, full_fonts=pdf.kitgen_sans_suffices(doc.html, css_text))
    return {"layout": laid_out - started, "write": time.process_time() - laid_out, "pages": len(rendered.pages)}


def measure(docs, rounds: int) -> dict:
    funcs = variants()
    for doc in docs[:2]:  # warm-up: imports, font configuration, caches of both sides
        for func in funcs.values():
            func(doc)
    cpu = {name: {doc.stem: [] for doc in docs} for name in funcs}
    wall = {name: {doc.stem: [] for doc in docs} for name in funcs}
    sizes = {name: {} for name in funcs}
    for _ in range(rounds):
        for doc in docs:
            for name, func in funcs.items():
                started_cpu, started_wall = time.process_time(), time.perf_counter()
                data = func(doc)
                cpu[name][doc.stem].append(time.process_time() - started_cpu)
                wall[name][doc.stem].append(time.perf_counter() - started_wall)
                sizes[name][doc.stem] = len(data)
    median = statistics.median
    return {
        "documents": [doc.stem for doc in docs],
        "rounds": rounds,
        "cpu": {name: {stem: median(v) for stem, v in per.items()} for name, per in cpu.items()},
        "wall": {name: {stem: median(v) for stem, v in per.items()} for name, per in wall.items()},
        "sizes": sizes,
        "phases": {doc.stem: phases(doc) for doc in docs},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("roles", nargs="+")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(measure(documents(args.project, args.roles), args.rounds)))


if __name__ == "__main__":
    main()
