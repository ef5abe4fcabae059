"""Pre-commit passes only changed files; RBAC context still comes from the whole repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import NODE_HEAD

AUTH = NODE_HEAD + """    - rolearn: arn:aws:iam::111122223333:role/dev
      username: dev:{{SessionName}}
      groups: [developers, data-science]
"""
BINDINGS = """apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
  - {kind: Group, name: developers, apiGroup: rbac.authorization.k8s.io}
  - {kind: Group, name: unmapped-group, apiGroup: rbac.authorization.k8s.io}
"""


def run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsauth_lint", "--quiet", "--fail-on", "note", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PRE_COMMIT": ""},
    )


def make_repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "kube-system").mkdir()
    (tmp_path / "rbac").mkdir()
    (tmp_path / "kube-system" / "aws-auth.yaml").write_text(AUTH)
    (tmp_path / "rbac" / "dev.yaml").write_text(BINDINGS)
    return tmp_path


def test_single_file_uses_bindings_from_other_files(tmp_path: Path) -> None:
    """Only the unbound group is reported; the binding file's own findings are not."""
    repo = make_repo(tmp_path)
    proc = run(repo, "kube-system/aws-auth.yaml")
    lines = [x for x in proc.stdout.splitlines() if ": RB" in x]
    assert lines == [
        "kube-system/aws-auth.yaml:11:28: RB001 group 'data-science' is bound by no RoleBinding or ClusterRoleBinding,"
        " so it grants nothing [group-without-binding]"
    ]
    assert "no RBAC" not in proc.stdout


def test_whole_repository_reports_both_sides(tmp_path: Path) -> None:
    """Linting the directory reports RB001 and the binding file's RB004 too."""
    repo = make_repo(tmp_path)
    out = run(repo, ".").stdout
    assert "kube-system/aws-auth.yaml:11:28: RB001" in out
    assert "rbac/dev.yaml:7:25: RB004" in out


def test_rbac_paths_config_limits_context(tmp_path: Path) -> None:
    """With rbac.paths, context comes from those globs only (here: none match)."""
    repo = make_repo(tmp_path)
    (repo / ".awsauth-lint.yaml").write_text("rbac:\n  paths: ['elsewhere/**/*.yaml']\n")
    proc = run(repo, "kube-system/aws-auth.yaml")
    assert ": RB001 " not in proc.stdout
    assert "no RBAC" in proc.stdout


def test_rbac_required_makes_missing_rbac_an_error(tmp_path: Path) -> None:
    """rbac: {required: true} turns 'no RBAC found' into exit 2."""
    (tmp_path / "aws-auth.yaml").write_text(AUTH)
    (tmp_path / ".awsauth-lint.yaml").write_text("rbac: {required: true}\n")
    proc = run(tmp_path, "aws-auth.yaml")
    assert proc.returncode == 2
    assert "rbac: {required: true}" in proc.stderr


def test_context_cache_is_never_stale(tmp_path: Path) -> None:
    """The cached RBAC context follows file content: binding the group flips the verdict."""
    repo = make_repo(tmp_path)
    assert "RB001" in run(repo, "kube-system/aws-auth.yaml").stdout
    cache_dir = Path(os.environ["XDG_CACHE_HOME"]) / "awsauth-lint"
    assert any(cache_dir.glob("context-*.pickle"))
    (repo / "rbac" / "data.yaml").write_text(BINDINGS.replace("name: dev,", "name: ds,").replace("developers", "data-science"))
    assert "RB001" not in run(repo, "kube-system/aws-auth.yaml").stdout
    (repo / "rbac" / "data.yaml").unlink()
    assert "RB001" in run(repo, "kube-system/aws-auth.yaml").stdout
    assert "RB001" in run(repo, "--no-cache", "kube-system/aws-auth.yaml").stdout


