"""Read YAML the safe way and remember where every value stands (line and column).

PyYAML's hazards (REFERENCE.md §6) are closed here: duplicate keys and anchors/aliases are rejected,
`yes`/`NO`/`off` stay text, `01234` stays text, timestamps stay text. Values are built from the
node tree by hand so that every path (`salary.bands.senior.Paris`) maps to a position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from kitgen.errors import DataError, Problem
from kitgen.i18n import tr
from kitgen.sources import reading, yamlhelp
from kitgen.sources.limits import LIMITS, file_too_big, raise_hint

_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when there

Path_ = tuple[str | int, ...]
_INT_RE = re.compile(r"[-+]?(0|[1-9][0-9_]*)")
_FLOAT_RE = re.compile(r"[-+]?([0-9][0-9_]*)?\.[0-9_]+([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+")


@dataclass
class Located:
    """A parsed document: the plain data and the (line, column) of each value and each key."""

    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """Position of `path`, or of its nearest known parent (a missing key points at its mapping)."""
        table = self.keys if key else self.values
        for end in range(len(path), -1, -1):
            if path[:end] in table:
                return table[path[:end]]
            if path[:end] in self.values:
                return self.values[path[:end]]
        return (1, 1)


def dotted(path: Path_) -> str:
    """`('salary', 'bands', 'senior')` -> `salary.bands.senior`; list items as `missions[2]`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_text(path: Path, label: str) -> tuple[str | None, list[Problem]]:
    """Decode a file as UTF-8 (a BOM is fine); a wrong byte is reported with its offset and line.
    A symbolic link out of the file's folder is refused unread (`kitgen.sources.reading`)."""
    try:
        reading.check_inside(path, label)
        too_big = file_too_big(path, label)
        if too_big:
            return None, [too_big]
        raw = path.read_bytes()
    except DataError as exc:
        return None, exc.problems
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = tr("not UTF-8: byte %(byte)s at offset %(offset)d; save the file as UTF-8",
                     byte="0x" + format(raw[exc.start], "02x"), offset=exc.start)
        return None, [Problem(label, line, column, "", message)]


def load(text: str, label: str) -> tuple[Located | None, list[Problem]]:
    """Parse one YAML mapping; return it with positions, or the problems that stop parsing.

    Tabs PyYAML refuses are reported, then replaced by spaces in a copy that is parsed instead, so
    the rest of the file is still checked; positions are those of the file as written."""
    if not text.strip():
        return None, [Problem(label, 1, 1, "", tr("the file is empty"))]
    fixed, tabs, shifts = yamlhelp.untab(text, label)
    located, problems = _load(fixed, label)
    if shifts:
        problems = [replace(p, column=_unshift(p.line, p.column, shifts)) for p in problems]
        if located is not None:
            located.values = {k: (ln, _unshift(ln, col, shifts)) for k, (ln, col) in located.values.items()}
            located.keys = {k: (ln, _unshift(ln, col, shifts)) for k, (ln, col) in located.keys.items()}
    lines = text.splitlines()
    return located, [replace(p, excerpt=yamlhelp.excerpt(lines, p.line, p.column)) if p.excerpt else p
                     for p in tabs + problems]


def _unshift(line: int, column: int, shifts: dict[int, int]) -> int:
    """A column of the untabbed copy as a column of the file (its line was re-indented by `shift`)."""
    return max(1, column - shifts.get(line, 0))


def _load(text: str, label: str) -> tuple[Located | None, list[Problem]]:
    try:
        problems = _anchors(text, label) or _too_big(text, label)
        if problems:  # never build the tree: aliases can expand to gigabytes, nesting can overflow
            return None, problems
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, label)]
    except yaml.reader.ReaderError as exc:  # a raw control character in the file
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        message = tr("the file contains the control character %(character)s: remove it",
                     character="U+" + format(exc.character, "04X"))
        return None, [Problem(label, line, column, "", message)]
    if node is None:  # only comments
        return None, [Problem(label, 1, 1, "", tr("the file is empty"))]
    if not isinstance(node, yaml.MappingNode):
        line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)
        return None, [Problem(label, line, column, "", tr("the top level must be a mapping (key: value)"))]
    located = Located(None)
    problems = _lost_to_comments(node, text.splitlines(), label)
    located.data = _build(node, (), located, problems, label)
    return located, problems


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, label: str) -> Problem:
    """The mistake in plain words at its real place (yamlhelp), else PyYAML's words at its mark."""
    explained = yamlhelp.explain(exc, text, label)
    if explained is not None:
        return explained
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(label, line, column, "", tr("YAML syntax error: %(message)s", message=_syntax_message(exc)))


