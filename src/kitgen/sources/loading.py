"""Load role and company files: parse safely, validate, and report every problem with its place.

Each problem reads `roles/x.yaml:14:5: salary.bands.senior.Paris: message`. Nothing here raises for a
bad file until every check has run; then one `DataError` carries the whole list.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from kitgen.errors import DataError, Problem
from kitgen.i18n import N_, tr, tr_n
from kitgen.sources import placeholders, texts, values, yamlsafe
from kitgen.sources.branding import brand_problems
from kitgen.sources.languages import LANGUAGES
from kitgen.sources.model import (
    CONTROL_RE,
    SLUG_RE,
    TRIAL_CAP_MONTHS,
    Company,
    Role,
    describe,
)
from kitgen.sources.yamlsafe import Located, dotted


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as the user should read it: relative to the project (or cwd) when inside it."""
    for root in (base, Path.cwd()):
        if root is None:
            continue
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            continue
    return str(path)


def load_role(path: Path, base: Path | None = None) -> Role:
    """Read and validate one role file; raise DataError listing every problem."""
    label = display_path(path, base)
    located, problems = _parse(path, label)
    if located is None:
        raise DataError(problems)
    data = located.data
    if "id" not in data and isinstance(data, dict):
        stem = path.name.split(".")[0]
        if not SLUG_RE.fullmatch(stem):
            problems.append(Problem(label, 1, 1, "id", tr("no id given and the file name %(stem)r is not a safe id: "
                                                          "add `id: lowercase-with-hyphens`", stem=stem)))
        data = {"id": stem, **data}
    problems += _text_problems(located, label)
    if not isinstance(data, dict):
        return _validate(Role, data, located, label, problems)
    primary, declared, found = _languages(data)
    versions: dict[str, Any] = {}
    for lang in declared:
        versions[lang], more = texts.version(Role, data, lang, declared, primary)
        found += more
    problems += _located(found, located, label)
    main = {**versions[primary or declared[0]], "languages": list(declared)} if declared else data
    problems += check_role(main, located, label)
    others = {lang: {**_same_references(main, versions[lang]), "lang": lang, "languages": list(declared)}
              for lang in declared[1:]}
    for other in others.values():  # a name given twice in one language only ("Listening" for two)
        problems += [p for p in check_role(other, located, label) if p not in problems]
    role = _validate(Role, main, located, label, problems, others)
    # Problems were reported at the places the file gives; the model holds the role's own spelling.
    canonical, canonical_others = canonical_references(main), {lang: canonical_references(version)
                                                              for lang, version in others.items()}
    if canonical != main or canonical_others != others:
        role = _validate(Role, canonical, located, label, [], canonical_others)
    placeholders.record(role, placeholders.find(_walk(located.data, ()), located, label))
    return role


def canonical_references(data: dict) -> dict:
    """The role's references in the role's own spelling, once `check_role` found each one: a
    question's `Management d’équipe` becomes the competency's `Management d'équipe`, a band key
    `Confirmé` the level id `confirme` (kitgen.sources.values' matcher). The documents then
    compare names exactly."""
    levels = _strings([_text(lv, "id") for lv in _list(data.get("levels"))])
    names = _strings([_text(c, "name") for c in _list(data.get("competencies"))])
    ids = _strings([c.get("id") or values.slugify(c["name"]) for c in _list(data.get("competencies"))
                    if isinstance(_text(c, "name"), str)])
    out = dict(data)
    if isinstance(data.get("competencies"), list):
        out["competencies"] = [{**c, "expectations": _renamed(c["expectations"], levels)}
                               if isinstance(c, dict) and isinstance(c.get("expectations"), dict) else c
                               for c in data["competencies"]]
    interview = data.get("interview")
    if isinstance(interview, dict):
        questions = [{**q, "competency": values.match(q["competency"], names) or q["competency"]}
                     if isinstance(q, dict) and isinstance(q.get("competency"), str) else q
                     for q in _list(interview.get("questions"))]
        stages = [{**st, "competencies": [values.match(c, names + ids) or c if isinstance(c, str) else c
                                          for c in st["competencies"]]}
                  if isinstance(st, dict) and isinstance(st.get("competencies"), list) else st
                  for st in _list(interview.get("stages"))]
        out["interview"] = {**interview, **({"questions": questions} if "questions" in interview else {}),
                            **({"stages": stages} if "stages" in interview else {})}
    salary = data.get("salary")
    if isinstance(salary, dict) and isinstance(salary.get("bands"), dict):
        places = _strings(list(map(_place_name, _list(salary.get("locations")))))
        bands = {level: _renamed(per, places) if isinstance(per, dict) else per
                 for level, per in _renamed(salary["bands"], levels).items()}
        out["salary"] = {**salary, "bands": bands}
    return out


