"""Issue 20, references: a name the role file, an option or a sheet gives is matched after folding
case, accents, apostrophes, quotes, dashes and spaces (kitgen.sources.values), the model and the
documents hold the role's own spelling, and a name that matches nothing gets the known ones and
"did you mean" for the closest, with an invisible difference named."""

from __future__ import annotations

from pathlib import Path

import pytest

from kitgen.sources.loading import load_role
from kitgen.sources.values import closest, folded, match, suggestion, unknown, unknown_key

# Line numbers of ROLE, which the expected messages below refer to.
ROLE = """\
lang: fr
title: Responsable d'équipe
summary: Anime une équipe.
missions: [Animer l'équipe]
levels:
  - {id: junior, name: Junior}
  - {id: confirme, name: Confirmé}
competencies:
  - name: Management d'équipe
    expectations: {junior: Anime une réunion, confirme: Anime une équipe}
  - name: Pilotage – flux
    expectations: {junior: Suit les flux, confirme: Pilote les flux}
interview:
  questions:
    - text: Racontez une réunion difficile.
      competency: Management d'équipe
  stages:
    - {id: rh, name: Entretien RH, competencies: [Management d'équipe, Pilotage – flux]}
salary:
  currency: EUR
  locations: [Paris, Grandes villes]
  bands:
    junior: {Paris: 40000, Grandes villes: 38000}
    confirme: {Paris: 50000}
"""


def write(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """ROLE with each (old, new) replaced (each `old` once), as roles/x.yaml of a fresh project."""
    text = ROLE
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (tmp_path / "roles").mkdir(exist_ok=True)
    path = tmp_path / "roles" / "x.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(cli, root: Path) -> list[str]:
    result = cli("validate", root=root)
    assert result.exit_code == 1, result.output
    return result.output.splitlines()


# -- the matcher ---------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["Management d’équipe", "management d‘equipe", "MANAGEMENT DʼÉQUIPE",
                                   "Management d`équipe", " Management\u00a0 d'équipe ", "Manage\u00adment d'équipe"])
def test_apostrophes_case_accents_spaces_and_invisible_characters_are_folded(typed):
    assert match(typed, ["Stratégie", "Management d'équipe"]) == "Management d'équipe"


@pytest.mark.parametrize("typed", ["Pilotage - flux", "Pilotage — flux", "pilotage ‑ flux", "Pilotage\u202f–\u202fflux"])
def test_dashes_are_folded(typed):
    assert folded(typed) == folded("Pilotage – flux") == "pilotage - flux"


def test_quotes_are_folded():
    assert match("Le “client”", ['Le "client"']) == match("Le «client»", ['Le "client"']) == 'Le "client"'


def test_the_closest_name_is_suggested_above_the_cutoff_only():
    assert closest("Confimé", ["junior", "confirme", "senior"]) == "confirme"
    assert closest("expert", ["junior", "confirme", "senior"]) is None
    assert unknown("level", "Confimé", ["junior", "confirme"]) == \
        "unknown level 'Confimé' (levels: junior, confirme): did you mean 'confirme'?"
    assert unknown("level", "expert", ["junior", "confirme"]) == "unknown level 'expert' (levels: junior, confirme)"


def test_a_suggestion_names_the_lookalike_characters_the_user_typed_otherwise():
    assert suggestion("Managment d’équipe", "Management d'équipe") == '"Management d\'équipe" (straight apostrophe)'
    assert suggestion("Managment d'équipe", "Management d’équipe") == "'Management d’équipe' (curly apostrophe ’)"
    assert suggestion("Pilotge - flux", "Pilotage – flux") == "'Pilotage – flux' (en dash –)"
    assert suggestion("Grandes vile", "Grandes\u00a0villes") == "'Grandes\\xa0villes' (non-breaking space)"
    assert suggestion("Managment d'équipe", "Management d'équipe") == '"Management d\'équipe"'


def test_unknown_keys_are_suggested_whatever_their_case():
    assert unknown_key("Titre", ["title", "lang"]) == "unknown key 'Titre' (did you mean 'title'?)"
    assert unknown_key("zzz", ["title", "lang"]) == "unknown key 'zzz' (known keys: title, lang)"
    assert unknown_key("TITLE", ["title", "lang"]) == "unknown key 'TITLE' (did you mean 'title'?)"
    assert unknown_key("titel", ["title", "lang"]) == "unknown key 'titel' (did you mean 'title'?)"


# -- role files: accepted, and held in the role's spelling -----------------------------------------

def test_lookalike_references_are_accepted_and_the_model_holds_the_roles_spelling(cli, tmp_path):
    path = write(tmp_path,
                 ("      competency: Management d'équipe", "      competency: Management d’équipe"),
                 ("competencies: [Management d'équipe, Pilotage – flux]", "competencies: [management d’equipe, Pilotage - Flux]"),
                 ("    confirme: {Paris: 50000}", "    Confirmé: {paris: 50000}"),
                 ("    junior: {Paris: 40000, Grandes villes: 38000}", "    JUNIOR: {Paris: 40000, grandes\u00a0villes: 38000}"),
                 ("{junior: Anime une réunion, confirme: Anime une équipe}",
                  "{Junior: Anime une réunion, CONFIRMÉ: Anime une équipe}"))
    result = cli("validate", root=tmp_path)
    assert (result.exit_code, result.output) == (0, "1 file valid\n")
    role = load_role(path)
    assert role.interview.questions[0].competency == "Management d'équipe"
    assert role.interview.stages[0].competencies == ["Management d'équipe", "Pilotage – flux"]
    assert role.salary.bands == {"junior": {"Paris": 40000, "Grandes villes": 38000}, "confirme": {"Paris": 50000}}
    assert role.competencies[0].expectations == {"junior": "Anime une réunion", "confirme": "Anime une équipe"}
    kit = cli("kit", "x", "--level", "Confirmé", "-f", "html", root=tmp_path)
    assert kit.exit_code == 0, kit.output
    html = (tmp_path / "output/x/interview-kit-confirme.html").read_text(encoding="utf-8")
    assert "Racontez une réunion difficile." in html  # grouped under its competency, not lost


