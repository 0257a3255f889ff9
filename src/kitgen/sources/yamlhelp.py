"""PyYAML's syntax errors in words a person can act on, at the real place of the mistake.

PyYAML says "mapping values are not allowed here" for `title: Responsable : e-commerce` and points
where it noticed, often lines after the opening quote or bracket that is never closed. `explain`
recognises the common mistakes by looking at the text around PyYAML's mark and returns one sentence
saying what to do, with the user's own line fixed; what it does not recognise stays PyYAML's message
(yamlsafe). `untab` replaces the tabs PyYAML refuses in a copy, so the rest of the file is still
checked; `lost_to_comment` finds `color: #2e7d32`, which YAML reads as an empty value and a comment.
`excerpt` shows the line with a caret under the column.

Every sentence is in `MESSAGES`, one place, marked for the catalogs (`N_`) and translated by `say`.
"""

from __future__ import annotations

import re
import unicodedata

import yaml

from kitgen.errors import Problem, printable
from kitgen.i18n import N_, tr

MESSAGES = {  # N_: extracted into the catalogs, translated by `say` when shown
    "tab_indent": N_("line %(line)s starts with a tab: YAML indents with spaces only; replace the tab with "
                     "spaces"),
    "tab_inside": N_("line %(line)s holds a tab: YAML separates with spaces only; replace the tab with a space"),
    "colon": N_('": " inside a text: put the whole text in quotes: %(fixed)s'),
    "more_than": N_('"%(key)s" is indented more than "%(other)s" on line %(other_line)s: start it at column '
                    '%(column)s, like "%(other)s"'),
    "less_than": N_('"%(key)s" is indented less than "%(other)s" on line %(other_line)s: start it at column '
                    '%(column)s, like "%(other)s"'),
    "item_more": N_('this list item is indented more than the one on line %(other_line)s: start its "-" at column '
                    '%(column)s, like the item above'),
    "item_less": N_('this list item is indented less than the one on line %(other_line)s: start its "-" at column '
                    '%(column)s, like the item above'),
    "quote_unclosed": N_("this %(quote)s is never closed: end the text with %(quote)s on the same line: %(fixed)s"),
    "apostrophe": N_("this ' closes the text opened by the first ': put the whole text in double quotes: %(fixed)s"),
    "after_quote": N_("text after the closing quote: put the whole text in quotes: %(fixed)s"),
    "bracket_unclosed": N_("this %(opener)s is never closed: add the %(closer)s: %(fixed)s"),
    "reserved": N_("a text cannot start with %(char)s: put the whole text in quotes: %(fixed)s"),
    "comment": N_("the value was read as a comment: put it in quotes: %(fixed)s"),
}

SHOW_LINE = "^"  # the excerpt of a problem made here: `yamlsafe.load` puts the source line and a caret
# One scan per refused tab for the first few, then every later line indented with a tab at once: a
# file of a thousand tab lines costs a dozen scans. A tab left over stays PyYAML's syntax error.
MAX_TAB_ROUNDS = 5
_CLOSERS = {"[": "]", "{": "}"}
_RESERVED = "@`%|>"
_VALUE_IN_COMMENT = re.compile(r"\s+(#(?![#\-=*!\s])\S.*?)\s*$")
_KEY = re.compile(r"""\s*(?:-\s+)*("[^"]*"|'[^']*'|[^\s#'"\-{\[][^#]*?)\s*:(?:\s|$)""")


def say(name: str, **values) -> str:
    """The message `name` in the user's language, filled in (the one place it is translated)."""
    return tr(MESSAGES[name], **values)


# -- the line and a caret ---------------------------------------------------------------------------

def excerpt(lines: list[str], line: int, column: int) -> str:
    """The source line, indented, and a `^` under `column` (both 1-based); control characters and tabs
    are shown escaped (`\\t`), so the caret stays under the right character."""
    if not 1 <= line <= len(lines):
        return ""
    text = lines[line - 1].rstrip("\r\n")
    start = max(0, column - 61) if len(text) > 100 else 0  # a long line: the 100 characters around
    shown, before = text[start:start + 100], text[start:column - 1]
    lead = "..." if start else ""
    tail = "..." if start + 100 < len(text) else ""
    return f"    {lead}{printable(shown)}{tail}\n    {' ' * (len(lead) + _width(printable(before)))}^"


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


