"""`kitgen init` and `kitgen new-role`: a new project, or a new role file, from the starter files.

The starter files ship inside the package (`kitgen/starter/`): `project/` is copied for every
language, then `fr/` or `en/` (the company file and an example role); `new-role.<lang>.yaml.j2`
is the role skeleton. Every YAML file starts with the line that gives editors its JSON Schema, and
the project gets the schemas themselves in `schema/` (`kitgen.commands.schema`): `init` writes
them, `new-role` writes those that are missing. Nothing is ever overwritten: every target is
checked first and, when any exists, the command fails listing them all, having written nothing;
files are then created with exclusive creation, so a file that appears in between is not clobbered
either.
"""

from __future__ import annotations

import json
from pathlib import Path

from kitgen.commands.schema import schema_files, schema_line
from kitgen.errors import OutputError, RoleNotFound, UsageError
from kitgen.i18n import tr
from kitgen.sources import placeholders
from kitgen.sources.model import CONTROL_RE, SLUG_RE
from kitgen.sources.project import ROLE_SUFFIXES, Project

STARTER_DIR = Path(__file__).resolve().parents[1] / "starter"
# Level names for the usual ids; any other id is named after itself ("lead-dev" -> "Lead dev").
LEVEL_NAMES = {"fr": {"junior": "Junior", "confirme": "Confirmé", "senior": "Senior"},
               "en": {"junior": "Junior", "mid": "Mid-level", "senior": "Senior"}}
OUTPUT_DIR = "output"


def starter_files(lang: str) -> dict[str, str]:
    """{relative path: text} of a new project in `lang`."""
    files = {}
    for tree in (STARTER_DIR / "project", STARTER_DIR / lang):
        for path in sorted(p for p in tree.rglob("*") if p.is_file()):
            files[path.relative_to(tree).as_posix()] = path.read_text(encoding="utf-8")
    # kitgen.toml suggests the language the project was made in (`lang`, commented out).
    files["kitgen.toml"] = files["kitgen.toml"].replace('\n# lang = "en"\n', f'\n# lang = "{lang}"\n')
    return files


def init_project(root: Path, lang: str) -> list[str]:
    """Write a new project under `root`; return the relative paths written (and the output folder)."""
    files = starter_files(lang) | schema_files()
    create_all(root, files)
    (root / OUTPUT_DIR).mkdir(exist_ok=True)
    return [*files, f"{OUTPUT_DIR}/"]


def create_all(root: Path, files: dict[str, str]) -> None:
    """Create every file, or none when any of them exists already (OutputError listing them)."""
    existing = [name for name in files if (root / name).exists() or (root / name).is_symlink()]
    if existing:
        listed = "\n".join(f"  {root / name}" for name in existing)
        raise OutputError(tr("refused to overwrite existing files (nothing was written):\n%(files)s", files=listed))
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8", newline="\n") as handle:  # "x": never replace a file
            handle.write(text)


def new_role(project: Project, role_id: str, title: str, lang: str, levels: list[str]) -> Path:
    """Write the skeleton of role `role_id` in the project's roles folder; return its path."""
    _check_id(role_id)
    if not title.strip() or CONTROL_RE.search(title):
        raise UsageError(tr("the title must be text without control characters"), param_hint="'--title'")
    _check_unused(project, role_id)
    text = skeleton(role_id, title.strip(), lang, levels, schema_line("role", project.roles_dir, project.root))
    name = f"{role_id}.yaml"
    create_all(project.roles_dir, {name: text})
    # The schema line needs its target: a project made before kitgen wrote schemas gets them now.
    create_all(project.root, {path: text for path, text in schema_files().items()
                              if not (project.root / path).exists()})
    return project.roles_dir / name


