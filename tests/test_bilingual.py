"""Issue 16, bilingual from one source: a role and a company file whose texts are {fr, en}
mappings are validated, built in both languages (PDF, DOCX, HTML, Markdown, JSON-LD), and every
document read back holds the texts of its language that it shows and none of the other
language's; each missing or wrong translation is reported with its file:line:column and path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kitgen.cli import main
from kitgen.sources.model import Company, Role
from kitgen.sources.texts import slots
from tests.support import ROOT, docx_text, french_only, missing, pdf_text, squash

FIXTURE = ROOT / "tests/fixtures/bilingual"
ROLE = "responsable-logistique"


def run(root: Path, *args: str):
    return CliRunner().invoke(main, ["-C", str(root), *args], catch_exceptions=False)


def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path, dirs_exist_ok=True)
    return tmp_path


def text_pairs() -> list[dict[str, str]]:
    """Every {fr, en} text of the fixture's role and company files."""
    pairs = []
    for model, path in ((Role, FIXTURE / "roles" / f"{ROLE}.yaml"), (Company, FIXTURE / "company.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        pairs += [value for _, value, *_ in slots(model, data) if isinstance(value, dict)]
    return pairs


def other_language_texts(lang: str) -> list[str]:
    """The other language's texts, those that differ from this language's."""
    return [pair[other] for pair in text_pairs() for other in pair if other != lang and pair[other] != pair[lang]]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = project(tmp_path_factory.mktemp("bilingual"))
    result = run(root, "build", "-f", "pdf,docx,html,md,jsonld")
    assert result.exit_code == 0, result.output
    offer = ("offer", ROLE, "--candidate", "Camille Durand", "--level", "senior", "--location", "Lyon",
             "--salary", "50000", "--start-date", "2031-03-01", "-f", "pdf,docx")
    for lang in ("fr", "en"):
        result = run(root, *offer, "--lang", lang)
        assert result.exit_code == 0, result.output
    return root / "output" / ROLE


def test_validate_accepts_the_bilingual_files(tmp_path):
    result = run(project(tmp_path), "validate")
    assert result.exit_code == 0, result.output


def test_build_writes_every_document_in_both_languages_the_primary_one_under_the_usual_names(built):
    names = sorted(path.name for path in built.iterdir())
    for stem in ("job-ad", "interview-kit-junior", "interview-kit-senior"):
        for tag in ("", ".en"):
            assert {f"{stem}{tag}.pdf", f"{stem}{tag}.docx", f"{stem}{tag}.html"} <= set(names), names
    assert {"job-ad.md", "job-ad.en.md", "job-ad.jsonld", "job-ad.en.jsonld"} <= set(names)
    assert {"offer-camille-durand.pdf", "offer-camille-durand.en.pdf"} <= set(names)


DOCUMENTS = [(stem, lang) for stem in ("job-ad", "interview-kit-senior", "offer-camille-durand")
             for lang in ("fr", "en")]


def shown_texts(built: Path, stem: str, lang: str) -> list[str]:
    """The texts of `lang` that the document shows, read from its HTML (the single source)."""
    from kitgen.documents.htmltree import page_text

    html = page_text((built / f"{stem}{'' if lang == 'fr' else '.en'}.html").read_text(encoding="utf-8")) \
        if (built / f"{stem}.html").exists() else None
    texts = [pair[lang] for pair in text_pairs()]
    if html is None:  # the offer letter is written as PDF and DOCX only: its PDF is the reference
        return texts
    page = squash(html)
    return [text for text in texts if squash(text) in page]


@pytest.mark.parametrize("stem, lang", DOCUMENTS, ids=[f"{s}-{lang}" for s, lang in DOCUMENTS])
def test_each_document_speaks_one_language(built, stem, lang):
    name = f"{stem}{'' if lang == 'fr' else '.en'}"
    pdf, docx = pdf_text(built / f"{name}.pdf"), docx_text(built / f"{name}.docx")
    shown = shown_texts(built, stem, lang)
    expected = {"job-ad": ["Responsable logistique", "Négocier les tarifs avec les transporteurs régionaux.",
                           "Vélo de fonction électrique"],
                "interview-kit-senior": ["Racontez la pire semaine de soldes que vous ayez vécue.",
                                         "Le quai saturé", "Fait grandir les chefs d’équipe."],
                "offer-camille-durand": ["Directrice générale", "3 mois, renouvelable une fois",
                                         "Prime d’intéressement annuelle"]}[stem]
    if lang == "en":
        by_fr = {pair["fr"]: pair["en"] for pair in text_pairs()}
        expected = [by_fr[text] for text in expected]
    if stem != "offer-camille-durand":
        assert set(expected) <= set(shown), "the HTML misses a text it must show"
        assert missing(shown, pdf) == [] and missing(shown, docx) == []
    assert missing(expected, pdf) == [] and missing(expected, docx) == []
    for text in (pdf, docx):
        haystack = squash(text)
        assert [t for t in other_language_texts(lang) if squash(t) in haystack] == []


def test_the_english_kit_names_each_questions_competency_in_english(built):
    text = squash(pdf_text(built / "interview-kit-senior.en.pdf"))
    assert squash("Flow management") in text and squash("Pilotage des flux") not in text


def test_markdown_and_json_ld_follow_the_ads_language(built):
    posting = json.loads((built / "job-ad.en.jsonld").read_text(encoding="utf-8"))
    assert posting["inLanguage"] == "en" and posting["title"] == "Logistics Manager"
    assert json.loads((built / "job-ad.jsonld").read_text(encoding="utf-8"))["inLanguage"] == "fr"
    markdown = (built / "job-ad.en.md").read_text(encoding="utf-8")
    assert "Plan picking rounds around order peaks." in markdown and "Organiser les tournées" not in markdown


def test_a_rebuild_builds_nothing_and_a_french_only_change_rebuilds_only_the_french_ones(tmp_path):
    root = project(tmp_path)
    assert run(root, "build", "-f", "pdf").exit_code == 0
    again = run(root, "build", "-f", "pdf")
    assert "0 built" in again.output or "up to date" in again.output, again.output
    role = root / "roles" / f"{ROLE}.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("Sang-froid pendant les soldes.",
                                                             "Calme pendant les soldes."), encoding="utf-8")
    changed = run(root, "build", "-f", "pdf")
    assert changed.exit_code == 0, changed.output
    text = squash(pdf_text(root / "output" / ROLE / "job-ad.pdf"))
    assert squash("Calme pendant les soldes.") in text


