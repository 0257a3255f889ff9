"""`make bench`: measure `kitgen build` on a generated batch and write the results into docs/benchmarks.md.

What is measured (issue 7): (1) PDF time per document, kitgen vs a naive WeasyPrint render;
(2) the whole batch, `kitgen build --jobs 2` vs one LibreOffice call converting the same DOCX;
(3) --jobs 2 vs --jobs 1; (4) a no-op rebuild; (5) `kitgen --help` and `kitgen validate`;
(6) peak RSS per worker. Rounds are interleaved (kitgen, LibreOffice, kitgen...) so that other load
on the machine hits every contender alike; wall and CPU seconds are both reported.

Issue 21 adds S1-S4 and the PDF ratio (see docs/benchmarks.md), a cold single kit against LibreOffice
converting that kit alone, each lever against kitgen without it, and, with --scale N, one build of N
roles to see how the cost grows.

Usage: .venv/bin/python bench/run.py [--roles 20] [--rounds 3] [--scale 200] [--no-write]
The results replace the part of docs/benchmarks.md between the bench:start and bench:end markers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import batch  # noqa: E402  (bench/ is not a package)

ROOT = batch.ROOT
BENCH = ROOT / "bench"
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
PY = sys.executable
LOADS: list[float] = []


# -- running things --------------------------------------------------------------------------------

def timed(cmd: list[str], env: dict | None = None) -> dict:
    """Run a command; its wall time and the CPU seconds of it and all its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LOADS.append(os.getloadavg()[0])
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"wall": wall, "cpu": cpu, "code": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}


def kitgen_build(project: Path, out: Path, *args: str, env: dict | None = None) -> dict:
    """`kitgen -C project build -o out ARGS` through bench/drive.py, which adds the peak RSS figures."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        report = Path(handle.name)
    result = timed([PY, str(BENCH / "drive.py"), str(report), "-C", str(project), "build", "-o", str(out), *args],
                   env)
    result.update(json.loads(report.read_text() or "{}"))
    report.unlink()
    if result["code"] != 0:
        raise SystemExit(f"kitgen build {' '.join(args)} failed:\n{result['stdout']}\n{result['stderr']}")
    return result


def soffice(docx_dir: Path, out_dir: Path, profile: Path) -> dict:
    """One LibreOffice call converting every DOCX; soffice exits 0 even on failure: count the PDFs."""
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    files = sorted(docx_dir.glob("*.docx"))
    result = timed(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out_dir), *map(str, files)])
    converted = [f for f in files if (out_dir / f"{f.stem}.pdf").is_file() and (out_dir / f"{f.stem}.pdf").stat().st_size]
    if len(converted) != len(files):
        raise SystemExit(f"LibreOffice converted {len(converted)} of {len(files)} files:\n{result['stderr']}")
    result["files"] = len(files)
    return result


def flat_docx(out: Path, target: Path) -> int:
    """Copy the build's DOCX into one folder (role-prefixed names) for `soffice ... *.docx`."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for path in out.rglob("*.docx"):
        shutil.copy(path, target / f"{path.parent.name}--{path.name}")
    return len(list(target.glob("*.docx")))


# -- the measurements ------------------------------------------------------------------------------

def pdf_per_document(project: Path, roles: list[str], rounds: int) -> dict:
    result = timed([PY, str(BENCH / "pdf_compare.py"), str(project), *roles, "--rounds", str(rounds)])
    if result["code"] != 0:
        raise SystemExit(result["stderr"])
    return json.loads(result["stdout"])


