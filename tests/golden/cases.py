"""The documents kept as golden HTML: every document kind of both sample roles, fixed dates."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from kitgen.commands import open_project
from kitgen.documents.context import AdOptions, KitOptions
from kitgen.documents.offer import OfferRequest, prepare_offer
from kitgen.documents.render import render_ad, render_kit, render_offer

GOLDEN_DIR = Path(__file__).resolve().parent
ROOT = GOLDEN_DIR.parents[1]
TODAY = dt.date(2026, 11, 26)
OFFERS = {"directeur-ecommerce": ("Élodie Marchand", "confirme", "Paris", 85000),
          "backend-engineer": ("Jordan Lee", "mid", "Austin", 150000)}


def golden_documents() -> list[tuple[str, str]]:
    """(relative file name, HTML) for each golden document, rendered as of TODAY."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime(2026, 11, 26, tzinfo=dt.timezone.utc).timestamp()))
    try:
        return list(_documents())
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _documents():
    project = open_project(ROOT)
    for role_id, (name, level, place, salary) in OFFERS.items():
        _, role = project.find_role(role_id)
        company, templates = project.company, project.templates_dir
        ad = render_ad(role, company, AdOptions(date_posted=TODAY), templates, None, ROOT)
        kit = render_kit(role, company, KitOptions(level=level, date=TODAY), templates, None, ROOT)
        request = OfferRequest(candidate=name, level=level, location=place, salary=salary,
                               start_date=dt.date(2027, 2, 1))
        offer = render_offer(role, company, prepare_offer(role, company, request, TODAY), templates, None, ROOT)
        for doc in (ad, kit, offer):
            yield f"{role_id}/{doc.kind}.html", doc.html
