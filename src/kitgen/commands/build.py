"""`kitgen build`: every document of every role, rendered in a process pool, rebuilding only what changed.

Owns the plan (which outputs the chosen roles, levels and formats give), the dependency hash of each
output, the pool, the manifest entries of built files, the progress bar and the summary.

- Dependencies of an output: the role file, the company file and its logo, every file of the
  template search path (project `templates/` and the built-ins: templates and CSS), the catalog of
  the role's language, the fonts (PDF only), kitgen's and the renderer library's versions, the
  document kind, level and format, and SOURCE_DATE_EPOCH. Same hash and same file as recorded in the
  manifest: the output is up to date.
- Workers only render (role -> HTML -> bytes). The parent writes every file through the run's
  `OutputFolder` (temp file + os.replace), so a failed, crashed or interrupted document never
  leaves a partial file and never replaces a good older one.
- A worker keeps its Jinja environments, font configuration and parsed stylesheets across documents
  (they are lru_cached per process), so each worker pays WeasyPrint's start-up once.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ContextManager

from kitgen import __version__
from kitgen.documents import templating
from kitgen.documents.rendered import AD, KIT, ad_stem, kit_stem
from kitgen.errors import DataError, KitgenError, OutputError, UsageError
from kitgen.outputs.folder import DEFAULT_WAIT, OutputFolder
from kitgen.sources import reading, values
from kitgen.sources.project import Project

if TYPE_CHECKING:
    from kitgen.formats import Format
    from kitgen.sources.model import Role

# progress(total) -> a context manager giving advance(role_id); the command line draws the bar.
Progress = Callable[[int], ContextManager[Callable[[str], None]]]
MANIFEST_FLUSH_SECONDS = 1.0  # bounds what a killed build forgets, without rewriting JSON per file
START_METHOD_ENV = "KITGEN_START_METHOD"
CRASH_ENV = "KITGEN_CRASH_ON"  # tests only: a worker dies (os._exit) when it starts this document
PR_SET_PDEATHSIG = 1  # benchmarks compare 'fork' and 'forkserver'


@dataclass(frozen=True)
class Job:
    """One document to render, in the formats whose output is not up to date."""

    role_id: str
    kind: str
    level: str | None
    stem: str
    formats: tuple[str, ...]

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


@dataclass
class Report:
    """The outcome of a build, for the summary and the benchmarks."""

    built: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (document or role file, message)
    orphans: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # orphans --clean kept: edited since kitgen wrote them
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 0
    worker_rss_kb: dict[int, int] = field(default_factory=dict)  # peak RSS of each worker process
    worker_cpu_s: dict[int, float] = field(default_factory=dict)

    def summary(self) -> str:
        failed = f", {len(self.failed)} failed" if self.failed else ""
        return (f"{len(self.built)} built, {len(self.up_to_date)} up to date{failed} "
                f"in {self.seconds:.1f} s")


# -- what to build -----------------------------------------------------------------------------

def select_role_files(project: Project, refs: list[str]) -> list[Path]:
    """The role files named by ROLE arguments (paths, file names or ids); all roles by default."""
    if not refs:
        return project.role_files()
    chosen: list[Path] = []
    for ref in refs:
        path = project.resolve_role(ref)
        if path not in chosen:
            chosen.append(path)
    return chosen


def _load(project: Project, path: Path) -> Role:
    from kitgen.sources.loading import load_role

    return load_role(path, project.root)


@dataclass
class RoleFile:
    """A role file as the plan sees it; `role` is parsed only when one of its documents is built."""

    path: Path
    label: str
    sha256: str
    id: str
    lang: str
    levels: list[str]
    role: Role | None = None

    def cache_entry(self) -> dict:
        return {"sha256": self.sha256, "kitgen": __version__, "id": self.id, "lang": self.lang,
                "levels": self.levels}


def read_role_files(project: Project, paths: list[Path], cache: dict, report: Report) -> list[RoleFile]:
    """Each role file on its own: a bad one is reported and the others are still built.

    A file whose bytes match what the manifest recorded at its last successful build is not parsed
    again (YAML with positions plus validation: tens of ms a file): a no-op rebuild reads and hashes.
    Two files that declare one id both fail: nothing of either is built (which one was meant?).
    """
    found: list[RoleFile] = []
    for path in paths:
        label = project.label(path)
        sha = _role_sha256(path, label, report)
        if sha is None:
            continue
        known = cache.get(label) or {}
        if known.get("sha256") == sha and known.get("kitgen") == __version__:
            found.append(RoleFile(path, label, sha, known["id"], known["lang"], list(known["levels"])))
            continue
        try:
            role = _load(project, path)
        except DataError as exc:
            report.failed.append((label, exc.message))
            continue
        found.append(RoleFile(path, label, sha, role.id, role.lang, role.level_ids, role))
    return _without_duplicate_ids(found, report)


def _role_sha256(path: Path, label: str, report: Report) -> str | None:
    try:
        data = reading.read_bytes(path, label)
    except DataError as exc:  # a link out of the roles folder: refused unread
        report.failed.append((label, exc.message))
        return None
    except OSError:
        report.failed.append((label, "cannot read the file"))
        return None
    return hashlib.sha256(data).hexdigest()


def _without_duplicate_ids(found: list[RoleFile], report: Report) -> list[RoleFile]:
    by_id: dict[str, list[RoleFile]] = {}
    for info in found:
        by_id.setdefault(info.id, []).append(info)
    for infos in (group for group in by_id.values() if len(group) > 1):
        for info in infos:
            others = ", ".join(other.label for other in infos if other is not info)
            report.failed.append((info.label, f"role id {info.id!r} is also used by {others}: nothing of either "
                                              "is built until one of them changes its id"))
    return [info for info in found if len(by_id[info.id]) == 1]


def documents(info: RoleFile, levels: tuple[str, ...]) -> list[tuple[str, str | None, str]]:
    """(kind, level, stem) of the job ad and the kits of one role, named by kitgen.documents.rendered."""
    kit_levels = [lv for lv in info.levels if not levels or lv in levels]
    return [(AD, None, ad_stem(info.id))] + [(KIT, lv, kit_stem(info.id, lv)) for lv in kit_levels]


def check_levels(levels: tuple[str, ...], roles: list[RoleFile]) -> tuple[str, ...]:
    """The --level values as the roles spell them (case and accents ignored); one that no chosen
    role has is a usage error (a typo would otherwise build no kit)."""
    known = sorted({lv for info in roles for lv in info.levels})
    if not roles:
        return levels
    chosen = []
    for level in levels:
        found = values.match(level, known)
        if found is None:
            raise UsageError(values.unknown("level", level, known), param_hint="'--level'")
        chosen.append(found)
    return tuple(chosen)


# -- dependency hashes -------------------------------------------------------------------------

def _sha(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))  # length-prefixed: no two part lists collide
        digest.update(data)
    return digest.hexdigest()


def _tree_digest(folders: list[Path]) -> str:
    """Names and bytes of every file under the folders (a new override template counts too)."""
    parts: list[bytes | str] = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            parts += [str(path.relative_to(folder)), path.read_bytes()]
        parts.append("/")
    return _sha(*parts)


def _file_bytes(path: Path | None) -> bytes:
    try:
        return path.read_bytes() if path else b""
    except OSError:
        return b""


class Inputs:
    """The digests outputs depend on; each shared file is read once per build."""

    def __init__(self, project: Project, company):
        from kitgen.sources.branding import logo_path  # brand.logo, or the older top-level logo

        logo = logo_path(company, project.root)
        self.shared = _sha(__version__, os.environ.get("SOURCE_DATE_EPOCH", ""),
                           _file_bytes(project.company_path), _file_bytes(logo),
                           _tree_digest(templating.search_path(project.templates_dir)))
        self._by_lang: dict[str, str] = {}
        self._by_format: dict[str, str] = {}

    def lang(self, lang: str) -> str:
        if lang not in self._by_lang:
            catalog = templating.LOCALE_DIR / lang / "LC_MESSAGES" / f"{templating.DOMAIN}.po"
            self._by_lang[lang] = _sha(lang, _file_bytes(catalog))
        return self._by_lang[lang]

    def format(self, format_: Format) -> str:
        """A format's own inputs: its name, its library's version, the fonts it embeds."""
        if format_.name not in self._by_format:
            fonts = _tree_digest([templating.FONTS_DIR]) if format_.fonts else ""
            self._by_format[format_.name] = _sha(format_.name, _library_version(format_.library), fonts)
        return self._by_format[format_.name]


def _library_version(library: str | None) -> str:
    from importlib import metadata

    try:
        return metadata.version(library) if library else ""
    except metadata.PackageNotFoundError:
        return ""


# -- orphans -----------------------------------------------------------------------------------

def orphans(folder: OutputFolder, roles: list[RoleFile], failed_sources: set[str]) -> list[str]:
    """This project's recorded outputs that no role gives any more (removed role or level); never a
    failed role's, never another project's (two projects may share an output folder)."""
    levels_of = {info.id: set(info.levels) for info in roles}
    found = []
    for relative, entry in folder.entries.items():
        if not folder.mine(entry):
            continue
        role_id = entry.get("role")
        if role_id in levels_of:  # only build outputs name their level; offers and candidate kits stay
            stale = "inputs" in entry and entry.get("kind") == KIT and entry.get("level") not in levels_of[role_id]
        elif "source" in entry:
            stale = entry["source"] not in failed_sources
        else:  # written by `kitgen ad/kit/offer`: its role may be one that failed to load
            stale = not failed_sources
        if stale:
            found.append(relative)
    return sorted(found)


def clean(folder: OutputFolder, relatives: list[str], force: bool, report: Report) -> None:
    """Delete outputs this project wrote (and only those); an edited one is kept unless `force`."""
    for relative in relatives:
        outcome = folder.remove(relative, force)
        if outcome == "removed":
            report.removed.append(relative)
        elif outcome == "kept":
            report.kept.append(relative)


def cleanable(folder: OutputFolder, relatives: list[str], force: bool) -> list[str]:
    """The orphans `clean` would delete (edited ones stay unless forced), for the confirmation."""
    return [relative for relative in relatives if force or not folder.edited(relative)]


# -- the workers -------------------------------------------------------------------------------

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
    from kitgen.documents.render import render_ad, render_kit

    role, company = _STATE["roles"][job.role_id], _STATE["company"]
    templates, root = _STATE["templates"], _STATE["root"]
    if job.kind == AD:
        doc = render_ad(role, company, AdOptions(), templates, None, root)
    else:
        doc = render_kit(role, company, KitOptions(level=job.level), templates, None, root)
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
            yield job, result or Result(job.stem, error="the worker process died while rendering it (out of "
                                                         "memory, or a crash in a library)")


def _pool_round(jobs: list[Job], workers: int, state: dict):
    """(job, Result), or (job, None) for a job lost when the pool broke."""
    context = multiprocessing.get_context(start_method())
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=init_worker,
                               initargs=(dict(state, in_pool=True),))
    try:
        pending = {pool.submit(render_job, job): job for job in jobs}
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


@contextlib.contextmanager
def no_progress(total: int):
    yield lambda role_id: None


# -- the plan ----------------------------------------------------------------------------------

def plan(roles: list[RoleFile], formats: list[str], levels: tuple[str, ...], registry: dict[str, Format],
         inputs: Inputs, folder: OutputFolder, force: bool, report: Report) -> tuple[list[Job], dict[str, dict]]:
    """Every output of every document: the up-to-date ones go to the report, the others into Jobs.

    Also returns the manifest entry (without the file's sha256) of every planned output.
    """
    todo: list[Job] = []
    meta: dict[str, dict] = {}
    for info in roles:
        role_hash = _sha(info.sha256, inputs.shared, inputs.lang(info.lang))
        for kind, level, stem in documents(info, levels):
            stale = []
            for format_ in (registry[n] for n in formats if kind in registry[n].kinds):
                relative = f"{stem}.{format_.suffix}"
                inputs_hash = _sha(role_hash, kind, level or "", inputs.format(format_))
                meta[relative] = {"role": info.id, "source": info.label, "kind": kind, "level": level,
                                  "inputs": inputs_hash}
                if not force and folder.is_current(relative, inputs_hash):
                    report.up_to_date.append(relative)
                else:
                    stale.append(format_.name)
            if stale:
                todo.append(Job(info.id, kind, level, stem, tuple(stale)))
    return todo, meta


def parse_needed(project: Project, roles: list[RoleFile], todo: list[Job], report: Report) -> list[Job]:
    """Parse the role files the plan took from the cache when one of their documents is to be built;
    return the jobs that can run, heaviest first."""
    by_id = {info.id: info for info in roles}
    for info in {by_id[job.role_id].label: by_id[job.role_id] for job in todo}.values():
        if info.role is None:
            try:
                info.role = _load(project, info.path)
            except DataError as exc:  # only if kitgen's checks changed without a version bump
                report.failed.append((info.label, exc.message))
    return sorted((job for job in todo if by_id[job.role_id].role is not None), key=lambda job: -job.weight)


def update_role_cache(folder: OutputFolder, roles: list[RoleFile], report: Report, all_roles: bool) -> None:
    """Remember what was read of each parsed role file; forget removed files (on a whole build)."""
    cache = folder.roles
    before = dict(cache)
    cache.update({info.label: info.cache_entry() for info in roles if info.role is not None})
    if all_roles:
        for label in set(cache) - {info.label for info in roles} - {label for label, _ in report.failed}:
            del cache[label]
    folder.dirty |= cache != before


def write_result(folder: OutputFolder, job: Job, result: Result, meta: dict[str, dict], force: bool,
                 report: Report) -> None:
    """Write a rendered document's files and record them. A refused or failed write fails the
    document; every target is checked first, so it is written whole or not at all — except when the
    manifest is being rebuilt, where each file that matches the fresh render is adopted on its own."""
    try:
        if not folder.rebuild:
            for relative, data in result.files.items():
                folder.check(relative, force, data)
        for relative, data in result.files.items():
            try:
                folder.write(relative, data, meta[relative], force)
                report.built.append(relative)
            except KitgenError as exc:
                if not folder.rebuild:
                    raise
                report.failed.append((job.stem, exc.message))
    except KitgenError as exc:  # refused (not ours, edited, a link, outside the folder) or disk full
        report.failed.append((job.stem, exc.message))
    except OSError as exc:
        report.failed.append((job.stem, f"cannot write: {exc}"))


# -- the orchestrator --------------------------------------------------------------------------

def build(project: Project, refs: list[str], formats: list[str], levels: tuple[str, ...] = (),
          jobs: int | None = None, force: bool = False, clean_orphans: bool = False,
          out_dir: Path | None = None, progress: Progress = no_progress, rebuild_manifest: bool = False,
          confirm: Callable[[list[str]], bool] = lambda relatives: True, wait: float = DEFAULT_WAIT) -> Report:
    """Build the job ad and interview kits of the chosen roles; return what happened.

    `clean_orphans` deletes this project's outputs of removed roles and levels once `confirm` (given
    the list) says yes; with no role file at all it refuses (a wrong roles folder would delete
    everything). `rebuild_manifest` starts a new manifest, adopting only files that match a fresh render.
    Raises KeyboardInterrupt after saving the manifest of what was complete when Ctrl-C arrived.
    """
    from kitgen import formats as fmt

    started = time.perf_counter()
    report = Report()
    if clean_orphans and not project.role_files():
        raise OutputError(f"no role files in {project.label(project.roles_dir)}: nothing cleaned")
    registry = fmt.registry()
    company = project.company  # a bad company file fails the whole build: every document reads it
    folder = OutputFolder(out_dir or project.output_dir, project.root, rebuild=rebuild_manifest, wait=wait).open()
    try:
        _build_in(folder, project, refs, formats, levels, jobs, force, clean_orphans, progress, confirm,
                  company, registry, report)
    finally:  # also on Ctrl-C: closing the folder records every complete file written so far
        report.seconds = time.perf_counter() - started
        try:
            folder.close()
        except KitgenError as exc:  # the manifest could not be saved (disk full...): say so with the rest
            report.failed.append((project.label(folder.file), exc.message))
    return report


def _build_in(folder: OutputFolder, project: Project, refs: list[str], formats: list[str], levels: tuple[str, ...],
              jobs: int | None, force: bool, clean_orphans: bool, progress: Progress,
              confirm: Callable[[list[str]], bool], company, registry: dict, report: Report) -> None:
    """The phases of a build, in order, inside the locked output folder."""
    roles = read_role_files(project, select_role_files(project, refs), folder.roles, report)
    levels = check_levels(levels, roles)
    inputs = Inputs(project, company)

    todo, meta = plan(roles, formats, levels, registry, inputs, folder, force or folder.rebuild, report)
    if not refs:  # with a subset of roles, the others' outputs are not orphans
        report.orphans = orphans(folder, roles, {label for label, _ in report.failed})
    if clean_orphans and report.orphans and confirm(cleanable(folder, report.orphans, force)):
        clean(folder, report.orphans, force, report)
        report.orphans = []
        folder.save()

    todo = parse_needed(project, roles, todo, report)
    update_role_cache(folder, roles, report, all_roles=not refs)
    report.workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    state = {"roles": {info.id: info.role for info in roles if info.role is not None}, "company": company,
             "templates": project.templates_dir, "root": project.root}
    with progress(len(todo)) as advance, contextlib.closing(run_jobs(todo, report.workers, state)) as results:
        for job, result in results:
            advance(job.role_id)
            report.worker_rss_kb[result.pid] = max(result.max_rss_kb, report.worker_rss_kb.get(result.pid, 0))
            report.worker_cpu_s[result.pid] = max(result.cpu_s, report.worker_cpu_s.get(result.pid, 0.0))
            report.warnings += [f"{job.stem}: {w}" for w in result.warnings]
            if result.error is not None:
                report.failed.append((job.stem, result.error))
            if result.files:  # the formats that did render (a failed PDF does not stop the DOCX)
                write_result(folder, job, result, meta, force, report)
            folder.save_every(MANIFEST_FLUSH_SECONDS)
