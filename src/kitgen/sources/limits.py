"""How big an input may be before kitgen refuses it, so that a huge or hostile file fails fast and
alone instead of exhausting the machine (a YAML file nested 500 deep, a million list items, a Word
letterhead that unpacks to gigabytes, a candidates file of a million rows).

Each limit can be raised in kitgen.toml, under `[limits]`; the message that refuses a file names
the key to raise. `LIMITS` holds the ones in force: `load_project` sets them from the settings.
"""

from __future__ import annotations

from kitgen.i18n import tr

DEFAULTS = {
    "file_kb": 1024,  # a role, company or settings file (the largest sample role is ~12 KB)
    "depth": 50,  # nesting of YAML mappings and lists
    "list_items": 500,  # items of one YAML list (questions, missions...)
    "letterhead_mb": 50,  # a Word letterhead, unpacked
    "candidate_rows": 10000,  # rows of a candidates file
}
LIMITS = dict(DEFAULTS)


def configure(values: dict[str, int]) -> None:
    LIMITS.clear()
    LIMITS.update(DEFAULTS, **values)


def raise_hint(key: str) -> str:
    return tr("if it is meant to be, raise `%(key)s` under [limits] in kitgen.toml", key=key)


def file_too_big(path, label: str):
    """The problem of a file larger than `file_kb`, or None; decided from its size, before reading."""
    from kitgen.errors import Problem

    size = path.stat().st_size
    if size <= LIMITS["file_kb"] * 1024:
        return None
    return Problem(label, 0, 0, "", tr("the file is %(size)s KB, more than the limit of %(limit)s KB (%(hint)s)",
                                       size=format(size / 1024, ",.0f"), limit=LIMITS["file_kb"],
                                       hint=raise_hint("file_kb")))
