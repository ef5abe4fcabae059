"""The pre-commit fast path (only files that cannot matter) says what the full run says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DEPLOYMENT = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GITHUB_ACTIONS": "", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "awsauth_lint", *args], cwd=cwd, capture_output=True, text=True, env=env, check=False)


def test_fast_path_matches_full_run(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(DEPLOYMENT)
    (tmp_path / "b.yaml").write_text(DEPLOYMENT)
    fast = run(["a.yaml", "b.yaml"], tmp_path)
    full = run(["--format", "text", "--show-suppressed", "a.yaml", "b.yaml"], tmp_path)  # an option that skips the fast path
    assert fast.returncode == full.returncode == 0
    assert fast.stdout == full.stdout == "All checks passed (2 files).\n"


def test_fast_path_never_hides_problems(tmp_path: Path) -> None:
    """Binary files, directives and aws-auth mentions go through the full run."""
    (tmp_path / "bin.yaml").write_bytes(b"\x00\x01")
    assert run(["bin.yaml"], tmp_path).returncode == 2
    (tmp_path / "d.yaml").write_text(DEPLOYMENT + "# awsauth-lint: disable=AA999\n")
    assert "AL002" in run(["d.yaml"], tmp_path).stdout
