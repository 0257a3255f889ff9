"""`kitgen lint`: check each role's job ad, as it would be published, against publishing rules.

The ad is rendered exactly as `kitgen ad` would render it (role, company file, options), then
every rule of `kitgen.commands.lint.rules` reads it. Findings print as
`roles/x.yaml: error: pay-range: message`; word lists are data files under `kitgen/commands/lint/data/`.
Every rule, its source and example output: docs/lint.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kitgen.documents.context import AdOptions
from kitgen.i18n import tr, tr_n
from kitgen.sources import placeholders
from kitgen.sources.model import Role
from kitgen.sources.project import Project

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Finding:
    """One problem of one role's ad."""

    file: str
    severity: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.severity}: {self.rule}: {self.message}"


@dataclass
class Report:
    """Every finding of a lint run, and how many roles were checked."""

    checked: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.severity == ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == WARNING for f in self.findings)

    def summary(self) -> str:
        return tr("%(roles)s: %(errors)s, %(warnings)s",
                  roles=tr_n("%(count)d role checked", "%(count)d roles checked", self.checked),
                  errors=tr_n("%(count)d error", "%(count)d errors", self.errors),
                  warnings=tr_n("%(count)d warning", "%(count)d warnings", self.warnings))


def lint_project(project: Project, refs: list[str], options: AdOptions, strict: bool = False,
                 allow_draft: bool = False) -> Report:
    """Lint the given roles (ids or files; default: every role); --strict turns warnings into errors.
    A text still a placeholder is an error (rule `placeholder`, at its `file:line:column`), a
    warning with `allow_draft`."""
    roles = [project.find_role(ref) for ref in refs] if refs else project.load_roles()
    report = Report()
    for path, role in roles:
        report.checked += 1
        for problem in placeholders.found(role):
            severity = ERROR if strict or not allow_draft else WARNING
            report.findings.append(Finding(f"{problem.file}:{problem.line}:{problem.column}", severity,
                                           "placeholder", f"{problem.path}: {problem.message}"))
        for severity, rule_id, message in lint_role(role, project, options):
            severity = ERROR if strict else severity
            report.findings.append(Finding(project.label(path), severity, rule_id, message))
    return report


def lint_role(role: Role, project: Project, options: AdOptions) -> list[tuple[str, str, str]]:
    """(severity, rule id, message) for the role's ad in each of its languages (that language's
    rules), rules in their documented order; a finding of another language than the primary one
    names it ("[en] ...")."""
    from kitgen.commands.lint.rules import RULES, Ad, ad_texts
    from kitgen.documents.htmltree import page_text
    from kitgen.documents.render import render_ad

    found = []
    for lang in role.languages or [role.lang]:
        doc = render_ad(role, project.company, options, project.templates_dir, lang, project.root)
        ad = Ad(doc, ad_texts(doc.context), page_text(doc.html))
        tag = "" if lang == role.primary else f"[{lang}] "
        found += [(severity, rule_id, tag + message) for rule_id, check in RULES.items()
                  for severity, message in check(ad)]
    return found
