"""Every rule fixture fires exactly where its `# expect:` markers say, and nowhere else.

A fixture is a file (or a directory linted as one repository) under
`fixtures/rules/<CODE>/{pass,fail}/`. Only findings of <CODE> are compared; all rules
run, so fixtures also prove that the rule does not depend on being selected alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FIXTURES, expectations, lint_paths

RULES_DIR = FIXTURES / "rules"
CASES = sorted(p for p in RULES_DIR.glob("*/*/*") if not p.name.endswith(".expect"))


def _id(p: Path) -> str:
    return "/".join(p.parts[-3:])


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_fixture(case: Path, parser: str) -> None:
    """A fixture's findings of its rule are exactly the markers it carries."""
    code, verdict = case.parts[-3], case.parts[-2]
    assert verdict in ("pass", "fail"), case
    files = sorted(f for f in case.rglob("*") if f.is_file() and not f.name.endswith(".expect")) if case.is_dir() else [case]
    result = lint_paths([case])
    assert not result.errors, [e.render() for e in result.errors]
    found = {
        (Path(f.file).resolve().relative_to(case.parent.resolve()).as_posix(), f.span.start.line, f.span.start.column, f.code)
        for f in result.findings
        if f.code == code and f.suppressed is None
    }
    expected: set[tuple[str, int, int, str]] = set()
    for f in files:
        expected |= {e for e in expectations(f, f.relative_to(case.parent).as_posix()) if e[3] == code}
    assert found == expected
    assert (verdict == "fail") == bool(found)
