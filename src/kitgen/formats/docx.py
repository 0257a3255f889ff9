"""The DOCX format: a real Word document from the rendered page, or an offer letter filled into the
company's Word letterhead (`kitgen.formats.letterhead`).

The page is walked into Word paragraphs, lists and tables by `kitgen.formats.docx_writer`; this
adapter parses the page, picks the writer or the letterhead, and makes the bytes reproducible
(fixed zip entry times under SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile

from kitgen import __version__
from kitgen.documents import htmltree
from kitgen.documents.rendered import Rendered
from kitgen.formats import Format


def reproducible_time() -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (byte-identical rebuilds), else now; always UTC, whole seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


class DocxFormat(Format):
    name = "docx"
    library = "python-docx"

    def render(self, doc: Rendered) -> bytes:
        if doc.docx_template is not None:
            from kitgen.formats.letterhead import render_letter

            return _fixed_zip_times(render_letter(doc), reproducible_time())
        from kitgen.formats.docx_writer import DocxWriter

        when = reproducible_time()
        writer = DocxWriter(doc, when.replace(tzinfo=None))
        writer.build(htmltree.parse(doc.html))
        buffer = io.BytesIO()
        writer.document.save(buffer)
        return _fixed_zip_times(buffer.getvalue(), when)


THUMBNAIL = "docProps/thumbnail.jpeg"
THUMBNAIL_REL = re.compile(rb'<Relationship [^>]*Target="docProps/thumbnail.jpeg"/>')
APPLICATION = re.compile(rb"<Application>[^<]*</Application>")


def _fixed_zip_times(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite the zip with one fixed entry time, so that equal inputs give equal bytes; leave out
    python-docx's blank-page thumbnail (file browsers would show it as the preview) and name kitgen,
    not "Microsoft Macintosh Word", as the application that made the document."""
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == THUMBNAIL:
                continue
            content = source.read(info.filename)
            if info.filename == "_rels/.rels":
                content = THUMBNAIL_REL.sub(b"", content)
            elif info.filename == "docProps/app.xml":
                content = APPLICATION.sub(f"<Application>kitgen {__version__}</Application>".encode(), content)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()


