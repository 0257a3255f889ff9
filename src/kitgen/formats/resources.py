"""What a document may load: the URL policy shared by the PDF fetcher and the DOCX writer.

Only `data:` URLs and regular files under the allowed folders (the built-in templates and fonts,
the project's templates folder, the company logo), no larger than `MAX_RESOURCE_BYTES`; symlinks
are resolved first, so a link out of those folders is refused. Nothing is fetched from a network.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import unquote, urlparse

from kitgen.documents import templating
from kitgen.documents.rendered import Rendered
from kitgen.errors import RenderError
from kitgen.i18n import tr

MAX_RESOURCE_BYTES = 5 * 1024 * 1024


def allowed_roots(doc: Rendered) -> tuple[Path, ...]:
    roots = [templating.builtin_templates_dir(), templating.FONTS_DIR, *doc.resource_roots]
    if doc.templates is not None:
        roots.append(doc.templates)
    return tuple(Path(os.path.realpath(r)) for r in roots)


def check_url(url: str, roots: tuple[Path, ...]) -> Path | None:
    """Return the local file a URL may serve (None for data: URLs); raise RenderError otherwise."""
    parsed = urlparse(url)
    if parsed.scheme == "data":
        return None
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        raise RenderError(tr("refused to fetch %(url)r: documents may only use files from the template folders",
                             url=url))
    path = Path(os.path.realpath(unquote(parsed.path)))
    if not any(path == root or root in path.parents for root in roots):
        raise RenderError(tr("refused to fetch %(url)r: outside the template folders and the company logo", url=url))
    try:
        info = path.stat()
    except OSError:
        raise RenderError(tr("cannot fetch %(url)r: the file does not exist", url=url)) from None
    if not stat.S_ISREG(info.st_mode):
        raise RenderError(tr("refused to fetch %(url)r: not a regular file", url=url))
    if info.st_size > MAX_RESOURCE_BYTES:
        raise RenderError(tr("refused to fetch %(url)r: larger than %(limit)d MB", url=url,
                             limit=MAX_RESOURCE_BYTES // 1024 // 1024))
    return path
