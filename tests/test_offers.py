"""Issue 5, one letter: band arithmetic, every offer error message (exact), and the letter's legal
content read back from the PDF and the DOCX, in French and in English.

Money is compared exactly as Babel writes it: French groups digits with U+202F (narrow no-break
space) and puts U+00A0 (no-break space) before "€"; pypdf and python-docx both give them back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kitgen.commands import open_project
from kitgen.documents.offer import OfferRequest, prepare_offer
from kitgen.documents.pay import SMIC, Band, band_for
from kitgen.documents.render import render_offer
from kitgen.errors import OfferError
from kitgen.outputs.produce import produce
from kitgen.sources.model import Salary
from tests.support import ROOT, docx_text, missing, pdf_pages, pdf_text

NNBSP, NBSP = "\u202f", "\u00a0"
TODAY = dt.date(2026, 1, 1)
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z: what templating.today() returns in the CLI tests
START = dt.date(2027, 2, 1)
BAND_ERROR = (f"95{NNBSP}000{NBSP}€ is outside the band 76{NNBSP}500{NBSP}€ – 93{NNBSP}500{NBSP}€ "
              "for Confirmé in Paris")
FR_ARGS = ("offer", "directeur-ecommerce", "--candidate", "Élodie Marchand", "--level", "confirme",
           "--location", "Paris", "--start-date", "2027-02-01")


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture(scope="module")
def sample():
    """The sample project, read only: (project, {role id: role}, company)."""
    project = open_project(ROOT)
    roles = {role.id: role for _, role in project.load_roles()}
    return project, roles, project.company


def _request(**changes) -> OfferRequest:
    values = dict(candidate="Élodie Marchand", level="confirme", location="Paris", salary=85000, start_date=START)
    return OfferRequest(**(values | changes))


def _with_salary(role, period: str, band: list[float], currency: str = "EUR"):
    """The French role with one (confirme, Paris) band in another period or currency."""
    salary = Salary(currency=currency, period=period, locations=["Paris"], bands={"confirme": {"Paris": band}})
    return role.model_copy(update={"salary": salary})


# -- bands ---------------------------------------------------------------------------------------

def test_point_figure_gives_a_band_of_plus_or_minus_the_spread(sample):
    _, roles, _ = sample
    role = roles["directeur-ecommerce"]
    assert band_for(role, "confirme", "Paris", 0.10) == Band(76500, 93500, "EUR", "year", reference=85000)
    assert band_for(role, "confirme", "Paris", 0.05) == Band(80750, 89250, "EUR", "year", reference=85000)
    assert band_for(role, "confirme", "Paris", 0.0) == Band(85000, 85000, "EUR", "year", reference=85000)


def test_explicit_range_is_used_as_written_whatever_the_spread(sample):
    _, roles, _ = sample
    role = roles["backend-engineer"]
    assert band_for(role, "junior", "New York", 0.30) == Band(115000, 140000, "USD", "year")
    assert band_for(role, "senior", "Remote (US)", 0.10) is None  # no figure for that pair


def test_hourly_band_keeps_its_cents(sample):
    _, roles, _ = sample
    role = _with_salary(roles["directeur-ecommerce"], "hour", 12.5)
    assert band_for(role, "confirme", "Paris", 0.10) == Band(11.25, 13.75, "EUR", "hour", reference=12.5)


@pytest.mark.parametrize("salary", [76500, 93500, 85000])
def test_band_boundaries_are_inclusive(sample, salary):
    _, roles, company = sample
    options = prepare_offer(roles["directeur-ecommerce"], company, _request(salary=salary), TODAY)
    assert options.salary == salary and options.warnings == ()


@pytest.mark.parametrize("salary, shown", [(76499, f"76{NNBSP}499{NBSP}€"), (93500.01, f"93{NNBSP}500,01{NBSP}€")])
def test_one_unit_outside_the_band_is_refused(sample, salary, shown):
    _, roles, company = sample
    with pytest.raises(OfferError) as caught:
        prepare_offer(roles["directeur-ecommerce"], company, _request(salary=salary), TODAY)
    assert caught.value.message == (f"{shown} is outside the band 76{NNBSP}500{NBSP}€ – 93{NNBSP}500{NBSP}€ "
                                    "for Confirmé in Paris")
    assert caught.value.field == "salary"


# -- every error message -------------------------------------------------------------------------

ERRORS = [
    ("directeur-ecommerce", dict(salary=95000), "salary", BAND_ERROR),
    ("backend-engineer", dict(level="mid", location="Austin", salary=98000), "salary",
     "$98,000 is outside the band $130,500 – $159,500 for Mid-level in Austin"),
    ("backend-engineer", dict(level="senior", location="Remote (US)", salary=200000), "location",
     "the role gives no salary figure for level 'Senior' in 'Remote (US)'"),
    ("directeur-ecommerce", dict(level="expert"), "level", "unknown level 'expert' (levels: junior, confirme, senior)"),
    ("directeur-ecommerce", dict(location="Lyon"), "location",
     "unknown location 'Lyon' (locations: Paris, Grandes villes, Régions)"),
    ("directeur-ecommerce", dict(candidate="  "), "name", "the candidate's name is empty"),
    ("directeur-ecommerce", dict(salary=0), "salary", "the salary must be greater than 0, got 0"),
    ("directeur-ecommerce", dict(contract="CDX"), "contract", "unknown contract 'CDX' (contracts: CDI, CDD)"),
    ("directeur-ecommerce", dict(kind="contrat"), "kind", "unknown kind 'contrat' (kinds: offre, promesse)"),
    ("directeur-ecommerce", dict(start_date=dt.date(2025, 12, 31)), "start_date",
     "the start date 2025-12-31 is in the past (--allow-past-date re-issues an old letter)"),
    ("directeur-ecommerce", dict(contract="CDD", cdd_reason="Remplacement de Mme Roy, absente"), "end_date",
     "a CDD needs an end date, or a minimum duration when its end is not known in advance (replacing an absent "
     "employee, seasonal work: Code du travail L.1242-7)"),
    ("directeur-ecommerce", dict(contract="CDD", end_date=dt.date(2027, 8, 31)), "cdd_reason",
     "a CDD in France needs its reason, stated in the contract (motif de recours, Code du travail L.1242-2: "
     "replacing an absent employee, a temporary increase in activity, seasonal work...): give it with "
     "--cdd-reason or the CSV column cdd_reason"),
    ("directeur-ecommerce", dict(contract="CDD", end_date=dt.date(2027, 8, 31), min_duration="6 mois",
                                 cdd_reason="Accroissement temporaire d'activité"), "min_duration",
     "a CDD has an end date (2027-08-31) or a minimum duration ('6 mois'), not both"),
    ("directeur-ecommerce", dict(contract="CDD", min_duration="six mois", cdd_reason="Saison"), "min_duration",
     "'six mois' is not a duration: write a whole number of months, weeks or days "
     "(\"6 mois\", \"18 months\", \"3 semaines\")"),
    ("directeur-ecommerce", dict(cdd_reason="Saison"), "cdd_reason",
     "a CDI has no cdd reason, got 'Saison' (a fixed-term contract is a CDD)"),
    ("directeur-ecommerce", dict(min_duration="6 mois"), "min_duration",
     "a CDI has no min duration, got '6 mois' (a fixed-term contract is a CDD)"),
    ("directeur-ecommerce", dict(end_date=dt.date(2027, 8, 31)), "end_date",
     "a CDI has no end date, got 2027-08-31 (a fixed-term contract is a CDD)"),
    ("directeur-ecommerce", dict(contract="CDD", end_date=dt.date(2027, 1, 15), cdd_reason="Saison"), "end_date",
     "the end date 2027-01-15 is not after the start date 2027-02-01"),
    ("directeur-ecommerce", dict(respond_by=dt.date(2025, 12, 20)), "respond_by",
     "the answer deadline 2025-12-20 is in the past"),
    ("directeur-ecommerce", dict(respond_by=dt.date(2027, 3, 1)), "respond_by",
     "the answer deadline 2027-03-01 is after the start date 2027-02-01 (give an earlier respond-by date)"),
    ("directeur-ecommerce", dict(start_date=dt.date(2026, 1, 10)), "respond_by",  # default deadline: +15 days
     "the answer deadline 2026-01-16 is after the start date 2026-01-10 (give an earlier respond-by date)"),
]


@pytest.mark.parametrize("role_id, changes, field, message", ERRORS, ids=[e[3][:40] for e in ERRORS])
def test_offer_error_messages(sample, role_id, changes, field, message):
    _, roles, company = sample
    with pytest.raises(OfferError) as caught:
        prepare_offer(roles[role_id], company, _request(**changes), TODAY)
    assert (caught.value.field, caught.value.message) == (field, message)


SMIC_CASES = [
    ("month", 1800, f"1{NNBSP}800{NBSP}€ gross a month is below the French minimum wage "
                    f"(SMIC 1{NNBSP}823,03{NBSP}€ a month for full time since 2026-01-01)"),
    ("year", 21876, f"1{NNBSP}823{NBSP}€ gross a month is below the French minimum wage "
                    f"(SMIC 1{NNBSP}823,03{NBSP}€ a month for full time since 2026-01-01)"),
    ("hour", 12.01, f"12,01{NBSP}€ an hour is below the French minimum wage "
                    f"(SMIC 12,02{NBSP}€ an hour since 2026-01-01)"),
    ("month", 1823.03, None), ("year", 21876.36, None), ("hour", 12.02, None),
]


@pytest.mark.parametrize("period, salary, message", SMIC_CASES)
def test_smic_floor_for_euro_offers(sample, period, salary, message):
    _, roles, company = sample
    role = _with_salary(roles["directeur-ecommerce"], period, [1, 100000])
    if message is None:
        assert prepare_offer(role, company, _request(salary=salary), TODAY).salary == salary
        return
    with pytest.raises(OfferError) as caught:  # even when outside-band offers are allowed
        prepare_offer(role, company, _request(salary=salary), TODAY, allow_outside_band=True)
    assert caught.value.message == message


def test_smic_is_one_dated_constant_and_only_for_euros(sample):
    _, roles, company = sample
    assert (SMIC.monthly, SMIC.hourly, SMIC.as_of) == (1823.03, 12.02, dt.date(2026, 1, 1))
    role = _with_salary(roles["directeur-ecommerce"], "month", [1, 5000], currency="USD")
    assert prepare_offer(role, company, _request(salary=1000), TODAY).salary == 1000
    stale = prepare_offer(roles["directeur-ecommerce"], company, _request(), dt.date(2027, 1, 5))
    assert stale.warnings == ("kitgen's SMIC figure dates from 2026-01-01: check it is still current "
                              "(see docs/offers.md)",)


def test_allowed_exceptions_become_warnings(sample):
    _, roles, company = sample
    role = roles["directeur-ecommerce"]
    options = prepare_offer(role, company, _request(salary=95000), TODAY, allow_outside_band=True)
    assert options.warnings == (BAND_ERROR,)
    old = prepare_offer(role, company, _request(start_date=dt.date(2025, 9, 1)), TODAY, allow_past_date=True)
    assert (old.start_date, old.respond_by) == (dt.date(2025, 9, 1), dt.date(2026, 1, 16))


def test_defaults_and_lenient_matching(sample):
    _, roles, company = sample
    options = prepare_offer(roles["directeur-ecommerce"], company, _request(level="CONFIRMÉ", location="paris"),
                            TODAY)
    assert (options.level, options.location, options.contract, options.kind) == ("confirme", "Paris", "CDI", "offre")
    assert options.respond_by == TODAY + dt.timedelta(days=company.offer_valid_days)
    assert options.trial_period == company.trial_period


def test_cdd_does_not_inherit_the_cdi_trial_period(sample):
    _, roles, company = sample
    request = _request(contract="cdd", end_date=dt.date(2027, 7, 31), cdd_reason="Accroissement temporaire d'activité")
    options = prepare_offer(roles["directeur-ecommerce"], company, request, TODAY)
    # in France it is computed (L.1242-10): one day per week, at most two weeks for six months or less
    assert (options.contract, options.trial_period, options.cdd_trial) == ("CDD", None, (2, "week"))
    assert options.warnings == ()


# -- the command line ----------------------------------------------------------------------------

def _written(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))


def test_cli_refuses_a_salary_outside_the_band_and_writes_nothing(cli, tmp_path):
    result = cli(*FR_ARGS, "--salary", "95000", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr == f"error: {BAND_ERROR}\n"
    assert not (tmp_path / "out").exists()


def test_cli_allow_outside_band_warns_and_writes(cli, tmp_path):
    result = cli(*FR_ARGS, "--salary", "95 000", "--allow-outside-band", "-f", "html", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"warning: {BAND_ERROR}\n"
    assert _written(tmp_path / "out") == ["directeur-ecommerce/offer-elodie-marchand.html"]


@pytest.mark.parametrize("args, message", [
    (("--salary", "85000", "--start-date", "2027-02-31"), "'2027-02-31' is not a valid date (day is out of range for month)"),
    (("--salary", "nan"), "'nan' is not a number"),
    (("--salary", "85 k€"), "'85 k€': write the full amount: 85000"),
    (("--salary", "85 000 €"), "'85 000 €': write the amount without its currency (€); it is in the role's currency"),
])
def test_cli_malformed_option_values_are_usage_errors(cli, args, message):
    result = cli(*FR_ARGS, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_cli_needs_the_company_file(cli, project):
    (project / "company.yaml").unlink()
    result = cli(*FR_ARGS, "--salary", "85000")
    assert result.exit_code == 1
    assert result.stderr == ("error: an offer letter needs the company file, and company.yaml does not exist "
                             "(create it, or point `company` in kitgen.toml at it; see docs/role-file.md)\n")


def test_cli_needs_the_signatory(cli, project):
    path = project / "company.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("signatory:")
    path.write_text(text[:start] + text[text.index("band_spread"):], encoding="utf-8")
    result = cli(*FR_ARGS, "--salary", "85000")
    assert result.exit_code == 1
    assert result.stderr == ("error: company.yaml: signatory: missing; an offer letter needs the company's "
                             "address and the name and title of who signs it\n")


# -- the letter itself ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def letters(sample, tmp_path_factory):
    """The French and English letters in PDF and DOCX, and two DOCX-only variants: {name: {suffix: path}}."""
    project, roles, company = sample
    out = tmp_path_factory.mktemp("letters")
    cases = {
        "fr": ("directeur-ecommerce", _request(address="3 rue des Fleurs\n69002 Lyon", email="elodie@example.com"),
               None, ["pdf", "docx"]),
        "en": ("backend-engineer", _request(candidate="Sam Roy", level="junior", location="Remote (US)",
                                            salary=98000), None, ["pdf", "docx"]),
        "promesse": ("directeur-ecommerce", _request(kind="promesse", contract="CDD", end_date=dt.date(2027, 8, 31),
                                                     trial_period="1 mois",
                                                     cdd_reason="Remplacement d’un salarié absent"), None, ["docx"]),
        "fr-role-in-english": ("directeur-ecommerce", _request(), "en", ["docx"]),
    }
    files = {}
    for name, (role_id, request, lang, formats) in cases.items():
        options = prepare_offer(roles[role_id], company, request, TODAY)
        doc = render_offer(roles[role_id], company, options, project.templates_dir, lang, project.root,
                           stem=f"{name}/offer")
        files[name] = {p.suffix[1:]: p for p in produce(doc, formats, out)}
    return files


FR_CONTENT = [  # job, level, place, start, contract, pay (+ monthly), trial period, deadline, who and where
    "Objet : offre de contrat de travail, Directeur ou directrice e-commerce", "Paris, le 1er janvier 2026",
    "Élodie Marchand", "3 rue des Fleurs", "69002 Lyon", "elodie@example.com",
    "Poste", "Directeur ou directrice e-commerce", "Niveau", "Confirmé", "Lieu de travail", "Paris",
    "Date de prise de fonctions", "1er février 2027", "Contrat à durée indéterminée (CDI)",
    "Salaire brut", f"85{NNBSP}000{NBSP}€ par an", f"soit 7{NNBSP}083,33{NBSP}€ par mois sur 12 mois",
    "Période d’essai", "4 mois, renouvelable une fois", "Télétravail 2 jours par semaine",
    "au plus tard le 16 janvier 2026", "Hélène Marchand", "Directrice des ressources humaines",
    "Petits Pas SAS", "14 passage des Lilas-Blancs", "Acceptation du candidat ou de la candidate",
]
EN_CONTENT = [  # a place of work in the US (issue 17): the US legal pack, employment at will, the FLSA line
    "Subject: offer of employment, Backend Software Engineer", "Paris, January 1, 2026", "Dear Sam Roy,",
    "This letter is an offer of employment. Its main terms are the following:",
    "Position", "Backend Software Engineer", "Level", "Junior", "Place of work", "Remote (US)",
    "Start date", "February 1, 2027", "Employment", "At will", "Gross salary", "$98,000 per year",
    "i.e. $8,166.67 per month over 12 months", "FLSA classification", "Exempt",
    "Please let us know your answer by January 16, 2026",
    "Your employment with Petits Pas SAS will be at will: you or the company may end it at any time",
    "This position is classified as exempt under the Fair Labor Standards Act (FLSA)",
    "Hélène Marchand", "Accepted by the candidate", "Signature",
]
NOT_IN_US = ["Trial period", "4 months", "collective agreement", "CDI", "read and approved", "lapse", "withdraw"]


@pytest.mark.parametrize("name, expected", [("fr", FR_CONTENT), ("en", EN_CONTENT)])
@pytest.mark.parametrize("suffix", ["pdf", "docx"])
def test_letter_states_the_legal_minimum(letters, name, expected, suffix):
    path = letters[name][suffix]
    text = pdf_text(path) if suffix == "pdf" else docx_text(path)
    assert missing(expected, text) == []
    money = [s for s in expected if "€" in s or "$" in s]  # exact characters, not just squashed text
    assert [s for s in money if s not in text] == []
    if name == "en":
        assert [word for word in NOT_IN_US if word in text] == []


@pytest.mark.parametrize("name", ["fr", "en"])
def test_letter_fits_on_one_page(letters, name):
    assert len(pdf_pages(letters[name]["pdf"])) == 1


def test_promesse_is_worded_as_a_binding_promise(letters):
    promesse, offre = docx_text(letters["promesse"]["docx"]), docx_text(letters["fr"]["docx"])
    assert missing(["Objet : promesse unilatérale de contrat de travail",
                    "constitue une promesse unilatérale de contrat de travail",
                    "Jusqu’à cette date, nous ne pouvons pas la retirer.",
                    "Contrat à durée déterminée (CDD) — jusqu’au 31 août 2027", "1 mois",
                    "Motif du recours au CDD Remplacement d’un salarié absent"], promesse) == []
    assert "promesse" not in offre and "cette offre deviendra caduque" in offre


def test_french_role_in_english_formats_euros_the_english_way(letters):
    text = docx_text(letters["fr-role-in-english"]["docx"])
    assert "€85,000 per year" in text and "February 1, 2027" in text