def test_a_role_without_english_renders_english_labels_french_content_and_says_so(tmp_path):
    root = project(tmp_path)
    shutil.copy(ROOT / "roles/directeur-ecommerce.yaml", root / "roles/directeur-ecommerce.yaml")
    text = (root / "roles/directeur-ecommerce.yaml").read_text(encoding="utf-8")
    (root / "roles/directeur-ecommerce.yaml").write_text(yaml.safe_dump(french_only(yaml.safe_load(text)),
                                                                         allow_unicode=True), encoding="utf-8")
    result = run(root, "ad", "directeur-ecommerce", "--lang", "en", "-f", "pdf")
    assert result.exit_code == 0, result.output
    assert "the role has no en texts" in result.output
    assert (root / "output/directeur-ecommerce/job-ad.en.pdf").is_file()


# -- bad input ---------------------------------------------------------------------------------

def problems(tmp_path: Path, old: str, new: str, file: str = f"roles/{ROLE}.yaml") -> list[str]:
    root = project(tmp_path)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run(root, "validate")
    assert result.exit_code == 1, result.output
    assert not (root / "output").exists()
    return result.output.splitlines()


def test_a_missing_translation_names_its_place_and_the_language(tmp_path):
    found = problems(tmp_path, "    en: Negotiate rates with regional carriers.\n", "")
    assert any(f"roles/{ROLE}.yaml:17:5: missions[1]: no \"en\" text (languages: fr, en)" in line
               for line in found), found


def test_a_plain_string_in_a_bilingual_role_lacks_the_other_languages(tmp_path):
    found = problems(tmp_path, "qualities:\n  - fr: Sang-froid pendant les soldes.\n    en: Calm under pressure during the sales.\n",
                     "qualities:\n  - Sang-froid pendant les soldes.\n")
    assert any(f"roles/{ROLE}.yaml:20:5: qualities[0]: no \"en\" text (languages: fr, en)" in line
               for line in found), found


def test_every_missing_translation_is_reported_at_once(tmp_path):
    root = project(tmp_path)
    path = root / "roles" / f"{ROLE}.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(", en: Entry level}", "}").replace(", en: Grows the team leaders.}", "}")
    path.write_text(text, encoding="utf-8")
    result = run(root, "validate")
    assert result.exit_code == 1
    assert f"roles/{ROLE}.yaml:24:11: levels[0].name: no \"en\" text (languages: fr, en)" in result.output
    assert (f"roles/{ROLE}.yaml:37:15: competencies[1].expectations.senior: no \"en\" text (languages: fr, en)"
            in result.output)