def _renamed(mapping: dict, known: list[str]) -> dict:
    """`mapping` with each key that names one of `known` spelt as `known` spells it."""
    return {(values.match(key, known) or key) if isinstance(key, str) else key: value
            for key, value in mapping.items()}


def _languages(data: dict) -> tuple[str | None, tuple[str, ...], list]:
    """The primary language (`lang`), every language of the file (`languages`, the primary first)
    and what is wrong with them."""
    lang = data.get("lang")
    primary = lang if isinstance(lang, str) and lang in LANGUAGES else None
    raw = data.get("languages")
    found: list = []
    if raw is None:
        return primary, (primary,) if primary else (), found
    if not isinstance(raw, list):
        found.append((("languages",), False, tr("expected a list of language codes (%(languages)s), got %(value)s",
                                                languages=", ".join(LANGUAGES), value=describe(raw))))
        return primary, (primary,) if primary else (), found
    declared: list[str] = []
    for index, code in enumerate(raw):
        if not isinstance(code, str) or code not in LANGUAGES:
            found.append((("languages", index), False, tr("unknown language %(value)s (kitgen speaks: %(languages)s)",
                                                          value=describe(code), languages=", ".join(LANGUAGES))))
        elif code in declared:
            found.append((("languages", index), False, tr("language %(code)r is given twice", code=code)))
        else:
            declared.append(code)
    if primary and primary not in declared:
        found.append((("languages",), False, tr("does not hold the primary language %(lang)r (`lang`): add it",
                                                lang=primary)))
    ordered = ([primary] if primary else []) + [code for code in declared if code != primary]
    return primary, tuple(ordered), found


def _located(found: list, located: Located, label: str) -> list[Problem]:
    """texts.version's problems as problems of the file, each place and message once."""
    seen, out = set(), []
    for path, at_key, message in found:
        if (path, message) not in seen:
            seen.add((path, message))
            out.append(Problem(label, *located.where(path, key=at_key), dotted(path), message))
    return out


def _same_references(main: dict, other: dict) -> dict:
    """A language's version of a role, its references in that language: a question's competency
    and the locations of the salary bands (a file names them in the primary language)."""
    names, competencies = {}, []
    for first, second in zip(_list(main.get("competencies")), _list(other.get("competencies"))):
        if isinstance(_text(first, "name"), str) and isinstance(_text(second, "name"), str):
            names[first["name"]] = second["name"]
            if isinstance(second, dict) and second.get("id") is None:  # the primary name's slug, everywhere
                second = {**second, "id": first.get("id") or values.slugify(first["name"])}
        competencies.append(second)
    if competencies:
        other = {**other, "competencies": competencies + _list(other.get("competencies"))[len(competencies):]}
    interview = other.get("interview")
    if isinstance(interview, dict) and names:
        questions = [{**q, "competency": values.match(q["competency"], names) or q["competency"]}
                     if isinstance(q, dict) and isinstance(q.get("competency"), str) else q
                     for q in _list(interview.get("questions"))]
        stages = [{**st, "competencies": [values.match(c, names) or c if isinstance(c, str) else c
                                          for c in _list(st.get("competencies"))]}
                  if isinstance(st, dict) and isinstance(st.get("competencies"), list) else st
                  for st in _list(interview.get("stages"))]
        other = {**other, "interview": {**interview, "questions": questions,
                                        **({"stages": stages} if "stages" in interview else {})}}
    salary, main_salary = other.get("salary"), main.get("salary")
    if isinstance(salary, dict) and isinstance(main_salary, dict) and isinstance(salary.get("bands"), dict):
        places = {a: b for a, b in zip(map(_place_name, _list(main_salary.get("locations"))),
                                       map(_place_name, _list(salary.get("locations"))))
                  if isinstance(a, str) and isinstance(b, str)}
        bands = {level: {values.match(place, places) or place if isinstance(place, str) else place: band
                         for place, band in per.items()}
                 if isinstance(per, dict) else per for level, per in salary["bands"].items()}
        other = {**other, "salary": {**salary, "bands": bands}}
    return other


