"""The manifest's cost per written file, with 1,000 and 5,000 entries already recorded (issue 14).

`kitgen offers` used to rewrite the whole manifest after each letter: the cost per letter grew with
the number of entries (quadratic batches). Now each write appends one fsynced journal line and the
manifest is saved at most once a second. This script writes 300 small files into an output folder
that already lists N entries, both ways, in the same run, and prints the milliseconds per file:

    .venv/bin/python bench/manifest.py            # results go to docs/benchmarks.md by hand

No rendering: what is measured is the bookkeeping around a letter, not the letter.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from kitgen.outputs.folder import MANIFEST, OutputFolder  # noqa: E402

WRITES = 300
SIZES = (1000, 5000)


def seed(out: Path, entries: int) -> None:
    """An output folder whose manifest lists `entries` files (as a long-used project's would)."""
    out.mkdir(parents=True)
    outputs = {f"role-{i % 50}/offer-person-{i}.pdf": {"role": f"role-{i % 50}", "sha256": "0" * 64,
                                                        "for": f"Person {i}", "project": ".."}
               for i in range(entries)}
    (out / MANIFEST).write_text(json.dumps({"outputs": outputs}, indent=1, sort_keys=True), encoding="utf-8")


def per_file(out: Path, save_each: bool) -> float:
    """Milliseconds per written file: write + bookkeeping (journal, manifest)."""
    with OutputFolder(out) as folder:
        started = time.perf_counter()
        for i in range(WRITES):
            folder.write(f"bench/offer-{i}-{save_each}.pdf", b"%PDF-1.7 tiny letter\n", {"role": "bench"})
            if save_each:
                folder.save()  # what every letter used to cost
            else:
                folder.save_every(1.0)
        elapsed = time.perf_counter() - started
    return elapsed / WRITES * 1000


def main() -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load {os.getloadavg()[0]:.2f}")
    print(f"{WRITES} writes each; median of 3 rounds, ms per file")
    for entries in SIZES:
        batched, each = [], []
        for round_ in range(3):
            with tempfile.TemporaryDirectory() as work:
                for name, bucket, save_each in (("batched", batched, False), ("each", each, True)):
                    out = Path(work) / f"{name}-{round_}"
                    seed(out, entries)
                    bucket.append(per_file(out, save_each))
        print(f"{entries:>5} entries: batched {statistics.median(batched):6.2f} ms/file, "
              f"saved after each file {statistics.median(each):6.2f} ms/file "
              f"(ratio {statistics.median(each) / statistics.median(batched):.1f}x)")


if __name__ == "__main__":
    main()
