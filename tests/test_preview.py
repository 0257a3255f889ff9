"""`kitgen preview` (issue 19): the pages without a socket, the server over loopback, and a real
browser — Debian's chromium driven headless through chromedriver — following a link, reloading on
an edit, showing a broken file's problem with its line and coming back once it is fixed."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kitgen.commands import watching
from kitgen.commands.preview.server import Preview
from kitgen.commands.preview.site import Site, sheet_css
from tests.support import pdf_text, tool

ROLE = "roles/backend-engineer.yaml"
KIT = "/doc/backend-engineer/interview-kit-mid"
WAIT = 20.0  # seconds: the bound of every wait on the server or the browser


# -- the pages, without a server -------------------------------------------------------------------

def test_the_index_lists_every_document_of_every_role_in_each_language(project: Path):
    page = Site(project, lambda: "v1", "en").get("/")
    text = page.body.decode()
    assert page.status == 200
    assert 'data-kitgen-version="v1"' in text
    for href in ("/doc/backend-engineer/job-ad.html", f"{KIT}.html", f"{KIT}.pdf", f"{KIT}.docx",
                 "/doc/directeur-ecommerce/interview-kit-confirme.en.html",
                 "/doc/directeur-ecommerce/interview-kit-confirme.html"):
        assert f'href="{href}"' in text, href
    assert "Backend Software Engineer" in text and "Directeur ou directrice e-commerce" in text


def test_a_stage_kit_is_listed_and_served(project: Path):
    role = project / "roles" / "backend-engineer.yaml"
    text = role.read_text(encoding="utf-8")
    competency = next(line.split(":", 1)[1].strip() for line in text.splitlines()
                      if line.startswith("  - name:"))
    role.write_text(text.replace("\ninterview:\n", f"\ninterview:\n  stages:\n    - id: tech\n      name: Technical "
                                 f"interview\n      competencies: [{competency}]\n", 1), encoding="utf-8")
    site = Site(project, lambda: "v1", "en")
    assert 'href="/doc/backend-engineer/interview-kit-mid-tech.html"' in site.get("/").body.decode()
    page = site.get("/doc/backend-engineer/interview-kit-mid-tech.html")
    assert page.status == 200 and "Technical interview" in page.body.decode()


def test_a_document_page_is_the_printed_page_with_links_and_the_reload_script(project: Path):
    page = Site(project, lambda: "v7", "en").get(f"{KIT}.html")
    text = page.body.decode()
    assert page.status == 200 and page.content_type.startswith("text/html")
    assert 'data-kitgen-version="v7"' in text
    assert '<script src="/_kitgen/reload.js" defer></script>' in text
    assert f'href="{KIT}.pdf"' in text and f'href="{KIT}.docx"' in text
    assert "--sheet-width: 210mm; --sheet-height: 297mm; --sheet-top: 22mm; --sheet-right: 18mm" in text
    assert "@page" in text  # the print stylesheet itself, inlined as in the HTML format
    assert "Backend Software Engineer" in text


def test_pdf_and_docx_are_rendered_on_demand_and_nothing_is_written(project: Path, tmp_path: Path):
    from docx import Document

    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    site = Site(project, lambda: "v1", "en")
    pdf = site.get(f"{KIT}.pdf")
    docx = site.get(f"{KIT}.docx")
    assert pdf.status == 200 and pdf.content_type == "application/pdf"
    (tmp_path / "kit.pdf").write_bytes(pdf.body)
    assert "Backend Software Engineer" in pdf_text(tmp_path / "kit.pdf")
    assert docx.status == 200 and docx.content_type.endswith("wordprocessingml.document")
    (tmp_path / "kit.docx").write_bytes(docx.body)
    assert any("Backend Software Engineer" in p.text for p in Document(str(tmp_path / "kit.docx")).paragraphs)
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_a_broken_role_file_shows_its_problems_and_the_index_still_lists_the_others(project: Path):
    role = project / ROLE
    lines = role.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[at] = "title: Backend: Software Engineer"  # ": " inside plain text
    role.write_text("\n".join(lines) + "\n", encoding="utf-8")
    site = Site(project, lambda: "v2", "en")
    page = site.get(f"{KIT}.html").body.decode()
    assert f"roles/backend-engineer.yaml:{at + 1}:" in page
    assert '<script src="/_kitgen/reload.js" defer></script>' in page
    index = site.get("/").body.decode()
    assert f"roles/backend-engineer.yaml:{at + 1}:" in index
    assert 'href="/doc/directeur-ecommerce/job-ad.html"' in index


def test_unknown_addresses_are_404_and_names_cannot_leave_the_project(project: Path):
    site = Site(project, lambda: "v1", "en")
    for path in ("/nothing", "/doc/backend-engineer/job-ad.exe", "/doc/nobody/job-ad.html",
                 "/doc/backend-engineer/interview-kit-principal.html", "/_kitgen/fonts/../../cli.py",
                 "/_kitgen/../company.yaml", "/doc/../company.yaml.html"):
        assert site.get(path).status == 404, path


@pytest.mark.parametrize(("css", "expected"), [
    ("@page { size: A4; margin: 22mm 18mm 20mm 18mm; }", "210mm 297mm 22mm 18mm 20mm 18mm"),
    ("@page { size: letter landscape; margin: 1in; }", "279.4mm 215.9mm 25.4mm 25.4mm 25.4mm 25.4mm"),
    ("@page :first { margin: 0 } @page { size: 150mm 200mm; margin: 1cm 2cm }", "150mm 200mm 10mm 20mm 10mm 20mm"),
])
def test_the_sheet_takes_the_size_and_margins_of_the_page_rule(css: str, expected: str):
    properties = sheet_css(css)
    found = [part.split(":")[1].strip() for part in properties.strip(":root {} ").split(";") if part.strip()]
    assert " ".join(found) == expected


def test_the_watcher_sees_an_edit_a_new_file_and_a_removed_one(project: Path):
    from kitgen.commands import open_project

    paths = watching.watched_paths(open_project(project))
    before = watching.snapshot(paths)
    role = project / ROLE
    time.sleep(0.01)
    role.write_text(role.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (project / "roles" / "new.yaml").write_text("id: new\n", encoding="utf-8")
    (project / "roles" / ".#swap.yaml").write_text("x", encoding="utf-8")  # an editor's lock file: ignored
    after = watching.snapshot(paths)
    assert watching.changed(before, after) == [str(project / "roles" / "backend-engineer.yaml"),
                                               str(project / "roles" / "new.yaml")]
    (project / "roles" / "new.yaml").unlink()
    assert watching.changed(after, watching.snapshot(paths)) == [str(project / "roles" / "new.yaml")]
    assert watching.fingerprint(before) != watching.fingerprint(after)


# -- the server over loopback -----------------------------------------------------------------------

@pytest.fixture
def server(project: Path):
    preview = Preview(project, 0, "en")
    preview.start_watching()
    thread = threading.Thread(target=preview.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield preview
    preview.shutdown()
    preview.stop()
    thread.join(WAIT)


def _request(server: Preview, path: str, host: str | None = None) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=WAIT)
    connection.request("GET", path, headers={"Host": host} if host else {})
    response = connection.getresponse()
    result = response.status, dict(response.getheaders()), response.read()
    connection.close()
    return result


def test_the_server_listens_on_loopback_only_and_refuses_other_hosts(server: Preview):
    assert server.server_address[0] == "127.0.0.1"
    status, headers, body = _request(server, "/")
    assert status == 200 and b"Backend Software Engineer" in body
    assert headers["Cache-Control"] == "no-store"
    assert _request(server, "/", host="attacker.example:80")[0] == 421
    assert _request(server, "/", host=f"localhost:{server.server_address[1]}")[0] == 200


def test_the_event_stream_announces_a_new_version_after_an_edit(server: Preview, project: Path):
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=WAIT)
    connection.request("GET", "/_kitgen/events")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    assert response.readline() == b"retry: 500\n"
    first = response.readline().decode().strip()
    assert first == f"data: {server.versions.get()}"
    response.readline()
    role = project / ROLE
    role.write_text(role.read_text(encoding="utf-8").replace("Backend Software Engineer", "Platform Engineer"),
                    encoding="utf-8")
    second = response.readline().decode().strip()
    assert second.startswith("data: ") and second != first
    connection.close()


def _ctrl_c_works() -> None:
    """In the child before it starts: Ctrl-C as on a terminal. A job started in the background by a
    non-interactive shell (a CI runner, `nohup ... &`) inherits SIGINT ignored, and Python then never
    raises KeyboardInterrupt: the SIGINT the tests send would do nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


