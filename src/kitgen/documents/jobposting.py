"""The schema.org JobPosting of a job ad (Google for Jobs), embedded in the ad's HTML and written
as the `jsonld` format.

It starts from the rendered ad, never from the role file, so that it says what the page says: it
reads the ad's render context and takes its description from the page's `.ad-description` part.
"""

from __future__ import annotations

import html as htmllib
import json
import re
import unicodedata

from markupsafe import Markup

from kitgen.documents.htmltree import SPACES, body, classes, collapse, shown, tag
from kitgen.documents.rendered import Rendered

UNIT_TEXT = {"year": "YEAR", "month": "MONTH", "hour": "HOUR"}
# schema.org employmentType values, found by keywords in the contract type (accents and case
# ignored). A CDI or a "permanent" contract with no other hint is taken as full time.
EMPLOYMENT_TYPES = (
    ("FULL_TIME", ("cdi", "full-time", "full time", "permanent", "temps plein", "temps complet")),
    ("PART_TIME", ("part-time", "part time", "temps partiel")),
    ("TEMPORARY", ("cdd", "temporary", "fixed-term", "fixed term", "interim", "saisonnier", "seasonal")),
    ("CONTRACTOR", ("freelance", "contractor", "independant", "portage salarial")),
    ("INTERN", ("stage", "intern", "internship", "alternance", "apprentissage", "apprenticeship")),
    ("VOLUNTEER", ("volunteer", "benevole", "benevolat", "volontariat", "service civique")),
)
# A location with one of these words is remote work, not a place (schema.org TELECOMMUTE).
REMOTE_WORDS = ("remote", "teletravail", "a distance", "anywhere")
DESCRIPTION_TAGS = {"h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "b", "i", "br"}


# -- JSON-LD -----------------------------------------------------------------------------------

def job_posting(doc: Rendered) -> dict:
    """The schema.org JobPosting of a rendered ad; every value in it is shown on the page."""
    role, company, ad = doc.context["role"], doc.context["company"], doc.context["ad"]
    posting = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": role["display_title"],
        "inLanguage": doc.lang,
        "description": description_html(doc.html) or htmllib.escape(role["summary"], quote=False),
        "identifier": {"@type": "PropertyValue", "name": company["name"] or None, "value": ad["reference"]},
        "datePosted": ad["date_posted"].isoformat(),
        "validThrough": ad["valid_through"].isoformat(),
        "employmentType": employment_type(ad["contract_type"]),
        "hiringOrganization": _organization(company),
        "directApply": bool(ad["apply_url"]),
    }
    posting.update(_places(ad["locations"] or [company["city"]], _country(doc.context)))
    if ad["salary"]:
        posting["baseSalary"] = _salary(ad["salary"])
    return _pruned(posting)


def script_json(posting: dict) -> Markup:
    """JSON safe inside <script>: no `<`, `>` or `&` left, so `</script>` in a text cannot end it."""
    text = json.dumps(posting, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return Markup(text)


def employment_type(contract: str | None) -> str | list[str]:
    """CDI -> FULL_TIME, CDD -> TEMPORARY, "Full-time, permanent" -> FULL_TIME; unknown -> OTHER."""
    words = _plain(contract or "")
    found = [kind for kind, keys in EMPLOYMENT_TYPES if any(re.search(rf"\b{re.escape(k)}\b", words) for k in keys)]
    if "PART_TIME" in found and "FULL_TIME" in found:
        found.remove("FULL_TIME")  # "CDI à temps partiel": the CDI says permanent, not full time
    if not found:
        return "OTHER"
    return found[0] if len(found) == 1 else found


def _organization(company: dict) -> dict | None:
    if not company["name"]:
        return None
    return {"@type": "Organization", "name": company["legal_name"] or company["name"],
            "sameAs": company["website"]}


def _salary(band: dict) -> dict:
    return {"@type": "MonetaryAmount", "currency": band["currency"],
            "value": {"@type": "QuantitativeValue", "minValue": _number(band["low"]),
                      "maxValue": _number(band["high"]), "unitText": UNIT_TEXT[band["period"]]}}


def _number(amount: float) -> int | float:
    return int(amount) if float(amount).is_integer() else amount


def _places(locations: list[str | None], country: str | None) -> dict:
    """jobLocation for the places; remote locations become jobLocationType TELECOMMUTE."""
    places = [loc for loc in locations if loc and not _is_remote(loc)]
    remote = [loc for loc in locations if loc and _is_remote(loc)]
    out: dict = {}
    if places:
        found = [{"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": place,
                                                "addressCountry": country}} for place in places]
        out["jobLocation"] = found[0] if len(found) == 1 else found
    if remote:
        out["jobLocationType"] = "TELECOMMUTE"
        codes = sorted({_code_in(loc) or country for loc in remote} - {None})
        if codes:
            out["applicantLocationRequirements"] = [{"@type": "Country", "name": code} for code in codes]
    return out


def _is_remote(location: str) -> bool:
    return any(re.search(rf"\b{word}\b", _plain(location)) for word in REMOTE_WORDS)


def _code_in(location: str) -> str | None:
    """The country code a location names in brackets: "Remote (US)" -> "US"."""
    match = re.search(r"\(([A-Z]{2})\)", location)
    return match.group(1) if match else None


def _country(context: dict) -> str | None:
    """The company's country, unless the salary is in another country's currency (USD -> US).

    An ISO 4217 code starts with its country's ISO 3166 code when the currency is national, so a
    French company advertising a job paid in USD gets "US", not "FR". No country when unsure.
    """
    from babel.numbers import get_territory_currencies

    country = context["company"]["country"]
    salary = context["ad"]["salary"] or next((r["band"] for r in context["ad"]["salary_rows"]), None)
    if not salary or salary["currency"] in get_territory_currencies(country):
        return country
    guess = salary["currency"][:2]
    return guess if guess != "EU" and salary["currency"] in get_territory_currencies(guess) else None


def _pruned(value):
    """Drop empty values (None, "", [], {}) so the markup never claims what the page does not show."""
    if isinstance(value, dict):
        pruned = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def _plain(text: str) -> str:
    """Lowercase, accents removed: "Télétravail" -> "teletravail"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# -- the description, read from the page ------------------------------------------------------

def description_html(html: str) -> str:
    """The page's `.ad-description` part as simple HTML (h2, p, ul, li, strong), for JSON-LD."""
    for el in body(html).iter():
        if isinstance(el.tag, str) and "ad-description" in classes(el):
            return _simple(el).strip(SPACES)
    return ""


def _simple(el) -> str:
    """Children of `el` as HTML with the description tags only (others unwrapped, attributes dropped)."""
    parts = [_text(el.text)]
    for child in el:
        if shown(child):
            inner = _simple(child)
            name = tag(child)
            parts.append(f"<{name}>{inner.strip(SPACES)}</{name}>" if name in DESCRIPTION_TAGS else inner)
        parts.append(_text(child.tail))
    return "".join(parts)


def _text(text: str | None) -> str:
    """Escaped text, whitespace collapsed; whitespace alone (between blocks) is dropped."""
    return htmllib.escape(collapse(text), quote=False) if text and text.strip(SPACES) else ""