def test_an_undeclared_language_and_an_unknown_one_are_errors(tmp_path):
    found = problems(tmp_path, "  en: Logistics Manager\n", "  en: Logistics Manager\n  de: Logistikleiter\n")
    assert any(f"roles/{ROLE}.yaml:8:3: title.de: unknown language 'de' (kitgen speaks: fr, en)" in line
               for line in found), found
    found = problems(tmp_path / "2", "languages: [fr, en]", "languages: [fr]")
    assert any(f"roles/{ROLE}.yaml:7:3: title.en: language 'en' is not declared (languages: fr)" in line
               for line in found), found


def test_an_empty_text_in_one_language_is_an_error_not_a_fallback(tmp_path):
    found = problems(tmp_path, "en: Logistics Manager", "en: ''")
    assert any(f"roles/{ROLE}.yaml:7:7: title.en: the \"en\" text is empty" in line for line in found), found


def test_a_mapping_of_languages_where_a_list_is_expected(tmp_path):
    old = ("missions:\n  - fr: Organiser les tournées de préparation selon les pics de commandes.\n"
           "    en: Plan picking rounds around order peaks.\n  - fr: Négocier les tarifs avec les transporteurs "
           "régionaux.\n    en: Negotiate rates with regional carriers.\n")
    found = problems(tmp_path, old, "missions:\n  fr: [Organiser les tournées.]\n  en: [Plan picking rounds.]\n")
    assert any(f"roles/{ROLE}.yaml:15:3: missions: expected a list, got a mapping of languages" in line
               for line in found), found


def test_languages_must_hold_the_primary_language_and_known_codes(tmp_path):
    found = problems(tmp_path, "languages: [fr, en]", "languages: [en, de]")
    assert any("languages: does not hold the primary language 'fr'" in line for line in found), found
    assert any("languages[1]: unknown language 'de'" in line for line in found), found


def test_a_company_text_lacking_a_language_a_role_needs(tmp_path):
    found = problems(tmp_path, "    en: Company electric bike\n", "", file="company.yaml")
    assert any('company.yaml:16:5: benefits[1]: no "en" text, which a document in en needs' in line
               for line in found), found


def test_a_candidates_file_chooses_each_letters_language(tmp_path):
    root = project(tmp_path)
    (root / "candidats.csv").write_text(
        "name,role,level,location,salary,start_date,lang\n"
        f"Camille Durand,{ROLE},senior,Lyon,50000,2031-03-01,fr\n"
        f"Jordan Lee,{ROLE},junior,Lyon,35000,2031-03-01,en\n"
        f"Alex Martin,{ROLE},junior,Lyon,35000,2031-03-01,\n", encoding="utf-8")
    result = run(root, "offers", str(root / "candidats.csv"), "-f", "pdf,docx", "--lang", "en")
    assert result.exit_code == 0, result.output
    out = root / "output" / ROLE
    assert {p.name for p in out.glob("offer-*.pdf")} == {"offer-camille-durand.pdf", "offer-jordan-lee.en.pdf",
                                                        "offer-alex-martin.en.pdf"}  # no lang: --lang
    french, english = squash(pdf_text(out / "offer-camille-durand.pdf")), squash(pdf_text(out / "offer-jordan-lee.en.pdf"))
    assert squash("3 mois, renouvelable une fois") in french and squash("3 months, renewable once") in english
    assert squash("Directrice générale") in french and squash("Managing Director") in english
    assert squash("Directrice générale") not in english
    docx = squash(docx_text(out / "offer-jordan-lee.en.docx"))
    assert squash("Yearly profit-sharing bonus") in docx and squash("Prime d’intéressement annuelle") not in docx


def test_an_unknown_language_in_a_candidates_file_names_the_row(tmp_path):
    root = project(tmp_path)
    (root / "candidats.csv").write_text(
        "name,role,level,location,salary,start_date,lang\n"
        f"Camille Durand,{ROLE},senior,Lyon,50000,2031-03-01,de\n", encoding="utf-8")
    result = run(root, "offers", str(root / "candidats.csv"), "-f", "pdf")
    assert result.exit_code == 1
    assert "candidats.csv:2: lang: unknown language 'de' (kitgen speaks: fr, en)" in result.output
    assert not (root / "output" / ROLE).exists()


