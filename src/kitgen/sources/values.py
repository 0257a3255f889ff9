"""The values people type (on the command line or in a candidates file) and how kitgen reads them.

One parser each, used by every command and every reader, so the same text gets the same answer:
- dates are `YYYY-MM-DD` only (`2030-W05-1` or `01/02/2027` are not guessed at);
- amounts are `85000`, `85 000` (any space between groups of three), `85000.50` or `85000,50`;
  `85,000` and `85.000` mean different things in different countries and are refused;
- a level, location or other name of the role is matched without regard to case and accents
  ("Confirmé", "CONFIRME" -> "confirme") and the role's own spelling is what kitgen uses and shows.
Each parser raises ValueError with a message saying why; callers add the place (an option, a CSV line).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping

from anyascii import anyascii

# Scripts whose characters are syllables or words: each one is a word of its own in a slug.
SYLLABIC = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "YI ")

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A whole number, with a space of any kind between groups of three digits ("85 000"), then at most
# two decimals after a point or a comma ("85000.50", "85000,50": French spreadsheets write a comma).
AMOUNT_RE = re.compile(r"(?:\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+|\d+)(?:[.,]\d{1,2})?")
# "85,000" and "85.000" mean 85 thousand in one country and 85 in another: refuse to guess.
AMBIGUOUS_RE = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
GROUP_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")


def parse_date(text: str) -> dt.date:
    """A YYYY-MM-DD date; ValueError saying why otherwise."""
    value = text.strip()
    if not DATE_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid date ({exc})") from None


def parse_amount(text: str) -> float:
    """ "85000", "85 000", "85000.50", "85000,50" -> a number; ValueError saying why otherwise."""
    value = text.strip()
    if AMOUNT_RE.fullmatch(value):
        return float(GROUP_SPACES.sub("", value).replace(",", "."))
    if AMBIGUOUS_RE.fullmatch(value):
        raise ValueError(f"{value!r} is ambiguous: write thousands with a space (85 000) or none (85000)")
    raise ValueError(f"{value!r} is not a number")


def parse_variable(text: str, salary: float) -> float:
    """A target variable pay: a share of the salary ("10%", "12,5 %") or an amount ("4600",
    "4 600"); ValueError saying why otherwise."""
    value = text.strip()
    if value.endswith("%"):
        share = parse_amount(value[:-1])
        if not 0 < share <= 100:
            raise ValueError(f"{value!r}: a share of the salary is between 0 and 100 %")
        return round(salary * share / 100, 2)
    return parse_amount(value)


DURATION_UNITS = {"mois": "month", "month": "month", "months": "month", "semaine": "week", "semaines": "week",
                  "week": "week", "weeks": "week", "jour": "day", "jours": "day", "day": "day", "days": "day"}
DURATION = re.compile(r"^\s*(\d+)\s*([^\W\d_]+)\s*$")


def parse_duration(text: str) -> tuple[int, str]:
    """A duration in whole months, weeks or days, written in French or English ("6 mois",
    "18 months", "3 semaines"): (count, "month" | "week" | "day"); ValueError saying why otherwise."""
    found = DURATION.match(text)
    unit = DURATION_UNITS.get(folded(found.group(2))) if found else None
    if unit is None or int(found.group(1)) == 0:
        raise ValueError(f"{text.strip()!r} is not a duration: write a whole number of months, weeks or days "
                         "(\"6 mois\", \"18 months\", \"3 semaines\")")
    return int(found.group(1)), unit


def folded(text: str) -> str:
    """The form names are compared in: case and accents dropped, outer spaces trimmed."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def match(value: str, accepted: Mapping[str, str] | Iterable[str]) -> str | None:
    """The canonical spelling `value` names, or None.

    `accepted` maps every accepted spelling to its canonical value (a level's id and its name both
    give the id), or is a plain list of canonical values.
    """
    pairs = accepted.items() if isinstance(accepted, Mapping) else ((name, name) for name in accepted)
    wanted = folded(value)
    for spelling, canonical in pairs:
        if folded(spelling) == wanted:
            return canonical
    return None


def level_spellings(role) -> dict[str, str]:
    """What may name a level of a role: its id or its name (both give the id)."""
    return {lv.id: lv.id for lv in role.levels} | {lv.name: lv.id for lv in role.levels}


def unknown(what: str, value: str, known: Iterable[str], plural: str | None = None) -> str:
    """The one message for a name the role does not have: "unknown level 'x' (levels: a, b)"."""
    return f"unknown {what} {value!r} ({plural or what + 's'}: {', '.join(known) or 'none'})"


def slugify(text: str, limit: int = 64) -> str:
    """ASCII file-name slug: "Élodie Marchand" -> "elodie-marchand", "李雷" -> "li-lei",
    "Привет" -> "privet"; never empty, never a path. Other scripts are transliterated (anyascii)."""
    ascii_text = "".join(_ascii(char) for char in text)
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")
    return slug or "x"


def _ascii(char: str) -> str:
    if char.isascii():
        return char
    if any(word in unicodedata.name(char, "") for word in SYLLABIC):
        return f" {anyascii(char)} "
    return anyascii(char)


def unknown_key(key: object, known: list[str]) -> str:
    """The one message for a key a file may not hold: "unknown key 'candidat' (did you mean
    'candidate'?)", else the known keys."""
    import difflib

    message = f"unknown key {key!r}"
    close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
    if close:
        return f"{message} (did you mean {close[0]!r}?)"
    return f"{message} (known keys: {', '.join(known)})" if known else message
