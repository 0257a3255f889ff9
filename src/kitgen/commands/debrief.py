"""`kitgen debrief`: merge the interviewers' scorecards of one candidate into one debrief document.

Every sheet is read and checked (`kitgen.sources.scorecards`) before anything is written; one bad
sheet fails the command with every problem of every sheet and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from kitgen import formats
from kitgen.documents.rendered import DEBRIEF, Rendered
from kitgen.errors import UsageError
from kitgen.i18n import tr
from kitgen.outputs.folder import DEFAULT_WAIT
from kitgen.outputs.produce import produce
from kitgen.sources.loading import display_path
from kitgen.sources.project import Project


def debrief(project: Project, role_ref: str, level: str, candidate: str, sheets: list[Path],
            format_values: tuple[str, ...], out: Path | None = None, lang: str | None = None, force: bool = False,
            wait: float = DEFAULT_WAIT) -> tuple[Rendered, list[Path]]:
    """Read and check the sheets, render the debrief, write its files; the document and the paths."""
    from kitgen.documents.context import choose_level
    from kitgen.documents.debrief import DebriefOptions
    from kitgen.documents.render import render_debrief
    from kitgen.sources.scorecards import read_scorecards

    names = formats.parse_names(format_values, project.formats, allowed=formats.names_for(DEBRIEF))
    if not sheets:
        raise UsageError(tr("give the interviewers' scorecards (YAML sheets or filled kit PDFs)"), param_hint="SHEET")
    if not candidate.strip():
        raise UsageError(tr("the candidate's name is empty"), param_hint="'--candidate'")
    _, role = project.find_role(role_ref)
    level_id = choose_level(role, level)  # the kits' own rule and message for --level
    labels = [display_path(path, project.root) for path in sheets]
    cards = read_scorecards(sheets, labels, role, level_id, candidate.strip())
    options = DebriefOptions(level_id, candidate.strip(), tuple(cards))
    doc = render_debrief(role, project.company, options, project.templates_dir, lang, project.root)

    def record(format_name: str) -> dict:
        return {"kind": DEBRIEF, "lang": doc.lang, "level": level_id, "sheets": labels}

    return doc, produce(doc, names, out or project.output_dir, force=force, project_root=project.root, wait=wait,
                        record=record)
