"""`kitgen build`: incremental rebuilds, failure isolation, atomic outputs, orphans, the pool, the font strategy.

Most tests build HTML or DOCX in one process (`-j 1`) to stay fast; one builds with two workers and
one reads PDFs back, where the PDF is what is checked.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitgen.cli import main
from kitgen.formats import pdf as pdf_format
from tests.support import ROOT, docx_text, missing, pdf_text

ROLES = ("backend-engineer", "directeur-ecommerce")
# The French sample role is bilingual (fr, en): its documents are built in both languages.
HTML_OUTPUTS = {f"backend-engineer/{n}.html" for n in ("job-ad", "interview-kit-junior", "interview-kit-mid",
                                                        "interview-kit-senior")} | \
               {f"directeur-ecommerce/{n}{tag}.html" for n in ("job-ad", "interview-kit-junior",
                                                                "interview-kit-confirme", "interview-kit-senior")
                for tag in ("", ".en")}


def inodes(out: Path) -> dict[str, int]:
    """{relative path: inode}: os.replace gives a rebuilt file a new inode, a skipped one keeps its own."""
    return {str(p.relative_to(out)): p.stat().st_ino for p in out.rglob("*") if p.is_file()
            and p.name not in (".kitgen-manifest.json", ".kitgen-lock")}


def manifest(out: Path) -> dict:
    return json.loads((out / ".kitgen-manifest.json").read_text(encoding="utf-8"))["outputs"]


def leftovers(out: Path) -> list[Path]:
    return [p for p in out.rglob("*.tmp")]


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_build_writes_every_document_of_every_role(cli, project):
    result = cli("build", "-f", "html", "-j", "1")
    assert result.exit_code == 0, result.output
    out = project / "output"
    assert set(inodes(out)) == HTML_OUTPUTS
    assert "12 built, 0 up to date" in result.output
    kit = (out / "directeur-ecommerce/interview-kit-confirme.html").read_text(encoding="utf-8")
    assert "Directeur ou directrice e-commerce" in kit
    assert set(manifest(out)) == HTML_OUTPUTS


def test_incremental_rebuilds_only_what_changed(cli, project):
    out = project / "output"
    assert cli("build", "-f", "html", "-j", "1").exit_code == 0
    first = inodes(out)

    result = cli("build", "-f", "html", "-j", "1")  # untouched: everything skipped
    assert "0 built, 12 up to date" in result.output
    assert inodes(out) == first

    append(project / "roles" / "backend-engineer.yaml", "# a comment changes the file's bytes\n")
    result = cli("build", "-f", "html", "-j", "1")
    assert "4 built, 8 up to date" in result.output
    second = inodes(out)
    changed = {name for name in first if first[name] != second[name]}
    assert changed == {name for name in HTML_OUTPUTS if name.startswith("backend-engineer/")}

    override = project / "templates" / "kitgen.css"  # a project stylesheet overrides the built-in one
    override.parent.mkdir()
    shutil.copy(ROOT / "templates" / "kitgen.css", override)
    append(override, "/* house-style-marker */\n")
    result = cli("build", "-f", "html", "-j", "1")
    assert "12 built, 0 up to date" in result.output
    third = inodes(out)
    assert all(third[name] != second[name] for name in HTML_OUTPUTS)
    assert "house-style-marker" in (out / "directeur-ecommerce/job-ad.html").read_text(encoding="utf-8")

    result = cli("build", "-f", "html", "-j", "1", "--force")
    assert "12 built, 0 up to date" in result.output
    assert all(inodes(out)[name] != third[name] for name in HTML_OUTPUTS)


def test_a_new_format_builds_only_that_format(cli, project):
    assert cli("build", "-f", "html", "-j", "1").exit_code == 0
    result = cli("build", "-f", "html,md", "-j", "1")
    assert "3 built, 12 up to date" in result.output  # md exists for job ads only (one French ad in 2 languages)
    assert (project / "output/backend-engineer/job-ad.md").is_file()


def test_roles_and_levels_select_documents(cli, project):
    result = cli("build", "backend-engineer", "--level", "mid", "-f", "html", "-j", "1")
    assert result.exit_code == 0, result.output
    assert set(inodes(project / "output")) == {"backend-engineer/job-ad.html",
                                               "backend-engineer/interview-kit-mid.html"}
    result = cli("build", "--level", "nonexistent", "-f", "html")
    assert result.exit_code == 2
    assert "unknown level 'nonexistent' (levels: confirme, junior, mid, senior)" in result.output
    result = cli("build", "no-such-role", "-f", "html")
    assert result.exit_code == 2
    assert "no role 'no-such-role'" in result.output


def test_a_failing_role_does_not_stop_the_others(cli, project):
    (project / "roles" / "broken.yaml").write_text("id: broken\nlang: fr\ntitle: Cassé\n", encoding="utf-8")
    result = cli("build", "-f", "html", "-j", "1")
    assert result.exit_code == 1
    assert "roles/broken.yaml" in result.stderr
    assert "summary" in result.stderr  # the validation message names the missing field
    assert "error: 1 document(s) or role file(s) failed" in result.stderr
    out = project / "output"
    assert set(inodes(out)) == HTML_OUTPUTS
    assert not (out / "broken").exists()
    assert leftovers(out) == []


def test_a_failing_document_is_reported_and_the_others_built(cli, project, monkeypatch):
    from kitgen.errors import TemplateError
    from kitgen.formats.html import HtmlFormat

    original = HtmlFormat.render

    def render(self, doc):
        if doc.stem == "directeur-ecommerce/interview-kit-senior":
            raise TemplateError("interview-kit.html.j2:12: 'kit' is undefined")
        return original(self, doc)

    monkeypatch.setattr(HtmlFormat, "render", render)
    result = cli("build", "-f", "html", "-j", "1")
    assert result.exit_code == 1
    assert "error: directeur-ecommerce/interview-kit-senior: interview-kit.html.j2:12: 'kit' is undefined" \
        in result.stderr
    assert set(inodes(project / "output")) == HTML_OUTPUTS - {"directeur-ecommerce/interview-kit-senior.html"}
    assert "11 built, 0 up to date, 1 failed" in result.output


def test_a_crash_while_rendering_keeps_the_good_older_output(cli, project, monkeypatch):
    from kitgen.formats.docx import DocxFormat

    assert cli("build", "backend-engineer", "--level", "mid", "-f", "docx", "-j", "1").exit_code == 0
    ad = project / "output/backend-engineer/job-ad.docx"
    good = ad.read_bytes()
    append(project / "roles" / "backend-engineer.yaml", "# changed: every output is stale\n")

    def crash(self, doc):
        raise MemoryError("simulated crash in the middle of rendering")

    monkeypatch.setattr(DocxFormat, "render", crash)
    result = cli("build", "backend-engineer", "--level", "mid", "-f", "docx", "-j", "1")
    assert result.exit_code == 1
    assert "MemoryError: simulated crash" in result.stderr
    assert ad.read_bytes() == good
    assert "Backend Software Engineer" in docx_text(ad)
    assert leftovers(project / "output") == []


def test_a_crash_while_writing_leaves_no_partial_file(cli, project, monkeypatch):
    from kitgen.outputs import files as output

    assert cli("build", "backend-engineer", "-f", "html", "-j", "1").exit_code == 0
    kit = project / "output/backend-engineer/interview-kit-mid.html"
    good = kit.read_bytes()
    append(project / "roles" / "backend-engineer.yaml", "# changed\n")

    def disk_full(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", disk_full)
    result = cli("build", "backend-engineer", "-f", "html", "-j", "1")
    assert result.exit_code == 1
    assert (f"error: backend-engineer/interview-kit-mid: cannot write {kit}: the disk is full: free some space, "
            "then run the command again") in result.stderr.splitlines()
    assert kit.read_bytes() == good
    assert leftovers(project / "output") == []


def test_ctrl_c_keeps_complete_files_and_exits_130(cli, project, monkeypatch):
    from kitgen.formats.html import HtmlFormat

    original, done = HtmlFormat.render, []

    def render(self, doc):
        if len(done) == 3:
            raise KeyboardInterrupt
        done.append(doc.stem)
        return original(self, doc)

    monkeypatch.setattr(HtmlFormat, "render", render)
    result = cli("build", "-f", "html", "-j", "1")
    assert result.exit_code == 130
    out = project / "output"
    assert set(inodes(out)) == {f"{stem}.html" for stem in done}
    assert set(manifest(out)) == {f"{stem}.html" for stem in done}
    assert leftovers(out) == []


def test_a_file_kitgen_did_not_write_is_not_overwritten(cli, project):
    mine = project / "output/backend-engineer/job-ad.html"
    mine.parent.mkdir(parents=True)
    mine.write_text("my own page", encoding="utf-8")
    result = cli("build", "backend-engineer", "-f", "html", "-j", "1")
    assert result.exit_code == 1
    assert "kitgen did not write it" in result.stderr
    assert mine.read_text(encoding="utf-8") == "my own page"
    assert cli("build", "backend-engineer", "-f", "html", "-j", "1", "--force").exit_code == 0
    assert "my own page" not in mine.read_text(encoding="utf-8")


def test_removed_role_outputs_are_listed_then_cleaned(cli, project):
    out = project / "output"
    assert cli("build", "-f", "html", "-j", "1").exit_code == 0
    user_file = out / "backend-engineer" / "notes.txt"
    user_file.write_text("kept: kitgen did not write it", encoding="utf-8")
    (project / "roles" / "backend-engineer.yaml").unlink()

    result = cli("build", "-f", "html", "-j", "1")
    assert result.exit_code == 0, result.output
    assert "4 output(s) no longer match a role (kept; --clean deletes them):" in result.output
    assert "  backend-engineer/interview-kit-mid.html" in result.output
    assert (out / "backend-engineer/job-ad.html").is_file()

    result = cli("build", "--clean", "--yes", "-f", "html", "-j", "1")
    assert result.exit_code == 0, result.output
    assert "removed backend-engineer/job-ad.html" in result.output
    assert sorted(p.name for p in (out / "backend-engineer").iterdir()) == ["notes.txt"]
    assert set(inodes(out)) == {n for n in HTML_OUTPUTS if n.startswith("directeur")} | \
        {"backend-engineer/notes.txt"}
    assert not any(name.startswith("backend-engineer/") for name in manifest(out))


def test_a_broken_role_s_outputs_are_not_orphans(cli, project):
    assert cli("build", "-f", "html", "-j", "1").exit_code == 0
    (project / "roles" / "backend-engineer.yaml").write_text("id: backend-engineer\nlang: en\n", encoding="utf-8")
    result = cli("build", "--clean", "--yes", "-f", "html", "-j", "1")
    assert result.exit_code == 1
    assert "removed" not in result.output
    assert (project / "output/backend-engineer/job-ad.html").is_file()


def test_quiet_prints_nothing_when_all_is_well(cli):
    result = cli("build", "-q", "-f", "html", "-j", "1")
    assert result.exit_code == 0
    assert result.output == ""


def test_two_workers_build_the_same_documents(cli, project):
    result = cli("build", "-f", "html,jsonld", "--jobs", "2")
    assert result.exit_code == 0, result.output
    out = project / "output"
    ads = {f"{role}/job-ad.jsonld" for role in ROLES} | {"directeur-ecommerce/job-ad.en.jsonld"}
    assert set(inodes(out)) == HTML_OUTPUTS | ads
    kit = (out / "backend-engineer/interview-kit-senior.html").read_text(encoding="utf-8")
    assert "Backend Software Engineer" in kit and "Senior" in kit
    assert json.loads((out / "directeur-ecommerce/job-ad.jsonld").read_text(encoding="utf-8"))
    assert "0 built, 15 up to date" in cli("build", "-f", "html,jsonld", "--jobs", "2").output


@pytest.fixture(scope="module")
def built_pdfs(tmp_path_factory) -> tuple[Path, list]:
    """One role's job ad and mid-level kit as PDF, built once for the tests that read PDFs back."""
    from kitgen.commands import open_project
    from kitgen.documents.context import AdOptions, KitOptions
    from kitgen.documents.render import render_ad, render_kit

    root = tmp_path_factory.mktemp("pdf") / "project"
    shutil.copytree(ROOT / "roles", root / "roles")
    shutil.copy(ROOT / "company.yaml", root / "company.yaml")
    result = CliRunner().invoke(main, ["-C", str(root), "build", "backend-engineer", "--level", "mid",
                                       "-f", "pdf", "-j", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    project = open_project(root)
    _, role = project.find_role("backend-engineer")
    docs = [render_ad(role, project.company, AdOptions(), project.templates_dir, None, root),
            render_kit(role, project.company, KitOptions(level="mid"), project.templates_dir, None, root)]
    return root / "output", docs


def test_built_pdfs_show_every_role_string(built_pdfs):
    out, docs = built_pdfs
    for doc in docs:
        text = pdf_text(out / f"{doc.stem}.pdf")
        assert missing(pdf_format_expected(doc), text) == []
        assert "Software" in text and "production" in text  # no ligature glyph garbles copied text


def pdf_format_expected(doc) -> list[str]:
    from tests.support import expected_strings

    return expected_strings(doc)


def test_built_pdfs_embed_only_kitgen_sans(built_pdfs):
    from pypdf import PdfReader

    out, _ = built_pdfs
    fonts = set()
    for page in PdfReader(str(out / "backend-engineer/interview-kit-mid.pdf")).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts and all(name.startswith("Kitgen-Sans") for name in fonts), fonts


@pytest.mark.parametrize("html,css,expected", [
    ("<p>Rémunération : 54 000 € – « télétravail » • Œuvre</p>", "html { font-family: \"Kitgen Sans\", sans-serif; }", True),
    ("<p>漢字</p>", "", False),  # a script Kitgen Sans lacks: fallback font, normal subsetting
    ("<p>x<code>y</code></p>", "", False),  # the default stylesheet draws <code> in monospace
    ("<p>x</p>", "h1 { font-family: Georgia; }", False),
    ("<p>x</p>", "p { font-variant-ligatures: common-ligatures; }", False),
    ("<p>hyphen\u00adation</p>", "", False),  # WeasyPrint draws U+2010 at a soft hyphen
])
def test_whole_font_only_when_kitgen_sans_draws_everything(html, css, expected):
    assert pdf_format.kitgen_sans_suffices(html, css) is expected


def test_validate_does_not_import_weasyprint():
    code = ("import sys; from kitgen.cli import main\n"
            "try:\n    main(['-C', sys.argv[1], 'validate'])\nexcept SystemExit as exit:\n    assert exit.code == 0\n"
            "print('weasyprint' in sys.modules, 'docx' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code, str(ROOT)], capture_output=True, text=True, check=True)
    assert result.stdout.split()[-2:] == ["False", "False"]


def test_stopping_the_pool_kills_busy_workers():
    """Ctrl-C must not wait for the documents being rendered (shutdown() alone would)."""
    import multiprocessing
    import time
    from concurrent.futures import ProcessPoolExecutor

    from kitgen.commands import pool as build

    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(build.start_method()))
    pool.submit(time.sleep, 120)
    pids = list(pool._processes)
    build._stop(pool)
    deadline = time.monotonic() + 30  # far less than the task's 120 s
    while not all(map(gone, pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(map(gone, pids))


def gone(pid: int) -> bool:
    """Dead: reaped (no such process) or a zombie (the pool's thread may reap it later)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except (FileNotFoundError, ProcessLookupError):
        return True


def test_a_document_depends_on_the_templates_it_loads_and_no_others(cli, project):
    """Issue 14: a kit template change rebuilds the kits only; a Word letterhead or an unrelated file
    dropped into templates/ rebuilds nothing; each entry lists the template files it was made from."""
    out = project / "output"
    assert cli("build", "-f", "html,docx", "-j", "1").exit_code == 0
    entry = manifest(out)["backend-engineer/job-ad.html"]
    assert entry["templates"] == ["builtin/_macros.html.j2", "builtin/base.html.j2", "builtin/job-ad.html.j2"]
    templates = project / "templates"
    templates.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "letterhead" / "letterhead.docx", templates / "letterhead.docx")
    (templates / "notes.txt").write_text("ideas", encoding="utf-8")
    result = cli("build", "-f", "html,docx", "-j", "1")
    assert result.stdout.startswith("0 built, 24 up to date"), result.output
    (templates / "interview-kit.html.j2").write_text(
        '{% extends "builtin/interview-kit.html.j2" %}{% block instructions %}<h2>Go</h2>{% endblock %}',
        encoding="utf-8")
    result = cli("build", "-f", "html,docx", "-j", "1")
    assert result.stdout.startswith("18 built, 6 up to date"), result.output  # 9 kits x 2 formats
    assert sorted(manifest(out)["backend-engineer/interview-kit-mid.docx"]["templates"]) == [
        "builtin/_macros.html.j2", "builtin/base.html.j2", "builtin/interview-kit.html.j2",
        "templates/interview-kit.html.j2"]
    css = (ROOT / "templates" / "kitgen.css").read_text(encoding="utf-8")
    (templates / "kitgen.css").write_text(css + "\nh1 { letter-spacing: 0; }\n", encoding="utf-8")
    result = cli("build", "-f", "html,docx", "-j", "1")
    assert result.stdout.startswith("12 built, 12 up to date"), result.output  # the HTML only: DOCX has no CSS


def test_documents_made_outside_the_build_are_reported_when_out_of_date_and_remade_with_stale(cli, project,
                                                                                               monkeypatch):
    """Issue 14: a named kit, a per-city ad and an offer record their options and inputs; a build
    lists them once their inputs change; `build --stale` makes them again, with those options."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    out = project / "output" / "directeur-ecommerce"
    assert cli("kit", "directeur-ecommerce", "--level", "Confirmé", "--candidate", "Élodie Marchand",
               "-f", "html").exit_code == 0
    assert cli("ad", "directeur-ecommerce", "--location", "paris", "-f", "html").exit_code == 0
    assert cli("offer", "directeur-ecommerce", "--candidate", "Zoé Nguyen", "--level", "confirme", "--location",
               "Paris", "--salary", "85000", "--start-date", "2027-02-01", "-f", "html").exit_code == 0
    entry = manifest(project / "output")["directeur-ecommerce/interview-kit-confirme-elodie-marchand.html"]
    assert entry["options"]["candidate"] == "Élodie Marchand" and entry["options"]["level"] == "confirme"
    result = cli("build", "-f", "html", "-j", "1")
    assert "out of date" not in result.stdout
    role = project / "roles" / "directeur-ecommerce.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("Directeur ou directrice e-commerce",
                                                             "Directeur ou directrice du commerce en ligne", 1),
                    encoding="utf-8")
    result = cli("build", "-f", "html", "-j", "1")
    assert result.exit_code == 0, result.output
    assert ("3 document(s) made outside the build are out of date (`kitgen build --stale` renders them again with "
            "the options they were made with):") in result.stdout
    assert [line.strip() for line in result.stdout.splitlines() if line.startswith("  ")] == [
        "directeur-ecommerce/interview-kit-confirme-elodie-marchand", "directeur-ecommerce/job-ad-paris",
        "directeur-ecommerce/offer-zoe-nguyen"]
    result = cli("build", "-f", "html", "-j", "1", "--stale", "-v")
    assert result.exit_code == 0, result.output
    assert "built directeur-ecommerce/offer-zoe-nguyen.html" in result.stdout
    kit = (out / "interview-kit-confirme-elodie-marchand.html").read_text(encoding="utf-8")
    assert "du commerce en ligne" in kit and "Élodie Marchand" in kit
    assert "du commerce en ligne" in (out / "offer-zoe-nguyen.html").read_text(encoding="utf-8")
    assert "out of date" not in cli("build", "-f", "html", "-j", "1").stdout