def load_company(path: Path, base: Path | None = None) -> Company:
    """Read and validate the company file; raise DataError listing every problem."""
    label = display_path(path, base)
    located, problems = _parse(path, label)
    if located is None:
        raise DataError(problems)
    problems += _text_problems(located, label)
    problems += brand_problems(located.data, located, label, base or path.parent)
    problems += _trial_problems(located.data, located, label)
    data = located.data
    if not isinstance(data, dict):
        return _validate(Company, data, located, label, problems)
    versions, missing, found_all = {}, {}, []
    for lang in LANGUAGES:  # a plain text serves every language; a mapping may lack some
        versions[lang], found = texts.version(Company, data, lang, LANGUAGES, None)
        # texts.version's message for a text without `lang`, in the language the messages are in
        absent = tr('no "%(lang)s" text (languages: %(languages)s)', lang=lang, languages=", ".join(LANGUAGES))
        lacking = [item for item in found if item[2] == absent]
        found_all += [item for item in found if item not in lacking]
        missing[lang] = [Problem(p.file, p.line, p.column, p.path, tr('no "%(lang)s" text, which a document in '
                                                                      '%(lang)s needs', lang=lang))
                         for p in _located(lacking, located, label)]
    problems += _located(found_all, located, label)
    complete = [lang for lang in LANGUAGES if not missing[lang]]
    first = complete[0] if complete else LANGUAGES[0]
    others = {lang: versions[lang] for lang in complete if lang != first}
    company = _validate(Company, versions[first], located, label, problems, others, first)
    company._missing = missing  # a language with a text missing has no version: in_language says None
    return company


def _parse(path: Path, label: str) -> tuple[Located | None, list[Problem]]:
    try:
        text, problems = yamlsafe.read_text(path, label)
    except OSError as exc:
        return None, [Problem(label, 0, 0, "", tr("cannot read the file: %(reason)s", reason=exc.strerror))]
    if text is None:
        return None, problems
    return yamlsafe.load(text, label)


def _validate(model: type[BaseModel], data: Any, located: Located, label: str, problems: list[Problem],
              others: dict[str, Any] | None = None, lang: str | None = None) -> Any:
    """The file's model (with its other languages' versions, `others`), or DataError with every problem."""
    result = None
    try:
        result = model.model_validate(data)
    except ValidationError as exc:
        problems = problems + _schema_problems(exc, model, data, located, label, problems)
    built = {}
    for other_lang, other in (others or {}).items():
        try:
            built[other_lang] = model.model_validate(other)
        except ValidationError as exc:
            problems = problems + _schema_problems(exc, model, other, located, label, problems)
    if problems:
        raise DataError(problems)
    if others is not None:
        result.with_versions({lang or getattr(result, "lang", None): result, **built})
    return result


def _schema_problems(exc: ValidationError, model: type[BaseModel], data: Any, located: Located, label: str,
                     earlier: list[Problem]) -> list[Problem]:
    """pydantic's errors as problems, skipping one a check already reported at the same place
    (a bad file name and its derived id). Earlier problems are all kept: two levels missing
    from one `expectations` mapping are two problems at one place."""
    taken = {(p.line, p.path) for p in earlier}
    out = []
    for err in exc.errors():
        if err["type"] == "string_type" and isinstance(err.get("input"), dict) and \
                any(_is_union_tag(part) for part in err["loc"]):
            continue  # a mapping where "text or mapping" is allowed: the mapping's own errors say more
        problem = _problem(err, model, data, located, label)
        if (problem.line, problem.path) not in taken:
            taken.add((problem.line, problem.path))
            out.append(problem)
    return out


