"""AA402 against real git history: node mappings removed or changed since a base ref."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, expectations

CASES = FIXTURES / "git" / "aa402"


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def lint(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsauth_lint", "--select", "AA402", "--quiet", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PRE_COMMIT": "", **(env or {})},
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q")
    (tmp_path / "kube-system").mkdir()
    (tmp_path / "kube-system" / "aws-auth.yaml").write_text((CASES / "base.yaml").read_text())
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    return tmp_path


def found(proc: subprocess.CompletedProcess[str]) -> set[tuple[int, int]]:
    out = set()
    for line in proc.stdout.splitlines():
        if ": AA402 " in line:
            _, ln, col = line.split(": AA402")[0].rsplit(":", 2)
            out.add((int(ln), int(col)))
    return out


@pytest.mark.parametrize("case", ["removed", "changed"])
def test_removed_or_changed_node_mapping(repo: Path, case: str) -> None:
    """The working tree drops or edits a node mapping that HEAD has: AA402 where marked."""
    target = repo / "kube-system" / "aws-auth.yaml"
    target.write_text((CASES / f"{case}.yaml").read_text())
    proc = lint(repo, "--base", "HEAD", "kube-system/aws-auth.yaml")
    assert proc.returncode == 1, proc.stderr
    expected = {(ln, col) for _, ln, col, _ in expectations(CASES / f"{case}.yaml", case)}
    assert found(proc) == expected
    assert "(at HEAD) was removed" in proc.stdout or "changed since HEAD" in proc.stdout


def test_unchanged_is_silent_and_pre_commit_defaults_to_head(repo: Path) -> None:
    """No change: silent. Under pre-commit (PRE_COMMIT set) the base is HEAD without --base."""
    assert found(lint(repo, "--base", "HEAD", "kube-system/aws-auth.yaml")) == set()
    (repo / "kube-system" / "aws-auth.yaml").write_text((CASES / "removed.yaml").read_text())
    assert found(lint(repo, "kube-system/aws-auth.yaml")) == set()  # no base without pre-commit
    assert found(lint(repo, "kube-system/aws-auth.yaml", env={"PRE_COMMIT": "1"})) == {(7, 3)}


def test_renamed_file_is_followed(repo: Path) -> None:
    """`git mv` plus the removal of a node mapping: git sees the rename, so the base is the old path."""
    git(repo, "mv", "kube-system/aws-auth.yaml", "kube-system/auth.yaml")
    (repo / "kube-system" / "auth.yaml").write_text((CASES / "removed.yaml").read_text())
    assert found(lint(repo, "--base", "HEAD", "kube-system/auth.yaml")) == {(7, 3)}
    git(repo, "add", "-A")  # staged, as pre-commit sees it
    assert found(lint(repo, "kube-system/auth.yaml", env={"PRE_COMMIT": "1"})) == {(7, 3)}


def test_new_file_has_no_base(repo: Path) -> None:
    """A file that did not exist at the base (git sees no rename) is silent, staged or not."""
    (repo / "other.yaml").write_text((CASES / "removed.yaml").read_text())
    assert found(lint(repo, "--base", "HEAD", "other.yaml")) == set()
    git(repo, "add", "-A")
    assert found(lint(repo, "--base", "HEAD", "other.yaml")) == set()


def test_unparsable_map_roles_is_left_to_aa001(repo: Path) -> None:
    """A mapRoles that no longer parses is AA001's finding, not 'node mapping removed'."""
    target = repo / "kube-system" / "aws-auth.yaml"
    target.write_text(
        target.read_text().replace("      groups: [system:bootstrappers, system:nodes]\n", "     groups: [x]\n", 1)
    )
    proc = lint(repo, "--base", "HEAD", "--select", "AA001", "kube-system/aws-auth.yaml")
    assert found(proc) == set()
    assert ": AA001 " in proc.stdout


def test_option_like_ref_is_refused(repo: Path) -> None:
    proc = lint(repo, "--base=--output=x", "kube-system/aws-auth.yaml")
    assert proc.returncode == 2
    assert "is not a git ref" in proc.stderr
    assert not (repo / "x").exists()


