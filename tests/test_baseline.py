"""Baselines: record current findings, hide them later, say which recorded ones are gone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from awsauth_lint import baseline
from helpers import FIXTURES, lint_paths

BAD = (FIXTURES / "rules" / "AA101" / "fail" / "path-and-sso.yaml").read_text()


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsauth_lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1", "GITHUB_ACTIONS": "", "PRE_COMMIT": ""},
    )


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


def test_written_baseline_is_sorted_and_deterministic(tmp_path: Path) -> None:
    """Same findings, same bytes: entries sorted by file, code, fingerprint; no time, no abs path."""
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "aws-auth.yaml").write_text(BAD)
    (tmp_path / "a.yaml").write_text(BAD.replace("username: deployer", "username: Deployer"))
    run(["--write-baseline", "one.json", "."], tmp_path)
    run(["--write-baseline", "two.json", "b", str(tmp_path / "a.yaml")], tmp_path)
    one = (tmp_path / "one.json").read_bytes()
    assert one == (tmp_path / "two.json").read_bytes()
    assert str(tmp_path).encode() not in one
    assert one.endswith(b"}\n")
    entries = json.loads(one)["findings"]
    keys = [(e["file"], e["code"], e["fingerprint"]) for e in entries]
    assert keys == sorted(keys)
    assert {e["file"] for e in entries} == {"a.yaml", "b/aws-auth.yaml"}
    assert set(entries[0]) == {"file", "code", "fingerprint", "message"}


def test_refresh_in_place_keeps_hidden_findings(tmp_path: Path) -> None:
    """`--baseline F --write-baseline F` records every current finding, hidden ones too."""
    (tmp_path / "aws-auth.yaml").write_text(BAD)
    run(["--write-baseline", "base.json", "aws-auth.yaml"], tmp_path)
    before = (tmp_path / "base.json").read_text()
    proc = run(["--baseline", "base.json", "--write-baseline", "base.json", "aws-auth.yaml"], tmp_path)
    assert proc.returncode == 0
    assert (tmp_path / "base.json").read_text() == before


def test_paths_relative_to_the_repository(tmp_path: Path) -> None:
    """Recorded from the root, applied from a subdirectory: the entries still match."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    sub = tmp_path / "clusters" / "prod"
    sub.mkdir(parents=True)
    (sub / "aws-auth.yaml").write_text(BAD)
    run(["--write-baseline", "base.json", "clusters/prod/aws-auth.yaml"], tmp_path)
    assert {e["file"] for e in json.loads((tmp_path / "base.json").read_text())["findings"]} == {
        "clusters/prod/aws-auth.yaml"
    }
    proc = run(["--baseline", str(tmp_path / "base.json"), "aws-auth.yaml"], sub)
    assert proc.returncode == 0, proc.stdout
    assert "3 findings hidden by the baseline" in proc.stdout


def test_json_output_carries_the_notices(tmp_path: Path) -> None:
    """JSON output lists hidden counts and gone entries under `notices`."""
    f = tmp_path / "aws-auth.yaml"
    f.write_text(BAD)
    run(["--write-baseline", "base.json", "aws-auth.yaml"], tmp_path)
    f.write_text(BAD.replace("role/team/dev/deployer", "role/deployer"))
    out = json.loads(run(["--format", "json", "--baseline", "base.json", "aws-auth.yaml"], tmp_path).stdout)
    assert out["findings"] == []
    assert "2 findings hidden by the baseline" in out["notices"]
    assert [n for n in out["notices"] if n.startswith("baseline entry no longer occurs: aws-auth.yaml: AA101")]


def test_suppressed_findings_are_not_recorded() -> None:
    """A finding silenced by a comment is not a baseline entry."""
    result = lint_paths([FIXTURES / "rules" / "AA301" / "pass" / "no-masters.yaml"])
    assert any(f.suppressed is not None for f in result.findings)
    recorded = {e["fingerprint"] for e in json.loads(baseline.render(result))["findings"]}
    assert not recorded & {f.fingerprint for f in result.findings if f.suppressed is not None}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a readable awsauth-lint baseline"),
        ("[]", "no `findings` list"),
        ('{"version": 2, "findings": []}', "baseline version 2 is not supported"),
        ('{"version": 1, "findings": [{"code": "AA101"}]}', "an entry has no `fingerprint`"),
    ],
)
def test_bad_baseline_is_exit_2(tmp_path: Path, content: str, message: str) -> None:
    """A file that is not a version-1 baseline is an error, not an empty baseline."""
    (tmp_path / "base.json").write_text(content)
    (tmp_path / "aws-auth.yaml").write_text(BAD)
    proc = run(["--baseline", "base.json", "aws-auth.yaml"], tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr


def test_missing_baseline_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "aws-auth.yaml").write_text(BAD)
    proc = run(["--baseline", "nope.json", "aws-auth.yaml"], tmp_path)
    assert proc.returncode == 2
    assert "nope.json" in proc.stderr
