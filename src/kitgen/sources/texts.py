"""Texts in several languages: a role or company file may give any translatable text (the model's
`Prose` fields) as a mapping from language code to text, `title: {fr: ..., en: ...}`.

`version` makes one language's copy of a file's raw data, every such mapping replaced by that
language's text, and lists what is wrong on the way (a language missing, not declared, unknown,
an empty text). The copy keeps the data's shape, so the schema and every check run on it as on a
one-language file, and positions in messages stay those of the file. In a role file a plain
string is the primary language's text; in the company file it serves every language.
"""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel

from kitgen.i18n import tr
from kitgen.sources.languages import LANGUAGES
from kitgen.sources.model import Translatable, describe

Path = tuple  # a place in the data: keys and list indexes


def _marker(annotation: Any, metadata: list | tuple = ()) -> Translatable | None:
    found = [item for item in metadata if isinstance(item, Translatable)]
    if typing.get_origin(annotation) is typing.Annotated:
        found += [item for item in typing.get_args(annotation)[1:] if isinstance(item, Translatable)]
    return found[0] if found else None


def _translatable(annotation: Any, metadata: list | tuple = ()) -> bool:
    return _marker(annotation, metadata) is not None


def _inner(annotation: Any) -> list[Any]:
    """The annotations a value may have: Optional and unions opened, Annotated kept whole."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return [a for a in typing.get_args(annotation) if a is not type(None)]
    return [annotation]


def slots(model: type[BaseModel], data: Any, path: Path = ()):
    """(path, value, expects_list, neutral) of every place in `data` where `model` takes a
    translatable text, and of every list of such texts (`expects_list`: a mapping there is a common
    mistake); `neutral`: a plain value there serves every language."""
    if not isinstance(data, dict):
        return
    for name, field in model.model_fields.items():
        if name in data:
            yield from _slots(field.annotation, field.metadata, data[name], path + (name,))


def _slots(annotation: Any, metadata: list, value: Any, path: Path):
    if (marker := _marker(annotation, metadata)) is not None:
        yield path, value, False, marker.neutral
        return
    options = _inner(annotation)
    models = [o for o in options if isinstance(o, type) and issubclass(o, BaseModel)]
    if isinstance(value, dict) and models and value and set(value) <= set(models[0].model_fields):
        yield from slots(models[0], value, path)  # {name: Austin, country: US}, not a mapping of languages
        return
    for option in options:
        if typing.get_origin(option) is typing.Annotated:
            if (marker := _marker(option)) is not None:
                yield path, value, False, marker.neutral
                return
            option = typing.get_args(option)[0]
        origin, args = typing.get_origin(option), typing.get_args(option)
        if isinstance(option, type) and issubclass(option, BaseModel):
            yield from slots(option, value, path)
        elif origin is list and args:
            if isinstance(value, list):
                for index, item in enumerate(value):
                    yield from _slots(args[0], [], item, path + (index,))
            elif _translatable(args[0]):
                yield path, value, True, False
        elif origin is dict and len(args) == 2 and isinstance(value, dict):
            for key, item in value.items():
                yield from _slots(args[1], [], item, path + (key,))


def version(model: type[BaseModel], data: Any, lang: str, declared: tuple[str, ...],
            primary: str | None) -> tuple[Any, list[tuple[Path, bool, str]]]:
    """`data` in `lang`, and the problems found: (path, at_key, message).

    `declared`: the languages the file gives (a role's `languages`); `primary`: whose text a plain
    string is (None: a plain string serves every language, as in the company file)."""
    problems: list[tuple[Path, bool, str]] = []
    replacements: dict[Path, Any] = {}
    names = ", ".join(declared)
    for path, value, expects_list, neutral in slots(model, data):
        if expects_list:
            if isinstance(value, dict) and value and all(key in LANGUAGES for key in value):
                mapping = "{" + ": ..., ".join(value) + ": ...}"
                problems.append((path, False, tr("expected a list, got a mapping of languages: give each item its "
                                                 "own %(mapping)s", mapping=mapping)))
            continue
        if isinstance(value, str):
            serves_all = neutral is True or (isinstance(neutral, tuple) and value.strip() in neutral)
            if primary is not None and lang != primary and not serves_all:
                problems.append((path, False, tr('no "%(lang)s" text (languages: %(languages)s)', lang=lang,
                                                 languages=names)))
            continue
        if not isinstance(value, dict):
            continue  # a number, a list...: the schema reports its type
        for key in value:
            if key not in LANGUAGES:
                problems.append((path + (key,), True, tr("unknown language %(key)r (kitgen speaks: %(languages)s)",
                                                         key=key, languages=", ".join(LANGUAGES))))
            elif key not in declared:
                problems.append((path + (key,), True, tr("language %(key)r is not declared (languages: "
                                                         "%(languages)s): add it to `languages` or remove it",
                                                         key=key, languages=names)))
        if lang not in value:
            problems.append((path, False, tr('no "%(lang)s" text (languages: %(languages)s)', lang=lang,
                                             languages=names)))
            replacements[path] = next((text for key, text in value.items() if key in LANGUAGES), "")
            continue
        text = value[lang]
        if not isinstance(text, str):
            problems.append((path + (lang,), False, tr("expected text, got %(value)s", value=describe(text))))
            text = "?"  # reported here, not again by the schema at the mapping's place
        elif not text.strip():
            problems.append((path + (lang,), False, tr('the "%(lang)s" text is empty', lang=lang)))
        replacements[path] = text
    return _replaced(data, replacements), problems


def _replaced(data: Any, replacements: dict[Path, Any], path: Path = ()) -> Any:
    if path in replacements:
        return replacements[path]
    if isinstance(data, dict):
        return {key: _replaced(value, replacements, path + (key,)) for key, value in data.items()}
    if isinstance(data, list):
        return [_replaced(value, replacements, path + (index,)) for index, value in enumerate(data)]
    return data