def _problem(err: dict, model: type[BaseModel], data: Any, located: Located, label: str) -> Problem:
    loc = _data_loc(err["loc"], data)
    kind = err["type"]
    if kind == "extra_forbidden":
        line, column = located.where(loc, key=True)
        return Problem(label, line, column, dotted(loc), _unknown_key(model, loc))
    line, column = located.where(loc)
    return Problem(label, line, column, dotted(loc), _message(err, kind))


def _data_loc(loc: tuple, data: Any) -> tuple:
    """pydantic's location without the union-member tags it may insert (`str`, `list[str]`).

    A part that indexes the data is a real key, even `str` or `a[1]`; a part that does not is a
    missing or extra key, unless it looks like a tag."""
    out: list = []
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        elif _is_union_tag(part):
            continue
        else:
            current = None
        out.append(part)
    return tuple(out)


def _is_union_tag(part: Any) -> bool:
    """A member of a union in pydantic's location: `str`, `constrained-str`, a model's name..."""
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "float", "none", "constrained-str"}
                                      or (part[:1].isupper() and part.isidentifier()))


def _message(err: dict, kind: str) -> str:
    value = describe(err.get("input"))
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return tr("required key is missing")
    if kind == "value_error":  # a validator's own message (model.py's are kitgen's, already translated)
        return str(ctx.get("error", err["msg"]))
    if kind in {"string_type"}:
        return tr("expected text, got %(value)s", value=value)
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return tr("expected a whole number, got %(value)s", value=value)
    if kind in {"float_type", "float_parsing"}:
        return tr("expected a number, got %(value)s", value=value)
    if kind == "list_type":
        return tr("expected a list, got %(value)s", value=value)
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return tr("expected a mapping (key: value), got %(value)s", value=value)
    if kind == "string_too_short" or (kind == "too_short" and isinstance(err.get("input"), str)):
        return tr("must not be empty")
    if kind == "too_short":
        count = ctx.get("min_length", 1)
        return tr_n("needs at least %(count)d item", "needs at least %(count)d items", count)
    if kind in _BOUNDS:
        return tr(_BOUNDS[kind], bound=describe(next(iter(ctx.values()), None)), value=value)
    if kind == "literal_error":  # pydantic's list of the choices: 'hours' or 'days'
        return tr("expected one of %(choices)s, got %(value)s", choices=ctx.get("expected"), value=value)
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern", "") in _FORMS:
            return tr(_FORMS[ctx["pattern"]], value=value)
        return tr("expected the pattern %(pattern)s, got %(value)s", pattern=ctx.get("pattern"), value=value)
    return tr("%(message)s, got %(value)s", message=err["msg"], value=value)  # pydantic's own words


# pydantic's number bounds and the regexes of model.py, in words a recruiter can act on (translated
# where they are said: the language is chosen after this module is imported).
_BOUNDS = {"greater_than": N_("must be greater than %(bound)s, got %(value)s"),
           "greater_than_equal": N_("must be at least %(bound)s, got %(value)s"),
           "less_than": N_("must be less than %(bound)s, got %(value)s"),
           "less_than_equal": N_("must be at most %(bound)s, got %(value)s")}
_FORMS = {r"^[A-Z]{3}$": N_("expected a currency code of three capital letters (EUR, USD), got %(value)s"),
          r"^[A-Z]{2}$": N_("expected a country code of two capital letters (FR, BE), got %(value)s"),
          r"^#[0-9a-fA-F]{6}$": N_('expected a colour written "#rrggbb", in quotes, got %(value)s')}


def _unknown_key(model: type[BaseModel], loc: tuple) -> str:
    return values.unknown_key(loc[-1], _fields_at(model, loc[:-1]))


