"""Word lists for `kitgen lint`: reading the data files and finding their entries in a text.

A data file (`kitgen/commands/lint/data/*.txt`) has `[section]` headers, one entry a line, `#` comments.
Matching ignores case and accents ("âgé" = "age") and the kind of apostrophe; it reports the
words as written in the ad. An entry is a phrase between word boundaries; `<n>` stands for a
number; in stem lists an entry matches the start of a word, unless it ends with `$`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

EQUIVALENTS = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2011": "-", "\u2010": "-"}


def fold(text: str) -> tuple[str, list[int]]:
    """Lowercase text without accents, and for each of its characters the index in `text`."""
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        for part in unicodedata.normalize("NFKD", EQUIVALENTS.get(char, char)):
            if unicodedata.combining(part):
                continue
            for folded in part.casefold():
                out.append(folded)
                where.append(index)
    return "".join(out), where


def folded(text: str) -> str:
    return fold(text)[0]


@lru_cache(maxsize=None)
def sections(name: str) -> dict[str, list[str]]:
    """The entries of a data file by section, folded; entries before any header go under ""."""
    text = resources.files("kitgen.commands.lint").joinpath("data", name).read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            found.setdefault(current, [])
        else:
            found.setdefault(current, []).append(folded(line))
    return found


@dataclass(frozen=True)
class Hit:
    """One entry found: its section, the words as written in the text, where they start."""

    section: str
    words: str
    start: int


def _pattern(entry: str, stem: bool) -> str:
    whole = entry.endswith("$")
    body = r"\s+".join(re.escape(word) for word in entry.rstrip("$").split())
    body = body.replace(re.escape("<n>"), r"\d+")
    return body + (r"\w*" if stem and not whole else r"(?!\w)")


def merged(names: tuple[str, ...]) -> dict[str, list[str]]:
    """The sections of several data files, entries of same-named sections put together."""
    data: dict[str, list[str]] = {}
    for name in names:
        for section, entries in sections(name).items():
            data.setdefault(section, []).extend(entries)
    return data


class Matcher:
    """Finds the entries of data files (all their sections), leftmost and longest, never overlapping.

    `not_before` and `exempt` name sections that are not entries: what may not follow a match,
    and phrases that make a whole sentence exempt.
    """

    def __init__(self, *names: str, stem: bool = False, not_before: str | None = None, exempt: str | None = None):
        data = merged(names)
        self.names = [n for n in data if n not in (not_before, exempt)]
        groups = []
        for index, section in enumerate(self.names):
            entries = sorted(data[section], key=len, reverse=True)  # longest first: "sans enfants" over "sans enfant"
            groups.append(f"(?P<g{index}>{'|'.join(_pattern(e, stem) for e in entries)})")
        self.regex = re.compile(rf"(?<!\w)(?:{'|'.join(groups)})")
        # What may not follow is matched as stems ("entreprise" also rules out "entreprises").
        self.not_before = self._phrases(data.get(not_before or "", []), r"[\s-]*", stem=True)  # "jeunes-pousses"
        self.exempt = self._phrases(data.get(exempt or "", []), r"(?<!\w)")

    @staticmethod
    def _phrases(entries: list[str], prefix: str, stem: bool = False) -> re.Pattern | None:
        if not entries:
            return None
        return re.compile(prefix + "(?:" + "|".join(_pattern(e, stem) for e in entries) + ")")

    def find(self, text: str) -> list[Hit]:
        flat, where = fold(text)
        quiet = self._exempt_spans(flat)
        hits = []
        for match in self.regex.finditer(flat):
            if any(start <= match.start() < end for start, end in quiet):
                continue
            if self.not_before and self.not_before.match(flat, match.end()):
                continue
            section = self.names[int(match.lastgroup[1:])]
            hits.append(Hit(section, text[where[match.start()]:where[match.end() - 1] + 1], where[match.start()]))
        return hits

    def _exempt_spans(self, flat: str) -> list[tuple[int, int]]:
        """Sentences that state equal treatment ("sans distinction d'âge"): their words are not criteria."""
        if not self.exempt:
            return []
        spans = []
        for sentence in re.finditer(r"[^.!?;\n]+", flat):
            if self.exempt.search(sentence.group()):
                spans.append(sentence.span())
        return spans
