"""`kitgen offers` on a generated candidates file, with --jobs 1 and --jobs 2 (issue 14).

    .venv/bin/python bench/offers.py [--rows 1000] [--formats pdf]

Copies the sample project into a temporary folder, writes ROWS candidate rows (both sample roles,
every level and location), then runs `kitgen offers -q` once with each --jobs value, interleaved,
and prints wall time, letters per second and the ratio. Machine, versions and load are printed too.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = [("directeur-ecommerce", "confirme", "Paris", "85000"), ("directeur-ecommerce", "junior", "Régions", "60000"),
        ("backend-engineer", "mid", "Austin", "135000"), ("backend-engineer", "senior", "New York", "190000")]


def candidates(path: Path, rows: int) -> None:
    lines = ["name,role,level,location,salary,start_date"]
    for number in range(rows):
        role, level, place, salary = ROWS[number % len(ROWS)]
        lines.append(f"Candidate {number:05d},{role},{level},{place},{salary},2030-02-01")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(project: Path, csv: Path, jobs: int, formats: str) -> float:
    out = project / f"out-{jobs}"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "kitgen", "-C", str(project), "offers", str(csv), "-f", formats,
                             "-q", "-j", str(jobs), "-o", str(out), "--allow-outside-band"],
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"kitgen offers failed:\n{result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--formats", default="pdf")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"weasyprint {version('weasyprint')}, python-docx {version('python-docx')}, "
          f"load before {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as work:
        project = Path(work) / "project"
        shutil.copytree(ROOT / "roles", project / "roles")
        shutil.copy(ROOT / "company.yaml", project)
        csv = project / "candidates.csv"
        candidates(csv, args.rows)
        times = {1: run(project, csv, 1, args.formats), 2: run(project, csv, 2, args.formats)}
    for jobs, seconds in times.items():
        print(f"kitgen offers ({args.rows} rows, -f {args.formats}) --jobs {jobs}: {seconds:.1f} s, "
              f"{args.rows / seconds:.1f} letters/s")
    print(f"--jobs 2 / --jobs 1: {times[1] / times[2]:.2f}x faster; load after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
