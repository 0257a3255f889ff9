"""Issue 8: untrusted input. Nothing fetched, nothing leaked, role text is always text, user
templates are sandboxed and their errors name the file and line."""

from __future__ import annotations

import http.server
import os
import threading
from pathlib import Path

import pytest
import yaml

from tests.support import docx_text, pdf_text, squash

CANARY = "KITGEN-CANARY-7f3a"


@pytest.fixture
def server():
    """A loopback HTTP server that records every request it gets (none may arrive)."""
    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", requests
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(CANARY, encoding="utf-8")
    return path


def _payloads(url: str, canary: Path) -> list[str]:
    return [
        f"<img src={url}/img.png>",
        f'<link rel="attachment" href="{canary.as_uri()}">',
        f"<img src={canary.as_uri()}>",
        "<script>alert(1)</script>",
        "{{ 7*7 }}",
        "{% raw %}",
        f'<style>@import url("{url}/x.css");</style>',
    ]


def _inject(project: Path, payloads: list[str]) -> None:
    path = project / "roles" / "backend-engineer.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["summary"] = " ".join(payloads)
    data["missions"] = list(payloads)
    data["interview"]["questions"][0]["text"] = payloads[0] + " " + payloads[4]
    data["interview"]["questions"][0]["look_for"] = list(payloads)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, width=1000), encoding="utf-8")


@pytest.mark.parametrize("command", [
    ("ad", "backend-engineer"),
    ("kit", "backend-engineer", "--level", "mid"),
])
def test_role_text_stays_text_and_nothing_is_fetched(cli, project, server, canary, command):
    url, requests = server
    payloads = _payloads(url, canary)
    _inject(project, payloads)
    result = cli(*command, "-f", "pdf,docx,html")
    assert result.exit_code == 0, result.output
    stem = "job-ad" if command[0] == "ad" else "interview-kit-mid"
    out = project / "output" / "backend-engineer"
    from pypdf import PdfReader

    reader = PdfReader(str(out / f"{stem}.pdf"))
    assert not reader.attachments
    raw = (out / f"{stem}.pdf").read_bytes()
    assert CANARY.encode() not in raw
    for text in (pdf_text(out / f"{stem}.pdf"), docx_text(out / f"{stem}.docx")):
        for payload in payloads:
            assert squash(payload) in squash(text)
        assert "{{7*7}}" in squash(text)  # printed literally, never evaluated (no "49" in its place)
    html = (out / f"{stem}.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "{{ 7*7 }}" in html
    assert requests == []


def test_candidate_name_stays_text(cli, project, server):
    url, requests = server
    name = f"<img src={url}/x.png> {{{{ 7*7 }}}}"
    result = cli("kit", "backend-engineer", "--level", "mid", "--candidate", name, "-f", "pdf,docx")
    assert result.exit_code == 0, result.output
    pdf = next((project / "output" / "backend-engineer").glob("interview-kit-mid-*.pdf"))
    assert squash(name) in squash(pdf_text(pdf))
    assert squash(name) in squash(docx_text(pdf.with_suffix(".docx")))
    assert requests == []


def _user_template(project: Path, body: str, name: str = "job-ad.html.j2") -> None:
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / name).write_text(body, encoding="utf-8")


EXTENDS = '{% extends "builtin/job-ad.html.j2" %}{% block summary %}'


@pytest.mark.parametrize("markup,reason", [
    ('<img src="{url}/logo.png">', "refused to fetch"),
    ('<img src="file:///etc/passwd">', "refused to fetch"),
    ('<link rel="attachment" href="{canary}">', "refused to fetch"),
    ('<link rel="stylesheet" href="{url}/style.css">', "refused to fetch"),
])
def test_template_resources_outside_the_allow_list_fail_the_document(cli, project, server, canary, markup,
                                                                      reason):
    url, requests = server
    _user_template(project, EXTENDS + markup.format(url=url, canary=canary.as_uri()) + "{% endblock %}")
    result = cli("ad", "backend-engineer", "-f", "pdf")
    assert result.exit_code == 1
    assert reason in result.output
    assert "Traceback" not in result.output
    assert not (project / "output" / "backend-engineer" / "job-ad.pdf").exists()
    assert requests == []


def test_symlink_to_a_local_file_is_refused(cli, project):
    _user_template(project, EXTENDS + '<img src="leak.png">{% endblock %}')
    os.symlink("/etc/passwd", project / "templates" / "leak.png")
    result = cli("ad", "backend-engineer", "-f", "pdf")
    assert result.exit_code == 1
    assert "refused to fetch" in result.output


def test_fifo_is_refused(cli, project):
    _user_template(project, EXTENDS + '<img src="pipe.png">{% endblock %}')
    os.mkfifo(project / "templates" / "pipe.png")
    result = cli("ad", "backend-engineer", "-f", "pdf")
    assert result.exit_code == 1
    assert "not a regular file" in result.output


def test_template_folder_images_and_data_urls_are_allowed(cli, project):
    pixel = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
    import base64

    (project / "templates").mkdir()
    (project / "templates" / "dot.png").write_bytes(base64.b64decode(pixel))
    _user_template(project, EXTENDS + f'<img src="dot.png"><img src="data:image/png;base64,{pixel}">'
                   "{% endblock %}")
    result = cli("ad", "backend-engineer", "-f", "pdf")
    assert result.exit_code == 0, result.output


def test_user_templates_are_sandboxed(cli, project):
    _user_template(project, EXTENDS + "{{ ''.__class__.__mro__[1].__subclasses__() }}{% endblock %}")
    result = cli("ad", "backend-engineer", "-f", "html")
    assert result.exit_code == 1
    assert "job-ad.html.j2" in result.output
    assert "unsafe" in result.output or "access to attribute" in result.output


def test_template_syntax_error_names_file_and_line(cli, project):
    _user_template(project, "line one\n{% if %}\n")
    result = cli("ad", "backend-engineer", "-f", "html")
    assert result.exit_code == 1
    assert "job-ad.html.j2:2:" in result.output


def test_undefined_variable_names_file_and_line(cli, project):
    _user_template(project, EXTENDS + "\n\n{{ role.no_such_field }}{% endblock %}")
    result = cli("ad", "backend-engineer", "-f", "html")
    assert result.exit_code == 1
    assert "job-ad.html.j2:3" in result.output
    assert "no_such_field" in result.output
