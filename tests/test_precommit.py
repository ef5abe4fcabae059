"""The pre-commit hook, installed by the real pre-commit from this checkout.

pre-commit builds the hook's own virtualenv with `pip install .` of this repository
(its dependencies come from the package index), then runs it on a temporary git
repository: it must fail on a bad aws-auth, showing the finding, and pass on a good one.

The hook repository is a committed snapshot of this working tree (the files git would
commit: tracked and untracked-but-not-ignored). `pre-commit try-repo` on the checkout
itself would commit only tracked changes (`git add -u`), so a new, not yet committed
module would be missing and the test would check something other than the tree.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, NODE_HEAD, ROOT

BAD = FIXTURES / "rules" / "AA101" / "fail" / "path-and-sso.yaml"
GOOD = FIXTURES / "rules" / "AA101" / "pass" / "no-paths.yaml"


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def tree_files() -> list[str]:
    """What a commit of the working tree would hold (a fixed list when this is no git checkout)."""
    try:
        out = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    except (OSError, subprocess.CalledProcessError):
        return [
            str(p.relative_to(ROOT))
            for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "linter", "rules", "schemas")
            for p in ([ROOT / name] if (ROOT / name).is_file() else sorted((ROOT / name).rglob("*")))
            if p.is_file() and "__pycache__" not in p.parts
        ]
    return [f for f in out.split("\0") if f and (ROOT / f).is_file()]


@pytest.fixture(scope="module")
def hook_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed snapshot of this working tree (pre-commit installs hooks from a git revision)."""
    src = tmp_path_factory.mktemp("hook-src")
    for rel in tree_files():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, src / rel)
    git("init", "-q", cwd=src)
    git("add", "-A", cwd=src)
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "hook", cwd=src)
    return src


def precommit(args: list[str], repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("PRE_COMMIT", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args, "--color", "never"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def readme_config(hook_source: Path) -> str:
    """The README's .pre-commit-config.yaml snippet, pointed at the snapshot."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## pre-commit") :]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block is not None
    snippet = block.group(1)
    assert "- id: awsauth-lint" in snippet
    rev = git("rev-parse", "HEAD", cwd=hook_source).strip()
    snippet, n = re.subn(r"repo: \S+", f"repo: {hook_source.as_uri()}", snippet)
    snippet, m = re.subn(r"rev: \S+", f"rev: {rev}", snippet)
    assert n == m == 1
    return snippet


def test_hook_fails_on_bad_and_passes_on_good(tmp_path: Path, hook_source: Path) -> None:
    """`pre-commit try-repo` reports AA101 at its location; the README's config passes a good file."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    (repo / "kube-system").mkdir()
    target = repo / "kube-system" / "aws-auth.yaml"
    target.write_text(BAD.read_text())
    (repo / "deployment.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n")
    (repo / "notes.txt").write_text("not for this hook\n")
    git("add", "-A", cwd=repo)
    home = tmp_path / "pre-commit-home"
    bad = precommit(["try-repo", str(hook_source), "awsauth-lint", "--all-files"], repo, home)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "kube-system/aws-auth.yaml:11:16: AA101" in bad.stdout
    assert "notes.txt" not in bad.stdout
    (repo / ".pre-commit-config.yaml").write_text(readme_config(hook_source))
    target.write_text(GOOD.read_text())
    git("add", "-A", cwd=repo)
    good = precommit(["run", "--all-files"], repo, home)
    assert good.returncode == 0, good.stdout + good.stderr
    assert re.search(r"awsauth-lint\.+Passed", good.stdout), good.stdout
    target.write_text(BAD.read_text())
    again = precommit(["run", "awsauth-lint", "--files", "kube-system/aws-auth.yaml"], repo, home)
    assert again.returncode == 1
    assert "kube-system/aws-auth.yaml:11:16: AA101" in again.stdout


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
    assert hook["entry"] == "awsauth-lint"
    assert "id: awsauth-lint" in (ROOT / "README.md").read_text()
    assert json.dumps(hook)


@pytest.mark.parametrize(
    ("name", "selected"),
    [
        ("kube-system/aws-auth.yaml", True),
        ("aws-auth.yml", True),
        ("cluster.json", True),
        ("rbac/bindings.YAML", True),
        ("aws-auth.yaml.tmpl", False),
        ("README.md", False),
        ("main.tf", False),
    ],
)
def test_hook_selects_manifests(name: str, selected: bool) -> None:
    """`types_or` picks the YAML and JSON files pre-commit would pass, and nothing else."""
    from identify.identify import tags_from_filename

    assert bool(tags_from_filename(name) & {"yaml", "json"}) is selected


AWS_AUTH_QA = NODE_HEAD + """    - rolearn: arn:aws:iam::111122223333:role/qa
      username: qa:{{SessionName}}
      groups: [qa-testers]
"""
QA_BINDING = """apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: qa, namespace: qa}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
  - {kind: Group, name: qa-testers, apiGroup: rbac.authorization.k8s.io}
"""


def test_hook_blocks_a_commit_that_deletes_a_binding(tmp_path: Path, hook_source: Path) -> None:
    """`git rm` of the only binding of a group: the untouched aws-auth's group is unbound.

    pre-commit passes no file for a deletion; the hook runs anyway (always_run) and points
    at the aws-auth line, naming the deletion. The commit before it passes."""
    repo = tmp_path / "repo"
    (repo / "clusters" / "prod" / "kube-system").mkdir(parents=True)
    (repo / "rbac").mkdir()
    git("init", "-q", cwd=repo)
    (repo / "clusters" / "prod" / "kube-system" / "aws-auth.yaml").write_text(AWS_AUTH_QA)
    (repo / "rbac" / "qa.yaml").write_text(QA_BINDING)
    (repo / ".pre-commit-config.yaml").write_text(readme_config(hook_source))
    git("add", "-A", cwd=repo)
    home = tmp_path / "pre-commit-home"
    first = precommit(["run"], repo, home)
    assert first.returncode == 0, first.stdout + first.stderr
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "qa", cwd=repo)
    git("rm", "-q", "rbac/qa.yaml", cwd=repo)
    blocked = precommit(["run"], repo, home)
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert (
        "clusters/prod/kube-system/aws-auth.yaml:11:16: RB001 group 'qa-testers' is bound by no RoleBinding or "
        "ClusterRoleBinding, so it grants nothing; no longer bound: rbac/qa.yaml was deleted in this commit"
    ) in blocked.stdout
