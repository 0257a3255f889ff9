"""Issue 12, one owner per concept: the same typed value gets the same answer from every command.

Levels and locations are matched without regard to case and accents everywhere, and the role's own
spelling names the file; dates are YYYY-MM-DD everywhere, with one message. An option is a usage
error (exit 2), the same value in a candidates file a data error of that row (exit 1), both with
the same words.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kitgen.sources.values import folded, match, parse_date

START = "2030-02-01"
OFFER = ("offer", "directeur-ecommerce", "--candidate", "Élodie Marchand", "--salary", "85000", "-f", "html")
UNKNOWN_LEVEL = "unknown level 'expert' (levels: junior, confirme, senior)"
WEEK_DATE = "'2030-W05-1' is not a date in the form YYYY-MM-DD"


def candidates(project, level="confirme", location="Paris", start=START):
    path = project / "c.csv"
    path.write_text("name,role,level,location,salary,start_date\n"
                    f"Élodie Marchand,directeur-ecommerce,{level},{location},85000,{start}\n", encoding="utf-8")
    return str(path)


def test_match_ignores_case_and_accents_and_returns_the_canonical_spelling():
    accepted = {"confirme": "confirme", "Confirmé": "confirme"}
    assert [match(v, accepted) for v in ("Confirme", "CONFIRMÉ", " confirmé ", "expert")] == \
        ["confirme", "confirme", "confirme", None]
    assert match("régions", ["Paris", "Régions"]) == "Régions"
    assert folded("Régions") == folded("REGIONS") == "regions"


@pytest.mark.parametrize("level", ["Confirme", "CONFIRMÉ", "Confirmé", "confirme"])
def test_a_level_is_matched_alike_by_kit_ad_offer_offers_and_build(cli, project, level):
    out = project / "output" / "directeur-ecommerce"
    kit = cli("kit", "directeur-ecommerce", "--level", level, "-f", "html")
    assert (kit.exit_code, kit.stdout.split()) == (0, [str(out / "interview-kit-confirme.html")])
    ad = cli("ad", "directeur-ecommerce", "--level", level, "-f", "html")
    assert (ad.exit_code, ad.stdout.split()) == (0, [str(out / "job-ad-confirme.html")])
    offer = cli(*OFFER, "--level", level, "--location", "Paris", "--start-date", START)
    assert (offer.exit_code, offer.stdout.split()) == (0, [str(out / "offer-elodie-marchand.html")])
    offers = cli("offers", candidates(project, level=level), "-f", "html")
    assert offers.exit_code == 0, offers.output
    assert offers.stdout.splitlines()[-1] == "1 letter written (1 files), 0 rows failed"
    build = cli("build", "directeur-ecommerce", "--level", level, "-f", "html")
    assert build.exit_code == 0, build.output
    assert (out / "interview-kit-confirme.html").is_file()
    assert not (out / "interview-kit-junior.html").exists()


def test_a_location_is_matched_alike_and_shown_in_the_roles_spelling(cli, project):
    out = project / "output" / "directeur-ecommerce"
    ad = cli("ad", "directeur-ecommerce", "--location", "RÉGIONS", "-f", "html")
    assert (ad.exit_code, ad.stdout.split()) == (0, [str(out / "job-ad-regions.html")])
    assert "Régions" in (out / "job-ad-regions.html").read_text(encoding="utf-8")
    assert "RÉGIONS" not in (out / "job-ad-regions.html").read_text(encoding="utf-8")
    offer = cli(*OFFER, "--level", "confirme", "--location", "paris", "--start-date", START)
    assert offer.exit_code == 0, offer.output
    offers = cli("offers", candidates(project, location="PARIS"), "-f", "html")
    assert offers.exit_code == 0, offers.output


def test_an_unknown_level_has_one_message_everywhere(cli, project):
    usage = f"Error: Invalid value for '--level': {UNKNOWN_LEVEL}"
    for args in (("kit", "directeur-ecommerce", "--level", "expert", "-f", "html"),
                 ("ad", "directeur-ecommerce", "--level", "expert", "-f", "html"),
                 (*OFFER, "--level", "expert", "--location", "Paris", "--start-date", START)):
        result = cli(*args)
        assert (result.exit_code, result.stderr.splitlines()[-1]) == (2, usage), args
    offers = cli("offers", candidates(project, level="expert"), "-f", "html")
    assert offers.exit_code == 1
    assert offers.stderr.splitlines()[0] == f"{project / 'c.csv'}:2: level: {UNKNOWN_LEVEL}"
    assert list((project / "output").rglob("*.html")) == []


@pytest.mark.parametrize("value, message", [
    ("2030-W05-1", WEEK_DATE),
    ("01/02/2030", "'01/02/2030' is not a date in the form YYYY-MM-DD"),
    ("2030-02-30", "'2030-02-30' is not a valid date (day is out of range for month)"),
])
def test_a_date_has_one_reading_and_one_message_everywhere(cli, project, value, message):
    for option, args in (("--date", ("kit", "directeur-ecommerce", "--level", "confirme", "-f", "html")),
                         ("--valid-through", ("ad", "directeur-ecommerce", "-f", "html")),
                         ("--start-date", (*OFFER, "--level", "confirme", "--location", "Paris"))):
        result = cli(*args, option, value)
        assert (result.exit_code, result.stderr.splitlines()[-1]) == \
            (2, f"Error: Invalid value for '{option}': {message}"), option
    # A file's dates are read in its own order (a French file: day first, tests/test_french_csv.py);
    # declared YYYY-MM-DD, they are read as the options are, with the same words.
    offers = cli("offers", candidates(project, start=value), "-f", "html", "--date-order", "iso")
    assert offers.exit_code == 1
    assert offers.stderr.splitlines()[0] == f"{project / 'c.csv'}:2: start_date: {message}"
    assert list((project / "output").rglob("*.html")) == []


def test_the_date_parser_takes_iso_days_only():
    assert parse_date(" 2030-02-01 ") == dt.date(2030, 2, 1)
    for text in ("2030-W05-1", "20300201", "2030-032", "2030-02-01T00:00"):
        with pytest.raises(ValueError, match="is not a date in the form YYYY-MM-DD"):
            parse_date(text)
