"""Issue 8: the locked dependency set meets the security floors of tools/advisories.toml, and the
environment the tests run in is that locked set."""

from __future__ import annotations

import tomllib
from importlib.metadata import version

from packaging.version import Version

from tests.support import ROOT


def _locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and "==" in line:
            name, pinned = line.split("==", 1)
            pins[name.strip().lower().replace("_", "-")] = pinned.strip()
    return pins


def test_locked_versions_meet_the_advisory_floors():
    floors = tomllib.loads((ROOT / "tools" / "advisories.toml").read_text(encoding="utf-8"))
    locked = _locked()
    for name, rule in floors.items():
        assert name in locked, f"{name} is not in requirements.lock"
        assert Version(locked[name]) >= Version(rule["min"]), f"{name} {locked[name]}: {rule['advisories']}"


def test_tests_run_on_the_locked_set():
    for name, pinned in _locked().items():
        assert version(name) == pinned, f"{name}: installed {version(name)}, locked {pinned} (run make test)"
