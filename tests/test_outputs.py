"""Several outputs in one run, baselines, and --fix/--diff through the real CLI."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

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


def test_baseline_hides_known_and_reports_gone(tmp_path: Path) -> None:
    """Recorded findings are hidden; a new one still fails; fixed ones are listed as gone."""
    f = tmp_path / "aws-auth.yaml"
    f.write_text(BAD)
    assert run(["--write-baseline", "base.json", "aws-auth.yaml"], tmp_path).returncode == 1
    data = json.loads((tmp_path / "base.json").read_text())
    assert data["version"] == 1
    assert [e["code"] for e in data["findings"]] == ["AA101"] * 3
    clean = run(["--baseline", "base.json", "aws-auth.yaml"], tmp_path)
    assert clean.returncode == 0
    assert "3 findings hidden by the baseline" in clean.stdout
    # insert lines above (fingerprints hold), fix one finding, add a new one
    text = "# moved down\n" + BAD.replace("role/team/dev/deployer", "role/deployer")
    text = text.replace("      username: deployer\n", "      username: Deployer\n")
    f.write_text(text)
    proc = run(["--baseline", "base.json", "aws-auth.yaml"], tmp_path)
    assert proc.returncode == 1
    assert "AA201" in proc.stdout
    assert "AA101" not in proc.stdout.split("note:")[0]
    assert "baseline entry no longer occurs: aws-auth.yaml: AA101" in proc.stdout


def test_bad_baseline_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "base.json").write_text("{not json")
    (tmp_path / "aws-auth.yaml").write_text(BAD)
    proc = run(["--baseline", "base.json", "aws-auth.yaml"], tmp_path)
    assert proc.returncode == 2
    assert "not a readable awsauth-lint baseline" in proc.stderr


def test_fix_diff_and_idempotence(tmp_path: Path) -> None:
    """--diff shows, --fix writes (mode kept, bytes elsewhere kept), a second --fix changes nothing."""
    f = tmp_path / "aws-auth.yaml"
    crlf = BAD.replace("\n", "\r\n")
    f.write_bytes(b"\xef\xbb\xbf" + crlf.encode())
    f.chmod(0o640)
    diff = run(["--diff", "aws-auth.yaml"], tmp_path)
    assert "-    - rolearn: arn:aws:iam::111122223333:role/team/dev/deployer" in diff.stdout
    assert f.read_bytes().startswith(b"\xef\xbb\xbf")
    assert f.read_bytes().decode("utf-8-sig") == crlf  # --diff wrote nothing
    fixed = run(["--fix", "aws-auth.yaml"], tmp_path)
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
    again = run(["--fix", "aws-auth.yaml"], tmp_path)
    assert again.returncode == 0
    assert f.read_bytes() == data


def test_fix_stdin_writes_fixed_text(tmp_path: Path) -> None:
    """With `-`, --fix prints the fixed text on stdout and the report on stderr."""
    proc = run(["--fix", "-"], tmp_path, stdin=BAD)
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