@pytest.mark.parametrize("ref", ["no-such-branch", "origin/main"])
def test_invalid_ref_is_exit_2(repo: Path, ref: str) -> None:
    """A ref git does not know is a clear error, exit 2: a typo or a branch a shallow CI
    checkout did not fetch must not switch the node-role check off."""
    proc = lint(repo, "--base", ref, "kube-system/aws-auth.yaml")
    assert proc.returncode == 2
    assert f"--base {ref!r} is not a commit" in proc.stderr
    assert "fetch-depth: 0" in proc.stderr


def skipped(ref: str) -> str:
    return f"awsauth-lint: warning: --base {ref!r} names no commit (an unset CI variable?); AA402 (node-role-removed) was skipped"


@pytest.mark.parametrize("ref", ["origin/", "", "  ", "refs/heads/"])
def test_ref_an_empty_ci_variable_leaves_is_a_warning(repo: Path, ref: str) -> None:
    """`--base "origin/$GITHUB_BASE_REF"` on a push is `--base origin/`: one warning line
    naming the ref, AA402 skipped, and the exit code comes from the findings alone."""
    (repo / "kube-system" / "aws-auth.yaml").write_text((CASES / "removed.yaml").read_text())
    proc = lint(repo, "--base", ref, "kube-system/aws-auth.yaml")
    assert proc.returncode == 0, proc.stderr
    assert found(proc) == set()
    assert proc.stderr.splitlines() == [skipped(ref)]
    assert "All checks passed" in proc.stdout


def test_skipped_base_keeps_the_other_findings_exit_code(repo: Path) -> None:
    text = (CASES / "removed.yaml").read_text().replace("role/developers", "role/team/developers")
    (repo / "kube-system" / "aws-auth.yaml").write_text(text)
    proc = lint(repo, "--select", "AA101", "--base", "origin/", "kube-system/aws-auth.yaml")
    assert proc.returncode == 1, proc.stderr
    assert ": AA101 " in proc.stdout
    assert found(proc) == set()
    assert proc.stderr.splitlines() == [skipped("origin/")]


def test_empty_base_under_pre_commit_is_no_base(repo: Path) -> None:
    """An explicit empty --base is not replaced by pre-commit's implicit HEAD."""
    (repo / "kube-system" / "aws-auth.yaml").write_text((CASES / "removed.yaml").read_text())
    proc = lint(repo, "--base", "", "kube-system/aws-auth.yaml", env={"PRE_COMMIT": "1"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [skipped("")]


def test_outside_git_is_silent(tmp_path: Path) -> None:
    """Without a git repository there is no base: silent, not an error."""
    (tmp_path / "aws-auth.yaml").write_text((CASES / "removed.yaml").read_text())
    proc = lint(tmp_path, "--base", "HEAD", "aws-auth.yaml")
    assert proc.returncode == 0
    assert found(proc) == set()


def test_first_commit_under_pre_commit_is_silent(tmp_path: Path) -> None:
    """Before the first commit HEAD does not exist; the implicit pre-commit base is then skipped."""
    git(tmp_path, "init", "-q")
    (tmp_path / "aws-auth.yaml").write_text((CASES / "removed.yaml").read_text())
    proc = lint(tmp_path, "aws-auth.yaml", env={"PRE_COMMIT": "1"})
    assert proc.returncode == 0, proc.stderr


def test_git_timeout_leaves_file_without_base(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A `git show` that times out must not crash the run: the file simply has no base."""
    from awsauth_lint import gitbase
    from awsauth_lint.loader import SourceFile, load_path

    real = subprocess.run

    def slow_show(cmd: list[str], **kw: object) -> object:
        if "show" in cmd:
            raise subprocess.TimeoutExpired(cmd, 60)
        return real(cmd, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", slow_show)  # git runs through repo.git
    monkeypatch.chdir(repo)
    sf = load_path("kube-system/aws-auth.yaml", "kube-system/aws-auth.yaml")
    assert isinstance(sf, SourceFile)
    gitbase.attach([sf], "HEAD")
    assert all(d.base is None for d in sf.awsauth)
