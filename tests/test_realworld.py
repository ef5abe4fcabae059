"""The real-world corpus (../shared/corpus/realworld) never crashes the linter.

Its files are public aws-auth and RBAC manifests with mixed licences: they are read in
place, never copied into this repository.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import lint_paths, shared_path


def test_corpus_lints_without_internal_errors() -> None:
    """Every file is linted; no rule crashes and no input is unusable."""
    corpus = shared_path("corpus", "realworld")
    result = lint_paths([corpus])
    assert len(result.files) > 100
    assert [e.render() for e in result.errors] == []
    for f in result.findings:
        assert f.span.start.line >= 1
        assert f.span.start.column >= 1
        assert (f.span.end.line, f.span.end.column) >= (f.span.start.line, f.span.start.column)


def test_cli_over_corpus_prints_no_traceback(tmp_path: Path) -> None:
    """The real CLI over the whole corpus exits 0 or 1 and prints no traceback."""
    corpus = shared_path("corpus", "realworld")
    for fmt in ("text", "json"):
        proc = subprocess.run(
            [sys.executable, "-m", "awsauth_lint", "--format", fmt, str(corpus)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert proc.returncode in (0, 1), proc.stderr
        assert "Traceback" not in proc.stdout + proc.stderr
