"""The JSON Schemas of kitgen's files (`kitgen schema KIND`, schema/*.schema.json, docs/editors.md):
current, complete (a title, a description and examples on every property), valid for every file
kitgen itself writes or ships (samples, starter files, the docs' examples), precise in what they
refuse, and in agreement with the readers on examples of both kinds."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from kitgen.cli import main
from kitgen.sources import schemas, yamlsafe
from tests.support import ROOT

KINDS = ("role", "company", "scorecard", "settings")
SCHEMA_DIR = ROOT / "schema"
REGENERATE = ".venv/bin/python tools/update_schemas.py"
RUNNER = CliRunner()
YAML_LINE = re.compile(r"# yaml-language-server: \$schema=(\S+)\n")
TOML_LINE = re.compile(r"#:schema (\S+)\n")


def run(*args: str):
    return RUNNER.invoke(main, list(args), catch_exceptions=False)


def committed(kind: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(committed(kind))  # no format_checker: "format" is an annotation only


def as_json(data):
    """Data as an editor sees it: JSON, where every mapping key is text (`1:` in YAML is "1")."""
    return json.loads(json.dumps(data))


def read_yaml(text: str, label: str = "x.yaml"):
    located, problems = yamlsafe.load(text, label)
    assert located is not None and not problems, problems
    return as_json(located.data)


def problems(kind: str, data) -> list[tuple[list, str]]:
    """(path, message) of every error, in a stable order. An error of "any of these" (an optional
    key is "this or nothing", a text is "a string or one per language") is told by its most
    relevant cause, as an editor shows it."""
    from jsonschema.exceptions import best_match

    out = []
    for error in validator(kind).iter_errors(as_json(data)):
        error = best_match([error])  # descends into the causes
        out.append((list(error.absolute_path), error.message))
    return sorted(out)


def assert_valid(kind: str, data, label: str) -> None:
    found = [f"{label}: {'.'.join(map(str, path)) or '(top)'}: {message}" for path, message in problems(kind, data)]
    assert found == [], "\n".join(found)


# -- the files are current and complete -------------------------------------------------------------

def test_the_committed_schemas_are_the_generated_ones():
    from kitgen.commands.schema import schema_files

    generated = schema_files()
    assert sorted(generated) == [f"schema/{kind}.schema.json" for kind in sorted(KINDS)]
    for name, text in generated.items():
        path = ROOT / name
        assert path.is_file() and path.read_text(encoding="utf-8") == text, \
            f"{name} is stale (a model or src/kitgen/sources/schema_texts.yaml changed): run `{REGENERATE}`"
    assert sorted(p.name for p in SCHEMA_DIR.iterdir()) == sorted(Path(name).name for name in generated)


@pytest.mark.parametrize("kind", KINDS)
def test_each_schema_is_draft_2020_12_with_an_id_a_title_and_a_description(kind):
    schema = committed(kind)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:kitgen:schema:{kind}"
    assert schema["title"] and schema["description"]
    assert schema["additionalProperties"] is False  # unknown keys are errors, as in kitgen
    text = (SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert text.endswith("}\n") and text.startswith('{\n  "$schema"')  # 2-space indent, final newline


def properties(schema: dict):
    """(where, property schema) of every property of the schema and of its $defs."""
    for name, sub in [("", schema), *((f"$defs.{key}.", value) for key, value in schema.get("$defs", {}).items())]:
        for key, prop in sub.get("properties", {}).items():
            yield f"{name}{key}", prop


@pytest.mark.parametrize("kind", KINDS)
def test_every_property_has_a_title_a_description_and_examples_that_validate(kind):
    schema = committed(kind)
    incomplete, wrong = [], []
    for where, prop in properties(schema):
        if not (prop.get("title") and prop.get("description") and prop.get("examples")):
            incomplete.append(where)
            continue
        check = Draft202012Validator({**prop, "$defs": schema.get("$defs", {})})
        wrong += [f"{where}: example {example!r}: {error.message}" for example in prop["examples"]
                  for error in check.iter_errors(example)]
    assert incomplete == [] and wrong == []
    assert all(sub.get("title") and sub.get("description") for sub in schema.get("$defs", {}).values())


def test_every_text_entry_belongs_to_a_model_or_a_field():
    named = set()
    for kind in KINDS:
        schema = committed(kind)
        named |= {schema["title"]} | {sub["title"] for sub in schema.get("$defs", {}).values()}
    models = schemas._models()
    fields = {schemas.TRANSLATIONS}
    seen = set()

    def walk(model):
        if model.__name__ in seen:
            return
        seen.add(model.__name__)
        fields.add(model.__name__)
        for name, info in model.model_fields.items():
            fields.add(f"{model.__name__}.{name}")
            for sub in _models_in(info.annotation):
                walk(sub)

    for model in models.values():
        walk(model)
    assert sorted(set(schemas.texts()) - fields) == []
    assert sorted(fields - set(schemas.texts())) == []


def _models_in(annotation):
    import typing

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)


def test_the_settings_model_has_the_readers_keys_and_defaults():
    from kitgen.sources import limits, project
    from kitgen.sources.scorecards import REQUIRED, YAML_FIELDS
    from kitgen.sources.settings import Limits, Settings

    assert Settings().model_dump() == {**project.DEFAULTS, "limits": limits.DEFAULTS}
    assert list(Settings.model_fields) == list(project.DEFAULTS)
    assert list(Limits.model_fields) == list(limits.DEFAULTS)
    scorecard = committed("scorecard")
    assert (list(scorecard["properties"]), scorecard["required"]) == (list(YAML_FIELDS), list(REQUIRED))


# -- every file kitgen ships or writes validates ---------------------------------------------------

SAMPLES = [("role", path) for path in sorted((ROOT / "roles").glob("*.yaml"))] + [("company", ROOT / "company.yaml")] \
    + [("scorecard", path) for path in sorted((ROOT / "examples" / "scorecards").glob("*.yaml"))]
FIXTURES = [("role", path) for path in sorted((ROOT / "tests/fixtures/bilingual/roles").glob("*.yaml"))] \
    + [("company", ROOT / "tests/fixtures/bilingual/company.yaml")]


def assert_schema_line(kind: str, path: Path) -> None:
    """The file starts with the line that gives editors its schema, a path (relative to the file)
    to a copy of the schema of its kind."""
    text = path.read_text(encoding="utf-8")
    found = (TOML_LINE if path.suffix == ".toml" else YAML_LINE).match(text)
    assert found, f"{path}: no schema line first"
    target = (path.parent / found[1]).resolve()
    assert found[1].startswith(("./", "../")) and target.name == f"{kind}.schema.json", found[1]
    assert target.is_file(), f"{path}: {found[1]} does not exist"


@pytest.mark.parametrize("kind, path", SAMPLES, ids=lambda v: v.name if isinstance(v, Path) else v)
def test_the_sample_files_validate_and_name_their_schema(kind, path):
    assert_valid(kind, read_yaml(path.read_text(encoding="utf-8")), path.name)
    assert_schema_line(kind, path)
    assert (path.parent / YAML_LINE.match(path.read_text(encoding="utf-8"))[1]).resolve() == \
        SCHEMA_DIR / f"{kind}.schema.json"


@pytest.mark.parametrize("kind, path", FIXTURES, ids=lambda v: v.name if isinstance(v, Path) else v)
def test_the_valid_fixtures_validate(kind, path):
    assert_valid(kind, read_yaml(path.read_text(encoding="utf-8")), path.name)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_starter_files_validate_name_their_schema_and_still_load(tmp_path, lang):
    assert run("init", str(tmp_path), "--lang", lang).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "schema").iterdir()) == sorted(f"{kind}.schema.json" for kind in KINDS)
    for kind in KINDS:  # the project's copy is this repository's
        assert (tmp_path / "schema" / f"{kind}.schema.json").read_bytes() == \
            (SCHEMA_DIR / f"{kind}.schema.json").read_bytes()
    files = [("company", tmp_path / "company.yaml"), *(("role", p) for p in (tmp_path / "roles").glob("*.yaml"))]
    assert len(files) == 2
    for kind, path in files:
        assert_valid(kind, read_yaml(path.read_text(encoding="utf-8")), path.name)
        assert_schema_line(kind, path)
    settings = tmp_path / "kitgen.toml"
    assert_valid("settings", tomllib.loads(settings.read_text(encoding="utf-8")), settings.name)
    assert_schema_line("settings", settings)
    assert run("-C", str(tmp_path), "validate").output == "2 files valid\n"  # the lines are comments


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_new_role_validates_names_its_schema_and_brings_missing_schemas(tmp_path, lang):
    assert run("init", str(tmp_path)).exit_code == 0
    (tmp_path / "schema" / "role.schema.json").unlink()  # a project made before kitgen wrote schemas
    company_schema = tmp_path / "schema" / "company.schema.json"
    company_schema.write_text("{}\n", encoding="utf-8")  # the user's own: kept
    result = run("-C", str(tmp_path), "new-role", "data-analyst", "--title", "Data analyst", "--lang", lang)
    assert result.exit_code == 0, result.output
    path = tmp_path / "roles" / "data-analyst.yaml"
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../schema/role.schema.json\n")
    assert_schema_line("role", path)
    assert_valid("role", read_yaml(path.read_text(encoding="utf-8")), path.name)
    assert (tmp_path / "schema" / "role.schema.json").read_bytes() == (SCHEMA_DIR / "role.schema.json").read_bytes()
    assert company_schema.read_text(encoding="utf-8") == "{}\n"
    validated = run("-C", str(tmp_path), "validate", "roles/data-analyst.yaml")  # its placeholders: warnings
    assert (validated.exit_code, validated.stdout) == (0, "1 file valid\n")


def test_a_new_role_in_another_roles_folder_points_to_the_projects_schema(tmp_path):
    (tmp_path / "kitgen.toml").write_text('roles = "hiring/roles"\n', encoding="utf-8")
    assert run("-C", str(tmp_path), "new-role", "x", "--title", "X").exit_code == 0
    path = tmp_path / "hiring" / "roles" / "x.yaml"
    line = "# yaml-language-server: $schema=../../schema/role.schema.json\n"
    assert path.read_text(encoding="utf-8").startswith(line)
    assert_schema_line("role", path)


def fenced(language: str):
    """(doc name, text) of every fenced block of that language in docs/*.md."""
    for doc in sorted((ROOT / "docs").glob("*.md")):
        for block in re.findall(rf"^```{language}\n(.*?)^```", doc.read_text(encoding="utf-8"), re.S | re.M):
            yield doc.name, block


def test_the_docs_yaml_examples_validate():
    """A block with every required key of a kind is a whole file and validates as one; any other
    block whose keys are all of one kind's is a fragment, and each of its keys validates."""
    whole, fragments = [], 0
    for doc, block in fenced("yaml"):
        data = read_yaml(block, doc)
        if not isinstance(data, dict):
            continue
        kind = next((k for k in ("role", "scorecard", "company") if set(committed(k)["required"]) <= set(data)), None)
        if kind:
            assert_valid(kind, data, f"{doc} ({kind})")
            whole.append((doc, kind))
            continue
        kind = next((k for k in ("role", "company") if set(data) <= set(committed(k)["properties"])), None)
        if kind and "[...]" not in block:
            schema = committed(kind)
            for key, value in data.items():
                check = Draft202012Validator({**schema["properties"][key], "$defs": schema["$defs"]})
                errors = check.iter_errors(value)
                assert [e.message for e in errors] == [], f"{doc}: {key}"
            fragments += 1
    assert sorted(whole) == [("debrief.md", "scorecard"), ("role-file.md", "company"), ("role-file.md", "role")]
    assert fragments >= 4


def test_the_docs_toml_examples_validate():
    blocks = list(fenced("toml"))
    assert blocks
    for doc, block in blocks:
        assert_valid("settings", tomllib.loads(block), doc)


# -- what the schemas refuse, precisely --------------------------------------------------------------

SAMPLE_ROLE = (ROOT / "roles" / "backend-engineer.yaml").read_text(encoding="utf-8")


def test_a_missing_required_key_is_refused_at_its_mapping():
    data = read_yaml(SAMPLE_ROLE)
    del data["summary"]
    del data["interview"]["questions"][0]["text"]
    assert problems("role", data) == [([], "'summary' is a required property"),
                                      (["interview", "questions", 0], "'text' is a required property")]
    assert problems("scorecard", {"role": "x", "level": "y", "candidate": "z"}) == [
        ([], "'interviewer' is a required property")]


def test_a_wrong_type_is_refused_at_its_key():
    data = read_yaml(SAMPLE_ROLE)
    data["missions"] = "Write tests"
    data["levels"][0]["id"] = "Senior"
    assert problems("role", data) == [(["levels", 0, "id"], "'Senior' does not match '^[a-z0-9][a-z0-9-]{0,63}$'"),
                                      (["missions"], "'Write tests' is not of type 'array'")]
    assert problems("company", {"name": "Petits Pas", "band_spread": "10 %"}) == [
        (["band_spread"], "'10 %' is not of type 'number'")]
    assert problems("settings", {"limits": {"depth": 0}, "roles": 5}) == [
        (["limits", "depth"], "0 is less than the minimum of 1"), (["roles"], "5 is not of type 'string'")]


def test_unknown_keys_and_values_outside_an_enum_are_refused():
    data = read_yaml(SAMPLE_ROLE)
    data["titel"] = "x"
    data["lang"] = "de"
    data["levels"][0]["working_time"] = {"kind": "weeks"}
    assert problems("role", data) == [
        ([], "Additional properties are not allowed ('titel' was unexpected)"),
        (["lang"], "'de' is not one of ['fr', 'en']"),
        (["levels", 0, "working_time", "kind"], "'weeks' is not one of ['hours', 'days']")]
    data = read_yaml(SAMPLE_ROLE)
    data["levels"][0]["category"] = "manager"
    assert problems("role", data) == [(["levels", 0, "category"], "'manager' is not one of ['ouvrier', 'employe', "
                                                                  "'technicien', 'agent-de-maitrise', 'cadre']")]


def test_a_text_takes_both_forms_and_a_band_both_forms():
    data = read_yaml(SAMPLE_ROLE)
    data["title"] = {"fr": "Ingénieur ou ingénieure backend", "en": "Backend Software Engineer"}
    data["salary"]["bands"]["junior"] = {"New York": 90000, "Remote (US)": [80000, 95000]}
    data["salary"]["locations"] = ["New York", {"name": "Austin", "country": "US"}, "Remote (US)"]
    assert problems("role", data) == []
    data["title"] = {"de": "Backend-Entwickler"}
    data["missions"][0] = {"en": " "}
    data["salary"]["bands"]["junior"]["New York"] = "77 K€"
    assert problems("role", data) == [
        (["missions", 0, "en"], "' ' does not match '\\\\S'"),
        (["salary", "bands", "junior", "New York"], "'77 K€' is not valid under any of the given schemas"),
        (["title"], "{'de': 'Backend-Entwickler'} is not valid under any of the given schemas")]


# -- the schemas and the readers agree on examples ---------------------------------------------------

def _reader_accepts_role(tmp_path: Path, text: str) -> bool:
    from kitgen.errors import DataError
    from kitgen.sources.loading import load_role

    path = tmp_path / "roles" / "backend-engineer.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    try:
        load_role(path, tmp_path)
    except DataError:
        return False
    return True


@pytest.mark.parametrize("old, new, valid", [
    ("", "", True),
    ("id: backend-engineer\n", "", True),  # the file name gives it
    ("  - Backend Developer\n", "  - {en: Backend Developer}\n", True),
    ("      New York: [115000, 140000]\n", "      New York: 120000\n", True),
    ("{name: Remote (US), country: US}]", "Remote (US)]", True),  # a place in the company's country
    ("lang: en\n", "lang: de\n", False),
    ("lang: en\n", "", False),
    ("      New York: [115000, 140000]\n", "      New York: 77 K€\n", False),
    ("      New York: [115000, 140000]\n", "      New York: [115000, 140000, 150000]\n", False),
    ("  currency: USD\n", "  currency: usd\n", False),
    ("{name: Remote (US), country: US}]", "{name: Remote (US), country: usa}]", False),
    ("  - Backend Developer\n", "  - {en: Backend Developer, xx: Y}\n", False),
    ("  - Backend Developer\n", "  - {en: \"  \"}\n", False),
    ("title: Backend Software Engineer\n", "title: Backend Software Engineer\ntitel: x\n", False),
])
def test_the_role_schema_and_the_reader_agree(tmp_path, old, new, valid):
    text = SAMPLE_ROLE.replace(old, new, 1)
    assert old in SAMPLE_ROLE and (text != SAMPLE_ROLE or not old)
    assert (problems("role", read_yaml(text)) == []) is valid
    assert _reader_accepts_role(tmp_path, text) is valid


SHEET = (ROOT / "examples" / "scorecards" / "sarah-benali.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("old, new, valid", [
    ("", "", True),
    ("recommendation: yes\n", "recommendation: strong-yes\n", True),
    ("recommendation: yes\n", "recommendation: true\n", True),  # a YAML 1.1 tool's yes
    ("case_study: 3\n", "case_study: \"4\"\n", True),
    ("  Gestion de projet: na\n", "  Gestion de projet: 2\n", True),
    ("date: 2027-01-15\n", "", True),
    ("interviewer: Sarah Benali\n", "", False),
    ("interviewer: Sarah Benali\n", "interviewer: \"  \"\n", False),
    ("case_study: 3\n", "case_study: 5\n", False),
    ("case_study: 3\n", "case_study: na\n", False),
    ("  Gestion de projet: na\n", "  Gestion de projet: 5\n", False),
    ("recommendation: yes\n", "recommendation: maybe\n", False),
    ("date: 2027-01-15\n", "date: 15/01/2027\n", False),
    ("  1: A relié", "  x: A relié", False),
    ("notes: ", "note: ", False),
])
def test_the_scorecard_schema_and_the_reader_agree(project, old, new, valid):
    from kitgen.commands import open_project
    from kitgen.errors import DataError
    from kitgen.sources.scorecards import read_scorecards

    text = SHEET.replace(old, new, 1)
    assert old in SHEET and (text != SHEET or not old)
    assert (problems("scorecard", read_yaml(text)) == []) is valid
    path = project / "sheet.yaml"
    path.write_text(text, encoding="utf-8")
    _, role = open_project(project).find_role("directeur-ecommerce")
    try:
        read_scorecards([path], ["sheet.yaml"], role, "confirme", "Camille Durand")
        accepted = True
    except DataError:
        accepted = False
    assert accepted is valid


@pytest.mark.parametrize("text, valid", [
    ("", True),
    ('#:schema ./schema/settings.schema.json\nformats = ["pdf", "html"]\n', True),
    ('formats = "pdf, docx"\noutput = "build"\n', True),
    ('offer_template = "templates/letterhead.docx"\n[limits]\nlist_items = 1000\n', True),
    ('colour = "blue"\n', False),
    ("roles = 5\n", False),
    ('formats = ["pdf", "word"]\n', False),
    ('formats = "pdf, word"\n', False),
    ("formats = []\n", False),
    ("offer_template = true\n", False),
    ("[limits]\ndepth = 0\n", False),
    ("[limits]\nwidth = 3\n", False),
    ('limits = "big"\n', False),
])
def test_the_settings_schema_and_the_reader_agree(tmp_path, text, valid):
    from kitgen.commands import open_project
    from kitgen.errors import DataError
    from kitgen.sources import limits

    assert (problems("settings", tomllib.loads(text)) == []) is valid
    (tmp_path / "kitgen.toml").write_text(text, encoding="utf-8")
    try:
        open_project(tmp_path)
        accepted = True
    except DataError:
        accepted = False
    finally:
        limits.configure({})  # load_project sets the limits in force
    assert accepted is valid


# -- the command ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_kitgen_schema_prints_the_committed_file(kind):
    result = run("schema", kind)
    assert result.exit_code == 0
    assert json.loads(result.output) == committed(kind)
    assert result.output == (SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")


def test_an_unknown_kind_is_a_usage_error_listing_the_kinds():
    result = run("schema", "candidates")
    assert result.exit_code == 2
    assert "Invalid value for 'KIND': 'candidates' is not one of 'role', 'company', 'scorecard', 'settings'." \
        in result.output
    assert schemas.KINDS == KINDS
