"""Each file belongs to the git repository git finds from the file's own directory, not the
one around the working directory: report URIs, RBAC context, its cache and `--base`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, NODE_HEAD

AUTH = NODE_HEAD + """    - rolearn: arn:aws:iam::111122223333:role/dev
      username: dev:{{SessionName}}
      groups: [developers]
"""


def binding(group: str) -> str:
    return f"""apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {{name: {group}}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}}
subjects:
  - {{kind: Group, name: {group}, apiGroup: rbac.authorization.k8s.io}}
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def lint(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsauth_lint", "--quiet", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PRE_COMMIT": "", **(env or {})},
    )


def make_repo(path: Path, files: dict[str, str], commit: bool = True) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q")
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    if commit:
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", "first")
    return path


@pytest.fixture
def two(tmp_path: Path) -> tuple[Path, Path]:
    """Repository A binds `developers`; repository B maps `developers` but binds only `ops`."""
    a = make_repo(tmp_path / "a", {"rbac/developers.yaml": binding("developers"), "README.md": "a\n"})
    b = make_repo(tmp_path / "b", {"clusters/prod/aws-auth.yaml": AUTH, "rbac/ops.yaml": binding("ops")})
    return a, b


def uris(proc: subprocess.CompletedProcess[str]) -> set[str]:
    log = json.loads(proc.stdout)
    return {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}


@pytest.mark.parametrize("where", ["/", "outside", "other-repository"])
def test_sarif_uris_are_relative_to_the_files_repository(tmp_path: Path, two: tuple[Path, Path], where: str) -> None:
    """From `/`, from a directory outside git or from another checkout, an absolute path to
    a file of B is reported as B names it."""
    a, b = two
    target = b / "clusters" / "prod" / "aws-auth.yaml"
    target.write_text((FIXTURES / "rules" / "AA101" / "fail" / "crlf.yaml").read_text())
    cwd = {"/": Path("/"), "outside": tmp_path, "other-repository": a}[where]
    proc = lint(cwd, "--format", "sarif", "--select", "AA101", str(target))
    assert proc.returncode == 1, proc.stderr
    assert uris(proc) == {"clusters/prod/aws-auth.yaml"}
    proc = lint(cwd, "--format", "sarif", "--select", "AA101", str(b))  # a directory too
    assert uris(proc) == {"clusters/prod/aws-auth.yaml"}


def test_fingerprints_do_not_depend_on_the_working_directory(tmp_path: Path, two: tuple[Path, Path]) -> None:
    a, b = two
    target = b / "clusters" / "prod" / "aws-auth.yaml"
    target.write_text((FIXTURES / "rules" / "AA101" / "fail" / "crlf.yaml").read_text())

    def prints(cwd: Path, path: str) -> list[str]:
        return [f["fingerprint"] for f in json.loads(lint(cwd, "--format", "json", path).stdout)["findings"]]

    inside = prints(b, "clusters/prod/aws-auth.yaml")
    assert inside
    assert prints(a, str(target)) == inside
    assert prints(Path("/"), str(target)) == inside