# -- tabs -------------------------------------------------------------------------------------------

def untab(text: str, label: str) -> tuple[str, list[Problem], dict[int, int]]:
    """`text` with the tabs PyYAML refuses replaced by spaces, one problem per line that had one, and
    the column shift of each re-indented line (line -> spaces added), to map positions back."""
    if "\t" not in text:
        return text, [], {}
    lines = text.splitlines(keepends=True)
    problems: dict[int, Problem] = {}
    shifts: dict[int, int] = {}
    for round_ in range(2 * MAX_TAB_ROUNDS):
        mark = _tab_mark("".join(lines))
        if mark is None:
            break
        targets = [mark] if round_ < MAX_TAB_ROUNDS else _leading_tabs(lines, mark)
        for index, column in targets:
            _fix_tab(lines, index, column, label, problems, shifts)
    return "".join(lines), [problems[key] for key in sorted(problems)], shifts


def _tab_mark(text: str) -> tuple[int, int] | None:
    """(line index, column index) of the first tab the scanner refuses, or None."""
    try:
        for _ in yaml.scan(text, Loader=yaml.SafeLoader):
            pass
    except yaml.scanner.ScannerError as exc:
        if exc.problem and "'\\t'" in exc.problem and exc.problem_mark:
            return exc.problem_mark.line, exc.problem_mark.column
    except yaml.YAMLError:
        pass
    return None


def _leading_tabs(lines: list[str], mark: tuple[int, int]) -> list[tuple[int, int]]:
    """The refused tab and every later line indented with a tab (the bulk rounds do them at once)."""
    later = [(i, line.index("\t")) for i, line in enumerate(lines)
             if i > mark[0] and "\t" in line[:len(line) - len(line.lstrip(" \t"))]]
    return [mark] + later


def _fix_tab(lines: list[str], index: int, column: int, label: str, problems: dict, shifts: dict) -> None:
    line = lines[index]
    indent = len(line) - len(line.lstrip(" \t"))
    number = index + 1
    if column < indent or not line[indent:].strip():  # indentation (or a blank line of tabs)
        rest = line[indent:]
        wanted = _indent_for(lines, index) if rest.strip() else 0
        lines[index] = " " * wanted + rest
        shifts[number] = shifts.get(number, 0) + wanted - indent
        where = line.index("\t") + 1
        problems.setdefault(number, Problem(label, number, where, "", say("tab_indent", line=number), SHOW_LINE))
    else:
        lines[index] = line[:column] + " " + line[column + 1:]
        original = column + 1 - shifts.get(number, 0)
        problems.setdefault(number, Problem(label, number, original, "", say("tab_inside", line=number), SHOW_LINE))


def _indent_for(lines: list[str], index: int) -> int:
    """The indentation a tab-indented line most likely meant, from the lines around it: a child of
    a line ending with `:` (as deep as the next line, or 2 more), else a sibling of the line above."""
    prev = _neighbour(lines, index, -1)
    if prev is None:
        return 0
    above = lines[prev]
    content = lines[index].lstrip(" \t")
    if _code(above).rstrip().endswith(":"):
        nxt = _neighbour(lines, index, 1)
        if nxt is not None and _indent(lines[nxt]) > _indent(above):
            return _indent(lines[nxt])
        return _content_column(above) + 2
    if content.startswith("- ") or content.rstrip() == "-":
        for j in range(index - 1, -1, -1):
            if _significant(lines[j]) and lines[j].lstrip(" ").startswith("-"):
                return _indent(lines[j])
    return _content_column(above)


def _neighbour(lines: list[str], index: int, step: int) -> int | None:
    j = index + step
    while 0 <= j < len(lines):
        if _significant(lines[j]) and "\t" not in lines[j][:_indent(lines[j]) + 1]:
            return j
        j += step
    return None


