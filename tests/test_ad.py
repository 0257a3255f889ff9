"""Job ads ready to publish: schema.org JobPosting JSON-LD, Markdown, inclusive title, PDF/DOCX content."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from kitgen.commands import open_project
from kitgen.documents.context import AdOptions
from kitgen.documents.formatting import format_date, format_money
from kitgen.documents.htmltree import page_text
from kitgen.documents.jobposting import employment_type
from kitgen.documents.render import render_ad
from kitgen.formats import get
from tests.support import (
    ROOT,
    docx_text,
    expected_strings,
    french_only,
    missing,
    pdf_text,
    squash,
)

POSTED = dt.date(2026, 3, 2)
REQUIRED = ("title", "description", "datePosted", "hiringOrganization", "jobLocation")
RECOMMENDED = ("baseSalary", "employmentType", "validThrough", "identifier", "directApply")
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^>]*)?>")
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
# Sample figures: directeur-ecommerce is ±10 % around market points (junior Régions 69 500 to
# senior Paris 150 000); backend-engineer mixes explicit ranges and points.
EXPECTED = {
    "directeur-ecommerce": {"min": 62550, "max": 165000, "currency": "EUR", "country": "FR", "locale": "fr_FR",
                            "places": ["Paris", "Grandes villes", "Régions"]},
    "backend-engineer": {"min": 94500, "max": 240000, "currency": "USD", "country": "US", "locale": "en_US",
                         "places": ["New York", "Austin"]},
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ads") / "project"
    shutil.copytree(ROOT / "roles", root / "roles")
    shutil.copy(ROOT / "company.yaml", root / "company.yaml")
    return root


@pytest.fixture(scope="module")
def ads(sample: Path) -> dict:
    """Both sample ads, rendered once, posted on a fixed date."""
    project = open_project(sample)
    return {role.id: render_ad(role, project.company, AdOptions(date_posted=POSTED), project.templates_dir,
                               None, project.root)
            for _, role in project.load_roles()}


def jsonld(doc) -> dict:
    return json.loads(get("jsonld").render(doc))


def write_role(project: Path, name: str, **changes) -> None:
    """A copy of the French sample role with some keys changed, as roles/<name>.yaml."""
    data = french_only(yaml.safe_load((ROOT / "roles" / "directeur-ecommerce.yaml").read_text(encoding="utf-8")))
    data.update(changes)
    (project / "roles" / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


# -- JSON-LD -----------------------------------------------------------------------------------

@pytest.mark.parametrize("role_id", sorted(EXPECTED))
def test_jsonld_has_every_required_and_recommended_property(ads, role_id):
    data = jsonld(ads[role_id])
    want = EXPECTED[role_id]
    assert data["@context"] == "https://schema.org/" and data["@type"] == "JobPosting"
    assert [key for key in REQUIRED + RECOMMENDED if key not in data] == []
    assert data["title"] == ads[role_id].context["role"]["display_title"]
    assert dt.date.fromisoformat(data["datePosted"]) == POSTED
    assert dt.date.fromisoformat(data["validThrough"]) == POSTED + dt.timedelta(days=60)
    assert data["identifier"] == {"@type": "PropertyValue", "name": "Petits Pas", "value": role_id}
    assert data["hiringOrganization"] == {"@type": "Organization", "name": "Petits Pas SAS",
                                          "sameAs": "https://www.petitspas.example"}
    assert data["employmentType"] == "FULL_TIME"
    assert data["directApply"] is True
    places = data["jobLocation"]
    assert [p["address"]["addressLocality"] for p in places] == want["places"]
    assert {(p["@type"], p["address"]["@type"], p["address"]["addressCountry"]) for p in places} == {
        ("Place", "PostalAddress", want["country"])}


@pytest.mark.parametrize("role_id", sorted(EXPECTED))
def test_jsonld_salary_is_a_closed_range_of_numbers(ads, role_id):
    salary = jsonld(ads[role_id])["baseSalary"]
    want = EXPECTED[role_id]
    assert salary == {"@type": "MonetaryAmount", "currency": want["currency"],
                      "value": {"@type": "QuantitativeValue", "minValue": want["min"], "maxValue": want["max"],
                                "unitText": "YEAR"}}
    assert all(type(salary["value"][k]) in (int, float) for k in ("minValue", "maxValue"))


def test_jsonld_remote_location_is_telecommute_in_its_country(ads):
    data = jsonld(ads["backend-engineer"])
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == [{"@type": "Country", "name": "US"}]


def test_jsonld_description_is_the_pages_role_missions_and_profile(ads):
    doc = ads["directeur-ecommerce"]
    description = jsonld(doc)["description"]
    role = doc.context["role"]
    assert description.startswith("<h2>Le poste</h2><p>" + role["summary"][:40])
    assert [m for m in role["missions"] if f"<li>{m}</li>" not in description] == []
    assert [q for q in role["qualities"] if f"<li>{q}</li>" not in description] == []
    assert "<strong>Formation\u00a0:</strong> Bac+5" in description
    assert set(re.findall(r"</?(\w+)", description)) <= {"h2", "p", "ul", "li", "strong"}


@pytest.mark.parametrize("role_id", sorted(EXPECTED))
def test_html_embeds_the_same_jsonld_and_shows_all_of_it(ads, role_id):
    doc = ads[role_id]
    page = get("html").render(doc).decode("utf-8")
    data = jsonld(doc)
    assert [json.loads(s) for s in SCRIPT.findall(page)] == [data]
    text = squash(page_text(page))
    locale = EXPECTED[role_id]["locale"]
    salary = data["baseSalary"]["value"]
    shown = [data["title"], data["hiringOrganization"]["name"], data["hiringOrganization"]["sameAs"],
             data["identifier"]["value"], format_date(data["datePosted"], locale),
             format_date(data["validThrough"], locale), *[p["address"]["addressLocality"] for p in data["jobLocation"]],
             format_money(salary["minValue"], data["baseSalary"]["currency"], locale),
             format_money(salary["maxValue"], data["baseSalary"]["currency"], locale)]
    shown += [re.sub(r"<[^>]+>", "", part) for part in re.split(r"</(?:p|li|h2)>", data["description"]) if part]
    assert [s for s in shown if squash(s) not in text] == []


def test_jsonld_in_html_cannot_end_its_script(project, cli):
    write_role(project, "evil", title="Chef </script><script>alert(1)</script> ou cheffe", title_feminine=None)
    result = cli("ad", "evil", "-f", "html,jsonld")
    assert result.exit_code == 0, result.output
    page = (project / "output" / "evil" / "job-ad.html").read_text(encoding="utf-8")
    assert page.count("</script>") == 1  # the JSON-LD's own end tag, nothing from the title
    (script,) = SCRIPT.findall(page)
    assert "<" not in script and json.loads(script)["title"] == "Chef </script><script>alert(1)</script> ou cheffe"


def test_no_salary_leaves_out_the_salary_everywhere(project, cli):
    result = cli("ad", "directeur-ecommerce", "--no-salary", "-f", "jsonld,md")
    assert result.exit_code == 0, result.output
    assert "warning: the ad shows no salary range: `kitgen lint --no-salary` reports it as an error" in result.stderr
    out = project / "output" / "directeur-ecommerce"
    assert "baseSalary" not in json.loads((out / "job-ad.jsonld").read_text(encoding="utf-8"))
    assert "Rémunération" not in (out / "job-ad.md").read_text(encoding="utf-8")


def test_one_level_and_place_give_that_band_and_one_place(project, cli):
    result = cli("ad", "directeur-ecommerce", "--level", "senior", "--location", "Paris",
                 "--valid-through", "2027-01-31", "-f", "jsonld")
    assert result.exit_code == 0, result.output
    data = json.loads((project / "output" / "directeur-ecommerce" / "job-ad-paris-senior.jsonld").read_text())
    assert (data["baseSalary"]["value"]["minValue"], data["baseSalary"]["value"]["maxValue"]) == (135000, 165000)
    assert data["jobLocation"]["address"]["addressLocality"] == "Paris"
    assert data["validThrough"] == "2027-01-31"


def test_valid_through_before_the_posting_date_is_a_usage_error(cli):
    result = cli("ad", "directeur-ecommerce", "--valid-through", "2000-01-01", "-f", "jsonld")
    assert result.exit_code == 2
    assert "'--valid-through': 2000-01-01 is before the date posted" in result.output


@pytest.mark.parametrize("contract, expected", [
    ("CDI", "FULL_TIME"), ("CDD", "TEMPORARY"), ("Full-time, permanent", "FULL_TIME"),
    ("CDI à temps partiel", "PART_TIME"), ("Stage", "INTERN"), ("CDD, temps plein", ["FULL_TIME", "TEMPORARY"]),
    ("Intérim", "TEMPORARY"), ("Mission de conseil", "OTHER"),
])
def test_contract_types_map_to_schema_org_employment_types(contract, expected):
    assert employment_type(contract) == expected


# -- Markdown ----------------------------------------------------------------------------------

@pytest.mark.parametrize("role_id", sorted(EXPECTED))
def test_markdown_has_every_mission_and_skill_and_no_html(ads, role_id):
    doc = ads[role_id]
    text = get("md").render(doc).decode("utf-8")
    ad, role = doc.context["ad"], doc.context["role"]
    assert text.startswith(f"# {role['display_title']}\n\n")
    assert [m for m in role["missions"] if f"\n- {m}\n" not in text] == []
    assert [s["name"] for s in ad["skills"] if f"\n### {s['name']}\n" not in text] == []
    colon = "\u00a0:" if doc.lang == "fr" else ":"
    expectations = [f"**{item['level']}{colon}** {item['text']}"
                    for skill in ad["skills"] for item in skill["by_level"]]
    assert [e for e in expectations if e not in text] == []
    assert HTML_TAG.search(text) is None


def test_markdown_shows_user_text_literally(project, cli):
    write_role(project, "chars", summary="R&D <Lab> *star* _x_ [y](z) `code` &amp; snake_case",
               missions=["1. first", "# not a heading", "- not a nested list"])
    result = cli("ad", "chars", "-f", "md")
    assert result.exit_code == 0, result.output
    text = (project / "output" / "chars" / "job-ad.md").read_text(encoding="utf-8")
    assert "R&D \\<Lab\\> \\*star\\* \\_x\\_ \\[y\\](z) \\`code\\` \\&amp; snake_case" in text
    assert "- 1\\. first\n- \\# not a heading\n- \\- not a nested list\n" in text
    assert HTML_TAG.search(text.replace("\\<", "")) is None


# -- the page ----------------------------------------------------------------------------------

def test_french_ad_shows_both_forms_of_the_title(project, cli):
    write_role(project, "directeur-seul", title="Directeur e-commerce", title_feminine="Directrice e-commerce")
    result = cli("ad", "directeur-seul", "-f", "md")
    assert result.exit_code == 0, result.output
    text = (project / "output" / "directeur-seul" / "job-ad.md").read_text(encoding="utf-8")
    assert text.startswith("# Directeur e-commerce ou Directrice e-commerce\n")


@pytest.mark.parametrize("role_id, fmt", [("directeur-ecommerce", "pdf"), ("directeur-ecommerce", "docx"),
                                          ("backend-engineer", "docx")])  # one PDF: the slow format, same HTML
def test_pdf_and_docx_show_the_title_salary_range_and_every_role_string(ads, tmp_path, role_id, fmt):
    doc = ads[role_id]
    path = tmp_path / f"ad.{fmt}"
    path.write_bytes(get(fmt).render(doc))
    text = pdf_text(path) if fmt == "pdf" else docx_text(path)
    want = EXPECTED[role_id]
    salary = [format_money(want[k], want["currency"], want["locale"]) for k in ("min", "max")]
    assert missing([*expected_strings(doc), f"{salary[0]} – {salary[1]}"], text) == []