def batch_rounds(project: Path, work: Path, rounds: int) -> dict:
    runs: dict[str, list[dict]] = {key: [] for key in
                                   ("jobs2", "noop", "jobs1", "pdf_jobs2", "pdf_forkserver", "soffice")}
    profile = work / "lo-profile"
    for number in range(rounds):
        print(f"round {number + 1}/{rounds}", file=sys.stderr)
        runs["jobs2"].append(kitgen_build(project, work / "out2", "--force", "--jobs", "2", "-f", "pdf,docx", "-q"))
        runs["noop"].append(kitgen_build(project, work / "out2", "--jobs", "2", "-f", "pdf,docx", "-q"))
        docx = flat_docx(work / "out2", work / "docx")
        if number == 0:  # LibreOffice creates its profile on first use: warm it, do not count it
            first = next((work / "docx").glob("*.docx"))
            timed(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                   "--outdir", str(work / "lo-warm"), str(first)])
        runs["soffice"].append(soffice(work / "docx", work / "lo-pdf", profile))
        runs["pdf_jobs2"].append(kitgen_build(project, work / "outpdf", "--force", "--jobs", "2", "-f", "pdf", "-q"))
        runs["jobs1"].append(kitgen_build(project, work / "out1", "--force", "--jobs", "1", "-f", "pdf,docx", "-q"))
        runs["pdf_forkserver"].append(kitgen_build(project, work / "outfs", "--force", "--jobs", "2", "-f", "pdf", "-q",
                                                   env={"KITGEN_START_METHOD": "forkserver"}))
    for _ in range(4):  # more no-op samples: they are short
        runs["noop"].append(kitgen_build(project, work / "out2", "--jobs", "2", "-f", "pdf,docx", "-q"))
    # A "no-op" that built something saw a shared input change meanwhile (a template edited while
    # the benchmark ran): it measured a rebuild, not a no-op.
    runs["noop_rebuilt"] = [r for r in runs["noop"] if r["built"]]
    runs["noop"] = [r for r in runs["noop"] if not r["built"]] or runs["noop"]
    runs["documents"] = docx
    return runs


def cold_kit(project: Path, work: Path, role: str, level: str, samples: int = 5) -> dict:
    """S3: one interview kit PDF in a new process (`kitgen kit`), end to end, against LibreOffice
    converting that kit's DOCX alone (its profile warm); samples interleaved."""
    kitgen = str(Path(PY).with_name("kitgen"))
    docx_dir = work / "cold-docx"
    shutil.rmtree(docx_dir, ignore_errors=True)
    made = timed([kitgen, "-C", str(project), "kit", role, "--level", level, "-f", "docx", "-o", str(docx_dir)])
    docx = next(docx_dir.rglob("*.docx"), None)
    if made["code"] != 0 or docx is None:
        raise SystemExit(f"kitgen kit failed:\n{made['stdout']}\n{made['stderr']}")
    profile = work / "lo-profile"
    lo_command = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                  "--outdir", str(work / "cold-lo"), str(docx)]
    timed(lo_command)  # the profile's first use
    kit, lo = [], []
    for _ in range(samples):
        run = timed([kitgen, "-C", str(project), "kit", role, "--level", level, "-f", "pdf", "-o", str(work / "cold"),
                     "--force"])
        if run["code"] != 0:
            raise SystemExit(f"kitgen kit failed:\n{run['stdout']}\n{run['stderr']}")
        kit.append(run["wall"])
        lo.append(timed(lo_command)["wall"])
    imports = timed([PY, "-X", "importtime", "-c", "import weasyprint"])["stderr"]
    weasy = [row for row in top_imports(imports, 40) if row[0] in ("weasyprint", "weasyprint.text.ffi")]
    return {"kit": kit, "soffice": lo, "role": role, "level": level, "weasyprint_import": weasy}


def scale(roles: int) -> dict:
    """One `build --force --jobs 2 -f pdf,docx` of a batch of `roles` role files (cost growth)."""
    project = batch.make_project(roles, batch.WORK / "scale")
    run = kitgen_build(project, batch.WORK / "scale" / "out", "--force", "--jobs", "2", "-f", "pdf,docx", "-q")
    run["roles"] = roles
    shutil.rmtree(batch.WORK / "scale", ignore_errors=True)
    return run