def _significant(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_column(line: str) -> int:
    """0-based column of a line's content after its list dashes (`  - name: x` -> 4)."""
    match = re.match(r"\s*(?:-\s+)*", line)
    return match.end() if match else 0


def _code(line: str) -> str:
    """The line without its comment (a `#` after a space, outside quotes) and line break."""
    return line[:_comment_start(line)].rstrip("\r\n")


def _comment_start(line: str) -> int:
    quote = None
    for i, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'" and (i == 0 or line[i - 1] in " :-[{,"):
            quote = char
        elif char == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
    return len(line)


# -- `color: #2e7d32` -------------------------------------------------------------------------------

def lost_to_comment(line: str, column: int) -> tuple[int, str] | None:
    """An empty value at 0-based `column` of `line`, followed by a comment that looks like a value
    (`#2e7d32`, `#word`): its 1-based column and the message. `# a note` is a real comment."""
    match = _VALUE_IN_COMMENT.match(line.rstrip("\r\n"), column)
    if not match:
        return None
    head = line[:column].strip()
    return match.start(1) + 1, say("comment", fixed=f"{head} {_quoted(match.group(1))}")


# -- syntax errors ----------------------------------------------------------------------------------

def explain(exc: yaml.MarkedYAMLError, text: str, label: str) -> Problem | None:
    """The problem for a syntax error kitgen recognises, at the place of the mistake, or None."""
    lines = text.splitlines(keepends=True)
    if exc.problem_mark is None:
        return None
    for rule in (_colon, _indentation, _quote, _bracket, _reserved):
        found = rule(exc, lines, text)
        if found:
            line, column, message = found
            return Problem(label, line, column, "", message, SHOW_LINE)
    return None


def _line(lines: list[str], index: int) -> str:
    return lines[index].rstrip("\r\n") if 0 <= index < len(lines) else ""


def _colon(exc, lines: list[str], text: str):
    """`title: Responsable : e-commerce`: a second `: ` on a line that already has a key."""
    if exc.problem != "mapping values are not allowed here":
        return None
    mark = exc.problem_mark
    line = _line(lines, mark.line)
    key = _KEY.match(line)
    if not key or key.end() > mark.column:
        return None
    code, comment = _code(line), line[len(_code(line)):]
    head, value = code[:key.end()].rstrip(), code[key.end():].strip()
    fixed = f"{head.lstrip()} {_quoted(value)}" + (f"  {comment.strip()}" if comment.strip() else "")
    return mark.line + 1, mark.column + 1, say("colon", fixed=fixed)


def _indentation(exc, lines: list[str], text: str):
    """A key or a list item indented more or less than the line it should line up with."""
    mark = exc.problem_mark
    found = exc.problem or ""
    continued = found == "mapping values are not allowed here"  # `c: EUR` then `    l: x`: "EUR l"
    if not (continued or re.fullmatch(r"expected <block end>, but found '(<block mapping start>|"
                                      r"<block sequence start>|-|\?)'", found)):
        return None
    index = mark.line
    line = _line(lines, index)
    column = _indent(line)
    if continued and (_KEY.match(line) is None or _KEY.match(line).end() <= mark.column
                      or " " in _key_name(line)):  # "text here: more" continues a text: not a key
        return None
    item = line[column:].startswith("-")
    inside = _inside_scalars(text, mark.index)
    best = _nearest_level(lines, index, column, item, inside)
    if best is None:
        return None
    other_index, other_column = best
    if other_column == column:
        return None
    if item:
        name = "item_more" if column > other_column else "item_less"
        return index + 1, column + 1, say(name, other_line=other_index + 1, column=other_column + 1)
    name = "more_than" if column > other_column else "less_than"
    return index + 1, column + 1, say(name, key=_key_name(line), other=_key_name(lines[other_index]),
                                      other_line=other_index + 1, column=other_column + 1)


def _nearest_level(lines: list[str], index: int, column: int, item: bool, inside: set[int]):
    """Among the lines this one could line up with (the line above and its parents), the one whose
    column is nearest: (line index, 0-based column); the deeper one on a tie."""
    levels, limit = [], None
    for j in range(index - 1, -1, -1):
        line = lines[j]
        if j in inside or not _significant(line):
            continue
        dash, content = _indent(line), _content_column(line)
        if limit is not None and dash >= limit:
            continue
        limit = dash
        if item and line[dash:].startswith("-"):
            levels.append((j, dash))
        elif not item and _KEY.match(line) and content > 0 or not item and not levels:
            levels.append((j, content))
        if dash == 0:
            break
    if not levels:
        return None
    return min(levels, key=lambda level: (abs(level[1] - column), -level[1]))


def _inside_scalars(text: str, stop: int) -> set[int]:
    """Line indexes inside a multi-line scalar (block text, quoted or plain), which are not structure."""
    inside: set[int] = set()
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= stop:
                break
            if isinstance(token, yaml.ScalarToken) and token.end_mark.line > token.start_mark.line:
                inside.update(range(token.start_mark.line + 1, token.end_mark.line + 1))
    except yaml.YAMLError:
        pass
    return inside


def _key_name(line: str) -> str:
    match = _KEY.match(line)
    return match.group(1).strip("\"'") if match else line.strip().lstrip("- ").strip()


def _quote(exc, lines: list[str], text: str):
    """An opening quote never closed, an apostrophe closing a text in single quotes, text after the
    closing quote."""
    if exc.context == "while scanning a quoted scalar" and exc.context_mark:
        return _unclosed_quote(lines, exc.context_mark.line, exc.context_mark.column)
    if not (exc.problem or "").endswith("but found '<scalar>'"):
        return None
    before = _token_before(text, exc.problem_mark.index)
    if not isinstance(before, yaml.ScalarToken) or before.style not in ("'", '"'):
        return None
    start, end = before.start_mark, before.end_mark
    if end.line != start.line:
        return _unclosed_quote(lines, start.line, start.column)
    if end.line != exc.problem_mark.line:
        return None
    line = _line(lines, start.line)
    code = _code(line)
    head, value = code[:start.column].rstrip(), code[start.column:].rstrip()
    if before.style == "'" and end.index == exc.problem_mark.index:  # `'l'écoute'`: no space after the '
        inner = value[1:-1] if value.endswith("'") and len(value) > 1 else value[1:]
        fixed = f"{head.lstrip()} {_quoted(inner)}"
        return start.line + 1, end.column, say("apostrophe", fixed=fixed)
    return exc.problem_mark.line + 1, exc.problem_mark.column + 1, say("after_quote",
                                                                       fixed=f"{head.lstrip()} {_quoted(value)}")


def _unclosed_quote(lines: list[str], index: int, column: int):
    line = _line(lines, index)
    quote = line[column:column + 1]
    if quote not in ("'", '"'):
        return None
    return index + 1, column + 1, say("quote_unclosed", quote=quote, fixed=line.strip() + quote)


def _token_before(text: str, index: int):
    """The last token that starts before `index` (the one the parser did not expect to be followed)."""
    before = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= index:
                break
            before = token
    except yaml.YAMLError:
        pass
    return before


def _bracket(exc, lines: list[str], text: str):
    """A `[` or `{` never closed: PyYAML stops at the next line, or at another bracket."""
    context, mark, opened = exc.context or "", exc.problem_mark, exc.context_mark
    if context not in ("while parsing a flow sequence", "while parsing a flow mapping") or opened is None:
        return None
    opener = _line(lines, opened.line)[opened.column:opened.column + 1]
    closer = _CLOSERS.get(opener)
    if closer is None or not (exc.problem or "").startswith(f"expected ',' or '{closer}'"):
        return None
    line = _line(lines, opened.line)
    if mark.line > opened.line:
        code = _code(line).rstrip()
        fixed = code.strip() + closer + line[len(_code(line)):].rstrip()
    elif line[mark.column:mark.column + 1] in "]}":
        fixed = (line[:mark.column].rstrip() + closer + line[mark.column:]).strip()
    else:
        return None
    return opened.line + 1, opened.column + 1, say("bracket_unclosed", opener=opener, closer=closer,
                                                   fixed=fixed)


def _reserved(exc, lines: list[str], text: str):
    """`handle: @kitgen`, `note: > 5 ans`: a value starting with a character YAML keeps for itself."""
    problem, mark = exc.problem or "", exc.problem_mark
    if exc.context == "while scanning a block scalar" and exc.context_mark:
        mark = exc.context_mark
        if mark.line != exc.problem_mark.line:
            return None
    elif not re.fullmatch(r"found character '[@`%]' that cannot start any token", problem):
        return None
    line = _line(lines, mark.line)
    char = line[mark.column:mark.column + 1]
    if char not in _RESERVED:
        return None
    code = _code(line)
    head, value = code[:mark.column].rstrip(), code[mark.column:].rstrip()
    return mark.line + 1, mark.column + 1, say("reserved", char=char, fixed=f"{head.lstrip()} {_quoted(value)}")


def _quoted(value: str) -> str:
    """`value` in double quotes when it needs no escape there, else in single quotes (`'` doubled)."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"
