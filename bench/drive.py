"""Run one kitgen command like the `kitgen` script does, then report its resource use as JSON.

`python bench/drive.py RESULT.json build --jobs 2 ...` = `kitgen build --jobs 2 ...`, plus RESULT.json
with the exit code, the peak RSS and CPU seconds of this process and of its children (pool workers
are reaped when the pool shuts down), and, for `build`, each worker's own peak RSS and CPU seconds
as the build's Report gives them (forkserver workers are not this process's children).
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path


def capture_reports(reports: list) -> None:
    """Keep the Report of `kitgen.commands.build.build` (the command imports it when it runs)."""
    from kitgen.commands import build

    original = build.build

    def build_and_keep(*args, **kwargs):
        reports.append(original(*args, **kwargs))
        return reports[-1]

    build.build = build_and_keep


def main() -> None:
    from kitgen.cli import main as kitgen

    result_path, args = Path(sys.argv[1]), sys.argv[2:]
    reports: list = []
    capture_reports(reports)
    try:
        kitgen(args, prog_name="kitgen")
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    result_path.write_text(json.dumps({
        "code": code,
        "self_maxrss_mb": own.ru_maxrss / 1024,
        "children_maxrss_mb": children.ru_maxrss / 1024,
        "self_cpu_s": own.ru_utime + own.ru_stime,
        "children_cpu_s": children.ru_utime + children.ru_stime,
        "worker_rss_mb": [kb / 1024 for kb in reports[-1].worker_rss_kb.values()] if reports else [],
        "worker_cpu_s": list(reports[-1].worker_cpu_s.values()) if reports else [],
        "built": len(reports[-1].built) if reports else 0,
    }))
    sys.exit(code)


if __name__ == "__main__":
    main()
