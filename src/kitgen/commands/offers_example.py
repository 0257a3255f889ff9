"""`kitgen offers --example [FILE]`: a ready-to-fill candidates file that `kitgen offers` accepts as it is.

Every column, in the project's language (French names for a French project: `Nom;Poste;...`), and
one sample row built from the project: its first role in that language, the first level and place
whose band lets the offer pass every check, a salary in the band, a start date far enough ahead for
the answer deadline. The person is data (`data/example-candidates.toml`). A CSV file is written as
Excel expects it in that language (UTF-8 with BOM, `;` and day-first dates in French, CRLF); a
`.xlsx` name gives a workbook with the same columns and typed cells (real dates, numbers). An
existing file is never replaced.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tomllib
from importlib import resources
from pathlib import Path

from kitgen.documents.offer import OfferRequest, prepare_offer, require_company
from kitgen.documents.pay import band_for
from kitgen.errors import DataError, KitgenError, OfferError, OutputError, printable
from kitgen.i18n import tr
from kitgen.outputs.files import os_error
from kitgen.sources import workbook
from kitgen.sources.candidates import UTF8_BOM, french_names
from kitgen.sources.model import Company, Role
from kitgen.sources.project import Project

# The example's columns, in the order a person fills them: the required ones, then the contract.
ORDER = ("name", "role", "level", "location", "salary", "start_date", "contract", "end_date", "cdd_reason",
         "min_duration", "trial_period", "variable", "civility", "email", "address", "respond_by", "kind", "lang")
SAMPLES = "example-candidates.toml"  # in kitgen/commands/data/
LEAD_DAYS = 30  # the sample's start: the first of a month this long after the answer deadline


def example_language(project: Project, lang: str | None) -> str:
    """--lang, else the project's `lang`, else the primary language of its first role."""
    roles = project.load_roles()
    return lang or project.settings.get("lang") or (roles[0][1].primary if roles else "en")


def write_example(project: Project, target: Path | None, today: dt.date, lang: str | None = None) -> Path:
    """Write the example file (`target`, else candidats.csv / candidates.csv in the current folder)
    and return its path; an OutputError when it exists."""
    language = example_language(project, lang)
    sample = _samples().get(language) or _samples()["en"]
    target = target or Path(f"{sample['file']}.csv")
    values = _sample_row(project, language, sample, today)
    header = [french_names()[name][0] if language == "fr" else name for name in ORDER]
    if target.suffix.lower() == ".xlsx":
        data = workbook.write_workbook(header, [[values.get(name) for name in ORDER]], sample["sheet"],
                                       "dd/mm/yyyy" if language == "fr" else "yyyy-mm-dd")
    else:
        data = _csv_bytes(header, [_text(values.get(name), language) for name in ORDER], language)
    _create(target, data)
    return target


def _samples() -> dict[str, dict[str, str]]:
    text = resources.files("kitgen.commands").joinpath("data", SAMPLES).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _sample_row(project: Project, language: str, sample: dict[str, str], today: dt.date) -> dict[str, object]:
    """The sample's values by column: the first (level, place) of the role whose offer passes."""
    company = require_company(project)
    roles = [role for _, role in project.load_roles()]
    if not roles:
        raise KitgenError(tr("the project has no role file: add one (kitgen new-role) before writing an example"))
    role = next((r for r in roles if r.primary == language), roles[0])
    start = _start_date(today, company)
    person = {"name": sample["name"], "civility": sample["civility"] or None, "email": sample["email"],
              "address": sample["address"]}
    candidates = list(_pairs(role, company))
    for level, location, salary in candidates:
        request = OfferRequest(candidate=sample["name"], level=level, location=location, salary=salary,
                               start_date=start, civility=person["civility"], email=person["email"],
                               address=person["address"], lang=language)
        try:
            prepare_offer(role, company, request, today, project_templates=project.templates_dir)
        except (OfferError, DataError):
            continue
        return {"role": role.id, "level": level, "location": location, "salary": salary, "start_date": start, **person}
    level, location, salary = candidates[0] if candidates else (role.levels[0].name, "", 0)
    return {"role": role.id, "level": level, "location": location, "salary": salary, "start_date": start, **person}


def _pairs(role: Role, company: Company):
    """(level name, place, salary in the band) for every pair the role gives a figure for."""
    for level in role.levels:
        for location in (role.salary.bands.get(level.id, {}) if role.salary else {}):
            band = band_for(role, level.id, location, company.band_spread)
            if band:
                middle = band.reference or (band.low + band.high) / 2
                salary = round(middle, 2) if band.period == "hour" else round(middle, -2)
                yield level.name, location, int(salary) if float(salary).is_integer() else salary


def _start_date(today: dt.date, company: Company) -> dt.date:
    """The first of a month after the default answer deadline, with time to spare."""
    day = today + dt.timedelta(days=company.offer_valid_days + LEAD_DAYS)
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _text(value: object, language: str) -> str:
    """A value as a person types it in that language: 01/03/2027 and 77 000 in French."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y") if language == "fr" else value.isoformat()
    if isinstance(value, (int, float)):
        if language != "fr":
            return f"{value}"
        whole = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
        return whole.replace(",", " ").replace(".", ",")
    return str(value)


def _csv_bytes(header: list[str], row: list[str], language: str) -> bytes:
    """As Excel reads a CSV file in that language: BOM (so that it reads UTF-8), `;` in French, CRLF."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";" if language == "fr" else ",", lineterminator="\r\n").writerows([header, row])
    return UTF8_BOM + buffer.getvalue().encode("utf-8")


def _create(target: Path, data: bytes) -> None:
    """Create the file, never replacing one (nor writing through a link)."""
    try:
        with target.open("xb") as handle:
            handle.write(data)
    except FileExistsError:
        raise OutputError(tr("refused to overwrite %(path)s: the file exists (name another: "
                             "kitgen offers --example NAME.csv, or NAME.xlsx)", path=printable(str(target)))) from None
    except OSError as exc:
        raise os_error(exc, target) from exc
