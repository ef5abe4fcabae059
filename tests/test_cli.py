"""The command line end to end: exit codes, options, formats, config, discovery."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from awsauth_lint import __version__
from awsauth_lint.cli import cli
from click.testing import CliRunner
from helpers import FIXTURES, NODE_HEAD

BAD = FIXTURES / "rules" / "AA101" / "fail" / "path-and-sso.yaml"
GOOD = FIXTURES / "rules" / "AA101" / "pass" / "no-paths.yaml"
NOTE_ONLY = NODE_HEAD + """    - rolearn: arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef
      username: admin
      groups: [admins]
"""
MIXED = NOTE_ONLY + """    - rolearn: arn:aws:iam::111122223333:role/team/ops
      username: ops
      groups: [ops]
"""


def run(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess (`python -m awsauth_lint`)."""
    return subprocess.run(
        [sys.executable, "-m", "awsauth_lint", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=stdin,
        timeout=120,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )


def invoke(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


def test_exit_codes_clean_findings_and_missing_path(tmp_path: Path) -> None:
    """0 when clean, 1 with findings, 2 for a path that does not exist."""
    good = tmp_path / GOOD.name  # a copy outside any repository: this one's RBAC fixtures are no context of it
    good.write_text(GOOD.read_text())
    assert run(str(good), cwd=tmp_path).returncode == 0
    bad = run(str(BAD), cwd=tmp_path)
    assert bad.returncode == 1
    assert f"{BAD}:11:16: AA101 role ARN has IAM path 'team/dev/'" in bad.stdout
    missing = run(str(tmp_path / "nope.yaml"), cwd=tmp_path)
    assert missing.returncode == 2
    assert "no such file or directory" in missing.stderr
    assert "Traceback" not in missing.stderr


@pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warning", 0), ("note", 1), ("never", 0)])
def test_fail_on(tmp_path: Path, fail_on: str, code: int) -> None:
    """A note-only file fails only with --fail-on note."""
    f = tmp_path / "aws-auth.yaml"
    f.write_text(NOTE_ONLY)
    proc = run("--fail-on", fail_on, str(f), cwd=tmp_path)
    assert proc.returncode == code
    assert "AA206" in proc.stdout


def test_fail_on_never_with_errors(tmp_path: Path) -> None:
    """--fail-on never exits 0 even with errors; error fails at the default level too."""
    assert run("--fail-on", "never", str(BAD), cwd=tmp_path).returncode == 0
    assert run("--fail-on", "error", str(BAD), cwd=tmp_path).returncode == 1


def test_binary_file_is_exit_2_and_others_still_linted(tmp_path: Path) -> None:
    """Unusable input is named on stderr with exit 2; the other files are still reported."""
    (tmp_path / "blob.yaml").write_bytes(b"\x00\x01aws-auth\x00")
    (tmp_path / "latin1.yaml").write_bytes("name: caf\xe9\n".encode("latin-1"))
    (tmp_path / "aws-auth.yaml").write_text(BAD.read_text())
    proc = run(".", cwd=tmp_path)
    assert proc.returncode == 2
    assert "blob.yaml:1: error: binary file (contains NUL bytes)" in proc.stderr
    assert "latin1.yaml:1: error: not valid UTF-8 (byte 0xe9)" in proc.stderr
    assert "aws-auth.yaml:11:16: AA101" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_broken_config_names_the_key(tmp_path: Path) -> None:
    """An unknown config key is exit 2 with the key and the file in the message."""
    (tmp_path / ".awsauth-lint.yaml").write_text("fail-on: warning\nselct: [AA]\n")
    proc = run(str(GOOD), cwd=tmp_path)
    assert proc.returncode == 2
    assert "unknown key 'selct'" in proc.stderr
    assert ".awsauth-lint.yaml" in proc.stderr


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("severity: {AA101: fatal}\n", "key 'severity.AA101'"),
        ("rules: {AA301: {alow: []}}\n", "unknown key 'rules.AA301.alow'"),
        ("rules: {AA999: {}}\n", "unknown rule 'AA999'"),
        ("select: [AA9]\n", "unknown rule code or name in select/ignore: AA9"),
        ("fail-on: [\n", "invalid YAML"),
    ],
)
def test_bad_config_values(tmp_path: Path, body: str, needle: str) -> None:
    """Bad values, unknown options and broken YAML in the config are exit 2, explained."""
    (tmp_path / ".awsauth-lint.yaml").write_text(body)
    proc = run(str(GOOD), cwd=tmp_path)
    assert proc.returncode == 2
    assert needle in proc.stderr


def test_config_discovered_from_subdirectory_up_to_repo_root(tmp_path: Path) -> None:
    """The nearest config above the working directory applies; the search stops at .git."""
    repo = tmp_path / "repo"
    sub = repo / "clusters" / "prod"
    sub.mkdir(parents=True)
    (repo / ".git").mkdir()
    (repo / ".awsauth-lint.yaml").write_text("ignore: [AA101]\n")
    (tmp_path / ".awsauth-lint.yaml").write_text("select: [AL]\n")  # outside the repo: never read
    (sub / "aws-auth.yaml").write_text(MIXED)
    proc = run("aws-auth.yaml", "--fail-on", "note", cwd=sub)
    assert "AA101" not in proc.stdout
    assert "AA206" in proc.stdout  # the outer select: [AL] did not apply