def startup(samples: int = 7) -> dict:
    kitgen = str(Path(PY).with_name("kitgen"))
    helps = [timed([kitgen, "--help"])["wall"] for _ in range(samples)]
    validates = [timed([kitgen, "-C", str(ROOT), "validate"])["wall"] for _ in range(samples)]
    bare = [timed([PY, "-c", "pass"])["wall"] for _ in range(samples)]
    probe = ("import sys; from kitgen.cli import main\ntry:\n    main(['-C', sys.argv[1], 'validate'])\n"
             "except SystemExit:\n    pass\nprint('weasyprint' in sys.modules, 'pydantic' in sys.modules)")
    loaded = timed([PY, "-c", probe, str(ROOT)])["stdout"].split()[-2:]
    importtime = timed([PY, "-X", "importtime", "-c", "import kitgen.cli"])["stderr"]
    return {"help": helps, "validate": validates, "python": bare, "weasyprint_loaded": loaded[0],
            "pydantic_loaded": loaded[1], "imports": top_imports(importtime)}


def top_imports(importtime: str, count: int = 8) -> list[tuple[str, float]]:
    """The top-level imports of `import kitgen.cli` by cumulative time (ms)."""
    rows = []
    for line in importtime.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            depth = (len(name) - len(name.lstrip())) // 2
            if depth <= 2:
                rows.append((name.strip(), int(parts[1]) / 1000))
    return sorted(rows, key=lambda row: -row[1])[:count]


# -- the report ------------------------------------------------------------------------------------

def med(values) -> float:
    return statistics.median(values)


