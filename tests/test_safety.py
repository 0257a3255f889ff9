"""Issue 13: never lose a user's file, never leak one. Each case runs through the command line on a
temporary project and compares the files before and after (names and hashes), the exit code and the
message; the leak cases plant a canary that must appear in no output and no message."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitgen.cli import main
from tests.support import ROOT

CANARY = "CANARY-7f3a9c-secret"
MANIFEST = ".kitgen-manifest.json"


def snapshot(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under `folder` (links are reported as links)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = str(path.relative_to(folder))
        if relative == ".kitgen-lock":  # who holds the folder now: its pid changes every run
            continue
        if path.is_symlink():
            found[relative] = f"-> {os.readlink(path)}"
        elif path.is_file():
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def everything_written(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def run(root: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["-C", str(root), *args], catch_exceptions=False, input=input)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    folder = tmp_path / "secret"
    folder.mkdir()
    path = folder / "id_rsa"
    path.write_text(f"-----BEGIN KEY-----\n{CANARY}\n", encoding="utf-8")
    path.chmod(0o600)
    return path


# -- --clean ------------------------------------------------------------------------------------

def test_clean_with_no_role_files_refuses_and_deletes_nothing(project):
    assert run(project, "build", "-f", "html", "-j", "1").exit_code == 0
    before = snapshot(project / "output")
    shutil.rmtree(project / "roles")
    (project / "roles").mkdir()
    result = run(project, "build", "--clean", "--yes", "-f", "html")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == "error: no role files in roles: nothing cleaned"
    assert snapshot(project / "output") == before
    shutil.rmtree(project / "roles")
    result = run(project, "build", "--clean", "--yes", "-f", "html")
    assert result.exit_code == 1
    assert "error: no role files in roles: nothing cleaned" in result.stderr
    assert snapshot(project / "output") == before


def test_clean_lists_what_it_deletes_and_needs_yes_without_a_terminal(project):
    assert run(project, "build", "-f", "html", "-j", "1").exit_code == 0
    (project / "roles" / "backend-engineer.yaml").unlink()
    before = snapshot(project / "output")
    result = run(project, "build", "--clean", "-f", "html")
    assert result.exit_code == 2
    assert "--clean would delete 4 file(s)" in result.stderr and "--yes" in result.stderr
    assert snapshot(project / "output") == before
    result = run(project, "build", "--clean", "--yes", "-f", "html")
    assert result.exit_code == 0, result.output
    removed = sorted(line.split()[1] for line in result.stdout.splitlines() if line.startswith("removed "))
    assert removed == sorted(f"backend-engineer/{n}.html" for n in
                             ("job-ad", "interview-kit-junior", "interview-kit-mid", "interview-kit-senior"))
    after = snapshot(project / "output")
    assert not any(name.startswith("backend-engineer/") for name in after)
    assert {k: v for k, v in before.items() if k.startswith("directeur-ecommerce/")} == \
        {k: v for k, v in after.items() if k.startswith("directeur-ecommerce/")}


def test_clean_keeps_an_edited_file_unless_forced(project):
    assert run(project, "build", "-f", "html", "-j", "1").exit_code == 0
    edited = project / "output" / "backend-engineer" / "job-ad.html"
    edited.write_text(edited.read_text(encoding="utf-8") + "<!-- my notes -->", encoding="utf-8")
    (project / "roles" / "backend-engineer.yaml").unlink()
    result = run(project, "build", "--clean", "--yes", "-f", "html")
    assert result.exit_code == 0, result.output
    assert "kept backend-engineer/job-ad.html: edited since kitgen wrote it (--force deletes it)" in result.stdout
    assert edited.read_text(encoding="utf-8").endswith("<!-- my notes -->")
    assert not (project / "output" / "backend-engineer" / "interview-kit-mid.html").exists()
    result = run(project, "build", "--clean", "--yes", "--force", "-f", "html")
    assert result.exit_code == 0, result.output
    assert not edited.exists()


def test_clean_never_deletes_another_projects_files(tmp_path):
    shared = tmp_path / "shared-output"
    projects = []
    for name, role in (("a", "backend-engineer"), ("b", "directeur-ecommerce")):
        root = tmp_path / name
        (root / "roles").mkdir(parents=True)
        shutil.copy(ROOT / "roles" / f"{role}.yaml", root / "roles")
        shutil.copy(ROOT / "company.yaml", root)
        (root / "kitgen.toml").write_text(f'output = "{shared}"\n', encoding="utf-8")
        assert run(root, "build", "-f", "html", "-j", "1").exit_code == 0
        projects.append(root)
    before = snapshot(shared)
    result = run(projects[1], "build", "--clean", "--yes", "-f", "html")
    assert result.exit_code == 0, result.output
    assert "removed" not in result.stdout
    assert snapshot(shared) == before


# -- reading only what may be read --------------------------------------------------------------

def test_a_template_linked_outside_the_templates_folder_is_refused(project, secret):
    templates = project / "templates"
    templates.mkdir()
    os.symlink(secret, templates / "footer.html.j2")
    (templates / "job-ad.html.j2").write_text(
        '{% extends "builtin/job-ad.html.j2" %}{% block apply %}{% include "footer.html.j2" %}{% endblock %}',
        encoding="utf-8")
    result = run(project, "ad", "backend-engineer", "-f", "pdf,docx,html,md")
    assert result.exit_code == 1
    assert "footer.html.j2" in result.output and "outside" in result.output
    assert CANARY not in result.output
    assert not (project / "output").exists() or CANARY.encode() not in everything_written(project / "output")


def test_a_role_file_linked_outside_the_project_is_refused(project, secret):
    private = secret.parent / "private.yaml"
    private.write_text(f"id: private\ntitle: {CANARY}\nsalary: {CANARY}\n", encoding="utf-8")
    os.symlink(private, project / "roles" / "private.yaml")
    result = run(project, "validate")
    assert result.exit_code == 1
    assert "roles/private.yaml" in result.output and "link" in result.output
    assert CANARY not in result.output
    result = run(project, "build", "-f", "html", "-j", "1")
    assert result.exit_code == 1
    assert CANARY not in result.output
    assert CANARY.encode() not in everything_written(project / "output")
    assert (project / "output" / "backend-engineer" / "job-ad.html").is_file()  # the others still build


def test_a_company_file_and_a_candidates_file_linked_out_are_refused(project, secret):
    (project / "company.yaml").unlink()
    os.symlink(secret, project / "company.yaml")
    result = run(project, "validate")
    assert result.exit_code == 1
    assert "company.yaml" in result.output and CANARY not in result.output
    (project / "company.yaml").unlink()
    shutil.copy(ROOT / "company.yaml", project / "company.yaml")
    os.symlink(secret, project / "c.csv")
    result = run(project, "offers", str(project / "c.csv"), "-f", "html")
    assert result.exit_code == 1
    assert "c.csv" in result.output and "link" in result.output and CANARY not in result.output


# -- names that never collide -------------------------------------------------------------------

def offer_csv(project: Path, *names: str) -> str:
    path = project / "c.csv"
    rows = "".join(f"{name},directeur-ecommerce,confirme,Paris,85000,2030-02-01\n" for name in names)
    path.write_text("name,role,level,location,salary,start_date\n" + rows, encoding="utf-8")
    return str(path)


def test_non_latin_names_are_transliterated_and_never_replace_another_letter(project):
    assert run(project, "offers", offer_csv(project, "李雷"), "-f", "html").exit_code == 0
    assert run(project, "offers", offer_csv(project, "王芳"), "-f", "html").exit_code == 0
    letters = project / "output" / "directeur-ecommerce"
    assert sorted(p.name for p in letters.iterdir()) == ["offer-li-lei.html", "offer-wang-fang.html"]
    assert "李雷" in (letters / "offer-li-lei.html").read_text(encoding="utf-8")
    # another person whose name gives the same file name: both letters are kept
    result = run(project, "offers", offer_csv(project, "Li Lei"), "-f", "html")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in letters.iterdir()) == ["offer-li-lei-2.html", "offer-li-lei.html",
                                                         "offer-wang-fang.html"]
    assert "李雷" in (letters / "offer-li-lei.html").read_text(encoding="utf-8")
    # the same person again: their own letter is replaced, not a third one
    assert run(project, "offers", offer_csv(project, "李雷"), "-f", "html").exit_code == 0
    assert len(list(letters.iterdir())) == 3


def test_two_locations_with_one_slug_get_two_files(project):
    role = project / "roles" / "backend-engineer.yaml"
    text = role.read_text(encoding="utf-8").replace("Remote (US)", "Remote US")
    assert text != role.read_text(encoding="utf-8")
    first = run(project, "ad", "backend-engineer", "--location", "Remote (US)", "-f", "html")
    assert first.exit_code == 0, first.output
    role.write_text(text, encoding="utf-8")
    second = run(project, "ad", "backend-engineer", "--location", "Remote US", "-f", "html")
    assert second.exit_code == 0, second.output
    ads = sorted(p.name for p in (project / "output" / "backend-engineer").iterdir())
    assert ads == ["job-ad-remote-us-2.html", "job-ad-remote-us.html"]


# -- edited files -------------------------------------------------------------------------------

def test_build_does_not_overwrite_an_edited_file_and_force_keeps_a_copy(project):
    assert run(project, "build", "-f", "html", "-j", "1").exit_code == 0
    edited = project / "output" / "backend-engineer" / "job-ad.html"
    notes = edited.read_text(encoding="utf-8") + "<!-- my notes -->"
    edited.write_text(notes, encoding="utf-8")
    before = snapshot(project / "output")
    result = run(project, "build", "-f", "html", "-j", "1")
    assert result.exit_code == 1
    assert (f"refused to overwrite {edited}: it was edited since kitgen wrote it "
            "(--force replaces it and keeps the edited file as job-ad.edited.html)") in result.stderr
    assert snapshot(project / "output") == before
    result = run(project, "build", "-f", "html", "-j", "1", "--force")
    assert result.exit_code == 0, result.output
    assert (edited.parent / "job-ad.edited.html").read_text(encoding="utf-8") == notes
    assert "<!-- my notes -->" not in edited.read_text(encoding="utf-8")
    assert run(project, "build", "-f", "html", "-j", "1").exit_code == 0


def test_single_commands_do_not_overwrite_an_edited_file(project):
    assert run(project, "ad", "backend-engineer", "-f", "html").exit_code == 0
    edited = project / "output" / "backend-engineer" / "job-ad.html"
    edited.write_text("edited", encoding="utf-8")
    result = run(project, "ad", "backend-engineer", "-f", "html")
    assert result.exit_code == 1
    assert "it was edited since kitgen wrote it" in result.stderr
    assert edited.read_text(encoding="utf-8") == "edited"


# -- links inside the output folder -------------------------------------------------------------

def test_a_write_never_follows_a_link_inside_the_output_folder(project):
    assert run(project, "build", "directeur-ecommerce", "-f", "html", "-j", "1").exit_code == 0
    out = project / "output"
    (out / "backend-engineer").mkdir()
    os.symlink("../directeur-ecommerce/job-ad.html", out / "backend-engineer" / "job-ad.html")
    before = snapshot(out)
    result = run(project, "build", "backend-engineer", "-f", "html", "-j", "1")
    assert result.exit_code == 1
    assert "backend-engineer/job-ad.html is a symbolic link" in result.stderr
    assert snapshot(out)["directeur-ecommerce/job-ad.html"] == before["directeur-ecommerce/job-ad.html"]
    assert "Directeur" in (out / "directeur-ecommerce" / "job-ad.html").read_text(encoding="utf-8")


# -- duplicate ids, the manifest, encodings, file names -----------------------------------------

def test_a_duplicate_id_stops_both_files(project):
    text = (project / "roles" / "backend-engineer.yaml").read_text(encoding="utf-8")
    new = text.replace("Backend Software Engineer", "Something else entirely")
    if "id: backend-engineer" not in new:
        new = "id: backend-engineer\n" + new
    (project / "roles" / "aa-new.yaml").write_text(new, encoding="utf-8")
    result = run(project, "build", "-f", "html", "-j", "1")
    assert result.exit_code == 1
    assert "role id 'backend-engineer' is also used by roles/backend-engineer.yaml" in result.stderr
    assert "role id 'backend-engineer' is also used by roles/aa-new.yaml" in result.stderr
    assert not (project / "output" / "backend-engineer").exists()
    assert (project / "output" / "directeur-ecommerce" / "job-ad.html").is_file()


@pytest.mark.parametrize("damage", ["{not json", '{"outputs": []}', '{"outputs": {"a.html": 3}}', "[]",
                                    '{"outputs": {"a.html": {"sha256": 5}}}'])
def test_a_damaged_manifest_is_an_error_and_is_kept(project, damage):
    assert run(project, "build", "-f", "html", "-j", "1").exit_code == 0
    path = project / "output" / MANIFEST
    path.write_text(damage, encoding="utf-8")
    before = snapshot(project / "output")
    result = run(project, "build", "-f", "html", "-j", "1")
    assert result.exit_code == 1
    assert f"error: {path} is damaged" in result.stderr and "--rebuild-manifest" in result.stderr
    assert snapshot(project / "output") == before


def test_rebuild_manifest_trusts_only_files_that_match_a_fresh_render(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    assert run(project, "build", "-f", "html,docx", "-j", "1").exit_code == 0
    out = project / "output"
    (out / MANIFEST).write_text("{damaged", encoding="utf-8")
    changed = out / "backend-engineer" / "job-ad.html"
    changed.write_text("someone else's file", encoding="utf-8")
    result = run(project, "build", "-f", "html,docx", "-j", "1", "--rebuild-manifest")
    assert result.exit_code == 1
    assert f"refused to overwrite {changed}: it does not match what kitgen renders" in result.stderr
    assert changed.read_text(encoding="utf-8") == "someone else's file"
    entries = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["outputs"]
    assert "backend-engineer/job-ad.html" not in entries  # each file on its own
    assert len(entries) == 23  # 12 documents x 2 formats, but the changed one
    assert (out / ".kitgen-manifest.damaged.json").read_text(encoding="utf-8") == "{damaged"
    changed.unlink()
    assert run(project, "build", "-f", "html,docx", "-j", "1").exit_code == 0


def test_a_csv_whose_rows_use_two_encodings_is_refused(project):
    path = project / "c.csv"
    header = "name,role,level,location,salary,start_date\n".encode()
    utf8 = "Élodie Marchand,directeur-ecommerce,confirme,Paris,85000,2030-02-01\n".encode("utf-8")
    cp1252 = "Zoé Nguyen,directeur-ecommerce,confirme,Paris,85000,2030-02-01\n".encode("cp1252")
    path.write_bytes(header + utf8 + cp1252)
    result = run(project, "offers", str(path), "-f", "html")
    assert result.exit_code == 1
    assert (f"{path}:3: the file mixes encodings: line 2 is UTF-8, line 3 is not (Windows-1252?); "
            'save it again as "CSV UTF-8"') in result.stderr
    assert not (project / "output").exists()


def test_file_names_in_messages_are_escaped(project):
    (project / "roles" / "ok.yaml\nfake.yaml:7:5: forged.yaml").write_text("id: [\n", encoding="utf-8")
    result = run(project, "validate")
    assert result.exit_code == 1
    assert not any(line.startswith("fake.yaml") for line in result.output.splitlines())
    assert "roles/ok.yaml\\nfake.yaml:7:5: forged.yaml:" in result.output


def test_offers_refuses_an_edited_letter_writes_the_others_and_force_keeps_the_edit(project):
    assert run(project, "offers", offer_csv(project, "Élodie Marchand"), "-f", "html").exit_code == 0
    letters = project / "output" / "directeur-ecommerce"
    edited = letters / "offer-elodie-marchand.html"
    edited.write_text("signed copy", encoding="utf-8")
    result = run(project, "offers", offer_csv(project, "Élodie Marchand", "Zoé Nguyen"), "-f", "html")
    assert result.exit_code == 1
    assert f"c.csv:2: refused to overwrite {edited}: it was edited since kitgen wrote it" in result.stderr
    assert result.stderr.splitlines()[-1] == "error: 1 letter written (1 files), 1 row failed"
    assert edited.read_text(encoding="utf-8") == "signed copy"
    assert (letters / "offer-zoe-nguyen.html").is_file()
    result = run(project, "offers", offer_csv(project, "Élodie Marchand"), "-f", "html", "--force")
    assert result.exit_code == 0, result.output
    assert (letters / "offer-elodie-marchand.edited.html").read_text(encoding="utf-8") == "signed copy"


def test_the_lock_and_the_journal_are_never_opened_through_a_link(project, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = project / "output"
    out.mkdir()
    os.symlink(victim, out / ".kitgen-lock")
    result = run(project, "ad", "backend-engineer", "-f", "html")
    assert result.exit_code == 1
    assert "cannot write" in result.stderr and ".kitgen-lock" in result.stderr
    assert victim.read_text(encoding="utf-8") == "precious"
    (out / ".kitgen-lock").unlink()
    os.symlink(victim, out / ".kitgen-journal")
    result = run(project, "ad", "backend-engineer", "-f", "html")
    assert result.exit_code == 0, result.output  # the link is removed unread, never written through
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not (out / ".kitgen-journal").is_symlink()


def test_a_kit_made_from_a_role_file_outside_roles_is_not_an_orphan(project, tmp_path):
    drafts = project / "drafts"
    drafts.mkdir()
    shutil.copy(project / "roles" / "backend-engineer.yaml", drafts / "draft-role.yaml")
    text = (drafts / "draft-role.yaml").read_text(encoding="utf-8")
    (drafts / "draft-role.yaml").write_text("id: draft-role\n" + text.replace("id: backend-engineer\n", ""),
                                            encoding="utf-8")
    result = run(project, "kit", str(drafts / "draft-role.yaml"), "--level", "mid", "-f", "html")
    assert result.exit_code == 0, result.output
    result = run(project, "build", "--clean", "--yes", "-f", "html", "-j", "1")
    assert result.exit_code == 0, result.output
    assert (project / "output" / "draft-role" / "interview-kit-mid.html").is_file()