def _fields_at(model: Any, loc: tuple) -> list[str]:
    """The field names of the model that sits at `loc` (following lists, dicts and optionals)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            args = typing.get_args(current)
            current = args[-1] if args else current
            continue
        field = current.model_fields.get(part)
        current = field.annotation if field else None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Optional[...] and Annotated[...] to reach the model or container type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def _text_problems(located: Located, label: str) -> list[Problem]:
    """Text that a Word document cannot hold (control characters) is an error naming the field."""
    problems = []
    for path, value in _walk(located.data, ()):
        if isinstance(value, str) and (match := CONTROL_RE.search(value)):
            message = tr("contains the control character U+%(code)s, which documents cannot hold: remove it",
                         code=format(ord(match.group()), "04X"))
            problems.append(Problem(label, *located.where(path), dotted(path), message))
    return problems


def _walk(value: Any, path: tuple):
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, path + (index,))


def _trial_problems(data: Any, located: Located, label: str) -> list[Problem]:
    """The company's initial trial periods within the legal caps of their category (L.1221-19)."""
    months = data.get("trial_months") if isinstance(data, dict) else None
    problems = []
    for category, value in months.items() if isinstance(months, dict) else ():
        cap = TRIAL_CAP_MONTHS.get(category)
        if cap is not None and isinstance(value, int) and not isinstance(value, bool) and value > cap:
            path = ("trial_months", category)
            problems.append(Problem(label, *located.where(path), dotted(path),
                                    tr("%(months)d months is more than the legal cap of %(cap)d months for the "
                                       "category %(category)s (Code du travail L.1221-19)", months=value, cap=cap,
                                       category=category)))
    return problems


def check_role(data: dict, located: Located, label: str) -> list[Problem]:
    """Rules between fields, run on the raw data so they report even when types are wrong elsewhere."""
    problems: list[Problem] = []

    def add(path: tuple, message: str, key: bool = False) -> None:
        problems.append(Problem(label, *located.where(path, key=key), dotted(path), message))

    # Only text names take part: a list or mapping is unhashable and pydantic reports its type.
    levels = [_text(lv, "id") for lv in _list(data.get("levels"))]
    known_levels = _strings(levels)
    for i, level in enumerate(_list(data.get("levels"))):
        time = level.get("working_time") if isinstance(level, dict) else None
        if isinstance(time, dict) and time.get("kind") in ("hours", "days"):
            needed, other = ("weekly_hours", "days_per_year") if time["kind"] == "hours" else \
                ("days_per_year", "weekly_hours")
            if needed not in time:
                add(("levels", i, "working_time"), tr("a working time in hours needs weekly_hours")
                    if time["kind"] == "hours" else tr("a working time in days needs days_per_year"))
            if other in time:
                add(("levels", i, "working_time", other), tr("%(field)s does not go with kind: %(kind)s", field=other,
                                                             kind=time["kind"]), key=True)
    _duplicates(levels, ("levels",), "id", N_("level id %(value)r is given twice"), data, add)
    competencies = [_text(c, "name") for c in _list(data.get("competencies"))]
    _duplicates(competencies, ("competencies",), "name", N_("competency %(value)r is given twice"), data, add)
    for i, comp in enumerate(_list(data.get("competencies"))):
        expectations = comp.get("expectations") if isinstance(comp, dict) else None
        if isinstance(expectations, dict):
            where = ("competencies", i, "expectations")
            given = _references(expectations, known_levels, where, "level", add)
            for level in levels:
                if isinstance(level, str) and level not in given:
                    add(where, tr("no expectation for level %(level)r", level=level))
    interview = data.get("interview") if isinstance(data.get("interview"), dict) else {}
    for i, question in enumerate(_list(interview.get("questions"))):
        name = question.get("competency") if isinstance(question, dict) else None
        if isinstance(name, str) and values.match(name, _strings(competencies)) is None:
            add(("interview", "questions", i, "competency"),
                values.unknown("competency", name, _strings(competencies), "competencies"))
    _stage_problems(data, interview, competencies, add)
    salary = data.get("salary") if isinstance(data.get("salary"), dict) else {}
    locations = [name for name in map(_place_name, _list(salary.get("locations"))) if name is not None]
    bands = salary.get("bands") if isinstance(salary.get("bands"), dict) else {}
    _references(bands, known_levels, ("salary", "bands"), "level", add, band=True)
    for level, per_location in bands.items():
        if isinstance(per_location, dict):
            _references(per_location, _strings(locations), ("salary", "bands", level), "location", add, band=True)
    return problems


# A band's key that names no level or location, and a key that names one a second time: one whole
# sentence for each kind of name (`what`).
_UNKNOWN_IN_BAND = {"level": N_("band for unknown level %(value)r (levels: %(known)s)"),
                    "location": N_("band for unknown location %(value)r (locations: %(known)s)")}
