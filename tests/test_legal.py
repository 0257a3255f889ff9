"""Issue 17 (first part): the offer letter follows the law of the place of work. A location may
name its country (`{name: Austin, country: US}`; a plain name is in the company's country); the
letter takes its legal content from that country's pack (templates/legal/<cc>.html.j2): France as
before, the United States (employment at will, the FLSA line, no trial period, no collective
agreement), any other country a neutral letter with a warning naming it. A project adds a pack by
adding a template."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from kitgen.cli import main
from tests.support import ROOT, docx_text, pdf_text, squash

FIXTURE = ROOT / "tests/fixtures/bilingual"
ROLE = "responsable-logistique"
OFFER = ("offer", ROLE, "--candidate", "Camille Durand", "--level", "senior", "--salary", "50000",
         "--start-date", "2031-03-01", "-f", "pdf,docx")
FRENCH_PACK = ["Période d’essai", "Trial period", "convention collective", "collective agreement", "CDI",
               "lu et approuvé", "read and approved", "caduque", "lapse"]
US_PACK = ["at will", "at-will", "FLSA", "Fair Labor Standards Act"]


def run(root: Path, *args: str):
    return CliRunner().invoke(main, ["-C", str(root), *args], catch_exceptions=False)


def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path, dirs_exist_ok=True)
    role = tmp_path / "roles" / f"{ROLE}.yaml"
    text = role.read_text(encoding="utf-8")
    text = text.replace("  locations: [Lyon]\n", "  locations: [Lyon, {name: Austin, country: US}, {name: Berlin, country: DE}]\n")
    text = text.replace("    junior: {Lyon: [32000, 38000]}\n    senior: {Lyon: [45000, 55000]}\n",
                        "    junior: {Lyon: [32000, 38000], Austin: [60000, 70000], Berlin: [40000, 48000]}\n"
                        "    senior: {Lyon: [45000, 55000], Austin: [45000, 90000], Berlin: [45000, 60000]}\n")
    text = text.replace("  - id: senior\n", "  - id: senior\n    flsa: exempt\n")
    role.write_text(text, encoding="utf-8")
    return tmp_path


def letter(root: Path, location: str, lang: str = "en") -> tuple[str, str, str]:
    result = run(root, *OFFER, "--location", location, "--lang", lang)
    assert result.exit_code == 0, result.output
    stem = f"offer-camille-durand{'' if lang == 'fr' else '.' + lang}"
    folder = root / "output" / ROLE
    return result.output, pdf_text(folder / f"{stem}.pdf"), docx_text(folder / f"{stem}.docx")


def has(text: str, phrase: str) -> bool:
    return squash(phrase).casefold() in squash(text).casefold()


def test_a_us_letter_is_at_will_with_its_flsa_line_and_nothing_of_the_french_pack(tmp_path):
    output, pdf, docx = letter(project(tmp_path), "Austin")
    for text in (pdf, docx):
        assert has(text, "Your employment with Atelier Lumen SAS will be at will")
        assert has(text, "FLSA classification") and has(text, "classified as exempt under the Fair Labor Standards Act")
        assert [word for word in FRENCH_PACK if has(text, word)] == []
    assert "no legal pack" not in output


def test_a_letter_for_a_country_without_a_pack_is_neutral_and_the_cli_says_so(tmp_path):
    output, pdf, docx = letter(project(tmp_path), "Berlin")
    assert "warning: no legal pack for DE: the letter states the job, the pay, the start date" in output
    for text in (pdf, docx):
        assert has(text, "Place of work") and has(text, "Berlin") and has(text, "Permanent")
        assert has(text, "The employment contract will set out all the terms of your employment.")
        assert [word for word in FRENCH_PACK + US_PACK if has(text, word)] == []


def test_a_french_place_of_work_keeps_the_french_pack(tmp_path):
    _, pdf, docx = letter(project(tmp_path), "Lyon", "fr")
    for text in (pdf, docx):
        assert has(text, "Période d’essai") and has(text, "3 mois, renouvelable une fois")
        assert has(text, "conformément à la convention collective applicable")
        assert [word for word in US_PACK if has(text, word)] == []


def test_a_promesse_outside_france_is_refused_naming_the_option(tmp_path):
    root = project(tmp_path)
    result = run(root, *OFFER, "--location", "Austin", "--kind", "promesse")
    assert result.exit_code == 2
    assert "a promesse d'embauche is a form of French law, and the place of work 'Austin' is in US" in result.output
    assert not (root / "output").exists()


def test_a_project_adds_a_pack_with_a_template(tmp_path):
    root = project(tmp_path)
    pack = (ROOT / "templates/legal/neutral.html.j2").read_text(encoding="utf-8")
    (root / "templates/legal").mkdir(parents=True)
    (root / "templates/legal/de.html.j2").write_text(pack.replace(
        "The employment contract will set out all the terms of your employment.", "Es gilt deutsches Arbeitsrecht."),
        encoding="utf-8")
    output, pdf, _ = letter(root, "Berlin")
    assert "no legal pack" not in output and has(pdf, "Es gilt deutsches Arbeitsrecht.")


def test_a_location_country_must_be_a_country_code(tmp_path):
    root = project(tmp_path)
    role = root / "roles" / f"{ROLE}.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("country: DE", "country: Germany"), encoding="utf-8")
    result = run(root, "validate")
    assert result.exit_code == 1
    assert ("salary.locations[2].country: expected a country code of two capital letters (FR, BE), got 'Germany'"
            in result.output)


# -- French letters: the collective agreement, the classification, the working time, the trial ----

def french_project(tmp_path: Path) -> Path:
    root = project(tmp_path)
    company = root / "company.yaml"
    company.write_text(company.read_text(encoding="utf-8") + (
        "collective_agreement: {idcc: 1486, name: Convention collective Syntec}\n"
        "trial_months: {cadre: 4, technicien: 3, employe: 2}\ntrial_renewable: true\n"), encoding="utf-8")
    role = root / "roles" / f"{ROLE}.yaml"
    text = role.read_text(encoding="utf-8")
    text = text.replace("  - id: junior\n", "  - id: junior\n    category: technicien\n"
                        "    classification: ETAM, position 2.2, coefficient 310\n"
                        "    working_time: {kind: hours, weekly_hours: 35}\n")
    text = text.replace("    flsa: exempt\n", "    flsa: exempt\n    category: cadre\n"
                        "    classification: Position 2.1, coefficient 115\n    minimum_salary: 48000\n"
                        "    working_time: {kind: days, days_per_year: 218}\n")
    role.write_text(text, encoding="utf-8")
    return root


def french_letter(root: Path, level: str, salary: str = "50000", *extra: str):
    result = run(root, "offer", ROLE, "--candidate", "Camille Durand", "--level", level, "--location", "Lyon",
                 "--salary", salary, "--start-date", "2031-03-01", "-f", "pdf,docx", *extra)
    return result


def test_a_french_cadre_on_a_forfait_in_days_with_its_collective_agreement(tmp_path):
    root = french_project(tmp_path)
    result = french_letter(root, "senior")
    assert result.exit_code == 0, result.output
    folder = root / "output" / ROLE
    for text in (pdf_text(folder / "offer-camille-durand.pdf"), docx_text(folder / "offer-camille-durand.docx")):
        for phrase in ("Convention collective", "Convention collective Syntec (IDCC 1486)", "Classification",
                       "Position 2.1, coefficient 115, statut cadre", "Durée du travail",
                       "forfait annuel de 218 jours travaillés", "Période d’essai",
                       "4 mois, renouvelable une fois pour la même durée"):
            assert has(text, phrase), phrase
        assert not has(text, "3 mois, renouvelable une fois")  # the company's free-text default gives way


def test_a_french_technicien_on_35_hours(tmp_path):
    root = french_project(tmp_path)
    result = french_letter(root, "junior", "35000")
    assert result.exit_code == 0, result.output
    text = pdf_text(root / "output" / ROLE / "offer-camille-durand.pdf")
    for phrase in ("ETAM, position 2.2, coefficient 310, statut technicien", "35 heures par semaine",
                   "3 mois, renouvelable une fois pour la même durée"):
        assert has(text, phrase), phrase


def test_a_forfait_in_days_for_a_technicien_is_a_warning(tmp_path):
    root = french_project(tmp_path)
    role = root / "roles" / f"{ROLE}.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("{kind: hours, weekly_hours: 35}",
                                                             "{kind: days, days_per_year: 218}"), encoding="utf-8")
    result = french_letter(root, "junior", "35000")
    assert result.exit_code == 0, result.output
    assert "a forfait of 218 days a year for the category technicien" in result.output


def test_a_company_trial_period_over_the_legal_cap_is_a_data_error(tmp_path):
    root = french_project(tmp_path)
    company = root / "company.yaml"
    company.write_text(company.read_text(encoding="utf-8").replace("{cadre: 4,", "{cadre: 5,"), encoding="utf-8")
    result = run(root, "validate")
    assert result.exit_code == 1
    assert ("company.yaml:22:23: trial_months.cadre: 5 months is more than the legal cap of 4 months for the "
            "category cadre (Code du travail L.1221-19)") in result.output


def test_a_trial_period_over_the_cap_is_refused_by_the_cli_and_in_a_csv_row(tmp_path):
    root = french_project(tmp_path)
    result = french_letter(root, "senior", "50000", "--trial-period", "5 mois")
    assert result.exit_code == 2
    assert "a trial period of 5 months is more than the legal cap of 4 months for the category cadre" in result.output
    assert not (root / "output").exists()
    (root / "c.csv").write_text("name,role,level,location,salary,start_date,trial_period\n"
                                f"Camille Durand,{ROLE},senior,Lyon,50000,2031-03-01,5\n"
                                f"Jordan Lee,{ROLE},junior,Lyon,35000,2031-03-01,\n", encoding="utf-8")
    result = run(root, "offers", str(root / "c.csv"), "-f", "html")
    assert result.exit_code == 1
    assert "c.csv:2: trial_period: a trial period of 5 months is more than the legal cap of 4 months" in result.output
    assert sorted(p.name for p in (root / "output" / ROLE).glob("offer-*")) == ["offer-jordan-lee.html"]


def test_a_salary_below_the_levels_minimum_is_refused_by_the_cli_and_in_a_csv_row(tmp_path):
    root = french_project(tmp_path)
    result = french_letter(root, "senior", "46000")
    assert result.exit_code == 1
    assert "is below the minimum salary of level 'Expérimenté'" in result.output
    assert not (root / "output").exists()
    (root / "c.csv").write_text("name,role,level,location,salary,start_date\n"
                                f"Camille Durand,{ROLE},senior,Lyon,46000,2031-03-01\n", encoding="utf-8")
    result = run(root, "offers", str(root / "c.csv"), "-f", "html")
    assert result.exit_code == 1
    assert "c.csv:2: salary: " in result.output and "below the minimum salary of level 'Expérimenté'" in result.output
    assert not (root / "output" / ROLE).exists()


# -- a French letter reads like one -------------------------------------------------------------

def test_the_civility_sets_the_salutation_and_the_closing_formula(tmp_path):
    root = project(tmp_path)
    cases = {("fr", "Madame"): ("Madame,", "Veuillez agréer, Madame, l’expression de nos salutations distinguées."),
             ("fr", "none"): ("Madame, Monsieur,",
                              "Veuillez agréer, Madame, Monsieur, l’expression de nos salutations distinguées."),
             ("en", "Monsieur"): ("Dear Mr Durand,", "Yours sincerely,"),
             ("en", "none"): ("Dear Camille Durand,", "Yours sincerely,")}
    for (lang, civility), (salutation, closing) in cases.items():
        result = run(root, *OFFER, "--location", "Lyon", "--lang", lang, "--civility", civility, "--force")
        assert result.exit_code == 0, result.output
        name = f"offer-camille-durand{'' if lang == 'fr' else '.en'}"
        for text in (pdf_text(root / "output" / ROLE / f"{name}.pdf"), docx_text(root / "output" / ROLE / f"{name}.docx")):
            assert salutation in text.splitlines() or has(text, salutation), (lang, civility, salutation)
            assert has(text, closing), (lang, civility)
            assert "Camille Durand," not in text or civility == "none"


def test_no_word_is_said_twice(tmp_path):
    _, pdf, docx = letter(project(tmp_path), "Lyon", "fr")
    for text in (pdf, docx):
        assert not has(text, "brut par an") and has(text, "Salaire brut")
    _, pdf, _ = letter(project(tmp_path / "en"), "Lyon", "en")
    assert not has(pdf, "level level") and has(pdf, "(level: Experienced)")


def test_a_civility_in_a_csv_row(tmp_path):
    root = project(tmp_path)
    (root / "c.csv").write_text("name,role,level,location,salary,start_date,civility\n"
                                f"Camille Durand,{ROLE},senior,Lyon,50000,2031-03-01,Madame\n"
                                f"Jordan Lee,{ROLE},junior,Lyon,35000,2031-03-01,Sir\n", encoding="utf-8")
    result = run(root, "offers", str(root / "c.csv"), "-f", "pdf")
    assert result.exit_code == 1
    assert "c.csv:3: civility: unknown civility 'Sir'" in result.output
    assert has(pdf_text(root / "output" / ROLE / "offer-camille-durand.pdf"), "Veuillez agréer, Madame,")


def test_variable_pay_and_total_target_pay_formatted_for_the_letters_language(tmp_path):
    NBSP, NNBSP = "\u00a0", "\u202f"  # Babel's French money: 5 000 €
    root = french_project(tmp_path)
    result = french_letter(root, "senior", "50000", "--variable", "10%")
    assert result.exit_code == 0, result.output
    folder = root / "output" / ROLE
    for text in (pdf_text(folder / "offer-camille-durand.pdf"), docx_text(folder / "offer-camille-durand.docx")):
        assert "Rémunération variable cible" in text and f"5{NNBSP}000{NBSP}€ par an" in text
        assert "Rémunération totale cible" in text and f"55{NNBSP}000{NBSP}€ par an" in text
    result = french_letter(root, "senior", "50000", "--variable", "4600", "--lang", "en")
    assert result.exit_code == 0, result.output
    text = pdf_text(folder / "offer-camille-durand.en.pdf")
    assert "€4,600 per year" in text and "€54,600 per year" in text


def test_a_bad_variable_pay_is_refused_by_the_cli_and_in_a_csv_row(tmp_path):
    root = french_project(tmp_path)
    result = french_letter(root, "senior", "50000", "--variable", "150%")
    assert result.exit_code == 2
    assert "'150%': a share of the salary is between 0 and 100 %" in result.output
    (root / "c.csv").write_text("name,role,level,location,salary,start_date,variable\n"
                                f"Camille Durand,{ROLE},senior,Lyon,50000,2031-03-01,dix pour cent\n", encoding="utf-8")
    result = run(root, "offers", str(root / "c.csv"), "-f", "html")
    assert result.exit_code == 1
    assert "c.csv:2: variable: 'dix pour cent' is not a number" in result.output


# -- a CDD: its end date or minimum duration, and its reason ---------------------------------------

REASON = "Remplacement de Mme Roy, cheffe d’équipe logistique, pendant son congé maternité"


def test_a_french_cdd_states_its_reason_and_its_minimum_duration(tmp_path):
    root = french_project(tmp_path)
    result = french_letter(root, "junior", "35000", "--contract", "CDD", "--min-duration", "6 months",
                           "--cdd-reason", REASON, "--trial-period", "2 semaines")
    assert result.exit_code == 0, result.output
    folder = root / "output" / ROLE
    for text in (pdf_text(folder / "offer-camille-durand.pdf"), docx_text(folder / "offer-camille-durand.docx")):
        for phrase in ("Contrat à durée déterminée (CDD) — d’une durée minimale de 6 mois",
                       "Motif du recours au CDD", REASON, "2 semaines"):
            assert has(text, phrase), phrase
        assert not has(text, "jusqu’au")  # no end date was given
    result = french_letter(root, "junior", "35000", "--contract", "CDD", "--min-duration", "3 semaines",
                           "--cdd-reason", "Replacing an absent team leader", "--lang", "en")
    assert result.exit_code == 0, result.output
    text = pdf_text(folder / "offer-camille-durand.en.pdf")
    assert has(text, "for a minimum duration of 3 weeks") and has(text, "Reason for the fixed term")


def test_a_french_cdd_without_its_reason_or_its_term_is_refused_by_the_cli_and_in_a_csv_row(tmp_path):
    root = french_project(tmp_path)
    cdd = ("--contract", "CDD")
    cases = [((*cdd, "--end-date", "2031-09-30"), 2, "cdd_reason: a CDD in France needs its reason"),
             ((*cdd, "--cdd-reason", REASON), 1, "end_date: a CDD needs an end date, or a minimum duration"),
             ((*cdd, "--cdd-reason", REASON, "--min-duration", "six mois"), 2, "'six mois' is not a duration"),
             ((*cdd, "--cdd-reason", REASON, "--min-duration", "6 mois", "--end-date", "2031-09-30"), 2,
              "a CDD has an end date (2031-09-30) or a minimum duration ('6 mois'), not both"),
             (("--cdd-reason", REASON), 2, "a CDI has no cdd reason")]
    for extra, code, message in cases:
        result = french_letter(root, "junior", "35000", *extra)
        assert result.exit_code == code, (extra, result.output)
        assert message.split(": ", 1)[-1] in result.output, (extra, result.output)
        assert not (root / "output").exists()
    (root / "c.csv").write_text(
        "name,role,level,location,salary,start_date,contract,end_date,min_duration,cdd_reason\n"
        f"Camille Durand,{ROLE},junior,Lyon,35000,2031-03-01,CDD,2031-09-30,,\n"
        f"Jordan Lee,{ROLE},junior,Lyon,35000,2031-03-01,CDD,,,\"{REASON}\"\n"
        f"Sam Roy,{ROLE},junior,Lyon,35000,2031-03-01,CDD,,6 moi,\"{REASON}\"\n"
        f"Zoé Brébant,{ROLE},junior,Lyon,35000,2031-03-01,CDD,,8 mois,\"{REASON}\"\n", encoding="utf-8")
    result = run(root, "offers", str(root / "c.csv"), "-f", "html")
    assert result.exit_code == 1
    assert "c.csv:2: cdd_reason: a CDD in France needs its reason, stated in the contract" in result.output
    assert "c.csv:3: end_date: a CDD needs an end date, or a minimum duration" in result.output
    assert "c.csv:4: min_duration: '6 moi' is not a duration" in result.output
    assert sorted(p.name for p in (root / "output" / ROLE).glob("offer-*")) == ["offer-zoe-brebant.html"]


def test_a_cdd_outside_france_may_go_without_a_reason(tmp_path):
    root = french_project(tmp_path)
    result = run(root, *OFFER, "--location", "Berlin", "--lang", "en", "--contract", "CDD", "--min-duration", "1 month")
    assert result.exit_code == 0, result.output
    text = pdf_text(root / "output" / ROLE / "offer-camille-durand.en.pdf")
    assert has(text, "Fixed-term, for a minimum duration of 1 month") and not has(text, "Reason for the fixed term")


# -- the kit's labels agree with the number of people they name ----------------------------------

def test_the_kit_names_one_interviewer_or_several_inclusively(tmp_path):
    root = project(tmp_path)
    folder = root / "output" / ROLE
    for names, label in ((["Sarah Benali"], "Recruteur ou recruteuse"),
                         (["Sarah Benali", "Marc Petit"], "Recruteurs ou recruteuses")):
        args = [arg for name in names for arg in ("--interviewer", name)]
        result = run(root, "kit", ROLE, "--level", "senior", "-f", "pdf", *args)
        assert result.exit_code == 0, result.output
        lines = pdf_text(folder / "interview-kit-senior.pdf").splitlines()
        assert any(line.split() == [*label.split(), *", ".join(names).split()] for line in lines), lines[:20]


def test_a_french_cdd_without_a_trial_period_gets_the_legal_one(tmp_path):
    """Code du travail L.1242-10: one day per week of contract, at most two weeks for six months or
    less, one month beyond; on the minimum duration when the CDD has no precise end."""
    root = french_project(tmp_path)
    folder = root / "output" / ROLE
    for term, expected in ((("--end-date", "2031-04-11"), "6 jours"),  # 6 weeks
                           (("--end-date", "2031-08-31"), "2 semaines"),  # 6 months: 26 days, capped
                           (("--end-date", "2031-11-30"), "1 mois"),  # 9 months: 39 days, capped
                           (("--min-duration", "10 semaines"), "10 jours"),
                           (("--min-duration", "7 mois"), "1 mois")):
        result = french_letter(root, "junior", "35000", "--contract", "CDD", "--cdd-reason", REASON, *term,
                               "--force", "-f", "pdf")
        assert result.exit_code == 0, result.output
        text = pdf_text(folder / "offer-camille-durand.pdf")
        assert has(text, f"Période d’essai {expected} (un jour par semaine de contrat, Code du travail L.1242-10)"), \
            (term, text)
