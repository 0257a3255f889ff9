"""kitgen.toml as a pydantic model: what `project.py` reads, said once more as a schema.

`project.py` reads the file by hand (it runs before every command, and pydantic would cost
`kitgen --help` ~0.2 s); this model is the source of `kitgen schema settings`. Its keys and
defaults come from the reader's own `DEFAULTS` and `limits.DEFAULTS`, so the two cannot disagree
on those; tests/test_schema.py runs examples through both for the rest.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from kitgen.sources import limits
from kitgen.sources.languages import LANGUAGES
from kitgen.sources.project import DEFAULTS

Count = Annotated[int, Field(ge=1)]  # a whole number above 0 (project._limit_problems)
# `formats`: a list of names or one comma-separated string (formats.parse_setting); the names are
# the format registry's, a higher layer: the schema generator is given them.
Formats = Annotated[list[str], Field(min_length=1)] | str


class Limits(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file_kb: Count = limits.DEFAULTS["file_kb"]
    depth: Count = limits.DEFAULTS["depth"]
    list_items: Count = limits.DEFAULTS["list_items"]
    letterhead_mb: Count = limits.DEFAULTS["letterhead_mb"]
    candidate_rows: Count = limits.DEFAULTS["candidate_rows"]


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    roles: str = DEFAULTS["roles"]
    templates: str = DEFAULTS["templates"]
    output: str = DEFAULTS["output"]
    company: str = DEFAULTS["company"]
    formats: Formats = DEFAULTS["formats"]
    offer_template: str = DEFAULTS["offer_template"]  # none by default: TOML has no null to write
    limits: Limits = Limits()
    lang: Literal[LANGUAGES] = DEFAULTS["lang"]  # none by default: the language of LANG, else English
