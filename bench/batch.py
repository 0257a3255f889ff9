"""The benchmark batch: a project of N varied role files generated from the two sample roles.

Each generated role gets its own id, a different title, its missions rotated and one mission left
out, so no two documents are the same; half are French, half English. Written under bench/work/
(git-ignored), never into roles/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work"
TITLES = {
    "fr": ["Responsable e-commerce", "Directeur ou directrice du digital", "Chef ou cheffe de projet web",
           "Responsable marketplace", "Directeur ou directrice omnicanal", "Responsable acquisition",
           "Directeur ou directrice de la vente en ligne", "Responsable CRM et fidélisation",
           "Responsable produit web", "Directeur ou directrice de la croissance"],
    "en": ["Platform Engineer", "Payments Engineer", "API Engineer", "Site Reliability Engineer",
           "Data Platform Engineer", "Search Engineer", "Checkout Engineer", "Integration Engineer",
           "Infrastructure Engineer", "Order Management Engineer"],
}
SAMPLES = ("directeur-ecommerce", "backend-engineer")


def make_project(count: int, work: Path = WORK) -> Path:
    """A fresh project folder with `count` role files and the sample company file; returns it."""
    project = work / "project"
    shutil.rmtree(project, ignore_errors=True)
    (project / "roles").mkdir(parents=True)
    shutil.copy(ROOT / "company.yaml", project / "company.yaml")
    samples = [yaml.safe_load((ROOT / "roles" / f"{name}.yaml").read_text(encoding="utf-8")) for name in SAMPLES]
    for index in range(count):
        role = vary(samples[index % len(samples)], SAMPLES[index % len(samples)], index)
        text = yaml.safe_dump(role, allow_unicode=True, sort_keys=False, width=100)
        (project / "roles" / f"{role['id']}.yaml").write_text(text, encoding="utf-8")
    return project


def vary(sample: dict, stem: str, index: int) -> dict:
    role = dict(sample)
    titles = TITLES[role["lang"]]
    role["id"] = f"{stem}-{index:02d}"
    title = titles[(index // 2) % len(titles)]
    if isinstance(role["title"], dict):  # a role written in several languages: a title in each
        role["title"] = {lang: TITLES[lang][(index // 2) % len(TITLES[lang])] for lang in role["title"]}
    else:
        role["title"] = title
    role.pop("title_feminine", None)
    role.pop("title_neutral", None)
    missions = list(role["missions"])
    shift = index % len(missions)
    missions = missions[shift:] + missions[:shift]
    role["missions"] = missions[:-1] if len(missions) > 2 else missions
    return role


if __name__ == "__main__":
    print(make_project(20))
