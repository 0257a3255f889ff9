"""The sample project's HTML matches tests/golden/ (regenerate with `make golden` after an intended change)."""

from __future__ import annotations

import pytest

from tests.golden.cases import GOLDEN_DIR, golden_documents


@pytest.mark.parametrize("name,html", list(golden_documents()), ids=lambda v: v if "/" in str(v) else "")
def test_matches_golden(name, html):
    path = GOLDEN_DIR / name
    assert path.exists(), f"missing {path}: run `make golden`"
    assert html == path.read_text(encoding="utf-8"), f"{name} changed: run `make golden` and review the diff"
