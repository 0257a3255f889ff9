"""`kitgen build`: every document of every role, rendered in a process pool, rebuilding only what changed.

Owns the plan (which outputs the chosen roles, levels and formats give), the dependency hash of each
output, the pool, the manifest entries of built files, the progress bar and the summary.

- Dependencies of an output: the role file, the company file and its logo, the template files
  Jinja loads for its kind (the template and what it extends, imports and includes, from the
  project's `templates/` or the built-ins; `templates` in its manifest entry lists them), the
  stylesheet (PDF and HTML), the catalog of the role's language, the fonts (PDF only), kitgen's and
  the renderer library's versions, the document kind, level and format, and SOURCE_DATE_EPOCH. Same
  hash and same file as recorded in the manifest: the output is up to date.
- Documents are rendered in `kitgen.commands.pool` (workers only render); this process writes
  every file through the run's `OutputFolder` (journal, temp file, fsync, os.replace), so a failed,
  crashed or interrupted document never leaves a partial file and never replaces a good older one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ContextManager

from kitgen import __version__
from kitgen.commands.inputs import Inputs, recorder, sha256_of
from kitgen.commands.pool import Job, Result, run_jobs
from kitgen.documents.rendered import AD, KIT, ad_stem, kit_stem, language_tag
from kitgen.errors import DataError, KitgenError, OutputError, UsageError
from kitgen.i18n import tr, tr_n
from kitgen.outputs.folder import DEFAULT_WAIT, OutputFolder
from kitgen.sources import placeholders, reading, values
from kitgen.sources.limits import file_too_big
from kitgen.sources.project import Project

if TYPE_CHECKING:
    from kitgen.formats import Format
    from kitgen.sources.model import Role

# progress(total) -> a context manager giving advance(role_id); the command line draws the bar.
Progress = Callable[[int], ContextManager[Callable[[str], None]]]
MANIFEST_FLUSH_SECONDS = 1.0  # bounds what a killed build forgets, without rewriting JSON per file


@dataclass
class Report:
    """The outcome of a build, for the summary and the benchmarks."""

    built: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (document or role file, message)
    orphans: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # documents made outside the build, out of date
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # orphans --clean kept: edited since kitgen wrote them
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 0
    worker_rss_kb: dict[int, int] = field(default_factory=dict)  # peak RSS of each worker process
    worker_cpu_s: dict[int, float] = field(default_factory=dict)

    def rebuilt_roles(self) -> str:
        """"backend-engineer (4 files), directeur-ecommerce (8 files)": what the files built belong to."""
        counts: dict[str, int] = {}
        for relative in self.built:
            role = relative.split("/", 1)[0]
            counts[role] = counts.get(role, 0) + 1
        return ", ".join(tr_n("%(role)s (%(count)d file)", "%(role)s (%(count)d files)", n, role=role)
                         for role, n in sorted(counts.items()))

    def summary(self) -> str:
        counts = {"built": len(self.built), "current": len(self.up_to_date), "seconds": self.seconds}
        if self.failed:
            return tr("%(built)d built, %(current)d up to date, %(failed)d failed in %(seconds).1f s",
                      failed=len(self.failed), **counts)
        return tr("%(built)d built, %(current)d up to date in %(seconds).1f s", **counts)


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
    languages: list[str] = field(default_factory=list)  # every language of the role, the primary first
    stages: list[str] = field(default_factory=list)  # the ids of its interview stages

    def cache_entry(self) -> dict:
        return {"sha256": self.sha256, "kitgen": __version__, "id": self.id, "lang": self.lang,
                "levels": self.levels, "languages": self.languages, "stages": self.stages,
                **({"draft": True} if self.role is not None and placeholders.found(self.role) else {})}


def read_role_files(project: Project, paths: list[Path], cache: dict, report: Report,
                    allow_draft: bool = False) -> list[RoleFile]:
    """Each role file on its own: a bad one is reported and the others are still built; so is one
    with a text still a placeholder, unless `allow_draft` (then its places are warnings).

    A file whose bytes match what the manifest recorded at its last successful build is not parsed
    again (YAML with positions plus validation: tens of ms a file): a no-op rebuild reads and hashes.
    Two files that declare one id both fail: nothing of either is built (which one was meant?).
    A draft (built with --allow-draft) is parsed every time, so that it is never published unseen.
    """
    found: list[RoleFile] = []
    for path in paths:
        label = project.label(path)
        sha = _role_sha256(path, label, report)
        if sha is None:
            continue
        known = cache.get(label) or {}
        if known.get("sha256") == sha and known.get("kitgen") == __version__ and not known.get("draft"):
            found.append(RoleFile(path, label, sha, known["id"], known["lang"], list(known["levels"]),
                                  languages=list(known.get("languages") or [known["lang"]]),
                                  stages=list(known.get("stages") or [])))
            continue
        try:
            role = _load(project, path)
        except DataError as exc:
            report.failed.append((label, exc.message))
            continue
        try:
            report.warnings += placeholders.check(role, allow_draft)
        except DataError as exc:
            report.failed.append((label, exc.message))
            continue
        found.append(RoleFile(path, label, sha, role.id, role.lang, role.level_ids, role,
                              list(role.languages or [role.lang]), [stage.id for stage in role.interview.stages]))
    return _without_duplicate_ids(found, report)


def _role_sha256(path: Path, label: str, report: Report) -> str | None:
    try:
        reading.check_inside(path, label)
        too_big = file_too_big(path, label)
        if too_big:  # decided from the size: a huge file is never read whole just to hash it
            raise DataError([too_big])
        data = path.read_bytes()
    except DataError as exc:  # a link out of the roles folder, a file past the size limit
        report.failed.append((label, exc.message))
        return None
    except OSError:
        report.failed.append((label, tr("cannot read the file")))
        return None
    return hashlib.sha256(data).hexdigest()


def _without_duplicate_ids(found: list[RoleFile], report: Report) -> list[RoleFile]:
    by_id: dict[str, list[RoleFile]] = {}
    for info in found:
        by_id.setdefault(info.id, []).append(info)
    for infos in (group for group in by_id.values() if len(group) > 1):
        for info in infos:
            others = ", ".join(other.label for other in infos if other is not info)
            report.failed.append((info.label, tr("role id %(id)r is also used by %(others)s: nothing of either "
                                                 "is built until one of them changes its id",
                                                 id=info.id, others=others)))
    return [info for info in found if len(by_id[info.id]) == 1]


def documents(info: RoleFile, levels: tuple[str, ...]) -> list[tuple[str, str | None, str, str, str | None]]:
    """(kind, level, stem, language, stage) of the job ad and the kits of one role — per level the
    full kit and one kit per interview stage — in each of its languages, named by
    kitgen.documents.rendered (`job-ad.pdf`, `job-ad.en.pdf`, `interview-kit-senior-equipe.pdf`...)."""
    kit_levels = [lv for lv in info.levels if not levels or lv in levels]
    out = []
    for lang in info.languages or [info.lang]:
        tag = language_tag(lang, info.lang)
        out += [(AD, None, ad_stem(info.id) + tag, lang, None)]
        for lv in kit_levels:
            out += [(KIT, lv, kit_stem(info.id, lv, stage=stage) + tag, lang, stage)
                    for stage in [None, *info.stages]]
    return out


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


# -- orphans -----------------------------------------------------------------------------------

def orphans(folder: OutputFolder, roles: list[RoleFile], failed_sources: set[str], project_root: Path) -> list[str]:
    """This project's recorded outputs that no role gives any more (removed role or level); never a
    failed role's, never another project's (two projects may share an output folder)."""
    levels_of = {info.id: set(info.levels) for info in roles}
    languages_of = {info.id: set(info.languages or [info.lang]) for info in roles}
    stages_of = {info.id: set(info.stages) for info in roles}
    found = []
    for relative, entry in folder.entries.items():
        if not folder.mine(entry):
            continue
        role_id = entry.get("role")
        if "options" in entry and (project_root / entry["from"]).is_file():
            continue  # made by `kitgen ad/kit/offer` from a role file that is still there (maybe not in roles/)
        if role_id in levels_of:  # only build outputs name their level; offers and candidate kits stay
            stale = "source" in entry and ((entry.get("kind") == KIT and entry.get("level") not in levels_of[role_id])
                                           or entry.get("lang") not in languages_of[role_id] | {None}
                                           or entry.get("stage", "") not in stages_of[role_id] | {""})
        elif "source" in entry:
            stale = entry["source"] not in failed_sources
        else:  # written by `kitgen ad/kit/offer`: its role may be one that failed to load
            stale = not failed_sources
        if stale:
            found.append(relative)
    return sorted(found)


# -- documents made outside the build -------------------------------------------------------------

def out_of_date(folder: OutputFolder, project: Project, inputs: Inputs, registry: dict[str, Format]) -> dict[str, list[str]]:
    """{stem: its files} of this project's documents made by `kitgen ad`, `kit`, `offer` or `offers`
    (a named kit, a per-city ad, a letter) whose inputs changed since: the digest of their inputs,
    computed now with the options they were made with, is not the one recorded."""
    found: dict[str, list[str]] = {}
    for relative, entry in sorted(folder.entries.items()):
        if "options" not in entry or not folder.mine(entry):
            continue
        role_path = project.root / entry["from"]
        format_ = registry.get(relative.rsplit(".", 1)[1])
        if format_ is None or not role_path.is_file():  # a removed role: an orphan, not a stale document
            continue
        level = entry["options"].get("level") if entry["kind"] == KIT else None
        current = inputs.document(sha256_of(role_path), entry["lang"], entry["kind"], level, format_)
        if current != entry.get("inputs"):
            found.setdefault(relative.rsplit(".", 1)[0], []).append(relative)
    return found


def remake(folder: OutputFolder, project: Project, inputs: Inputs, stale: dict[str, list[str]], force: bool,
           report: Report, allow_draft: bool = False) -> None:
    """Render the out-of-date documents again, with the options each was made with, in this process
    (there are few), and write them as `kitgen ad/kit/offer` would (an ad or a letter of a role
    with a placeholder fails unless `allow_draft`)."""
    from kitgen.documents.context import options_from_data
    from kitgen.outputs.produce import entries, render_formats

    for stem, relatives in stale.items():
        entry = folder.entries[relatives[0]]
        try:
            role_path = project.root / entry["from"]
            role = _load(project, role_path)
            if entry["kind"] != KIT:
                report.warnings += placeholders.check(role, allow_draft)
            options = options_from_data(entry["kind"], entry["options"])
            letterhead = _letterhead(project, entry)
            doc = _remade(project, role, entry["kind"], options, entry["lang"], stem, letterhead)
            files = render_formats(doc, [relative.rsplit(".", 1)[1] for relative in relatives])
            level = options.level if entry["kind"] == KIT else None
            record = recorder(inputs, role_path, entry["kind"], entry["lang"], options, level, letterhead)
            folder.write_document(files, entries(doc, record), force)
            report.built += list(files)
        except KitgenError as exc:
            report.failed.append((stem, exc.message))
        except Exception as exc:  # a moved letterhead, a bug: this document fails, the build goes on
            report.failed.append((stem, f"{type(exc).__name__}: {exc}"))


def _letterhead(project: Project, entry: dict) -> Path | None:
    """The Word letterhead an offer was filled into, checked again (it may have moved or changed)."""
    if "letterhead" not in entry:
        return None
    from kitgen.formats import letterhead

    path = project.root / entry["letterhead"]
    reading.check_inside(path, entry["letterhead"])
    letterhead.check(path)
    return path


def _remade(project: Project, role, kind: str, options, lang: str, stem: str, letterhead: Path | None):
    from kitgen.documents.render import render_ad, render_kit, render_offer

    company, templates, root = project.company, project.templates_dir, project.root
    if kind == AD:
        doc = render_ad(role, company, options, templates, lang, root)
    elif kind == KIT:
        doc = render_kit(role, company, options, templates, lang, root)
    else:
        doc = render_offer(role, company, options, templates, lang, root, stem=stem)
        doc.docx_template = letterhead
    doc.stem = stem  # the name it was given (a -2 for a namesake stays its own)
    return doc


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
        for kind, level, stem, lang, stage in documents(info, levels):
            stale = []
            templates = inputs.kind(kind)[1]
            for format_ in (registry[n] for n in formats if kind in registry[n].kinds):
                relative = f"{stem}.{format_.suffix}"
                inputs_hash = inputs.document(info.sha256, lang, kind, level, format_)
                meta[relative] = {"role": info.id, "source": info.label, "kind": kind, "level": level,
                                  "lang": lang, "inputs": inputs_hash, "templates": templates,
                                  **({"stage": stage} if stage else {})}
                if not force and folder.is_current(relative, inputs_hash):
                    report.up_to_date.append(relative)
                else:
                    stale.append(format_.name)
            if stale:
                todo.append(Job(info.id, kind, level, stem, tuple(stale), lang=lang, stage=stage))
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
        report.failed.append((job.stem, tr("cannot write: %(reason)s", reason=exc)))


# -- the orchestrator --------------------------------------------------------------------------

def build(project: Project, refs: list[str], formats: list[str], levels: tuple[str, ...] = (),
          jobs: int | None = None, force: bool = False, clean_orphans: bool = False,
          out_dir: Path | None = None, progress: Progress = no_progress, rebuild_manifest: bool = False,
          confirm: Callable[[list[str]], bool] = lambda relatives: True, wait: float = DEFAULT_WAIT,
          stale: bool = False, allow_draft: bool = False) -> Report:
    """Build the job ad and interview kits of the chosen roles; return what happened.

    Documents made outside the build whose inputs changed are listed in `report.stale`; `stale`
    renders them again with their recorded options. A role with a text still a placeholder fails
    (its documents are not built) unless `allow_draft`. `clean_orphans` deletes this project's outputs of removed roles and levels once `confirm` (given
    the list) says yes; with no role file at all it refuses (a wrong roles folder would delete
    everything). `rebuild_manifest` starts a new manifest, adopting only files that match a fresh render.
    Raises KeyboardInterrupt after saving the manifest of what was complete when Ctrl-C arrived.
    """
    from kitgen import formats as fmt

    started = time.perf_counter()
    report = Report()
    if clean_orphans and not project.role_files():
        raise OutputError(tr("no role files in %(folder)s: nothing cleaned", folder=project.label(project.roles_dir)))
    registry = fmt.registry()
    company = project.company  # a bad company file fails the whole build: every document reads it
    folder = OutputFolder(out_dir or project.output_dir, project.root, rebuild=rebuild_manifest, wait=wait).open()
    try:
        _build_in(folder, project, refs, formats, levels, jobs, force, clean_orphans, progress, confirm,
                  company, registry, report, stale, allow_draft)
    finally:  # also on Ctrl-C: closing the folder records every complete file written so far
        report.seconds = time.perf_counter() - started
        try:
            folder.close()
        except KitgenError as exc:  # the manifest could not be saved (disk full...): say so with the rest
            report.failed.append((project.label(folder.file), exc.message))
    return report


def _build_in(folder: OutputFolder, project: Project, refs: list[str], formats: list[str], levels: tuple[str, ...],
              jobs: int | None, force: bool, clean_orphans: bool, progress: Progress,
              confirm: Callable[[list[str]], bool], company, registry: dict, report: Report, stale: bool,
              allow_draft: bool = False) -> None:
    """The phases of a build, in order, inside the locked output folder."""
    roles = read_role_files(project, select_role_files(project, refs), folder.roles, report, allow_draft)
    levels = check_levels(levels, roles)
    inputs = Inputs(project, company)
    outside = out_of_date(folder, project, inputs, registry)
    if stale:
        remake(folder, project, inputs, outside, force, report, allow_draft)
    else:
        report.stale = list(outside)

    todo, meta = plan(roles, formats, levels, registry, inputs, folder, force or folder.rebuild, report)
    if not refs:  # with a subset of roles, the others' outputs are not orphans
        report.orphans = orphans(folder, roles, {label for label, _ in report.failed}, project.root)
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