def _lost_to_comments(node: yaml.Node, lines: list[str], label: str) -> list[Problem]:
    """`color: #2e7d32` reads as an empty value and a comment: each such value, by its path."""
    problems, stack = [], [(node, ())]
    while stack:  # no recursion: nesting was bounded by _too_big, and a loop has no limit to hit
        current, path = stack.pop()
        if isinstance(current, yaml.MappingNode):
            stack += [(value, path + (key.value,)) for key, value in reversed(current.value)
                      if isinstance(key, yaml.ScalarNode)]
        elif isinstance(current, yaml.SequenceNode):
            stack += [(item, path + (i,)) for i, item in reversed(list(enumerate(current.value)))]
        elif current.value == "" and not current.style and current.tag.endswith(":null"):
            mark = current.start_mark
            found = yamlhelp.lost_to_comment(lines[mark.line], mark.column) if mark.line < len(lines) else None
            if found:
                problems.append(Problem(label, mark.line + 1, found[0], dotted(path), found[1], yamlhelp.SHOW_LINE))
    return problems


def _too_big(text: str, label: str) -> list[Problem]:
    """Nesting deeper than `depth` or a list longer than `list_items`, found by streaming the parser's
    events (no tree, no recursion) and stopping at the first one."""
    for loader in dict.fromkeys((_FAST_LOADER, yaml.SafeLoader)):  # libyaml, else PyYAML's own parser
        try:
            for problem in _scan(text, label, loader):
                return [problem]
            return []
        except yaml.YAMLError:  # libyaml refuses what PyYAML may accept: scan again the slow way
            continue
    return []  # a syntax error for both: composing reports it, with PyYAML's own words


def _scan(text: str, label: str, loader):
    depth, counts = 0, []
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if counts and counts[-1] is not None:
                counts[-1] += 1
            depth += 1
            counts.append(0 if isinstance(event, yaml.SequenceStartEvent) else None)
            if depth > LIMITS["depth"]:
                yield _limit_problem(label, event, tr("nested deeper than %(limit)d levels: kitgen stops here "
                                                      "(%(hint)s)", limit=LIMITS["depth"], hint=raise_hint("depth")))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
            counts.pop()
        elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)) and counts and counts[-1] is not None:
            counts[-1] += 1
        if counts and counts[-1] is not None and counts[-1] > LIMITS["list_items"]:
            yield _limit_problem(label, event, tr("a list of more than %(limit)d items: kitgen stops here (%(hint)s)",
                                                  limit=LIMITS["list_items"], hint=raise_hint("list_items")))


def _limit_problem(label: str, event, message: str) -> Problem:
    mark = event.start_mark
    return Problem(label, mark.line + 1, mark.column + 1, "", message)


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's problem, completed by its context: "but found another document" alone says little."""
    problem, context, mark = exc.problem or "", exc.context or "", exc.context_mark
    if context and (not problem or problem.startswith("but ")):
        return f"{context}, {problem}" if problem else context
    if context and mark and exc.problem_mark and mark.line != exc.problem_mark.line:
        return tr("%(problem)s (%(context)s that starts on line %(line)d, column %(column)d)", problem=problem,
                  context=context, line=mark.line + 1, column=mark.column + 1)
    return problem


def _anchors(text: str, label: str) -> list[Problem]:
    problems = []
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            message = (tr("YAML alias '%(name)s' is not allowed: write the value out", name=event.anchor)
                       if isinstance(event, yaml.AliasEvent)
                       else tr("YAML anchor '%(name)s' is not allowed: write the value out", name=event.anchor))
            problems.append(Problem(label, mark.line + 1, mark.column + 1, "", message))
    return problems


def _build(node: yaml.Node, path: Path_, located: Located, problems: list[Problem], label: str) -> Any:
    located.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            position = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(label, *position, dotted(path),
                                        tr("a key must be a plain word, not a list or a mapping")))
                continue
            key = key_node.value
            here = path + (key,)
            if key in out:
                first = located.keys[here][0]
                problems.append(Problem(label, *position, dotted(here),
                                        tr("duplicate key (first given on line %(line)d)", line=first)))
                continue
            located.keys[here] = position
            out[key] = _build(value_node, here, located, problems, label)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), located, problems, label) for i, item in enumerate(node.value)]
    return scalar(node)


def scalar(node: yaml.ScalarNode) -> Any:
    """Plain scalars: true/false, numbers, null; everything else (yes, NO, 0123, dates) stays text."""
    text = node.value
    if node.style:  # quoted or block scalar: always text
        return text
    tag = node.tag.rsplit(":", 1)[-1]
    if tag == "null":
        return None
    if tag == "bool":
        return {"true": True, "false": False}.get(text.lower(), text)
    if tag == "int" and _INT_RE.fullmatch(text):
        return int(text.replace("_", ""))
    if tag == "float" and _FLOAT_RE.fullmatch(text):
        return float(text.replace("_", ""))
    return text
