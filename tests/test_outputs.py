"""Several outputs in one run, atomic report writes, and --fix/--diff through the real CLI."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES

BAD = (FIXTURES / "rules" / "AA101" / "fail" / "path-and-sso.yaml").read_text()


def run(args: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsauth_lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        check=False,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1", "GITHUB_ACTIONS": ""},
    )


def test_text_to_console_and_sarif_to_file(tmp_path: Path) -> None:
    """--sarif-file and --output-format/--output add reports; the exit code still fails the step."""
    (tmp_path / "aws-auth.yaml").write_text(BAD)
    proc = run(["--sarif-file", "out.sarif", "--output-format", "json", "--output", "out.json", "aws-auth.yaml"], tmp_path)
    assert proc.returncode == 1
    assert "aws-auth.yaml:11:16: AA101" in proc.stdout
    sarif = json.loads((tmp_path / "out.sarif").read_text())
    assert len(sarif["runs"][0]["results"]) == 3
    assert len(json.loads((tmp_path / "out.json").read_text())["findings"]) == 3


def test_repeated_output_pairs(tmp_path: Path) -> None:
    """Each --output-format goes with the --output in the same position; text stays on stdout."""
    (tmp_path / "aws-auth.yaml").write_text(BAD)
    proc = run(
        [
            *("--output-format", "sarif", "--output", "a.sarif"),
            *("--output-format", "github", "--output", "b.txt"),
            *("--output-format", "json", "--output", "c.json"),
            "aws-auth.yaml",
        ],
        tmp_path,
    )
    assert proc.returncode == 1
    assert "Found 3 problems" in proc.stdout
    assert json.loads((tmp_path / "a.sarif").read_text())["version"] == "2.1.0"
    assert (tmp_path / "b.txt").read_text().startswith("::error file=aws-auth.yaml,line=11,col=16,")
    assert len(json.loads((tmp_path / "c.json").read_text())["findings"]) == 3


def test_output_alone_takes_the_main_report(tmp_path: Path) -> None:
    """--output without --output-format writes the --format report there, not to stdout."""
    (tmp_path / "aws-auth.yaml").write_text(BAD)
    proc = run(["--format", "json", "--output", "r.json", "aws-auth.yaml"], tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert len(json.loads((tmp_path / "r.json").read_text())["findings"]) == 3


@pytest.mark.parametrize(
    "args",
    [
        ["--output-format", "json", "--output-format", "sarif", "--output", "x"],
        ["--output", "x", "--output", "y"],
        ["--output-format", "json"],
    ],
)
def test_unpaired_outputs_are_usage_errors(tmp_path: Path, args: list[str]) -> None:
    """Formats and files that do not pair up are a usage error (exit 2), nothing written."""
    (tmp_path / "aws-auth.yaml").write_text(BAD)
    proc = run([*args, "aws-auth.yaml"], tmp_path)
    assert proc.returncode == 2
    assert "--output" in proc.stderr
    assert not (tmp_path / "x").exists()


def test_reports_are_replaced_atomically_keeping_the_mode(tmp_path: Path) -> None:
    """An existing report keeps its permission bits; no temporary file is left behind."""
    (tmp_path / "aws-auth.yaml").write_text(BAD)
    out = tmp_path / "out.sarif"
    out.write_text("old")
    out.chmod(0o600)
    run(["--sarif-file", "out.sarif", "aws-auth.yaml"], tmp_path)
    assert json.loads(out.read_text())["version"] == "2.1.0"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aws-auth.yaml", "out.sarif"]


def test_unwritable_report_is_exit_2(tmp_path: Path) -> None:
    """A report that cannot be written is an error, not a silent success."""
    (tmp_path / "aws-auth.yaml").write_text(BAD)
    proc = run(["--sarif-file", "missing-dir/out.sarif", "aws-auth.yaml"], tmp_path)
    assert proc.returncode == 2
    assert "cannot write report" in proc.stderr


def test_fix_diff_and_idempotence(tmp_path: Path) -> None:
    """--diff shows, --fix writes (mode kept, bytes elsewhere kept), a second --fix changes nothing."""
    f = tmp_path / "aws-auth.yaml"
    crlf = BAD.replace("\n", "\r\n")
    f.write_bytes(b"\xef\xbb\xbf" + crlf.encode())
    f.chmod(0o640)
    assert run(["--fix", "aws-auth.yaml"], tmp_path).returncode == 1  # removing a path is unsafe
    assert f.read_bytes().decode("utf-8-sig") == crlf
    diff = run(["--diff", "--unsafe-fixes", "aws-auth.yaml"], tmp_path)
    assert "-    - rolearn: arn:aws:iam::111122223333:role/team/dev/deployer" in diff.stdout
    assert f.read_bytes().startswith(b"\xef\xbb\xbf")
    assert f.read_bytes().decode("utf-8-sig") == crlf  # --diff wrote nothing
    fixed = run(["--fix", "--unsafe-fixes", "aws-auth.yaml"], tmp_path)
    assert fixed.returncode == 0, fixed.stdout
    data = f.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    expected = (
        crlf.replace("role/team/dev/deployer", "role/deployer")
        .replace("role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin", "role/AWSReservedSSO_Admin")
        .replace("role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnly", "role/AWSReservedSSO_ReadOnly")
    )
    assert data[3:].decode() == expected
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    again = run(["--fix", "--unsafe-fixes", "aws-auth.yaml"], tmp_path)
    assert again.returncode == 0
    assert f.read_bytes() == data


def test_fix_stdin_writes_fixed_text(tmp_path: Path) -> None:
    """With `-`, --fix prints the fixed text on stdout and the report on stderr."""
    proc = run(["--fix", "--unsafe-fixes", "-"], tmp_path, stdin=BAD)
    assert "role/team/dev" not in proc.stdout
    assert "arn:aws:iam::111122223333:role/deployer" in proc.stdout
    assert "All checks passed" in proc.stderr


def test_unsafe_fixes_need_the_flag(tmp_path: Path) -> None:
    """Lower-casing a username is applied only with --unsafe-fixes."""
    f = tmp_path / "aws-auth.yaml"
    text = BAD.replace("      username: deployer\n", "      username: Deployer\n")
    f.write_text(text)
    run(["--fix", "aws-auth.yaml"], tmp_path)
    assert "username: Deployer" in f.read_text()
    run(["--fix", "--unsafe-fixes", "aws-auth.yaml"], tmp_path)
    assert "username: deployer" in f.read_text()


def test_unsafe_username_fix_reports_bindings(tmp_path: Path) -> None:
    """Lower-casing a username names the bindings whose User subject must change with it."""
    (tmp_path / "aws-auth.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\ndata:\n  mapRoles: |\n"
        "    - rolearn: arn:aws:iam::111122223333:role/ci\n      username: CI-Bot\n"
    )
    (tmp_path / "rbac.yaml").write_text(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ci}\n"
        "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\n"
        "subjects:\n  - {kind: User, name: CI-Bot, apiGroup: rbac.authorization.k8s.io}\n"
    )
    proc = run(["--fix", "--unsafe-fixes", "."], tmp_path)
    assert "username: ci-bot" in (tmp_path / "aws-auth.yaml").read_text()
    assert "rbac.yaml:6:24: binding 'ci' names User 'CI-Bot', which --unsafe-fixes lower-cased: update it too" in proc.stderr
