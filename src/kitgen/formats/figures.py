"""The debrief's figures as a JSON file of their own (the `json` format): the numbers the debrief
document shows (ratings, means, spread flags, weighted total, case study, tally), for a tracker or
a spreadsheet. The shape is documented in docs/debrief.md."""

from __future__ import annotations

import json

from kitgen.documents.rendered import DEBRIEF, Rendered
from kitgen.formats import Format


class JsonFormat(Format):
    name = "json"
    kinds = (DEBRIEF,)

    def render(self, doc: Rendered) -> bytes:
        return (json.dumps(doc.context["debrief"]["figures"], ensure_ascii=False, indent=2) + "\n").encode("utf-8")
