"""--fix: expected output byte for byte, idempotent, nothing fixable left, never broken."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from awsauth_lint.config import Config
from awsauth_lint.engine import lint
from awsauth_lint.fixer import apply, fix_text, offsets
from awsauth_lint.loader import SourceFile, load_bytes
from helpers import FIXTURES, SHARED
from hypothesis import given, settings
from hypothesis import strategies as st

CASES = sorted(p for p in (FIXTURES / "fix").iterdir() if ".fixed." not in p.name)


def fixed_name(p: Path) -> Path:
    return p.with_name(f"{p.stem}.fixed{p.suffix}")


def run_fix(path: Path) -> subprocess.CompletedProcess[str]:
    """--fix (plus --unsafe-fixes for fixtures named unsafe-*)."""
    unsafe = ["--unsafe-fixes"] if path.name.startswith("unsafe-") else []
    return subprocess.run(
        [sys.executable, "-m", "awsauth_lint", "--fix", *unsafe, "--quiet", path.name],
        cwd=path.parent, capture_output=True, text=True, check=False, env={**os.environ, "PRE_COMMIT": ""},
    )


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_fix_matches_expected_bytes(case: Path, tmp_path: Path) -> None:
    target = tmp_path / case.name
    shutil.copy(case, target)
    proc = run_fix(target)
    assert "Traceback" not in proc.stderr
    assert target.read_bytes() == fixed_name(case).read_bytes()
    assert "[*]" not in proc.stdout  # nothing fixable left
    if case.name.startswith("unsafe-"):  # without the flag, an unsafe fix is never applied
        plain = tmp_path / "plain" / case.name
        plain.parent.mkdir()
        shutil.copy(case, plain)
        subprocess.run([sys.executable, "-m", "awsauth_lint", "--fix", "-q", plain.name], cwd=plain.parent, check=False, capture_output=True)
        assert plain.read_bytes() == case.read_bytes()
    again = run_fix(target)
    assert target.read_bytes() == fixed_name(case).read_bytes()  # a second --fix changes nothing
    assert "fixed" not in again.stderr


def _lint(text: str) -> list:  # type: ignore[type-arg]
    return lint([load_bytes("f.yaml", text.encode())], Config()).findings


def test_fix_that_would_break_the_file_is_not_applied() -> None:
    """A fix whose result no longer parses is dropped (safety net), the text kept as it was."""
    from awsauth_lint.model import Edit, Fix, Position, Span

    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth}\ndata:\n  mapRoles: |\n    - rolearn: a\n"
    broken = Fix("breaks", (Edit(Span(Position(6, 5), Position(6, 6)), "\t"),))

    def lint_with_bad_fix(t: str) -> list:  # type: ignore[type-arg]
        found = _lint(t)
        return [*found, replace(found[0], fix=broken)] if t == text and found else found

    out = fix_text(text, lint_with_bad_fix)
    assert out.text == text
    assert out.applied == 0


def _seeds() -> list[bytes]:
    files = [p for p in (FIXTURES / "rules").rglob("*.yaml")] + CASES
    corpus = SHARED / "corpus" / "realworld"
    if corpus.exists():
        files += sorted(corpus.rglob("*.yaml"))
    return [p.read_bytes() for p in files]


SEEDS = _seeds()


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(SEEDS), st.integers(0, 6), st.data())
def test_fix_properties_on_mutated_files(seed: bytes, mutations: int, data: st.DataObject) -> None:
    """Fixed output parses as well as before, leaves nothing fixable, is idempotent, and
    one pass changes bytes only inside the fix spans."""
    raw = bytearray(seed)
    for _ in range(mutations):
        if not raw:
            break
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i:i] = data.draw(st.sampled_from([b"A", b"/team", b"  ", b"\n", b"yes", b"{{SessionName}}", b"roleARN"]))
    source = load_bytes("f.yaml", bytes(raw))
    if not isinstance(source, SourceFile):
        return
    text = source.src.text
    before = _lint(text)
    fixes = [f.fix for f in before if f.fix is not None and f.fix.safe and f.suppressed is None]
    one, n = apply(text, fixes)
    if n:
        starts, new_starts = offsets(text), offsets(one)
        assert len(one) >= 0
        edits = sorted((e.span for fx in fixes for e in fx.edits), key=lambda s: (s.start.line, s.start.column))
        first = edits[0]
        prefix = starts[first.start.line - 1] + first.start.column - 1
        assert one[:prefix] == text[:prefix]  # nothing before the first edit moved
        last = edits[-1]
        tail = len(text) - (starts[last.end.line - 1] + last.end.column - 1) if last.end.line - 1 < len(starts) else 0
        assert tail <= 0 or one[len(one) - tail :] == text[len(text) - tail :]  # nor after the last
        assert new_starts
    out = fix_text(text, _lint)
    after = _lint(out.text)
    assert sum(f.code == "AA001" for f in after) <= sum(f.code == "AA001" for f in before)
    assert not [f for f in after if f.fix is not None and f.fix.safe and f.suppressed is None] or out.applied == 0
    assert fix_text(out.text, _lint).text == out.text