CASES = {
    "a question's competency with a typo and a curly apostrophe": (
        [("      competency: Management d'équipe", "      competency: Managment d’équipe")],
        ["roles/x.yaml:16:19: interview.questions[0].competency: unknown competency 'Managment d’équipe' "
         "(competencies: Management d'équipe, Pilotage – flux): did you mean \"Management d'équipe\" "
         "(straight apostrophe)?"]),
    "a stage's competency with a typo and a hyphen": (
        [("[Management d'équipe, Pilotage – flux]", "[Management d'équipe, Pilotag - flux]")],
        ["roles/x.yaml:18:72: interview.stages[0].competencies[1]: unknown competency 'Pilotag - flux' "
         "(competencies: Management d'équipe, Pilotage – flux; or their ids: management-d-equipe, pilotage-flux): "
         "did you mean 'Pilotage – flux' (en dash –)?"]),
    "a band key close to a level id": (
        [("    confirme: {Paris: 50000}", "    confirmee: {Paris: 50000}")],
        ["roles/x.yaml:24:5: salary.bands.confirmee: band for unknown level 'confirmee' (levels: junior, confirme): "
         "did you mean 'confirme'?"]),
    "a band key close to a location": (
        [("    confirme: {Paris: 50000}", "    confirme: {Pari: 50000}")],
        ["roles/x.yaml:24:16: salary.bands.confirme.Pari: band for unknown location 'Pari' "
         "(locations: Paris, Grandes villes): did you mean 'Paris'?"]),
    "an expectation key close to a level id": (
        [("confirme: Anime une équipe}", "confirmé2: Anime une équipe}")],
        ["roles/x.yaml:10:19: competencies[0].expectations: no expectation for level 'confirme'",
         "roles/x.yaml:10:47: competencies[0].expectations.confirmé2: unknown level 'confirmé2' "
         "(levels: junior, confirme): did you mean 'confirme'?"]),
    "a level given twice under two spellings": (
        [("    confirme: {Paris: 50000}", "    confirme: {Paris: 50000}\n    Confirmé: {Paris: 51000}")],
        ["roles/x.yaml:25:5: salary.bands.Confirmé: 'Confirmé' is level 'confirme' again "
         "(already given as 'confirme')"]),
    "a location given twice under two spellings": (
        [("{Paris: 50000}", "{Paris: 50000, PARIS: 51000}")],
        ["roles/x.yaml:24:30: salary.bands.confirme.PARIS: 'PARIS' is location 'Paris' again "
         "(already given as 'Paris')"]),
    "an unknown name with nothing close": (
        [("      competency: Management d'équipe", "      competency: Cuisine")],
        ["roles/x.yaml:16:19: interview.questions[0].competency: unknown competency 'Cuisine' "
         "(competencies: Management d'équipe, Pilotage – flux)"]),
}


@pytest.mark.parametrize("name", CASES)
def test_an_unknown_reference_lists_the_known_ones_and_suggests_the_closest(cli, tmp_path, name):
    changes, lines = CASES[name]
    write(tmp_path, *changes)
    assert problems(cli, tmp_path) == [*lines, f"{len(lines)} problem{'s' if len(lines) != 1 else ''} found"]


# -- options and sheets go through the same matcher -------------------------------------------------

def test_a_misspelt_level_option_gets_did_you_mean(cli):
    result = cli("kit", "directeur-ecommerce", "--level", "Confimé", "-f", "html")
    assert result.exit_code == 2
    assert "Invalid value for '--level': unknown level 'Confimé' (levels: junior, confirme, senior): " \
           "did you mean 'confirme'?" in result.output


def test_a_misspelt_location_option_gets_did_you_mean(cli):
    result = cli("ad", "directeur-ecommerce", "--location", "Grande ville", "-f", "html")
    assert result.exit_code == 2
    assert "unknown location 'Grande ville' (locations: Paris, Grandes villes, Régions): did you mean " \
           "'Grandes villes'?" in result.output


def test_a_misspelt_competency_option_gets_did_you_mean(cli):
    result = cli("kit", "directeur-ecommerce", "--level", "confirme", "--competency", "Strategie e-comerce",
                 "-f", "html")
    assert result.exit_code == 2
    assert "did you mean 'Stratégie e-commerce'?" in result.output


def test_an_offer_level_with_a_typo_gets_did_you_mean(cli):
    result = cli("offer", "directeur-ecommerce", "--candidate", "Élodie Marchand", "--level", "Confirmée",
                 "--location", "Paris", "--salary", "85000", "--start-date", "2030-02-01", "-f", "html")
    assert result.exit_code == 2
    assert "unknown level 'Confirmée' (levels: junior, confirme, senior): did you mean 'confirme'?" in result.output


def test_a_help_command_name_with_a_typo_gets_did_you_mean(cli):
    result = cli("help", "offr")
    assert result.exit_code == 2
    assert "unknown command 'offr' (commands: ad, build," in result.output
    assert result.output.rstrip().endswith("did you mean 'offer'?")
