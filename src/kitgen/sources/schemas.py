"""The JSON Schemas of kitgen's input files (Draft 2020-12): what `kitgen schema KIND` prints and
what `schema/*.schema.json` holds, for editors (docs/editors.md).

Each schema is generated from the pydantic model of its file: `Role` and `Company` (model.py), the
YAML scorecard (`scorecards.ScorecardFile`) and kitgen.toml (`settings.Settings`). The words are
data: `schema_texts.yaml` gives a title and a description to each model and a title, a description
and examples to each `Model.field`; a field without its entry is an error here, and a test checks
that no entry is left over. Where a file differs from its model the generator says so below: a
role's `id` may be left out (the file name gives it), and kitgen.toml's format names come from the
format registry, a higher layer, passed in by the caller.

A schema checks each value on its own. The rules that relate values to each other (an expectation
for every level, bands for known levels and locations, the languages a text must be given in...)
are `kitgen validate`'s, and each file's description says so.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from kitgen.errors import UsageError
from kitgen.i18n import tr
from kitgen.sources import yamlsafe

KINDS = ("role", "company", "scorecard", "settings")
DIALECT = "https://json-schema.org/draft/2020-12/schema"
TEXTS_FILE = Path(__file__).with_name("schema_texts.yaml")
TRANSLATIONS = "Translations"  # the $defs entry of a text given in several languages


def file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def _models() -> dict[str, type]:
    # Imported here: pydantic (~0.2 s) stays off the path of `kitgen --help`, which lists KINDS.
    from kitgen.sources.model import Company, Role
    from kitgen.sources.scorecards import ScorecardFile
    from kitgen.sources.settings import Settings

    return {"role": Role, "company": Company, "scorecard": ScorecardFile, "settings": Settings}


@lru_cache(maxsize=1)
def texts() -> dict[str, dict[str, Any]]:
    """schema_texts.yaml: {"Model" or "Model.field": {title, description[, examples]}}."""
    located, problems = yamlsafe.load(TEXTS_FILE.read_text(encoding="utf-8"), TEXTS_FILE.name)
    if located is None or problems:
        raise ValueError("; ".join(str(problem) for problem in problems))
    return located.data


def generate(kind: str, format_names: Sequence[str]) -> dict:
    """The schema of a KIND file; `format_names`: the format registry's names (kitgen.toml)."""
    if kind not in KINDS:
        raise UsageError(tr("no schema %(kind)r (kinds: %(kinds)s)", kind=kind, kinds=", ".join(KINDS)),
                         param_hint="KIND")
    model = _models()[kind]
    schema = model.model_json_schema(ref_template="#/$defs/{model}")
    defs = schema.pop("$defs", {})
    if kind == "role":
        schema["required"].remove("id")  # a role file may leave it out: the file name gives it
    if kind == "settings":
        _format_names(schema["properties"]["formats"], format_names)
    schema = _described(schema, model.__name__)
    defs = {name: _described(sub, name) for name, sub in defs.items()}
    schema, defs = _share_translations(schema, defs)
    head = {"$schema": DIALECT, "$id": f"urn:kitgen:schema:{kind}"}
    return _without_null_defaults({**head, **schema, **({"$defs": dict(sorted(defs.items()))} if defs else {})})


def dump(schema: dict) -> str:
    """The text of a schema file: 2-space indented, accents as written, a final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def files(format_names: Sequence[str]) -> dict[str, str]:
    """{file name: text} of every schema, as `schema/` holds them."""
    return {file_name(kind): dump(generate(kind, format_names)) for kind in KINDS}


def _entry(key: str) -> dict[str, Any]:
    try:
        return texts()[key]
    except KeyError:
        raise LookupError(f"{TEXTS_FILE.name} has no entry {key!r}: add its title, description and examples") \
            from None


def _described(schema: dict, model: str) -> dict:
    """A model's schema with its texts, and each property's: title, description first, examples last."""
    entry = _entry(model)
    out = {"title": entry["title"], "description": entry["description"].strip()}
    out |= {key: value for key, value in schema.items() if key not in ("title", "description", "properties")}
    if "properties" in schema:
        out["properties"] = {}
        for name, prop in schema["properties"].items():
            text = _entry(f"{model}.{name}")
            rest = {key: value for key, value in prop.items() if key not in ("title", "description")}
            out["properties"][name] = {"title": text["title"], "description": text["description"].strip(),
                                       **rest, "examples": text["examples"]}
        out = {key: out.pop(key) for key in ("title", "description", "type", "properties")
               if key in out} | out
    return out


def _format_names(prop: dict, names: Sequence[str]) -> None:
    """kitgen.toml's `formats`: a list of the registry's names, or one comma-separated string of them."""
    alternation = "|".join(map(re.escape, names))
    for option in prop["anyOf"]:
        if option.get("type") == "array":
            option["items"] = {"type": "string", "enum": list(names)}
        else:
            option["pattern"] = rf"^[\s,]*({alternation})(\s*,[\s,]*({alternation}))*[\s,]*$"


def _share_translations(schema: dict, defs: dict) -> tuple[dict, dict]:
    """Each `{fr: ..., en: ...}` alternative (model.Translatable) as one `$ref` to a shared definition."""
    from kitgen.sources.model import TRANSLATIONS_SCHEMA

    found = False

    def walk(value):
        nonlocal found
        if value == TRANSLATIONS_SCHEMA:
            found = True
            return {"$ref": f"#/$defs/{TRANSLATIONS}"}
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    schema, defs = walk(schema), walk(defs)
    if found:
        entry = _entry(TRANSLATIONS)
        defs[TRANSLATIONS] = {"title": entry["title"], "description": entry["description"].strip(),
                              **copy.deepcopy(TRANSLATIONS_SCHEMA)}
    return schema, defs


def _without_null_defaults(value):
    """`default: null` says nothing a reader needs (an absent key is none), and a TOML file cannot
    write it: left out."""
    if isinstance(value, dict):
        return {key: _without_null_defaults(item) for key, item in value.items()
                if not (key == "default" and item is None)}
    if isinstance(value, list):
        return [_without_null_defaults(item) for item in value]
    return value
