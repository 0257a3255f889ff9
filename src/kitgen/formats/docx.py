"""The DOCX format: a real Word document from the rendered page, or an offer letter filled into the
company's Word letterhead (`kitgen.formats.letterhead`).

The page is walked into Word paragraphs, lists and tables by `kitgen.formats.docx_writer`; this
adapter parses the page, picks the writer or the letterhead, embeds the document's font
(`kitgen.formats.docx_fonts`: a reason to warn when the licence or the machine does not allow it)
and makes the bytes reproducible (fixed zip entry times under SOURCE_DATE_EPOCH).
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
    fonts = True  # Kitgen Sans is embedded in the DOCX

    def render(self, doc: Rendered) -> bytes:
        when = reproducible_time()
        if doc.docx_template is not None:
            from kitgen.formats.letterhead import render_letter

            data = render_letter(doc)
        else:
            from kitgen.formats.docx_writer import DocxWriter

            writer = DocxWriter(doc, when.replace(tzinfo=None))
            writer.build(htmltree.parse(doc.html))
            buffer = io.BytesIO()
            writer.document.save(buffer)
            data = buffer.getvalue()
        return _fixed_zip_times(_with_font(doc, _parts(data)), when)


def _with_font(doc: Rendered, parts: dict[str, bytes]) -> dict[str, bytes]:
    """The parts with the document's font embedded; why not, as a warning, when it cannot be.
    The brand's `embed_font` (proposed key): unset, fonts under the OFL; true, any font whose
    OS/2 permissions allow it; false, none."""
    from kitgen.formats.docx_fonts import embed_font

    setting = (doc.context.get("brand") or {}).get("embed_font")
    if setting is False:
        return parts
    parts, reason = embed_font(parts, allow=setting is True)
    if reason:
        doc.warnings.append(f"{doc.stem}.docx: {reason}")
    return parts


def _parts(data: bytes) -> dict[str, bytes]:
    """Every entry of the zip, in its order: name -> bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()}


THUMBNAIL = "docProps/thumbnail.jpeg"
THUMBNAIL_REL = re.compile(rb'<Relationship [^>]*Target="docProps/thumbnail.jpeg"/>')
APPLICATION = re.compile(rb"<Application>[^<]*</Application>")


def _fixed_zip_times(parts: dict[str, bytes], when: dt.datetime) -> bytes:
    """Zip the parts with one fixed entry time, so that equal inputs give equal bytes; leave out
    python-docx's blank-page thumbnail (file browsers would show it as the preview) and name kitgen,
    not "Microsoft Macintosh Word", as the application that made the document."""
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            if name == THUMBNAIL:
                continue
            if name == "_rels/.rels":
                content = THUMBNAIL_REL.sub(b"", content)
            elif name == "docProps/app.xml":
                content = APPLICATION.sub(f"<Application>kitgen {__version__}</Application>".encode(), content)
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()