def skeleton(role_id: str, title: str, lang: str, levels: list[str], schema: str) -> str:
    """The role file text: every required key present (so it validates), each text to write the
    placeholder mark of `lang` (kitgen.sources.placeholders: validate flags it, build refuses it);
    `schema`, its first line (the path to the role schema from the roles folder)."""
    import jinja2

    # Our own file, not a user's: a plain environment; values are written as YAML double-quoted
    # strings (JSON strings are valid YAML), so a title with ": " or "#" stays one string.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(STARTER_DIR)), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    env.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)
    names = LEVEL_NAMES[lang]
    rows = [{"id": level, "name": names.get(level) or level.replace("-", " ").capitalize()} for level in levels]
    return env.get_template(f"new-role.{lang}.yaml.j2").render(id=role_id, title=title, levels=rows, schema=schema,
                                                               todo=placeholders.starter(lang))


def parse_levels(value: str | None, lang: str) -> list[str]:
    """`junior,confirme,senior` -> the level ids (default: the usual three of the language)."""
    if value is None:
        return list(LEVEL_NAMES[lang])
    levels = [item.strip() for item in value.split(",") if item.strip()]
    if not levels:
        raise UsageError(tr("give at least one level id"), param_hint="'--levels'")
    for level in levels:
        if not SLUG_RE.fullmatch(level):
            raise UsageError(tr("%(level)r is not a safe level id (lowercase letters, digits and hyphens)",
                                level=level), param_hint="'--levels'")
    if len(set(levels)) != len(levels):
        raise UsageError(tr("a level id is given twice"), param_hint="'--levels'")
    return levels


def _check_id(role_id: str) -> None:
    if not SLUG_RE.fullmatch(role_id):
        raise UsageError(tr("%(id)r is not a safe id: use lowercase letters, digits and hyphens, "
                            "starting with a letter or digit, at most 64 characters", id=role_id), param_hint="ID")


def _check_unused(project: Project, role_id: str) -> None:
    """No file of that name, and no other role file that declares that id."""
    names = [project.roles_dir / f"{role_id}{suffix}" for suffix in ROLE_SUFFIXES]
    taken = [project.label(path) for path in names if path.exists()]
    if not taken:
        try:  # another role file may declare that id (valid or not: it still takes it)
            taken = [project.label(project.resolve_role(role_id))]
        except RoleNotFound:  # no role has that id: good
            return
    raise OutputError(tr("role %(id)r exists already: %(files)s (nothing was written)", id=role_id,
                         files=", ".join(taken)))


# -- templates -----------------------------------------------------------------------------------

def builtin_templates() -> list[str]:
    """The names of kitgen's own templates and stylesheet (what a project may override)."""
    from kitgen.documents.templating import builtin_templates_dir

    folder = builtin_templates_dir()
    return sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix in (".j2", ".css"))


def template_table(project: Project) -> str:
    """`kitgen templates list`: each template with where it comes from."""
    folder = project.templates_dir
    files = sorted(folder.iterdir()) if folder.is_dir() else []
    own = [p.name for p in files if p.is_file() and p.suffix in (".j2", ".css")]
    rows = [(tr("NAME"), tr("SOURCE"))]
    for name in builtin_templates():
        rows.append((name, tr("overridden by %(file)s", file=project.label(folder / name)) if name in own
                     else tr("built-in")))
    rows += [(name, tr("project only (%(file)s)", file=project.label(folder / name))) for name in own
             if name not in builtin_templates()]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {source}" for name, source in rows)


def copy_template(project: Project, name: str) -> Path:
    """Copy a built-in template into the project's templates folder, to edit it there."""
    from kitgen.documents.templating import builtin_templates_dir

    names = builtin_templates()
    if name not in names:
        raise UsageError(tr("no built-in template %(name)r (templates: %(templates)s)", name=name,
                            templates=", ".join(names)), param_hint="NAME")
    text = (builtin_templates_dir() / name).read_text(encoding="utf-8")
    create_all(project.templates_dir, {name: text})
    return project.templates_dir / name
