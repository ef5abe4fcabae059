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


def test_access_review_over_corpus(tmp_path: Path) -> None:
    """`access` in every format over the whole corpus: no traceback, exit 0, JSON valid
    against its schema, a cluster per repository with an aws-auth."""
    import json

    from awsauth_lint import schemas
    from jsonschema import Draft202012Validator

    corpus = shared_path("corpus", "realworld")
    outs = {}
    for fmt in ("text", "json", "markdown"):
        proc = subprocess.run(
            [sys.executable, "-m", "awsauth_lint", "access", "-f", fmt, str(corpus)],
            capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "Traceback" not in proc.stdout + proc.stderr
        outs[fmt] = proc.stdout
    data = json.loads(outs["json"])
    assert not list(Draft202012Validator(schemas.load("access")).iter_errors(data))
    assert len(data["clusters"]) > 50
    assert sum(len(c["principals"]) for c in data["clusters"]) > 100
