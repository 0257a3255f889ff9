"""Turn one rendered document into its files: render every requested format, then write each.

All formats are rendered in memory first, so a failure in one format writes nothing for that
document; each file is then written atomically through `kitgen.output`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kitgen import formats as fmt
from kitgen import output
from kitgen.documents import Rendered


def render_formats(doc: Rendered, names: list[str]) -> dict[str, bytes]:
    """{relative path: bytes} for the formats that support this document kind."""
    registry = fmt.registry()
    files = {}
    for name in names:
        format_ = registry[name]
        if doc.kind in format_.kinds:
            files[f"{doc.stem}.{format_.suffix}"] = format_.render(doc)
    return files


def write_all(out_dir: Path, files: dict[str, bytes], role_id: str, force: bool = False) -> list[Path]:
    """Write rendered files and record them in the output folder's manifest. A file that exists but
    that the manifest does not list (kitgen did not write it) is not overwritten unless `force`."""
    owned = set(output.read_manifest(out_dir)["outputs"])
    for rel in files:  # refuse before writing anything, so a document is written whole or not at all
        output.check_overwrite(out_dir, rel, owned, force)
    written = [output.write_file(out_dir, rel, data, owned=owned, force=force) for rel, data in files.items()]
    output.record(out_dir, {rel: {"role": role_id, "sha256": hashlib.sha256(data).hexdigest()}
                            for rel, data in files.items()})
    return written


def produce(doc: Rendered, names: list[str], out_dir: Path, force: bool = False) -> list[Path]:
    return write_all(out_dir, render_formats(doc, names), doc.role_id, force)