_AGAIN = {"level": N_("%(key)r is level %(canonical)r again (already given as %(given)r)"),
          "location": N_("%(key)r is location %(canonical)r again (already given as %(given)r)")}


def _references(mapping: dict, known: list[str], where: tuple, what: str, add, band: bool = False) -> dict:
    """Check that each key of `mapping` names one of `known` (kitgen.sources.values' matcher: case,
    accents, apostrophes... ignored), once; return {canonical: key} of the keys that do. `band`:
    the keys are a salary band's."""
    given: dict = {}
    for key in mapping:
        canonical = values.match(key, known) if isinstance(key, str) else None
        if canonical is None:
            add(where + (key,), values.unknown(what, str(key), known, message=_UNKNOWN_IN_BAND[what] if band else None),
                key=True)
        elif canonical in given:
            add(where + (key,), tr(_AGAIN[what], key=key, canonical=canonical, given=given[canonical]), key=True)
        else:
            given[canonical] = key
    return given


def _stage_problems(data: dict, interview: dict, names: list, add) -> None:
    """Stages name known competencies (by name or id), have distinct ids, and assess something;
    a case study stage needs the role's case study. Competency ids are distinct too."""
    declared = data.get("languages")
    if isinstance(declared, list) and declared and data.get("lang") != declared[0]:
        return  # stages name competencies in the primary language: checked once, in its version
    comps = _list(data.get("competencies"))
    ids = [c.get("id") if isinstance(c, dict) and c.get("id") is not None
           else values.slugify(c["name"]) if isinstance(_text(c, "name"), str) else None for c in comps]
    repeated = [isinstance(n, str) and n in names[:i] for i, n in enumerate(names)]  # reported as names
    _duplicates([None if again else i for i, again in zip(ids, repeated)], ("competencies",), "id",
                N_("competency id %(value)r is given twice"), data, add)
    known = _strings(names) + _strings(ids)
    stage_ids = [_text(st, "id") for st in _list(interview.get("stages"))]
    _duplicates(stage_ids, ("interview", "stages"), "id", N_("stage id %(value)r is given twice"),
                {"interview": interview}, add)
    for i, stage in enumerate(_list(interview.get("stages"))):
        if not isinstance(stage, dict):
            continue
        where = ("interview", "stages", i)
        listed = stage.get("competencies") if isinstance(stage.get("competencies"), list) else []
        for j, name in enumerate(listed):
            if isinstance(name, str) and values.match(name, known) is None:
                add(where + ("competencies", j), values.unknown(
                    "competency", name, [tr("%(names)s; or their ids: %(ids)s", names=_names(names), ids=_names(ids))],
                    "competencies", _strings(names) + _strings(ids)))
        if not listed and stage.get("case_study") is not True:
            add(where, tr("a stage assesses at least one competency or the case study "
                          "(give it `competencies` or `case_study: true`)"))
        if stage.get("case_study") is True and not isinstance(interview.get("case_study"), dict):
            add(where + ("case_study",), tr("this stage holds the case study, and the role has none "
                                            "(add interview.case_study)"), key=True)


def _place_name(place: Any) -> str | None:
    """A location's name: the text itself, or the `name` of {name, country}."""
    if isinstance(place, dict):
        place = place.get("name")
    return place if isinstance(place, str) else None


def _duplicates(values: list, where: tuple, attr: str, message: str, data: dict, add) -> None:
    """`message` (marked with N_, `%(value)r` the name) at each name given a second time."""
    seen: set = set()
    for i, value in enumerate(values):
        if isinstance(value, str) and value in seen:
            add(where + (i, attr), tr(message, value=value))
        seen.add(value)


def _text(item: Any, key: str) -> str | None:
    """item[key] when it is text, else None (keeping list positions right for messages)."""
    value = item.get(key) if isinstance(item, dict) else None
    return value if isinstance(value, str) else None


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _strings(values_: list) -> list[str]:
    """The text items of a list, each once, in order."""
    return list(dict.fromkeys(v for v in values_ if isinstance(v, str)))


def _names(values: list) -> str:
    return ", ".join(dict.fromkeys(v for v in values if isinstance(v, str))) or tr("none")
