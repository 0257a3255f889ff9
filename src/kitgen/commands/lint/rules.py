"""The lint rules. Each reads one rendered job ad and returns its findings (severity, message).

Rules see the ad as it would be published: the render context (role, company, options such as
--no-salary) and the text of the rendered page. Their sources are in docs/lint.md.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable

from kitgen.commands.lint.words import Matcher, folded, sections
from kitgen.documents.rendered import Rendered
from kitgen.i18n import N_, tr
from kitgen.sources.languages import locale as babel_locale

ERROR, WARNING = "error", "warning"
STRONGLY = 3  # gender-decoder: a balance beyond ±3 is "strongly" coded
MIN_LANGUAGE_WORDS = 20  # below this many function words, a language guess is noise
INCLUSIVE_MARKS = "·•.()/"
# The sections of discriminatory.*.txt (the criteria of Code du travail L.1132-1), as a finding names them.
CRITERIA = {"age": N_("age"), "sex": N_("sex"), "family situation": N_("family situation"),
            "origin or nationality": N_("origin or nationality"), "religion": N_("religion"),
            "union membership or political opinion": N_("union membership or political opinion"),
            "health or disability": N_("health or disability"), "physical appearance": N_("physical appearance"),
            "place of residence": N_("place of residence")}


@dataclass
class Ad:
    """What the rules read: the rendered ad, its user-written texts with their place, its page text."""

    doc: Rendered
    texts: list[tuple[str, str]]
    page: str

    @property
    def lang(self) -> str:
        return self.doc.context["role"]["lang"]

    @property
    def context(self) -> dict:
        return self.doc.context


RULES: dict[str, Callable[[Ad], list[tuple[str, str]]]] = {}


def rule(rule_id: str):
    def register(func):
        RULES[rule_id] = func
        return func
    return register


def ad_texts(context: dict) -> list[tuple[str, str]]:
    """Every text of the ad that the role or company file wrote, with where it comes from."""
    role, ad = context["role"], context["ad"]
    texts = [("title", role["display_title"]), ("summary", role["summary"])]
    texts += [(f"also_known_as[{i}]", t) for i, t in enumerate(role["also_known_as"])]
    texts += [(f"missions[{i}]", t) for i, t in enumerate(role["missions"])]
    texts += [(f"requirements.{k}", t) for k, t in role["requirements"].items() if t]
    texts += [(f"qualities[{i}]", t) for i, t in enumerate(role["qualities"])]
    for i, skill in enumerate(ad["skills"]):
        texts.append((f"competencies[{i}].name", skill["name"]))
        texts += [(f"competencies[{i}].expectations.{level['id']}", item["text"])
                  for level, item in zip(ad["levels"], skill["by_level"])]
    texts += [(f"company.yaml: benefits[{i}]", t) for i, t in enumerate(context["company"]["benefits"])]
    texts += [("contract_type", ad["contract_type"])] + [("salary.locations", loc) for loc in ad["locations"]]
    return texts


# -- pay-range -----------------------------------------------------------------------------------

@rule("pay-range")
def pay_range(ad: Ad) -> list[tuple[str, str]]:
    """A closed salary range, shown for every advertised place (EU 2023/970 Art. 5; CO, CA, WA, NY)."""
    context = ad.context["ad"]
    salary = context["salary"]
    if salary is None:
        return [(ERROR, _no_salary(ad))]
    if not salary.get("low") or not salary.get("high"):
        return [(ERROR, tr("the salary range is open (\"up to\" is not a range): give a minimum and a maximum"))]
    if salary["low"] > salary["high"]:
        return [(ERROR, tr("the salary range is reversed: minimum %(low)g > maximum %(high)g",
                           low=salary["low"], high=salary["high"]))]
    shown = {row["location"] for row in context["salary_rows"]}
    return [(ERROR, tr("no salary range for %(place)r at the advertised level(s): add a band under salary.bands",
                       place=place))
            for place in context["locations"] if place not in shown]


def _no_salary(ad: Ad) -> str:
    """The finding of an ad without a salary range, saying why it has none."""
    context = ad.context["ad"]
    if context["no_salary"]:
        return tr("the ad shows no salary range (--no-salary); candidates must see the pay range before the "
                  "interview (EU Directive 2023/970 Art. 5; Colorado, California, Washington, New York)")
    if not context["locations"]:
        return tr("the ad shows no salary range (the role has no salary section); candidates must see the pay "
                  "range before the interview (EU Directive 2023/970 Art. 5; Colorado, California, Washington, "
                  "New York)")
    return tr("the ad shows no salary range (no band under salary.bands for level(s) %(levels)s at %(locations)s); "
              "candidates must see the pay range before the interview (EU Directive 2023/970 Art. 5; Colorado, "
              "California, Washington, New York)",
              levels=", ".join(level["id"] for level in context["levels"]), locations=", ".join(context["locations"]))


# -- fr-title ------------------------------------------------------------------------------------

@rule("fr-title")
def fr_title(ad: Ad) -> list[tuple[str, str]]:
    """A French title names both forms or a neutral one; "H/F" after a masculine title is not enough."""
    if ad.lang != "fr":
        return []
    title = ad.context["role"]["display_title"]
    masculine = masculine_only(title)
    if not masculine:
        return []
    words = ", ".join(f'"{word}"' for word, _ in masculine)
    hint = _suggestion(title, masculine)
    if re.search(r"\b[HF]\s*/\s*[FH]\b", title):
        return [(ERROR, tr('the title "%(title)s" has only the masculine form of %(words)s ("H/F" is not enough): '
                           '%(hint)s', title=title, words=words, hint=hint))]
    return [(ERROR, tr('the title "%(title)s" has only the masculine form of %(words)s: %(hint)s', title=title,
                       words=words, hint=hint))]


def masculine_only(title: str) -> list[tuple[str, list[str]]]:
    """The masculine job nouns of a title that come without a feminine form, with their feminines."""
    data = sections("titles.fr.txt")
    listed = dict(_pair(line) for line in data["masculine"])
    tokens = [t for t in re.split(r"[\s\-–,;:]+", title) if t]
    present = {folded(t) for t in tokens}
    found: dict[str, tuple[str, list[str]]] = {}
    for token in tokens:
        if any(mark in token for mark in INCLUSIVE_MARKS):  # Directeur·rice, développeur(euse)
            continue
        word = folded(token)
        feminines = listed.get(word) or _by_suffix(word, data)
        if feminines and not present & set(feminines):
            found.setdefault(word, (token, feminines))
    return list(found.values())


def _pair(line: str) -> tuple[str, list[str]]:
    word, _, rest = line.partition("=")
    return word.strip(), [f.strip() for f in rest.split(",") if f.strip()]


def _by_suffix(word: str, data: dict) -> list[str]:
    if word in data["not-titles"]:
        return []
    for line in data["suffixes"]:  # listed longest ending first: "teur" before "eur"
        ending, feminines = _pair(line)
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return [word[: -len(ending)] + f for f in feminines]
    return []


def _suggestion(title: str, masculine: list[tuple[str, list[str]]]) -> str:
    listed = dict(_pair(line) for line in sections("titles.fr.txt")["masculine"])
    if all(folded(word) in listed for word, _ in masculine):
        plain = re.sub(r"\s*\(?\b[HF]\s*/\s*[FH]\b\)?", "", title).strip()
        feminine = plain
        for word, feminines in masculine:
            feminine = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", feminines[0], feminine, count=1)
        both = f"{plain} ou {feminine[:1].lower()}{feminine[1:]}"
        return tr('write both forms ("%(both)s"), or give title_feminine or title_neutral', both=both)
    return tr('write both forms (e.g. "Directeur ou directrice"), or give title_feminine or title_neutral')


# -- fr-language ---------------------------------------------------------------------------------

@rule("fr-language")
def fr_language(ad: Ad) -> list[tuple[str, str]]:
    """A French ad is written in French (Code du travail L.5331-4): a stop-word ratio."""
    if ad.lang != "fr":
        return []
    french = set(sections("stopwords.fr.txt")[""])
    english = set(sections("stopwords.en.txt")[""])
    words = Counter(re.findall(r"\w+", folded(" ".join(text for _, text in ad.texts))))
    fr_count = sum(n for w, n in words.items() if w in french)
    en_count = sum(n for w, n in words.items() if w in english)
    total = fr_count + en_count
    if total < MIN_LANGUAGE_WORDS or fr_count * 2 >= total:
        return []
    share = round(100 * fr_count / total)
    return [(ERROR, tr("the ad is mostly not in French (%(share)d %% of its common words are French, %(french)d of "
                       "%(total)d): an ad for a job in France must be written in French (Code du travail L.5331-4)",
                       share=share, french=fr_count, total=total))]


# -- discriminatory-criterion --------------------------------------------------------------------

@rule("discriminatory-criterion")
def discriminatory_criterion(ad: Ad) -> list[tuple[str, str]]:
    """No criterion of Code du travail L.1132-1 (age, family, origin, health...) in the ad (L.5321-2)."""
    # Both languages' lists: a French ad may quote English jargon ("digital native") and back.
    matcher = Matcher("discriminatory.fr.txt", "discriminatory.en.txt", not_before="not-before", exempt="exempt")
    return [(ERROR, tr('"%(words)s" in %(where)s refers to %(criterion)s, a criterion an ad must not state '
                       "(Code du travail L.1132-1, L.5321-2)", words=hit.words, where=where,
                       criterion=tr(CRITERIA.get(hit.section, hit.section))))
            for where, text in ad.texts for hit in matcher.find(text)]


# -- gender-coded --------------------------------------------------------------------------------

@rule("gender-coded")
def gender_coded(ad: Ad) -> list[tuple[str, str]]:
    """Masculine-coded wording (Gaucher, Friesen & Kay 2011; the gender-decoder's scoring)."""
    matcher = Matcher(f"gender-coded.{ad.lang}.txt", stem=True)
    counts: dict[str, Counter] = {"masculine": Counter(), "feminine": Counter()}
    for _, text in ad.texts:
        for hit in matcher.find(text):
            counts[hit.section][hit.words.lower()] += 1
    masculine, feminine = sum(counts["masculine"].values()), sum(counts["feminine"].values())
    score = feminine - masculine
    if score >= 0:
        return []  # neutral or feminine-coded: the research found no deterrent effect on men
    if counts["feminine"]:
        listed = tr("masculine %(masculine)s; feminine %(feminine)s", masculine=_words(counts["masculine"]),
                    feminine=_words(counts["feminine"]))
    else:  # a negative balance: there is always a masculine-coded word
        listed = tr("masculine %(masculine)s", masculine=_words(counts["masculine"]))
    found = {"score": score, "feminine": feminine, "masculine": masculine, "listed": listed}
    if score < -STRONGLY:
        return [(WARNING, tr("strongly masculine-coded wording (balance %(score)d: %(feminine)d feminine-coded, "
                             "%(masculine)d masculine-coded words): %(listed)s", **found))]
    return [(WARNING, tr("masculine-coded wording (balance %(score)d: %(feminine)d feminine-coded, %(masculine)d "
                         "masculine-coded words): %(listed)s", **found))]


def _words(counter: Counter) -> str:
    return ", ".join(f'"{w}"' + (f" ×{n}" if n > 1 else "") for w, n in sorted(counter.items()))


# -- missing-mentions ----------------------------------------------------------------------------

@rule("missing-mentions")
def missing_mentions(ad: Ad) -> list[tuple[str, str]]:
    """The ad names the employer, is dated, gives the place of work and the contract type."""
    from kitgen.documents.formatting import format_date

    context, company = ad.context["ad"], ad.context["company"]
    locale = babel_locale(ad.doc.lang)
    checks = [
        (company["name"], N_("the ad gives no employer name: add a company file with a name"),
         N_("the employer name (%(value)s) does not appear on the rendered ad: check templates/job-ad.html.j2")),
        (format_date(context["date_posted"], locale), N_("the ad gives no date: keep the date in the ad template"),
         N_("the date (%(value)s) does not appear on the rendered ad: check templates/job-ad.html.j2")),
        (", ".join(context["locations"]) or company["city"],
         N_("the ad gives no place of work: list salary.locations in the role file or give the company's city"),
         N_("the place of work (%(value)s) does not appear on the rendered ad: check templates/job-ad.html.j2")),
        (context["contract_type"],
         N_("the ad gives no contract type: give contract_type in the role or company file"),
         N_("the contract type (%(value)s) does not appear on the rendered ad: check templates/job-ad.html.j2")),
    ]
    page = _squashed(ad.page)
    findings = []
    for value, missing, hidden in checks:
        if not value:
            findings.append((ERROR, tr(missing)))
        elif not all(_squashed(part) in page for part in value.split(", ")):
            findings.append((ERROR, tr(hidden, value=value)))
    return findings


def _squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)
