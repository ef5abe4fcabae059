"""Recall and precision on the shared generator's corpus with seeded defects.

The generator (../shared/bench/gen_corpus.py) writes a GitOps repository and the
findings a correct linter must report, as (file, line, kind). Our rule codes map to its
kinds; entry-level findings are compared by the line of their entry.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from awsauth_lint.engine import RunResult
from helpers import lint_paths, shared_path

KINDS = {
    "AA101": "rolearn-with-path",
    "AA201": "uppercase-username",
    "AA301": "system-masters-group",
    "RB001": "group-without-binding",
    "AA401": "missing-node-role",
    "AA002": "maproles-not-string",
}
ENTRY = re.compile(r"^\$\.data\.(mapRoles|mapUsers)\[(\d+)\]")


def generate(tmp: Path, *args: str) -> Path:
    gen = shared_path("bench", "gen_corpus.py")
    subprocess.run([sys.executable, str(gen), str(tmp), "-q", *args], check=True, timeout=300)
    return tmp


def ours(result: RunResult, root: Path) -> set[tuple[str, int, str]]:
    """(file, line, kind) of our findings; entry-level ones at their entry's line."""
    entry_lines: dict[tuple[str, str, int], int] = {}
    for path in result.files:
        from awsauth_lint.loader import load_path

        sf = load_path(path, path)
        for doc in getattr(sf, "awsauth", []):
            for m in doc.mappings:
                entry_lines[(path, m.section, m.index)] = m.node.span.start.line
    got = set()
    for f in result.findings:
        if f.code not in KINDS or f.suppressed is not None:
            continue
        line = f.span.start.line
        m = ENTRY.match(f.json_path)
        if m and f.code != "AA401":
            line = entry_lines.get((f.file, m.group(1), int(m.group(2))), line)
        got.add((Path(f.file).relative_to(root).as_posix(), line, KINDS[f.code]))
    return got


@pytest.mark.parametrize("args", [(), ("--defect-rate", "0"), ("--clusters", "7", "--entries", "40", "--seed", "3")], ids=["default-200", "clean", "seed3"])
def test_recall_and_precision(tmp_path: Path, args: tuple[str, ...]) -> None:
    root = generate(tmp_path / "corpus", "--files", "200", *args)
    expected = {(r["file"], r["line"], r["kind"]) for r in map(json.loads, (root / "expected-findings.jsonl").read_text().splitlines())}
    got = ours(lint_paths([root]), root)
    assert sorted(expected - got) == [], "missed"
    assert sorted(got - expected) == [], "spurious"