def test_rbac_context_comes_from_the_files_repository(two: tuple[Path, Path]) -> None:
    """Run inside A on B's aws-auth: A's binding of `developers` must not satisfy B."""
    a, b = two
    proc = lint(a, "--select", "RB001", str(b / "clusters" / "prod" / "aws-auth.yaml"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "RB001 group 'developers' is bound by no RoleBinding or ClusterRoleBinding" in proc.stdout
    # and A's own aws-auth, linted from B, is satisfied by A's binding
    (a / "aws-auth.yaml").write_text(AUTH)
    proc = lint(b, "--select", "RB001", str(a / "aws-auth.yaml"))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_repositories_linted_together_do_not_share_bindings(two: tuple[Path, Path]) -> None:
    """Both checkouts in one run: cross-file rules see one repository at a time."""
    a, _ = two
    proc = lint(a.parent, "--select", "RB001", "a", "b")
    assert "b/clusters/prod/aws-auth.yaml" in proc.stdout
    assert "RB001 group 'developers'" in proc.stdout
    assert proc.returncode == 1


def test_context_cache_is_the_files_repositorys(tmp_path: Path, two: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from awsauth_lint.cache import cache_file

    a, b = two
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    proc = lint(a, "--select", "RB001", str(b / "clusters" / "prod" / "aws-auth.yaml"))
    assert proc.returncode == 1, proc.stderr
    assert cache_file(b).exists()
    assert not cache_file(a).exists()


@pytest.mark.parametrize("where", ["other-repository", "outside"])
def test_base_is_read_from_the_files_repository(tmp_path: Path, two: tuple[Path, Path], where: str) -> None:
    """`--base HEAD` is B's HEAD: removing B's node mapping is AA402, run from A or from outside git."""
    a, b = two
    target = b / "clusters" / "prod" / "aws-auth.yaml"
    target.write_text(target.read_text().replace("role/eks-node", "role/other-node"))
    cwd = a if where == "other-repository" else tmp_path
    proc = lint(cwd, "--select", "AA402", "--base", "HEAD", str(target))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "(at HEAD) was removed" in proc.stdout


def test_base_unknown_in_the_files_repository_names_it(tmp_path: Path, two: tuple[Path, Path]) -> None:
    """A ref that exists in A only is checked against B, and the error names B."""
    a, b = two
    git(a, "branch", "only-in-a")
    proc = lint(a, "--select", "AA402", "--base", "only-in-a", str(b / "clusters" / "prod" / "aws-auth.yaml"))
    assert proc.returncode == 2
    assert f"is not a commit in {b.resolve()}" in proc.stderr


def test_nested_repository_is_its_own(tmp_path: Path) -> None:
    """A checkout inside another (untracked, or a submodule) holds its own files."""
    from awsauth_lint.repo import Repos

    outer = make_repo(tmp_path / "outer", {"x.yaml": "a: 1\n"})
    inner = make_repo(outer / "vendor" / "inner", {"deep/y.yaml": "b: 1\n"})
    plain = tmp_path / "plain"
    plain.mkdir()
    repos = Repos()
    assert repos.where(str(outer / "x.yaml")) == (outer.resolve(), "x.yaml")
    assert repos.where(str(inner / "deep" / "y.yaml")) == (inner.resolve(), "deep/y.yaml")
    assert repos.where(str(outer / "vendor" / "z.yaml")) == (outer.resolve(), "vendor/z.yaml")
    assert repos.where(str(plain / "w.yaml")) is None
    assert repos.relative(str(plain / "w.yaml"), plain) == "w.yaml"
    assert repos.where("-") is None


def test_a_symlinked_path_to_a_repository(tmp_path: Path, two: tuple[Path, Path]) -> None:
    """Reached through a symlink, a file is still named as its repository names it."""
    from awsauth_lint.repo import Repos

    _, b = two
    link = tmp_path / "link"
    link.symlink_to(b)
    assert Repos().where(str(link / "clusters" / "prod" / "aws-auth.yaml")) == (b.resolve(), "clusters/prod/aws-auth.yaml")


def test_context_is_the_rest_of_the_files_repository(tmp_path: Path, two: tuple[Path, Path]) -> None:
    """Named from anywhere, however spelled, a linted file is left out of its repository's
    context, and no other repository contributes."""
    from awsauth_lint.discover import context_files
    from awsauth_lint.repo import Repos

    a, b = two
    link = tmp_path / "link"
    link.symlink_to(b)
    for named in (b / "rbac" / "ops.yaml", link / "rbac" / "ops.yaml"):
        ctx = context_files([str(named)], (), a, (), Repos())
        assert list(ctx) == [b.resolve()]
        assert [os.path.relpath(f, b.resolve()) for f, _ in ctx[b.resolve()]] == ["clusters/prod/aws-auth.yaml"]
    ctx = context_files([str(tmp_path / "loose.yaml")], (), a, (), Repos())
    assert ctx == {}  # outside any repository, without rbac.paths: no context
