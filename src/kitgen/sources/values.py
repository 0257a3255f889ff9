"""The values people type (on the command line or in a candidates file) and how kitgen reads them.

One parser each, used by every command and every reader, so the same text gets the same answer:
- dates are `YYYY-MM-DD` only (`2030-W05-1` or `01/02/2027` are not guessed at);
- amounts are `85000`, `85 000` (any space between groups of three), `85000.50` or `85000,50`;
  `85,000` and `85.000` mean different things in different countries and are refused;
- a level, location or other name of the role is matched without regard to case, accents,
  the kind of apostrophe, quote or dash and the spaces ("Confirmé", "CONFIRME" -> "confirme";
  "Management d’équipe" -> "Management d'équipe") and the role's own spelling is what kitgen uses
  and shows; a name that matches nothing gets the known ones and the closest ("did you mean ...?").
  `folded`, `match` and `unknown` are the one matcher: role files, options and sheets all use it.
Each parser raises ValueError with a message saying why; callers add the place (an option, a CSV line).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping

from anyascii import anyascii

from kitgen.i18n import N_, tr

# Scripts whose characters are syllables or words: each one is a word of its own in a slug.
SYLLABIC = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "YI ")

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A whole number, with a space of any kind between groups of three digits ("85 000"), then at most
# two decimals after a point or a comma ("85000.50", "85000,50": French spreadsheets write a comma).
AMOUNT_RE = re.compile(r"(?:\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+|\d+)(?:[.,]\d{1,2})?")
# "85,000" and "85.000" mean 85 thousand in one country and 85 in another: refuse to guess.
AMBIGUOUS_RE = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
GROUP_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")


# A date typed day/month/year or month/day/year: one or two digits, the same separator twice, the year.
NUMERIC_DATE_RE = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})")
DATE_ORDERS = ("dmy", "mdy", "iso")
DATE_FORMS = {"dmy": "DD/MM/YYYY (01/03/2027)", "mdy": "MM/DD/YYYY (03/01/2027)"}
# A month over 12, said with the order the file's dates are in (one whole sentence per order).
NO_SUCH_MONTH = {"dmy": N_("%(value)s is not a date: there is no month %(month)d (the dates of this file are day "
                           "first: %(form)s)"),
                 "mdy": N_("%(value)s is not a date: there is no month %(month)d (the dates of this file are month "
                           "first: %(form)s)")}
MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"), N_("August"),
          N_("September"), N_("October"), N_("November"), N_("December"))
# An amount's digits: plain ("58000"), or grouped by three with one kind of mark (a space of any kind,
# as French spreadsheets write it, or "," "." "'"), then at most two decimals after a point or a comma
# that is not the grouping mark. Money has no third decimal, so "58,000" and "58.000" are 58 thousand.
NUMBER_RE = re.compile(r"(?:[0-9]+|[1-9][0-9]{0,2}(?P<group>[ \u00a0\u202f\u2009,.'\u2019])[0-9]{3}"
                       r"(?:(?P=group)[0-9]{3})*)(?:(?P<decimal>[.,])[0-9]{1,2})?")
THOUSANDS_RE = re.compile(r"([0-9]+(?:[.,][0-9]{1,3})?)\s*[kK]")  # "58k", "58 k€", "57,5 K"
# Currency signs and words people write beside an amount, and the ISO codes each may stand for;
# any three capital letters (EUR, USD) are a code themselves.
CURRENCY_SIGNS = {"€": ("EUR",), "$": ("USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"), "£": ("GBP",),
                  "¥": ("JPY", "CNY"), "chf": ("CHF",), "euro": ("EUR",), "euros": ("EUR",)}
CURRENCY_RE = re.compile(r"^(?P<before>[€$£¥]|[A-Z]{3}(?=[\s0-9]))?\s*(?P<number>.*?)\s*"
                         r"(?P<after>[€$£¥]|[A-Z]{3}|(?i:chf|euros?))?$", re.S)


def parse_date(text: str, order: str | None = "iso") -> dt.date:
    """A date; ValueError saying why otherwise, in plain words.

    `order` is how the text was typed: "iso" (the default: YYYY-MM-DD only, as on the command line),
    "dmy" (also 01/03/2027, 1/3/2027, 01.03.2027, 01-03-2027: day first, as in French) or "mdy"
    (month first, as in the United States); YYYY-MM-DD is read in every order. None: a file that
    does not say, where a day/month/year date is refused naming `--date-order`, not guessed at.
    """
    value = text.strip()
    if DATE_RE.fullmatch(value) and value.isascii():
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(tr("%(value)s is not a valid date (%(reason)s)", value=quoted(value),
                                reason=exc)) from None
    found = NUMERIC_DATE_RE.fullmatch(value)
    if found is None or order == "iso":
        if order in DATE_FORMS:
            raise ValueError(tr("%(value)s is not a date in the form YYYY-MM-DD: write it %(form)s or YYYY-MM-DD",
                                value=quoted(value), form=DATE_FORMS[order]))
        raise ValueError(tr("%(value)s is not a date in the form YYYY-MM-DD", value=quoted(value)))
    if order is None:
        raise ValueError(tr("%(value)s is not a date in the form YYYY-MM-DD, and the file does not say whether the "
                            "day or the month comes first: give --date-order dmy (day first) or mdy (month first), "
                            "or write the date YYYY-MM-DD", value=quoted(value)))
    first, mark, second, year = found.groups()
    if len(year) == 2:
        full = first + mark + second + mark + "20" + year
        raise ValueError(tr("%(value)s: write the year in full (%(full)s?): kitgen does not guess the century",
                            value=quoted(value), full=full))
    day, month = (first, second) if order == "dmy" else (second, first)
    return _real_date(value, int(year), int(month), int(day), order)


def _real_date(value: str, year: int, month: int, day: int, order: str) -> dt.date:
    """The date of a day/month/year text, or a ValueError saying in words why there is none."""
    if not 1 <= month <= 12:
        raise ValueError(tr(NO_SUCH_MONTH[order], value=quoted(value), month=month,
                            form=DATE_FORMS[order].split()[0]))
    if year < 1:
        raise ValueError(tr("%(value)s is not a date: there is no year 0", value=quoted(value)))
    days = 31 if month == 12 else (dt.date(year, month + 1, 1) - dt.date(year, month, 1)).days
    if not 1 <= day <= days:
        raise ValueError(tr("%(value)s is not a date: %(month)s %(year)d has %(days)d days", value=quoted(value),
                            month=tr(MONTHS[month - 1]), year=year, days=days))
    return dt.date(year, month, day)


def parse_amount(text: str) -> float:
    """ "85000", "85 000", "85,000", "85.000", "85000,50", "1,234.50" -> a number; ValueError saying
    why otherwise. A currency sign is refused: an option's amount is in the role's currency (a file's
    cell is read with `read_money`, which keeps the sign for the caller to check against the role)."""
    amount, sign = read_money(text)
    if sign:
        raise ValueError(tr("%(value)s: write the amount without its currency (%(sign)s); it is in the role's "
                            "currency", value=quoted(text.strip()), sign=sign))
    return amount


def read_money(text: str) -> tuple[float, str]:
    """An amount as people write it, and the currency sign or code written with it ("" when none):
    "58 000 €" -> (58000.0, "€"), "€58,000" -> (58000.0, "€"), "58000,50" -> (58000.5, "").
    ValueError saying why otherwise ("58 k€": write the full amount; full-width digits...)."""
    value = text.strip()
    parts = CURRENCY_RE.match(value)
    number, before, after = parts.group("number"), parts.group("before"), parts.group("after")
    # Any kind of space groups digits, even mixed ("1\u00a0234 567": Excel's and the user's own).
    found = NUMBER_RE.fullmatch(GROUP_SPACES.sub(" ", number))
    group = found.group("group") if found else None
    if found and not (before and after) and not (group and group == found.group("decimal")):
        digits = re.sub(r"[^0-9.,]", "", number)
        if group in (",", "."):
            digits = digits.replace(group, "")
        return float(digits.replace(",", ".")), before or after or ""
    raise ValueError(_not_an_amount(value, number))


def _not_an_amount(value: str, number: str) -> str:
    """Why `value` is not an amount, with what to write instead when kitgen can tell."""
    other = [char for char in value if not char.isascii() and unicodedata.decimal(char, None) is not None]
    if other:
        if all(unicodedata.east_asian_width(char) == "F" for char in other):
            return tr("%(value)s: full-width digits: retype the amount with ordinary digits (0-9)", value=quoted(value))
        return tr("%(value)s: digits of another script: retype the amount with ordinary digits (0-9)",
                  value=quoted(value))
    thousands = THOUSANDS_RE.fullmatch(number)
    if thousands:
        full = float(thousands.group(1).replace(",", ".")) * 1000
        return tr("%(value)s: write the full amount: %(amount)s", value=quoted(value), amount=format(full, ".0f"))
    if AMBIGUOUS_RE.fullmatch(number):
        return tr("%(value)s is ambiguous: write thousands with a space (85 000) or none (85000)", value=quoted(value))
    return tr("%(value)s is not a number", value=quoted(value))


def currency_fits(sign: str, currency: str) -> bool:
    """Whether a sign or code written with an amount ("€", "$", "EUR") may stand for `currency`."""
    return currency in CURRENCY_SIGNS.get(sign.casefold(), (sign.upper(),))


def quoted(text: str) -> str:
    """A value as typed, quoted for a message: every kind of space shown as a plain space (Excel's
    no-break spaces look like spaces: '58 000 €', never '58\\xa0000\\xa0€'), a line break as \\n,
    other invisible characters as their escape."""
    shown = "".join(" " if unicodedata.category(char) == "Zs" else char if char.isprintable()
                    else repr(char)[1:-1] for char in text)
    return f'"{shown}"' if "'" in shown and '"' not in shown else f"'{shown}'"


LOST_LETTER_RE = re.compile(r"\?(?=[^\W\d_])")  # Fran?ois, Nguy?n, ?lodie: a "?" before a letter
LOST_LAST_LETTER_RE = re.compile(r"(?<=[^\W\d_])\?(?![^\W\d_])")  # Andr?: in a name, a "?" ending a word


def lost_letter(text: str, name: bool = False) -> str:
    """How a letter lost by a code page shows in `text` ("" when none does): a "?" in place of a letter
    (Fran?ois, ?lodie; in a `name`, also Andr?), or the replacement character U+FFFD. A "?" that
    ends a question ("Disponible ?", "ok?") or stands alone is a question mark."""
    if "\ufffd" in text:
        return tr("holds the replacement character U+FFFD (\ufffd) where a letter was lost")
    if LOST_LETTER_RE.search(text) or (name and LOST_LAST_LETTER_RE.search(text)):
        return tr("holds a ? in place of a letter")
    return ""


def parse_variable(text: str, salary: float) -> float:
    """A target variable pay: a share of the salary ("10%", "12,5 %") or an amount ("4600",
    "4 600"); ValueError saying why otherwise."""
    value = text.strip()
    if value.endswith("%"):
        share = parse_amount(value[:-1])
        if not 0 < share <= 100:
            raise ValueError(tr("%(value)r: a share of the salary is between 0 and 100 %%", value=value))
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
        raise ValueError(tr('%(value)r is not a duration: write a whole number of months, weeks or days ("6 mois", '
                            '"18 months", "3 semaines")', value=text.strip()))
    return int(found.group(1)), unit


# Characters people cannot tell apart on screen, each class folded to its plain ASCII form: a name
# typed in Word (’ « – and non-breaking spaces) is the name the role file gives with ' " - and spaces.
LOOKALIKES = {"'": "'’‘ʼ`´′", '"': '"“”„«»‹›″', "-": "-‐‑‒–—―−"}
_FOLD = str.maketrans({char: plain for plain, chars in LOOKALIKES.items() for char in chars})
# How a suggestion names a character whose lookalike the user typed: `did you mean "d'équipe"
# (straight apostrophe)?` shows a difference the eye would miss. Translated where they are shown.
CHARACTER_NAMES = {"'": N_("straight apostrophe"), "’": N_("curly apostrophe ’"), "‘": N_("opening quote ‘"),
                   "ʼ": N_("modifier apostrophe ʼ"), "`": N_("backquote `"), "´": N_("acute accent ´"),
                   "′": N_("prime ′"), '"': N_("straight quotes"), "“": N_("curly quotes “”"),
                   "”": N_("curly quotes “”"), "„": N_("low quote „"), "«": N_("French quotes « »"),
                   "»": N_("French quotes « »"), "-": N_("hyphen -"), "‐": N_("hyphen ‐"),
                   "‑": N_("non-breaking hyphen"), "‒": N_("figure dash ‒"), "–": N_("en dash –"),
                   "—": N_("em dash —"), "―": N_("horizontal bar ―"), "−": N_("minus sign −"),
                   "\u00a0": N_("non-breaking space"), "\u202f": N_("narrow non-breaking space"),
                   "\u2009": N_("thin space")}
NAME_CUTOFF = 0.75  # how close a name must be to be suggested (difflib's ratio of the folded forms)
KEY_CUTOFF = 0.6  # keys are short words: "titel" -> "title"


def folded(text: str) -> str:
    """The form names are compared in: case and accents dropped, apostrophes, quotes and dashes
    made plain (’ -> ', « -> ", – -> -), runs of spaces of any kind made one space, outer spaces
    and invisible characters (soft hyphen, zero-width space) dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf")
    return " ".join(kept.translate(_FOLD).split()).casefold()


def match(value: str, accepted: Mapping[str, str] | Iterable[str]) -> str | None:
    """The canonical spelling `value` names, or None.

    `accepted` maps every accepted spelling to its canonical value (a level's id and its name both
    give the id), or is a plain list of canonical values.
    """
    pairs = list(accepted.items() if isinstance(accepted, Mapping) else ((name, name) for name in accepted))
    for spelling, canonical in pairs:  # written exactly: that one, even if another folds the same ("Écoute", "Ecoute")
        if spelling == value:
            return canonical
    wanted = folded(value)
    for spelling, canonical in pairs:
        if folded(spelling) == wanted:
            return canonical
    return None


def level_spellings(role) -> dict[str, str]:
    """What may name a level of a role: its id or its name (both give the id)."""
    return {lv.id: lv.id for lv in role.levels} | {lv.name: lv.id for lv in role.levels}


# The message of `unknown` for each kind of name (and the plural its callers give): one whole sentence
# each for the translators. `%(value)r` is the name given, `%(known)s` the names the role has.
UNKNOWN = {
    ("level", "levels"): N_("unknown level %(value)r (levels: %(known)s)"),
    ("location", "locations"): N_("unknown location %(value)r (locations: %(known)s)"),
    ("competency", "competencies"): N_("unknown competency %(value)r (competencies: %(known)s)"),
    ("stage", "stages"): N_("unknown stage %(value)r (stages: %(known)s)"),
    ("recommendation", "recommendations"): N_("unknown recommendation %(value)r (recommendations: %(known)s)"),
    ("contract", "contracts"): N_("unknown contract %(value)r (contracts: %(known)s)"),
    ("kind", "kinds"): N_("unknown kind %(value)r (kinds: %(known)s)"),
    ("civility", "civilitys"): N_("unknown civility %(value)r (civilitys: %(known)s)"),
    ("command", "commands"): N_("unknown command %(value)r (commands: %(known)s)"),
}


def unknown(what: str, value: str, known: Iterable[str], plural: str | None = None,
            accepted: Mapping[str, str] | Iterable[str] | None = None, message: str | None = None) -> str:
    """The one message for a name the role does not have: "unknown level 'x' (levels: a, b)", and
    `: did you mean 'b'?` when one of the `accepted` spellings (default: `known`) is close.
    `message`: another sentence (marked with N_) with the same places, for a caller that says more."""
    known = list(known)
    names = ", ".join(known) or tr("none")
    template = message or UNKNOWN.get((what, plural or what + "s"))
    if template is not None:
        said = tr(template, value=value, known=names)
    else:  # a kind of name without its own sentence
        said = tr("unknown %(what)s %(value)r (%(plural)s: %(known)s)", what=what, value=value,
                  plural=plural or what + "s", known=names)
    near = closest(value, accepted if accepted is not None else known)
    if near is None:
        return said
    return tr("%(message)s: did you mean %(suggestion)s?", message=said, suggestion=suggestion(value, near))


def closest(value: str, spellings: Mapping[str, str] | Iterable[str], cutoff: float = NAME_CUTOFF) -> str | None:
    """The spelling nearest to `value` (compared folded), when it is at least `cutoff` close; the
    first of equally close ones."""
    import difflib

    wanted, best, score = folded(str(value)), None, cutoff
    for spelling in spellings:
        ratio = difflib.SequenceMatcher(None, wanted, folded(str(spelling))).ratio()
        if ratio > score or (ratio == score and best is None):
            best, score = str(spelling), ratio
    return best


def suggestion(value: str, spelling: str) -> str:
    """`spelling` quoted, with the lookalike characters it has and `value` writes otherwise named:
    `"Management d'équipe" (straight apostrophe)`."""
    spaces = {c for c in spelling if c.isspace()} - {c for c in value if c.isspace()}
    differ = [c for c in spelling if c in CHARACTER_NAMES and c not in value
              and (c in spaces or any(_same_class(c, other) for other in value))]
    names = list(dict.fromkeys(tr(CHARACTER_NAMES[c]) for c in differ))
    return f"{spelling!r} ({', '.join(names)})" if names else repr(spelling)


def _same_class(char: str, other: str) -> bool:
    """Two different characters of one lookalike class (two apostrophes, two kinds of space)."""
    if char == other:
        return False
    if char.isspace():
        return other.isspace()
    plain = _FOLD.get(ord(char))
    return plain is not None and plain == _FOLD.get(ord(other))


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
    close = closest(str(key), known, KEY_CUTOFF)
    if close is not None:
        return tr("unknown key %(key)r (did you mean %(close)r?)", key=key, close=close)
    if known:
        return tr("unknown key %(key)r (known keys: %(keys)s)", key=key, keys=", ".join(known))
    return tr("unknown key %(key)r", key=key)
