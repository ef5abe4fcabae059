"""The pre-commit hook, installed by the real pre-commit from this checkout.

pre-commit builds the hook's own virtualenv with `pip install .` of this repository
(its dependencies come from the package index), then runs it on a temporary git
repository: it must fail on a bad aws-auth, showing the finding, and pass on a good one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT

BAD = FIXTURES / "rules" / "AA101" / "fail" / "path-and-sso.yaml"
GOOD = FIXTURES / "rules" / "AA101" / "pass" / "no-paths.yaml"


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def hook_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed snapshot of this checkout (pre-commit installs hooks from a git revision)."""
    src = tmp_path_factory.mktemp("hook-src")
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(ROOT / name, src / name)
    for name in ("linter", "rules", "schemas"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    git("init", "-q", cwd=src)
    git("add", "-A", cwd=src)
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "hook", cwd=src)
    return src


def precommit(repo: Path, hook_source: Path, home: Path) -> subprocess.CompletedProcess[str]:
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_source, capture_output=True, text=True, check=True).stdout.strip()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_source.as_uri()}\n    rev: {rev}\n    hooks:\n      - id: awsauth-lint\n"
    )
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("PRE_COMMIT", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def test_hook_fails_on_bad_and_passes_on_good(tmp_path: Path, hook_source: Path) -> None:
    """The real hook reports AA101 with its location on a bad file and passes a good one."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    (repo / "kube-system").mkdir()
    target = repo / "kube-system" / "aws-auth.yaml"
    target.write_text(BAD.read_text())
    (repo / "deployment.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n")
    git("add", "-A", cwd=repo)
    home = tmp_path / "pre-commit-home"
    bad = precommit(repo, hook_source, home)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "awsauth-lint" in bad.stdout
    assert "Failed" in bad.stdout
    assert "kube-system/aws-auth.yaml:11:16: AA101" in bad.stdout
    target.write_text(GOOD.read_text())
    git("add", "-A", cwd=repo)
    good = precommit(repo, hook_source, home)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout


def test_hook_manifest() -> None:
    """The hook id is documented in the README and selects YAML and JSON, serially."""
    import json

    from awsauth_lint.nodes import to_python
    from awsauth_lint.source import compose

    hooks = to_python(compose((ROOT / ".pre-commit-hooks.yaml").read_text()).docs[0])
    assert isinstance(hooks, list)
    (hook,) = hooks
    assert hook["id"] == "awsauth-lint"
    assert hook["language"] == "python"
    assert hook["require_serial"] is True
    assert sorted(hook["types_or"]) == ["json", "yaml"]
    assert "id: awsauth-lint" in (ROOT / "README.md").read_text()
    assert json.dumps(hook)