# -- found in review -----------------------------------------------------------------------------

def test_a_translated_reference_is_a_clear_error_not_a_crash(tmp_path):
    found = problems(tmp_path, "      competency: Pilotage des flux\n",
                     "      competency: {fr: Pilotage des flux, en: Flow management}\n")
    assert any("interview.questions[0].competency: expected text, got a mapping" in line for line in found), found


def test_a_name_given_twice_in_one_language_only_is_an_error(tmp_path):
    found = problems(tmp_path, "name: {fr: Animation d’équipe, en: Team leadership}",
                     "name: {fr: Animation d’équipe, en: Flow management}")
    assert any("competencies[1].name: competency 'Flow management' is given twice" in line for line in found), found


def test_a_plain_contract_text_needs_its_translation_a_code_does_not(tmp_path):
    found = problems(tmp_path, "contract_type: CDI", "contract_type: CDI à temps partiel")
    assert any('contract_type: no "en" text (languages: fr, en)' in line for line in found), found


def test_a_company_text_given_in_another_language_only_is_never_shown_instead(tmp_path):
    root = project(tmp_path)
    path = root / "company.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - fr: Vélo de fonction électrique\n", "  - "),
                    encoding="utf-8")
    result = run(root, "ad", ROLE, "-f", "html")
    assert result.exit_code == 1
    assert 'company.yaml:16:9: benefits[1]: no "fr" text, which a document in fr needs' in result.output
    assert not (root / "output").exists()


def test_offers_report_a_company_text_missing_in_a_rows_language_and_write_the_others(tmp_path):
    root = project(tmp_path)
    path = root / "company.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  en: 3 months, renewable once\n", ""),
                    encoding="utf-8")
    (root / "c.csv").write_text("name,role,level,location,salary,start_date,lang\n"
                                f"Camille Durand,{ROLE},senior,Lyon,50000,2031-03-01,FR\n"
                                f"Jordan Lee,{ROLE},junior,Lyon,35000,2031-03-01,en\n", encoding="utf-8")
    result = run(root, "offers", str(root / "c.csv"), "-f", "html")
    assert result.exit_code == 1
    assert 'c.csv:3: lang: en: company.yaml:' in result.output and 'trial_period: no "en" text' in result.output
    assert [p.name for p in (root / "output" / ROLE).glob("offer-*")] == ["offer-camille-durand.html"]


def test_a_namesakes_letter_keeps_the_language_tag_last(tmp_path):
    root = project(tmp_path)
    (root / "c.csv").write_text("name,role,level,location,salary,start_date,lang\n"
                                f"Élodie Morel,{ROLE},junior,Lyon,35000,2031-03-01,en\n"
                                f"Elodie Morel,{ROLE},junior,Lyon,35000,2031-03-01,en\n", encoding="utf-8")
    assert run(root, "offers", str(root / "c.csv"), "-f", "html").exit_code == 0
    assert sorted(p.name for p in (root / "output" / ROLE).glob("offer-*")) == [
        "offer-elodie-morel-2.en.html", "offer-elodie-morel.en.html"]


def test_kit_options_name_levels_and_competencies_in_the_primary_language(tmp_path):
    root = project(tmp_path)
    result = run(root, "kit", ROLE, "--level", "Expérimenté", "--competency", "Pilotage des flux", "--lang", "en",
                 "-f", "html")
    assert result.exit_code == 0, result.output
    text = (root / "output" / ROLE / "interview-kit-senior.en.html").read_text(encoding="utf-8")
    assert "Tell us about the worst sales week you have been through." in text  # Flow management's question
    assert "How do you welcome a temporary worker" not in text  # Team leadership's


def test_clean_removes_the_documents_of_a_language_the_role_no_longer_has(tmp_path):
    root = project(tmp_path)
    assert run(root, "build", "-f", "html").exit_code == 0
    path = root / "roles" / f"{ROLE}.yaml"
    path.write_text(yaml.safe_dump(french_only(yaml.safe_load(path.read_text(encoding="utf-8"))), allow_unicode=True),
                    encoding="utf-8")
    result = run(root, "build", "-f", "html", "--clean", "--yes")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (root / "output" / ROLE).glob("*.en.*")) == []


def test_two_loads_of_a_file_compare_equal():
    from kitgen.sources.loading import load_role

    path = FIXTURE / "roles" / f"{ROLE}.yaml"
    assert load_role(path) == load_role(path)
