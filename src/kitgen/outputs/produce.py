"""Turn one rendered document into its files: render every requested format, then write each.

All formats are rendered in memory first, so a failure in one format writes nothing for that
document; the files are then written atomically through the run's `OutputFolder`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kitgen import formats as fmt
from kitgen.documents.rendered import Rendered
from kitgen.outputs.folder import DEFAULT_WAIT, OutputFolder


def render_formats(doc: Rendered, names: list[str]) -> dict[str, bytes]:
    """{relative path: bytes} for the formats that support this document kind."""
    files = {}
    for name in names:
        format_ = fmt.get(name)
        if doc.kind in format_.kinds:
            files[f"{doc.stem}.{format_.suffix}"] = format_.render(doc)
    return files


def produce(doc: Rendered, names: list[str], out: Path | OutputFolder, force: bool = False,
            project_root: Path | None = None, wait: float = DEFAULT_WAIT,
            record: Callable[[str], dict] | None = None) -> list[Path]:
    """Render `doc` in the formats and write its files. A file kitgen did not write, or one edited
    since, is not overwritten unless `force`; a document for another person or place than the one
    already at its name gets a name of its own (`OutputFolder.claim`). Given a path, the folder is
    opened (locked) for this one document; given an open `OutputFolder`, the caller saves it.
    `record(format name)` gives more fields of each file's manifest entry (its options, inputs)."""
    if not isinstance(out, OutputFolder):
        with OutputFolder(out, project_root, wait=wait) as folder:
            return produce(doc, names, folder, force, record=record)
    tag = f".{doc.lang}" if doc.stem.endswith(f".{doc.lang}") else ""  # a language tag stays last
    doc.stem = out.claim(doc.stem[:len(doc.stem) - len(tag)], doc.owner, tag=tag)
    return out.write_document(render_formats(doc, names), entries(doc, record), force)


def entries(doc: Rendered, record: Callable[[str], dict] | None = None) -> Callable[[str], dict]:
    """The manifest entry of each file of `doc`, by relative path."""
    base = {"role": doc.role_id, **({"for": doc.owner} if doc.owner else {})}
    return lambda relative: dict(base, **(record(relative.rsplit(".", 1)[1]) if record else {}))