def test_a_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    run(repo, "kube-system/aws-auth.yaml")
    for f in (Path(os.environ["XDG_CACHE_HOME"]) / "awsauth-lint").glob("context-*.pickle"):
        f.write_bytes(b"not a pickle")
    proc = run(repo, "kube-system/aws-auth.yaml")
    assert "RB001" in proc.stdout
    assert "Traceback" not in proc.stderr


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def hook_run(repo: Path) -> subprocess.CompletedProcess[str]:
    """As pre-commit runs the hook: PRE_COMMIT set, the changed file given."""
    return subprocess.run(
        [sys.executable, "-m", "awsauth_lint", "--quiet", "--fail-on", "note", "kube-system/aws-auth.yaml"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PRE_COMMIT": "1"},
    )


DATA_SCIENCE = BINDINGS.replace("name: dev,", "name: ds,").replace("developers", "data-science")


def committed_repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "init")
    return repo


def test_pre_commit_sees_the_commit_not_the_work_tree(tmp_path: Path) -> None:
    """Unstaged edits and untracked files are not in the commit; staged ones are."""
    repo = committed_repo(tmp_path)
    assert "RB001" in hook_run(repo).stdout
    # an unstaged edit binds the group: the work tree says bound, the commit does not
    (repo / "rbac" / "dev.yaml").write_text(BINDINGS + "---\n" + DATA_SCIENCE)
    assert "RB001" not in run(repo, "kube-system/aws-auth.yaml").stdout
    assert "RB001" in hook_run(repo).stdout
    git(repo, "checkout", "--", "rbac/dev.yaml")
    # an untracked file: the same; once staged, the commit has it
    (repo / "rbac" / "ds.yaml").write_text(DATA_SCIENCE)
    assert "RB001" not in run(repo, "kube-system/aws-auth.yaml").stdout
    assert "RB001" in hook_run(repo).stdout
    git(repo, "add", "rbac/ds.yaml")
    assert "RB001" not in hook_run(repo).stdout


def test_unchanged_files_are_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files git knows unchanged come from the cache by object id, without being opened."""
    from awsauth_lint import cache, discover
    from awsauth_lint.loader import Limits

    repo = committed_repo(tmp_path)
    (repo / "rbac" / "ds.yaml").write_text(DATA_SCIENCE)  # untracked: read every time
    listed = discover.git_listing(repo)
    assert listed is not None
    assert [(Path(p).relative_to(repo).as_posix(), oid is not None) for p, oid in listed] == [
        ("kube-system/aws-auth.yaml", True),
        ("rbac/dev.yaml", True),
        ("rbac/ds.yaml", False),
    ]
    first, groups = cache.index_of(cache.context(listed, Limits(), repo))
    opened: list[str] = []
    real = Path.read_bytes

    def spy(self: Path) -> bytes:
        opened.append(self.name)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    again, groups_again = cache.index_of(cache.context(listed, Limits(), repo))
    assert opened == ["ds.yaml"]
    assert again.context_subjects == first.context_subjects
    assert again.context_subjects["Group"] == {"developers", "unmapped-group", "data-science"}
    assert groups_again == groups == {"system:bootstrappers", "system:nodes", "developers", "data-science"}


def test_blob_ids_are_gits(tmp_path: Path) -> None:
    from awsauth_lint.repo import blob_id

    repo = committed_repo(tmp_path)
    oid = subprocess.run(["git", "-C", str(repo), "hash-object", "rbac/dev.yaml"], capture_output=True, text=True, check=True).stdout.strip()
    assert blob_id((repo / "rbac" / "dev.yaml").read_bytes()) == oid


def test_pre_commit_rbac_paths_are_the_staged_files_among_them(tmp_path: Path) -> None:
    """rbac.paths chooses where bindings live; under pre-commit, only what is staged there."""
    repo = committed_repo(tmp_path)
    (repo / ".awsauth-lint.yaml").write_text("rbac:\n  paths: ['rbac/*.yaml']\n")
    (repo / "rbac" / "ds.yaml").write_text(DATA_SCIENCE)  # untracked, inside rbac.paths
    (repo / "elsewhere.yaml").write_text(DATA_SCIENCE.replace("name: ds,", "name: other,"))
    assert "RB001" not in run(repo, "kube-system/aws-auth.yaml").stdout
    assert "RB001" in hook_run(repo).stdout
    git(repo, "add", "rbac/ds.yaml", "elsewhere.yaml")
    assert "RB001" not in hook_run(repo).stdout
    git(repo, "rm", "-q", "--cached", "rbac/ds.yaml")
    assert "RB001" in hook_run(repo).stdout  # staged elsewhere.yaml is outside rbac.paths