def spread(values, unit: str = "s", digits: int = 1) -> str:
    return f"{med(values):.{digits}f} {unit} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    versions = {}
    for package in ("kitgen", "weasyprint", "python-docx", "lxml", "pydantic", "fonttools"):
        versions[package] = subprocess.run([PY, "-c", f"from importlib.metadata import version; print(version('{package}'))"],
                                           capture_output=True, text=True).stdout.strip()
    office = subprocess.run(["soffice", "--version"], capture_output=True, text=True).stdout.strip()
    probe = "from weasyprint.text.ffi import harfbuzz_subset; print(harfbuzz_subset is not None)"
    subsetter = subprocess.run([PY, "-c", probe], capture_output=True, text=True).stdout.strip()
    return {"harfbuzz_subset": {"True": "installed", "False": "not installed"}.get(subsetter, "unknown"),"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": mem_kb / 1024 / 1024, "python": platform.python_version(),
            "versions": versions, "libreoffice": office}


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def render(info: dict, pdf: dict, runs: dict, start: dict, cold: dict, scaled: dict | None, args) -> str:
    docs = pdf["documents"]
    cpu = pdf["cpu"]
    ratios = [cpu["kitgen"][d] / cpu["naive"][d] for d in docs]
    total_ratio = sum(cpu["kitgen"].values()) / sum(cpu["naive"].values())
    keys = [key for key in runs if key not in ("documents", "noop_rebuilt")]
    walls = {key: [r["wall"] for r in runs[key]] for key in keys}
    cpus = {key: [r["cpu"] for r in runs[key]] for key in keys}
    # forkserver workers are the server's children, not ours: add their own CPU time
    cpus["pdf_forkserver"] = [r["cpu"] + sum(r["worker_cpu_s"]) for r in runs["pdf_forkserver"]]
    s1 = med(walls["jobs2"]) / med(walls["soffice"])
    s2 = med(walls["pdf_jobs2"]) / med(walls["soffice"])
    s3, s3_lo = med(cold["kit"]), med(cold["soffice"])
    s4 = (med(walls["jobs2"]) - med(walls["pdf_jobs2"])) / med(walls["jobs2"])
    s4_cpu = (med(cpus["jobs2"]) - med(cpus["pdf_jobs2"])) / med(cpus["jobs2"])
    speedup = med(walls["jobs1"]) / med(walls["jobs2"])
    # What two idle cores would give: the --jobs 1 CPU time over the --jobs 2 critical path
    # (the parent's CPU plus the busiest worker's); a busy machine hides the wall-clock gain.
    critical = [r["self_cpu_s"] + max(r["worker_cpu_s"]) for r in runs["jobs2"]]
    modelled = med([r["self_cpu_s"] for r in runs["jobs1"]]) / med(critical)
    noop_share = med(walls["noop"]) / med(walls["jobs2"])
    worker_rss = max(max(r["worker_rss_mb"]) for r in runs["jobs2"] + runs["pdf_jobs2"] + runs["pdf_forkserver"])
    inproc_rss = max(r["self_maxrss_mb"] for r in runs["jobs1"])
    help_s, validate_s = med(start["help"]), med(start["validate"])
    v = info["versions"]
    lines = [
        START,
        f"## Results — {dt.date.today().isoformat()}",
        "",
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram_gb']:.0f} GB RAM; Python {info['python']}, "
        f"kitgen {v['kitgen']}, WeasyPrint {v['weasyprint']}, python-docx {v['python-docx']}, lxml {v['lxml']}, "
        f"pydantic {v['pydantic']}, fontTools {v['fonttools']}; {info['libreoffice']}; HarfBuzz subsetter "
        f"(libharfbuzz-subset0): {info['harfbuzz_subset']}.",
        f"Load average (1 min) seen during the run: {min(LOADS):.1f}–{max(LOADS):.1f} on {info['nproc']} CPUs "
        "(other work shared the machine: wall times include it, CPU times do not).",
        f"Batch: {args.roles} role files generated by `bench/batch.py` from the two samples (the French one in "
        f"French and English) → {runs['documents']} documents (ads and interview kits), each as PDF and DOCX.",
        f"Command: `.venv/bin/python bench/run.py --roles {args.roles} --rounds {args.rounds}"
        f"{f' --scale {args.scale}' if args.scale else ''}` (`make bench`); {args.rounds} interleaved rounds, "
        "medians (min–max).",
        "",
        "| # | Measure | Goal | Result | Met |",
        "|---|---|---|---|---|",
        f"| S1 | batch wall time, `kitgen build --jobs 2 --force -f pdf,docx` / one `soffice --convert-to pdf` of "
        f"the same {runs['documents']} DOCX | < 1.0 | {s1:.2f} ({med(walls['jobs2']):.1f} s / "
        f"{med(walls['soffice']):.1f} s) | {verdict(s1 < 1)} |",
        f"| S2 | the same with `-f pdf` / soffice | < 1.0 (aim 0.8) | {s2:.2f} ({med(walls['pdf_jobs2']):.1f} s / "
        f"{med(walls['soffice']):.1f} s) | {verdict(s2 < 1)} |",
        f"| S3 | one interview kit PDF, new process, end to end (`kitgen kit {cold['role']} --level {cold['level']} "
        f"-f pdf`) | < 1.0 s and < soffice converting that kit's DOCX alone | {s3:.2f} s (soffice: {s3_lo:.2f} s) | "
        f"{verdict(s3 < 1 and s3 < s3_lo)} |",
        f"| S4 | DOCX share of the PDF + DOCX batch, (S1 − S2) / S1 | < 8 % | {s4 * 100:.0f} % of the wall time "
        f"({s4_cpu * 100:.0f} % of the CPU time) | {verdict(s4 < 0.08)} |",
        f"| P | kitgen PDF / naive WeasyPrint on the same HTML, CPU per document (median of {len(docs)}) | ≤ 0.7 | "
        f"{med(ratios):.2f} (sum over documents {total_ratio:.2f}) | {verdict(med(ratios) <= 0.7)} |",
        f"| 3 | `--jobs 1` / `--jobs 2` wall time (PDF + DOCX) | ≥ 1.7× | {speedup:.2f}× (CPU model for two idle "
        f"cores: {modelled:.2f}×) | {verdict(speedup >= 1.7)} |",
        f"| 4 | no-op rebuild / full build | < 5 % and < 1 s | {noop_share * 100:.1f} %, {med(walls['noop']):.2f} s | "
        f"{verdict(noop_share < 0.05 and med(walls['noop']) < 1)} |",
        f"| 5 | `kitgen --help` / `kitgen validate` (sample project) | < 0.3 s | {help_s:.2f} s / {validate_s:.2f} s "
        f"(bare `python -c pass`: {med(start['python']):.2f} s) | {verdict(help_s < 0.3 and validate_s < 0.3)} |",
        f"| 6 | peak RSS of a worker (`--jobs 2`) | < 300 MB | {worker_rss:.0f} MB (in-process `--jobs 1`: "
        f"{inproc_rss:.0f} MB) | {verdict(worker_rss < 300)} |",
        "",
        "### Per document, and each lever against kitgen without it (one process, CPU seconds, medians)",
        "",
        f"`.venv/bin/python bench/pdf_compare.py bench/work/project {' '.join(args.pdf_roles)} --rounds {args.rounds}`",
        "",
        "| document | pages | naive PDF | kitgen PDF | ratio | PDF, subset fonts¹ | PDF, no tags¹ | "
        "DOCX | DOCX, tinyhtml5 | DOCX, styles from scratch | PDF size kitgen / naive |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for doc in docs:
        phase = pdf["phases"][doc]
        lines.append(
            f"| {doc} | {phase['pages']} | {cpu['naive'][doc]:.3f} | {cpu['kitgen'][doc]:.3f} | "
            f"{cpu['kitgen'][doc] / cpu['naive'][doc]:.2f} | "
            f"{cpu['kitgen, subset fonts (old)'][doc]:.3f} | {cpu['kitgen, no tags'][doc]:.3f} | "
            f"{cpu['docx'][doc]:.3f} | {cpu['docx, tinyhtml5'][doc]:.3f} | {cpu['docx, styles from scratch'][doc]:.3f} | "
            f"{pdf['sizes']['kitgen'][doc] // 1024} KB / {pdf['sizes']['naive'][doc] // 1024} KB |")
    total = {name: sum(cpu[name].values()) for name in cpu}
    lines += [
        "",
        "¹ kitgen's fonts, stylesheet and fetcher with WeasyPrint's `write_pdf` alone: no PDF/UA "
        "declaration, form fields, finisher or page composition; \"subset fonts\" subsets Kitgen Sans "
        "(with HarfBuzz when installed) and keeps the tags, \"no tags\" embeds the whole faces without tags.",
        "",
        f"Sums over the {len(docs)} documents: PDF {total['kitgen']:.2f} s ("
        f"subset fonts: {total['kitgen, subset fonts (old)']:.2f} s, naive: {total['naive']:.2f} s); DOCX "
        f"{total['docx']:.2f} s (tinyhtml5: {total['docx, tinyhtml5']:.2f} s, styles from scratch: "
        f"{total['docx, styles from scratch']:.2f} s); DOCX / PDF CPU: {total['docx'] / total['kitgen']:.2f}.",
        "",
        "### S3. One kit, cold",
        "",
        f"`kitgen kit {cold['role']} --level {cold['level']} -f pdf`: {spread(cold['kit'], digits=2)}; LibreOffice "
        f"converting that kit's DOCX alone (profile already created): {spread(cold['soffice'], digits=2)}. "
        "Importing WeasyPrint (`python -X importtime -c 'import weasyprint'`, cumulative): "
        + ", ".join(f"{name} {ms:.0f} ms" for name, ms in cold["weasyprint_import"]) + ".",
    ]
    if scaled:
        small = runs["jobs2"]
        per_small = med([r["cpu"] for r in small]) / runs["documents"]
        documents = scaled["built"] // 2 if scaled["built"] else 0
        per_large = scaled["cpu"] / max(documents, 1)
        lines += [
            "",
            "### Growth: 20 to many roles",
            "",
            f"`kitgen build --force --jobs 2 -f pdf,docx` of {scaled['roles']} role files ({documents} documents): "
            f"{scaled['wall']:.1f} s wall, {scaled['cpu']:.1f} s CPU, {per_large:.3f} s CPU per document against "
            f"{per_small:.3f} s for {args.roles} roles ({per_large / per_small:.2f}×: linear when close to 1); "
            f"peak RSS of a worker {max(scaled['worker_rss_mb']):.0f} MB.",
        ]
    lines += [
        "",
        "### 2–4, 6. The batch",
        "",
        "| run | command | wall | CPU (all processes) | peak RSS: parent / largest worker | CPU per worker |",
        "|---|---|---|---|---|---|",
    ]
    commands = {
        "jobs2": "kitgen build --force --jobs 2 -f pdf,docx",
        "jobs1": "kitgen build --force --jobs 1 -f pdf,docx",
        "pdf_jobs2": "kitgen build --force --jobs 2 -f pdf",
        "pdf_forkserver": "KITGEN_START_METHOD=forkserver kitgen build --force --jobs 2 -f pdf",
        "noop": "kitgen build --jobs 2 -f pdf,docx (nothing changed)",
        "soffice": f"soffice -env:UserInstallation=… --headless --convert-to pdf *.docx ({runs['documents']} files)",
    }
    for key, command in commands.items():
        kitgen = key != "soffice"
        rss = (f"{max(r['self_maxrss_mb'] for r in runs[key]):.0f} MB / "
               f"{max([0, *(w for r in runs[key] for w in r['worker_rss_mb'])]):.0f} MB") if kitgen else "–"
        typical = sorted(runs[key], key=lambda r: r["wall"])[len(runs[key]) // 2]  # the median run
        balance = " + ".join(f"{c:.1f}" for c in sorted(typical["worker_cpu_s"])) if kitgen else "–"
        lines.append(f"| {key} | `{command}` | {spread(walls[key], digits=2 if key == 'noop' else 1)} | "
                     f"{spread(cpus[key], digits=2 if key == 'noop' else 1)} | {rss} | {balance or '–'} |")
    if runs["noop_rebuilt"]:
        lines += ["", f"{len(runs['noop_rebuilt'])} no-op run(s) rebuilt files because a shared input (template, "
                      "stylesheet or catalog) changed while the benchmark ran; they are left out of the no-op row."]
    lines += [
        "",
        "### 5. Start-up",
        "",
        f"`kitgen --help`: {spread(start['help'], digits=2)}; `kitgen validate`: {spread(start['validate'], digits=2)}; "
        f"`python -c pass`: {spread(start['python'], digits=2)}. After `validate`, weasyprint imported: "
        f"{start['weasyprint_loaded']}; pydantic imported: {start['pydantic_loaded']}.",
        "",
        "Largest imports of `import kitgen.cli` (`python -X importtime`, cumulative ms):",
        "",
        *[f"- {name}: {ms:.0f} ms" for name, ms in start["imports"]],
        END,
    ]
    return "\n".join(lines) + "\n"


def write(section: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    DOC.write_text(head + section.rstrip("\n") + tail, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmarks of kitgen build (writes docs/benchmarks.md)")
    parser.add_argument("--roles", type=int, default=20, help="role files in the batch (default 20)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--scale", type=int, default=0, help="also build this many roles once (cost growth)")
    parser.add_argument("--no-write", action="store_true", help="print the results instead of updating the doc")
    args = parser.parse_args()
    if shutil.which("soffice") is None:
        raise SystemExit("LibreOffice (soffice) is needed for the comparison: apt-get install libreoffice-writer-nogui")
    info = machine()
    project = batch.make_project(args.roles)
    args.pdf_roles = ["directeur-ecommerce-00", "backend-engineer-01"]  # one French, one English role
    print("PDF per document...", file=sys.stderr)
    pdf = pdf_per_document(project, args.pdf_roles, args.rounds)
    print("batch...", file=sys.stderr)
    runs = batch_rounds(project, batch.WORK, args.rounds)
    print("one kit, cold...", file=sys.stderr)
    cold = cold_kit(project, batch.WORK, "directeur-ecommerce-00", "confirme")
    print("start-up...", file=sys.stderr)
    start = startup()
    scaled = None
    if args.scale:
        print(f"{args.scale} roles...", file=sys.stderr)
        scaled = scale(args.scale)
    section = render(info, pdf, runs, start, cold, scaled, args)
    if args.no_write:
        print(section)
    else:
        write(section)
        print(f"updated {DOC.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