# -- a real browser ----------------------------------------------------------------------------------

@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = tool("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1200,1600"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=tool("chromedriver")), options=options)
    driver.set_page_load_timeout(WAIT)
    yield driver
    driver.quit()


@pytest.fixture
def running(project: Path):
    """`kitgen preview --port 0 --no-open` in its own process; its address read from its first line."""
    process = subprocess.Popen([sys.executable, "-m", "kitgen", "-C", str(project), "preview", "--port", "0",
                                "--no-open"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=_ctrl_c_works,
                               env={**os.environ, "PYTHONUNBUFFERED": "1", "LANG": "en_US.UTF-8"})
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    deadline = time.monotonic() + WAIT
    while not any("http://" in line for line in lines) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    started = next((line for line in lines if "http://" in line), None)
    if started is None:
        process.kill()
        pytest.fail(f"the preview did not start: {process.stderr.read()}")
    url = started.split(" on ", 1)[1].split()[0]
    yield url, process, lines
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(WAIT)


def _text(driver) -> str:
    """The page's text, read in one script call: an element found and then read can go stale in
    between when the page reloads (Selenium then raises instead of waiting)."""
    return driver.execute_script("return document.body ? document.body.innerText : '';") or ""


def _wait_for(driver, condition, what: str, said: list[str] = ()):
    from selenium.common.exceptions import (JavascriptException, NoSuchElementException,
                                            StaleElementReferenceException)
    from selenium.webdriver.support.ui import WebDriverWait

    reloading = (StaleElementReferenceException, NoSuchElementException, JavascriptException)
    try:
        return WebDriverWait(driver, WAIT, poll_frequency=0.1, ignored_exceptions=reloading).until(
            lambda d: condition(d))
    except Exception:
        pytest.fail(f"{what} within {WAIT:g} s; the server said {list(said)}; the browser is at {driver.current_url} "
                    f"and shows: {_text(driver)[:300]}")


def test_the_preview_in_a_real_browser_reloads_on_edit_shows_errors_and_recovers(browser, running, project: Path):
    from selenium.webdriver.common.by import By

    url, process, lines = running
    assert url.startswith("http://127.0.0.1:")
    browser.get(url)
    assert "Backend Software Engineer" in browser.find_element(By.TAG_NAME, "h2").text
    browser.find_element(By.CSS_SELECTOR, f'a[href="{KIT}.html"]').click()
    _wait_for(browser, lambda d: d.current_url.endswith(f"{KIT}.html"), "the kit's page did not open")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Backend Software Engineer" in body and "Mid-level" in body
    assert browser.find_element(By.CSS_SELECTOR, f'a[href="{KIT}.pdf"]').text == "PDF"

    # An edit: the page reloads by itself (the marker set in this page is gone) and shows the new title.
    browser.execute_script("window.kitgenMarker = 'before';")
    role = project / ROLE
    text = role.read_text(encoding="utf-8")
    role.write_text(text.replace("title: Backend Software Engineer", "title: Platform Reliability Engineer"),
                    encoding="utf-8")
    _wait_for(browser, lambda d: "Platform Reliability Engineer" in _text(d),
              "the page did not show the new title", lines)
    assert browser.execute_script("return window.kitgenMarker === undefined;")
    assert "Backend Software Engineer" not in _text(browser)

    # Broken YAML: the page becomes the list of problems, with the file, line and column.
    lines_of_file = role.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines_of_file) if line.startswith("title:"))
    broken = lines_of_file.copy()
    broken[at] = "title: Platform: Reliability Engineer"
    role.write_text("\n".join(broken) + "\n", encoding="utf-8")
    _wait_for(browser, lambda d: f"roles/backend-engineer.yaml:{at + 1}:" in _text(d),
              "the problem with its line did not appear", lines)
    assert process.poll() is None  # the server keeps running

    # Fixed: the document comes back.
    role.write_text("\n".join(lines_of_file) + "\n", encoding="utf-8")
    _wait_for(browser, lambda d: "Platform Reliability Engineer" in (text := _text(d))
              and "roles/backend-engineer.yaml:" not in text,
              "the document did not come back once fixed", lines)

    # Ctrl-C stops it cleanly, by PID.
    os.kill(process.pid, signal.SIGINT)
    assert process.wait(WAIT) == 0
    assert any("changed: roles/backend-engineer.yaml" in line for line in lines)
    assert lines[-1].strip() == "preview stopped"


