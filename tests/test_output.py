"""Issue 8, nothing broken: one writer, never outside the output folder, never a half-written file,
never a file kitgen did not write (unless --force), readable permissions."""

from __future__ import annotations

import os
import stat

import pytest

from kitgen.errors import OutputError
from kitgen.outputs import files as output


@pytest.mark.parametrize("relative", ["/etc/passwd", "../x.pdf", "a/../../x.pdf", "a\\..\\x.pdf", ""])
def test_paths_outside_the_output_folder_are_refused(tmp_path, relative):
    with pytest.raises(OutputError):
        output.write_file(tmp_path / "out", relative, b"x")


def test_a_symlink_inside_the_output_folder_cannot_lead_outside(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    os.symlink(elsewhere, out / "role")
    with pytest.raises(OutputError, match="role is a symbolic link inside the output folder"):
        output.write_file(out, "role/job-ad.pdf", b"x")
    assert list(elsewhere.iterdir()) == []


def test_out_given_as_a_symlink_writes_inside_its_target(cli, project, tmp_path):
    target = tmp_path / "real-out"
    target.mkdir()
    link = tmp_path / "link-out"
    os.symlink(target, link)
    result = cli("ad", "backend-engineer", "-f", "html", "-o", str(link))
    assert result.exit_code == 0, result.output
    assert (target / "backend-engineer" / "job-ad.html").is_file()


def test_files_are_0644_and_no_temp_file_remains(tmp_path):
    path = output.write_file(tmp_path, "a/b.pdf", b"data")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in path.parent.iterdir()] == ["b.pdf"]


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    output.write_file(tmp_path, "doc.pdf", b"good")

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(output.os, "replace", broken)
    with pytest.raises(OutputError, match="cannot write"):
        output.write_file(tmp_path, "doc.pdf", b"new")
    assert (tmp_path / "doc.pdf").read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.pdf"]


def test_a_file_kitgen_did_not_write_is_not_overwritten(cli, project):
    mine = project / "output" / "backend-engineer" / "job-ad.html"
    mine.parent.mkdir(parents=True)
    mine.write_text("my own notes", encoding="utf-8")
    result = cli("ad", "backend-engineer", "-f", "html")
    assert result.exit_code == 1
    assert "kitgen did not write it (use --force)" in result.output
    assert mine.read_text(encoding="utf-8") == "my own notes"
    result = cli("ad", "backend-engineer", "-f", "html", "--force")
    assert result.exit_code == 0
    assert "my own notes" not in mine.read_text(encoding="utf-8")
    # kitgen wrote it now: the next run overwrites it without --force
    assert cli("ad", "backend-engineer", "-f", "html").exit_code == 0