def test_select_and_ignore(tmp_path: Path) -> None:
    """--select/--ignore take codes, prefixes and names; the most specific wins."""
    f = tmp_path / "aws-auth.yaml"
    f.write_text(MIXED)
    assert "AA101" not in run("--ignore", "role-arn-with-path", str(f)).stdout
    only = run("--select", "AA1", "--ignore", "AA102", str(f)).stdout
    assert "AA101" in only
    assert "AA206" not in only
    both = run("--select", "AA2,AA101", str(f)).stdout
    assert "AA206" in both
    assert "AA101" in both
    assert "AA101" not in run("--select", "AA", "--ignore", "AA1", str(f)).stdout
    assert "AA101" in run("--select", "AA101", "--ignore", "AA1", str(f)).stdout
    unknown = run("--select", "AA777", str(BAD))
    assert unknown.returncode == 2
    assert "AA777" in unknown.stderr


def test_per_file_ignores(tmp_path: Path) -> None:
    """per-file-ignores switches rules off for matching paths only."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "aws-auth.yaml").write_text(BAD.read_text())
    (tmp_path / "b" / "aws-auth.yaml").write_text(BAD.read_text())
    (tmp_path / ".awsauth-lint.yaml").write_text('per-file-ignores:\n  "a/*": [AA1]\n')
    out = run("--quiet", ".", cwd=tmp_path).stdout
    assert "a/aws-auth.yaml:11:16: AA101" not in out
    assert "b/aws-auth.yaml:11:16: AA101" in out


def test_json_format(tmp_path: Path) -> None:
    """--format json is the documented structure with exact spans."""
    proc = run("--format", "json", str(BAD))
    data = json.loads(proc.stdout)
    assert data["version"] == 1
    assert data["tool"] == {"name": "awsauth-lint", "version": __version__}
    first = next(f for f in data["findings"] if f["code"] == "AA101")
    assert first["span"] == {"start": {"line": 11, "column": 16}, "end": {"line": 11, "column": 64}, "exact": True}
    assert first["name"] == "role-arn-with-path"
    assert first["severity"] == "error"
    assert first["json_path"] == "$.data.mapRoles[1].rolearn"
    assert first["fix"]["edits"][0]["text"] == "arn:aws:iam::111122223333:role/deployer"
    assert len(first["fingerprint"]) == 32


def test_output_file(tmp_path: Path) -> None:
    """--output writes the report to a file and nothing to stdout."""
    out = tmp_path / "report.json"
    proc = run("--format", "json", "--output", str(out), str(BAD))
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert json.loads(out.read_text())["findings"]


def test_stdin_with_filename() -> None:
    """`-` reads standard input; --stdin-filename names it in the report."""
    proc = run("--stdin-filename", "clusters/prod/aws-auth.yaml", "-", stdin=BAD.read_text())
    assert proc.returncode == 1
    assert "clusters/prod/aws-auth.yaml:11:16: AA101" in proc.stdout


def test_rules_and_explain() -> None:
    """`rules` lists the catalogue (text and JSON); `explain` prints a rule's docs by code or name."""
    text = invoke("rules")
    assert text.exit_code == 0  # type: ignore[attr-defined]
    assert "AA101  role-arn-with-path" in text.output  # type: ignore[attr-defined]
    data = json.loads(invoke("rules", "--format", "json").output)  # type: ignore[attr-defined]
    assert {"code": "AA301", "name": "system-masters-group", "severity": "warning"}.items() <= next(
        r for r in data if r["code"] == "AA301"
    ).items()
    for key in ("AA001", "yaml-syntax-error"):
        out = invoke("explain", key)
        assert out.exit_code == 0  # type: ignore[attr-defined]
        assert "## What it does" in out.output  # type: ignore[attr-defined]
    missing = invoke("explain", "AA999")
    assert missing.exit_code == 2  # type: ignore[attr-defined]


def test_version() -> None:
    """--version prints the package version."""
    assert __version__ in run("--version").stdout


def test_default_path_and_check_subcommand(tmp_path: Path) -> None:
    """No path lints `.`; `check` is the same as no subcommand."""
    (tmp_path / "aws-auth.yaml").write_text(BAD.read_text())
    a = run("--quiet", cwd=tmp_path)
    b = run("check", "--quiet", ".", cwd=tmp_path)
    assert a.returncode == b.returncode == 1
    assert a.stdout.replace("./", "") == b.stdout.replace("./", "")


def test_gitignore_and_exclude(tmp_path: Path) -> None:
    """Inside a git work tree ignored files are skipped; `exclude` globs skip more."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    for d in ("ignored", "excluded", "kept"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "aws-auth.yaml").write_text(BAD.read_text())
    (tmp_path / ".gitignore").write_text("ignored/\n")
    (tmp_path / ".awsauth-lint.yaml").write_text("exclude: ['excluded/**']\n")
    out = run("--quiet", ".", cwd=tmp_path).stdout
    assert "kept/aws-auth.yaml" in out
    assert "ignored/" not in out
    assert "excluded/" not in out


def test_text_output_snapshot(snapshot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The text report (header lines, frames, summary) is stable."""
    f = tmp_path / "aws-auth.yaml"
    f.write_text(BAD.read_text())
    proc = run("aws-auth.yaml", cwd=tmp_path)
    snapshot(proc.stdout, Path(__file__).parent / "snapshots" / "text-aa101-fail.txt")


def test_python_m_and_no_traceback_on_usage_error() -> None:
    """Unknown options are usage errors (exit 2), never tracebacks."""
    proc = run("--no-such-option")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "No such option" in proc.stderr