def test_a_port_in_use_is_a_usage_error(project: Path, server: Preview):
    from click.testing import CliRunner

    from kitgen.cli import main

    result = CliRunner().invoke(main, ["-C", str(project), "preview", "--no-open", "--port",
                                       str(server.server_address[1])])
    assert result.exit_code == 2
    assert f"port {server.server_address[1]} is already in use" in result.output


# -- build --watch ----------------------------------------------------------------------------------

def _wait_line(lines: list[str], predicate, what: str, process) -> str:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = next((line for line in lines if predicate(line)), None)
        if found is not None:
            return found
        time.sleep(0.05)
    process.kill()
    pytest.fail(f"{what} within {WAIT:g} s; output so far: {lines}")


def test_build_watch_rebuilds_what_changed_reports_errors_and_goes_on(project: Path):
    process = subprocess.Popen([sys.executable, "-m", "kitgen", "-C", str(project), "build", "--watch", "-f", "html"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               preexec_fn=_ctrl_c_works, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()
    try:
        _wait_line(lines, lambda line: line.startswith("watching for changes"), "the first build did not finish",
                   process)
        first = next(line for line in lines if " built, " in line)
        assert first.startswith("12 built, 0 up to date"), lines

        role = project / ROLE
        text = role.read_text(encoding="utf-8")
        role.write_text(text.replace("title: Backend Software Engineer", "title: Platform Engineer"), encoding="utf-8")
        rebuilt = _wait_line(lines, lambda line: "roles/backend-engineer.yaml: " in line, "no rebuild line", process)
        assert rebuilt.split(" ", 1)[1].startswith("roles/backend-engineer.yaml: 4 built, 8 up to date"), rebuilt
        assert "Platform Engineer" in (project / "output" / "backend-engineer" / "job-ad.html").read_text("utf-8")

        lines_of_file = text.splitlines()
        at = next(i for i, line in enumerate(lines_of_file) if line.startswith("title:"))
        lines_of_file[at] = "title: Platform: Engineer"
        role.write_text("\n".join(lines_of_file) + "\n", encoding="utf-8")
        error = _wait_line(lines, lambda line: line.startswith(f"roles/backend-engineer.yaml:{at + 1}:"),
                           "no error line", process)
        assert "inside a text: put the whole text in quotes" in error
        assert process.poll() is None

        role.write_text(text, encoding="utf-8")
        _wait_line(lines, lambda line: line.count("roles/backend-engineer.yaml: 4 built") == 1
                   and line is not rebuilt, "no rebuild after the fix", process)
    finally:
        os.kill(process.pid, signal.SIGINT)
        code = process.wait(WAIT)
    assert code == 0
    assert any("stopped watching" in line for line in lines)


def test_watch_with_clean_is_a_usage_error(cli):
    result = cli("build", "--watch", "--clean")
    assert result.exit_code == 2 and "--watch cannot be used with --clean" in result.output
