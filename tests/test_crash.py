"""Issue 14: a kill, a full disk or two runs at once never leave a state that needs --force; big or
hostile inputs fail fast and alone.

Real `kitgen` processes are started and killed here. `KITGEN_PAUSE_AT=POINT:MATCH:N` stops kitgen
at a named point (`kitgen.outputs.files`) after writing the file named by `KITGEN_PAUSE_FILE`, so a
test can kill it exactly there.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.support import ROOT

HTML_OUTPUTS = {f"backend-engineer/{n}.html" for n in ("job-ad", "interview-kit-junior", "interview-kit-mid",
                                                        "interview-kit-senior")} | \
               {f"directeur-ecommerce/{n}.html" for n in ("job-ad", "interview-kit-junior",
                                                           "interview-kit-confirme", "interview-kit-senior")}
MEMORY_CAP = 1536 * 1024 * 1024


def kitgen(root: Path, *args: str, env: dict | None = None, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kitgen", "-C", str(root), *args], env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def run(root: Path, *args: str, env: dict | None = None, cap: bool = False, timeout: float = 120):
    limit = (lambda: resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))) if cap else None
    process = kitgen(root, *args, env=env, preexec_fn=limit)
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def processes_of(root: Path) -> list[int]:
    """Pids whose command line names the project (the build and its forked workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(root).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def wait_until(check, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def manifest(out: Path) -> dict:
    return json.loads((out / ".kitgen-manifest.json").read_text(encoding="utf-8"))["outputs"]


def assert_consistent(out: Path, expected: set[str]) -> None:
    """Every expected file is listed with the hash of the file on disk, and no temp file remains."""
    entries = manifest(out)
    assert expected <= set(entries)
    for relative in expected:
        assert hashlib.sha256((out / relative).read_bytes()).hexdigest() == entries[relative]["sha256"], relative
    assert list(out.rglob("*.tmp")) == []
    assert not (out / ".kitgen-journal").exists()


def kill_at(root: Path, point: str, sig: int, args: tuple[str, ...], tmp_path: Path) -> None:
    marker = tmp_path / "paused"
    process = kitgen(root, *args, env={"KITGEN_PAUSE_AT": point, "KITGEN_PAUSE_FILE": str(marker)})
    try:
        assert wait_until(marker.exists), process.communicate(timeout=5)
    finally:
        process.send_signal(sig)
        process.communicate(timeout=30)
    assert wait_until(lambda: processes_of(root) == [], 10), f"left running: {processes_of(root)}"


# -- kills --------------------------------------------------------------------------------------

BUILD = ("build", "-f", "html", "--jobs", "2")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
@pytest.mark.parametrize("point", ["after-rename:.html:1", "after-rename:.html:5", "before-rename:.html:3",
                                   "before-rename:.kitgen-manifest.json:1"])
def test_a_killed_build_is_repaired_by_the_next_plain_build(project, tmp_path, sig, point):
    kill_at(project, point, sig, BUILD, tmp_path)
    out = project / "output"
    code, stdout, stderr = run(project, *BUILD)
    assert code == 0, stderr
    assert_consistent(out, HTML_OUTPUTS)
    code, stdout, stderr = run(project, *BUILD)
    assert (code, stdout.split(" in ")[0]) == (0, "0 built, 12 up to date"), stderr


def offers_csv(root: Path, count: int = 3) -> str:
    names = ["Élodie Marchand", "Zoé Nguyen", "Camille Durand", "李雷", "Jordan Lee"][:count]
    path = root / "c.csv"
    path.write_text("name,role,level,location,salary,start_date\n" + "".join(
        f"{name},directeur-ecommerce,confirme,Paris,85000,2030-02-01\n" for name in names), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("point", ["after-rename:offer-:2", "before-rename:offer-:1",
                                   "before-rename:.kitgen-manifest.json:1"])
def test_a_killed_offers_run_is_repaired_by_running_it_again(project, tmp_path, point):
    csv = offers_csv(project)
    kill_at(project, point, signal.SIGKILL, ("offers", csv, "-f", "html"), tmp_path)
    code, stdout, stderr = run(project, "offers", csv, "-f", "html")
    assert code == 0, stderr
    letters = {f"directeur-ecommerce/offer-{n}.html" for n in ("elodie-marchand", "zoe-nguyen", "camille-durand")}
    assert_consistent(project / "output", letters)
    assert run(project, "offers", csv, "-f", "html")[0] == 0
    assert_consistent(project / "output", letters)


# -- runs at once -------------------------------------------------------------------------------

def test_two_builds_at_once_lose_nothing(project):
    first, second = kitgen(project, *BUILD), kitgen(project, *BUILD, "--force")
    results = [p.communicate(timeout=180) for p in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), results
    assert any("waiting for another kitgen run" in err for _, err in results)
    assert_consistent(project / "output", HTML_OUTPUTS)
    code, stdout, _ = run(project, *BUILD)
    assert stdout.startswith("0 built, 12 up to date")


def test_offers_during_a_build_and_two_offers_at_once_lose_nothing(project):
    csv = offers_csv(project, 5)
    other = project / "d.csv"
    other.write_text("name,role,level,location,salary,start_date\n"
                     "Jordan Lee,backend-engineer,mid,Austin,135000,2030-02-01\n", encoding="utf-8")
    running = [kitgen(project, *BUILD), kitgen(project, "offers", csv, "-f", "html"),
               kitgen(project, "offers", str(other), "-f", "html")]
    results = [p.communicate(timeout=180) for p in running]
    assert [p.returncode for p in running] == [0, 0, 0], results
    letters = {f"directeur-ecommerce/offer-{n}.html" for n in
               ("elodie-marchand", "zoe-nguyen", "camille-durand", "li-lei", "jordan-lee")}
    assert_consistent(project / "output", HTML_OUTPUTS | letters | {"backend-engineer/offer-jordan-lee.html"})
    assert run(project, *BUILD)[1].startswith("0 built, 12 up to date")


def test_a_second_run_gives_up_after_wait_seconds(project, tmp_path):
    marker = tmp_path / "paused"
    holder = kitgen(project, *BUILD, env={"KITGEN_PAUSE_AT": "after-rename:.html:1", "KITGEN_PAUSE_FILE": str(marker)})
    try:
        assert wait_until(marker.exists)
        code, _, stderr = run(project, *BUILD, "--wait", "0.5")
        assert code == 1
        assert f"is still writing to {project / 'output'} after 0.5 s" in stderr
        assert "Traceback" not in stderr
    finally:
        holder.kill()
        holder.communicate(timeout=30)


# -- a full disk --------------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    folder = tmp_path / "disk"
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", str(folder)],
                      capture_output=True).returncode != 0:
        pytest.skip("this machine does not let the tests mount a tmpfs")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_a_full_disk_is_a_clear_error_and_the_next_run_repairs(project, small_disk):
    (project / "kitgen.toml").write_text(f'output = "{small_disk}"\n', encoding="utf-8")
    code, _, stderr = run(project, *BUILD)
    assert code == 1
    assert "the disk is full: free some space, then run the command again" in stderr
    assert "Traceback" not in stderr
    assert list(small_disk.rglob("*.tmp")) == []
    subprocess.run(["mount", "-o", "remount,size=4m", str(small_disk)], check=True)
    code, _, stderr = run(project, *BUILD)
    assert code == 0, stderr
    assert_consistent(small_disk, HTML_OUTPUTS)


# -- hostile inputs fail fast and alone ---------------------------------------------------------

def timed_validate(project: Path):
    started = time.monotonic()
    result = run(project, "validate", cap=True, timeout=30)
    return result, time.monotonic() - started


@pytest.mark.parametrize("name, text, message", [
    ("deep.yaml", "id: deep\ntitle: " + "[" * 500 + "]" * 500 + "\n",
     "roles/deep.yaml:2:57: nested deeper than 50 levels: kitgen stops here (if it is meant to be, raise "
     "`depth` under [limits] in kitgen.toml)"),
    ("long.yaml", "id: long\nmissions:\n" + "- x\n" * 100_000,
     "roles/long.yaml:503:3: a list of more than 500 items: kitgen stops here (if it is meant to be, raise "
     "`list_items` under [limits] in kitgen.toml)"),
    ("huge.yaml", "id: huge\n# " + "x" * 3_000_000 + "\n",
     "roles/huge.yaml: the file is 2,930 KB, more than the limit of 1024 KB (if it is meant to be, raise "
     "`file_kb` under [limits] in kitgen.toml)"),
])
def test_a_hostile_role_file_fails_alone_fast_and_small(project, name, text, message):
    (project / "roles" / name).write_text(text, encoding="utf-8")
    (code, stdout, stderr), seconds = timed_validate(project)
    assert code == 1
    assert stderr.splitlines() == [message, "1 problem found"]
    assert seconds < 10
    code, _, stderr = run(project, "build", "-f", "html", "-j", "1", cap=True)
    assert code == 1
    assert (project / "output" / "backend-engineer" / "job-ad.html").is_file()  # the others are built
    assert "RecursionError" not in stderr and "Traceback" not in stderr


def test_a_limit_can_be_raised_in_kitgen_toml(project):
    (project / "roles" / "long.yaml").write_text("id: long\nmissions:\n" + "- x\n" * 600, encoding="utf-8")
    (project / "kitgen.toml").write_text("[limits]\nlist_items = 1000\n", encoding="utf-8")
    _, _, stderr = run(project, "validate")
    assert "a list of more than" not in stderr  # the file now fails on its real problems only
    (project / "kitgen.toml").write_text("[limits]\nlist_itemz = 1000\n", encoding="utf-8")
    code, _, stderr = run(project, "validate")
    assert code == 1
    assert "kitgen.toml:2:1: limits.list_itemz: unknown limit (limits: file_kb, depth, list_items, " \
           "letterhead_mb, candidate_rows)" in stderr


def test_a_letterhead_zip_bomb_is_refused_before_it_unpacks(project):
    bomb = project / "bomb.docx"
    with _blank_docx() as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b"<w:p/>" * 12_000_000 + b"</w:body>")
            target.writestr(info.filename, data)
    assert bomb.stat().st_size < 1_000_000
    started = time.monotonic()
    code, _, stderr = run(project, "offer", "directeur-ecommerce", "--candidate", "Élodie Marchand", "--level",
                          "confirme", "--location", "Paris", "--salary", "85000", "--start-date", "2030-02-01",
                          "-f", "docx", "--docx-template", str(bomb), cap=True)
    assert code == 1
    assert f"{bomb}: unpacks to 69 MB, more than the limit of 50 MB" in stderr
    assert time.monotonic() - started < 15
    assert not (project / "output").exists()


def _blank_docx():
    import io

    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


# -- a bad document, a dead worker, an OS error -------------------------------------------------

def test_a_refused_font_fetch_fails_only_the_pdfs(project):
    templates = project / "templates"
    templates.mkdir()
    css = (ROOT / "templates" / "kitgen.css").read_text(encoding="utf-8")
    (templates / "kitgen.css").write_text('@font-face { font-family: "X"; src: url("file:///etc/hostname"); }\n'
                                          + css, encoding="utf-8")
    code, _, stderr = run(project, "build", "backend-engineer", "-f", "pdf,docx", "--jobs", "2", timeout=300)
    assert code == 1
    assert "Traceback" not in stderr and "pickle" not in stderr
    assert "refused to fetch 'file:///etc/hostname'" in stderr
    out = project / "output" / "backend-engineer"
    assert sorted(p.name for p in out.iterdir()) == ["interview-kit-junior.docx", "interview-kit-mid.docx",
                                                     "interview-kit-senior.docx", "job-ad.docx"]


def test_a_dying_worker_fails_only_its_document(project):
    code, _, stderr = run(project, *BUILD, env={"KITGEN_CRASH_ON": "backend-engineer/interview-kit-mid"})
    assert code == 1
    assert stderr.splitlines()[0] == ("error: backend-engineer/interview-kit-mid: the worker process died while "
                                      "rendering it (out of memory, or a crash in a library)")
    assert_consistent(project / "output", HTML_OUTPUTS - {"backend-engineer/interview-kit-mid.html"})
    assert not (project / "output" / "backend-engineer" / "interview-kit-mid.html").exists()


@pytest.mark.parametrize("command", [("ad", "backend-engineer", "-f", "html"), BUILD])
def test_an_os_error_on_output_is_one_line(project, command):
    (project / "notes.txt").write_text("mine", encoding="utf-8")
    (project / "kitgen.toml").write_text('output = "notes.txt"\n', encoding="utf-8")
    code, _, stderr = run(project, *command)
    assert code == 1
    assert stderr.splitlines() == [f"error: cannot write {project / 'notes.txt'}: a file stands where a folder is "
                                   "needed: move it, or choose another output folder"]
    assert (project / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_offers_in_the_pool_match_one_process_and_a_dying_worker_fails_only_its_letter(project, tmp_path):
    csv = offers_csv(project, 5)
    env = {"SOURCE_DATE_EPOCH": "1790000000"}
    one = run(project, "offers", csv, "-f", "html,docx", "-j", "1", "-o", str(tmp_path / "one"), env=env)
    two = run(project, "offers", csv, "-f", "html,docx", "-j", "2", "-o", str(tmp_path / "two"), env=env)
    assert (one[0], two[0]) == (0, 0), (one, two)
    assert [line.replace("/one/", "/x/") for line in one[1].splitlines()] == \
        [line.replace("/two/", "/x/") for line in two[1].splitlines()]  # same files, in the file's order
    for path in (tmp_path / "one").rglob("offer-*"):
        assert path.read_bytes() == (tmp_path / "two" / path.relative_to(tmp_path / "one")).read_bytes()
    code, stdout, stderr = run(project, "offers", csv, "-f", "html", "-j", "2",
                               env={"KITGEN_CRASH_ON": "directeur-ecommerce/offer-zoe-nguyen"})
    assert code == 1
    assert f"{csv}:3: the worker process died while rendering it (out of memory, or a crash in a library)" \
        in stderr.splitlines()
    assert stderr.splitlines()[-1] == "error: 4 letters written (4 files), 1 row failed"


def test_a_candidates_file_past_the_row_limit_is_refused_fast(project):
    path = project / "many.csv"
    path.write_text("name,role,level,location,salary,start_date\n" + "".join(
        f"C {n},directeur-ecommerce,confirme,Paris,85000,2030-02-01\n" for n in range(10_001)), encoding="utf-8")
    started = time.monotonic()
    code, _, stderr = run(project, "offers", str(path), "-f", "html", cap=True)
    assert code == 1
    assert stderr.splitlines() == [f"{path}:10002: more than 10000 candidate rows: kitgen stops here (if it is "
                                   "meant to be, raise `candidate_rows` under [limits] in kitgen.toml)",
                                   "1 problem found"]
    assert time.monotonic() - started < 10
    assert not (project / "output").exists()


def test_a_limit_holds_when_libyaml_refuses_what_pyyaml_reads(project):
    """A lone surrogate escape stops libyaml's scanner but not PyYAML's: the limit is checked anyway."""
    (project / "roles" / "trick.yaml").write_text('id: trick\nx: "\\ud800"\ntitle: ' + "[" * 5000 + "]" * 5000 + "\n",
                                                  encoding="utf-8")
    code, _, stderr = run(project, "build", "-f", "html", "-j", "1", cap=True, timeout=60)
    assert code == 1
    assert "nested deeper than 50 levels" in stderr
    assert "RecursionError" not in stderr and "Traceback" not in stderr
    assert (project / "output" / "backend-engineer" / "job-ad.html").is_file()
