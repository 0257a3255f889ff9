"""The PDF levers of issue 21 through kitgen's own PdfFormat.render, each against kitgen without it,
interleaved round by round in one process (CPU seconds for the 8 documents of bench/pdf_compare.py).

- "pages read by libxml2": WeasyPrint's HTML object made from kitgen's libxml2 tree (the tree
  WeasyPrint's constructor builds, same PDF bytes) instead of HTML(string=...): tried, dropped;
- "whole faces" / "subsetting": Kitgen Sans embedded whole (full_fonts) or subset at each PDF.

Usage: .venv/bin/python bench/levers.py [--rounds 3]   (after bench/run.py made bench/work/project)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pdf_compare  # noqa: E402  (bench/ is not a package)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from weasyprint import HTML

    from kitgen.formats import pdf
    from kitgen.formats.pdf import PdfFormat

    docs = pdf_compare.documents(pdf_compare.Path(__file__).resolve().parent / "work" / "project",
                                 ["directeur-ecommerce-00", "backend-engineer-01"])
    render = PdfFormat().render
    import cssselect2
    import weasyprint
    from weasyprint import _find_base_url

    from kitgen.documents.htmltree import fast_parse

    def libxml2_page(string, base_url=None, url_fetcher=None):
        tree = fast_parse(string, "")
        page = HTML.__new__(HTML)
        page.base_url, page.url_fetcher, page.media_type = _find_base_url(tree, base_url), url_fetcher, "print"
        page.wrapper_element = cssselect2.ElementWrapper.from_html_root(tree, content_language=None)
        page.etree_element = page.wrapper_element.etree_element
        return page

    variants = {
        "kitgen": render,
        "pages read by libxml2": pdf_compare.without(weasyprint, "HTML", lambda **kw: libxml2_page(**kw), render),
        "whole faces": pdf_compare.without(pdf, "whole_faces", pdf.kitgen_sans_suffices, render),
        "subsetting": pdf_compare.without(pdf, "whole_faces", lambda h, c: False, render),
    }
    for doc in docs[:2]:
        for func in variants.values():
            func(doc)
    times: dict[str, list[float]] = {name: [] for name in variants}
    sizes: dict[str, int] = {}
    for _ in range(args.rounds):
        for name, func in variants.items():
            started = time.process_time()
            sizes[name] = sum(len(func(doc)) for doc in docs)
            times[name].append(time.process_time() - started)
    base = statistics.median(times["kitgen"])
    for name, values in times.items():
        value = statistics.median(values)
        print(f"{name}: {value:.2f} s CPU for {len(docs)} PDFs ({value / base:.2f}× kitgen; "
              f"{', '.join(f'{v:.2f}' for v in values)}), {sizes[name] // 1024} KB")


if __name__ == "__main__":
    main()
