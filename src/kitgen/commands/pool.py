"""The process pool that renders documents for `kitgen build` and `kitgen offers`.

Workers only render (role -> HTML -> bytes) and send the bytes back; the parent writes every file
through its `OutputFolder`. A worker keeps its Jinja environments, font configuration and parsed
stylesheets across documents (they are lru_cached per process), so each worker pays WeasyPrint's
start-up once. Workers die with their parent (`PR_SET_PDEATHSIG`); a worker that dies fails only
the document it was rendering; any exception in a worker comes back as a message.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from kitgen.documents.rendered import AD, KIT
from kitgen.errors import KitgenError
from kitgen.i18n import tr

START_METHOD_ENV = "KITGEN_START_METHOD"  # benchmarks compare 'fork' and 'forkserver'
CRASH_ENV = "KITGEN_CRASH_ON"  # tests only: a worker dies (os._exit) when it starts this document
PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Job:
    """One document to render, in the formats whose output is not up to date."""

    role_id: str
    kind: str
    level: str | None
    stem: str
    formats: tuple[str, ...]
    options: object = None  # an offer letter's OfferOptions
    lang: str | None = None  # the letter's language, when not the role's
    docx_template: Path | None = None  # an offer's Word letterhead
    stage: str | None = None  # a stage kit's stage id

    @property
    def weight(self) -> int:
        """Rough cost, so the pool starts with the long kit PDFs and does not end on one."""
        return (2 if self.kind == KIT else 1) * (4 if "pdf" in self.formats else 1)


@dataclass
class Result:
    """What a worker sends back: the rendered files, or the message of what went wrong."""

    stem: str
    files: dict[str, bytes] = field(default_factory=dict)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    pid: int = 0
    max_rss_kb: int = 0
    cpu_s: float = 0.0  # the worker's CPU time so far (for the benchmarks' balance figure)


_STATE: dict = {}


def init_worker(state: dict, ignore_sigint: bool = True) -> None:
    """Pool initializer: the roles, company and folders every document of this build needs."""
    if ignore_sigint:  # the parent handles Ctrl-C and stops the pool; workers just die quietly
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        die_with_parent()
    _STATE.clear()
    _STATE.update(state)


def die_with_parent() -> None:
    """Ask Linux to kill this worker when the build that started it dies (SIGKILL, a CI cancel):
    an orphaned worker would otherwise stay blocked on its pipe, holding ~100 MB, for ever."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() == 1:  # the parent died before the call: nobody will read our results
            os._exit(1)


def render_job(job: Job) -> Result:
    """Render one document in every stale format, in memory; errors come back as messages. Each
    format on its own: a PDF that fails (a refused font) does not take the DOCX with it."""
    from kitgen.outputs.produce import render_formats

    if os.environ.get(CRASH_ENV) == job.stem and _STATE.get("in_pool"):
        os._exit(70)
    result = Result(job.stem)
    try:
        doc = _render_document(job)
    except BaseException as exc:
        result.error = _message(exc)
        return _with_usage(result)
    errors = []
    for name in job.formats:
        try:
            result.files.update(render_formats(doc, [name]))
        except BaseException as exc:
            errors.append(_message(exc))
    result.error = "; ".join(errors) or None
    result.warnings = list(doc.warnings)
    return _with_usage(result)


def _message(exc: BaseException) -> str:
    """What went wrong, as text that pickles (the exception itself may not): a kitgen error's own
    words, else the exception's type and text. Ctrl-C and exit still stop the worker."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
        raise exc
    if isinstance(exc, KitgenError):
        return exc.message
    return f"{type(exc).__name__}: {exc}"  # a bug, an environment problem, a library's BaseException


def _render_document(job: Job):
    from kitgen.documents.context import AdOptions, KitOptions
    from kitgen.documents.render import render_ad, render_kit, render_offer

    role, company = _STATE["roles"][job.role_id], _STATE["company"]
    templates, root = _STATE["templates"], _STATE["root"]
    if job.kind == AD:
        return render_ad(role, company, AdOptions(), templates, job.lang, root)
    if job.kind == KIT:
        return render_kit(role, company, KitOptions(level=job.level, stage=job.stage), templates, job.lang, root)
    doc = render_offer(role, company, job.options, templates, job.lang, root, stem=job.stem)
    doc.docx_template = job.docx_template
    return doc


def _with_usage(result: Result) -> Result:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    result.pid, result.max_rss_kb, result.cpu_s = os.getpid(), usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    return result


def start_method() -> str:
    """'fork' where it exists (cheapest start, nothing heavy is imported yet), else the default."""
    wanted = os.environ.get(START_METHOD_ENV)
    methods = multiprocessing.get_all_start_methods()
    if wanted in methods:
        return wanted
    return "fork" if "fork" in methods and sys.platform.startswith("linux") else methods[0]


def _stop(pool: ProcessPoolExecutor) -> None:
    """Kill the workers and cancel what has not started (no public API for the first before 3.14;
    take the processes before shutdown(), which forgets them)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def run_jobs(jobs: list[Job], workers: int, state: dict):
    """Yield each Result as it is done: in this process for one worker, else in a process pool.

    When a worker dies (out of memory, a crash in a library, a kill), the pool breaks and every
    document not done yet comes back unrendered; each of those is then rendered again alone, in a
    pool of its own, so that only the document that kills its worker fails.
    """
    if workers <= 1:
        init_worker(state, ignore_sigint=False)
        for job in jobs:
            yield job, render_job(job)
        return
    suspects = []
    for job, result in _pool_round(jobs, workers, state):
        if result is None:
            suspects.append(job)
        else:
            yield job, result
    for suspect in suspects:
        for job, result in _pool_round([suspect], 1, state):
            yield job, result or Result(job.stem, error=tr("the worker process died while rendering it (out of "
                                                            "memory, or a crash in a library)"))


def _pool_round(jobs: list[Job], workers: int, state: dict):
    """(job, Result), or (job, None) for a job lost when the pool broke."""
    context = multiprocessing.get_context(start_method())
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=init_worker,
                               initargs=(dict(state, in_pool=True),))
    try:
        pending, unsent = {}, []
        for job in jobs:
            try:
                pending[pool.submit(render_job, job)] = job
            except BrokenProcessPool:  # a worker died while the jobs were still being sent
                unsent.append(job)
        for job in unsent:
            yield job, None
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                job = pending.pop(future)
                try:
                    yield job, future.result()
                except BrokenProcessPool:
                    yield job, None
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)
