"""`--format github`: workflow commands with GitHub's escaping; manifests cannot inject commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from awsauth_lint.reporters.github import escape_data, escape_property
from helpers import NODE_HEAD

HOSTILE = NODE_HEAD + """    - rolearn: arn:aws:iam::111122223333:role/x
      username: "Evil%0A::error::pwned\\n::warning file=x::also pwned\\r\\n::add-mask::secret"
      groups: [devs]
"""


def test_escaping_rules() -> None:
    """% CR LF are escaped in data; properties also escape ':' and ','."""
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsauth_lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_no_injected_workflow_command(tmp_path: Path) -> None:
    """A username carrying `%0A::error::` and real newlines yields exactly one command per finding."""
    (tmp_path / "aws-auth.yaml").write_text(HOSTILE)
    proc = run(["--format", "github", "aws-auth.yaml"], tmp_path)
    lines = proc.stdout.splitlines()
    assert lines
    assert all(line.startswith(("::error file=aws-auth.yaml,", "::warning file=aws-auth.yaml,", "::notice file=aws-auth.yaml,")) for line in lines)
    assert len(lines) == len([x for x in lines if "title=AA" in x])  # one command per finding, nothing else
    aa201 = next(line for line in lines if "title=AA201 username-not-lowercase" in line)
    assert aa201.startswith("::warning file=aws-auth.yaml,line=10,col=17,endLine=10,endColumn=")
    assert "%250A%3A%3Aerror" not in aa201  # messages escape data only
    assert "Evil%250A::error::pwned%0A::warning file=x::also pwned%0D%0A::add-mask::secret" in aa201


def test_annotations_added_to_text_under_github_actions(tmp_path: Path) -> None:
    """With GITHUB_ACTIONS=true and no --format, text output is followed by annotations."""
    (tmp_path / "aws-auth.yaml").write_text(HOSTILE)
    out = run(["aws-auth.yaml"], tmp_path, {"GITHUB_ACTIONS": "true"}).stdout
    assert "aws-auth.yaml:10:17: AA201" in out
    assert "::warning file=aws-auth.yaml,line=10,col=17" in out
    plain = run(["aws-auth.yaml"], tmp_path, {"GITHUB_ACTIONS": "false"}).stdout
    assert not any(line.startswith("::") for line in plain.splitlines())


def test_text_report_cannot_issue_commands(tmp_path: Path) -> None:
    """Under GitHub Actions the text report is wrapped in stop-commands; annotations follow it."""
    (tmp_path / "::warning::pwned.yaml").write_text(HOSTILE)
    out = run(["."], tmp_path, {"GITHUB_ACTIONS": "true"}).stdout
    lines = out.splitlines()
    assert lines[0].startswith("::stop-commands::awsauth-lint-")
    token = lines[0].removeprefix("::stop-commands::")
    end = lines.index(f"::{token}::")
    assert any(line.startswith("::warning::pwned.yaml:10:17: AA201") for line in lines[1:end])  # inert inside
    assert token not in "\n".join(lines[1:end])
    annotations = lines[end + 1 :]
    assert annotations
    assert all(line.startswith(("::error file=%3A%3Awarning%3A%3Apwned.yaml,", "::warning file=%3A%3Awarning%3A%3Apwned.yaml,")) for line in annotations)


def test_annotations_on_stdout_when_the_report_goes_to_a_file(tmp_path: Path) -> None:
    """With --output, the text report goes to the file and the annotations still reach the log."""
    (tmp_path / "aws-auth.yaml").write_text(HOSTILE)
    proc = run(["--output", "report.txt", "aws-auth.yaml"], tmp_path, {"GITHUB_ACTIONS": "true"})
    assert proc.returncode == 1
    assert all(line.startswith("::") for line in proc.stdout.splitlines())
    assert "::warning file=aws-auth.yaml,line=10,col=17" in proc.stdout
    report = (tmp_path / "report.txt").read_text()
    assert "aws-auth.yaml:10:17: AA201" in report
    assert not any(line.startswith("::") for line in report.splitlines())


def test_empty_span_and_levels() -> None:
    """error/warning/note map to error/warning/notice; every property is escaped."""
    from awsauth_lint.engine import RunResult
    from awsauth_lint.model import Finding, Severity, Span
    from awsauth_lint.reporters import RenderOptions
    from awsauth_lint.reporters.github import render_github

    findings = [
        Finding("a,b.yaml", Span.at(3, 5, 9), "AA101", "role-arn-with-path", Severity.ERROR, "m1"),
        Finding("a,b.yaml", Span.at(4, 1), "AA201", "username-not-lowercase", Severity.WARNING, "m2"),
        Finding("a,b.yaml", Span.at(5, 2), "AA206", "no-session-name", Severity.NOTE, "50%\nx"),
    ]
    out = render_github(RunResult(findings, [], root=Path.cwd()), RenderOptions()).splitlines()
    assert out == [
        "::error file=a%2Cb.yaml,line=3,col=5,endLine=3,endColumn=9,title=AA101 role-arn-with-path::m1",
        "::warning file=a%2Cb.yaml,line=4,col=1,endLine=4,endColumn=2,title=AA201 username-not-lowercase::m2",
        "::notice file=a%2Cb.yaml,line=5,col=2,endLine=5,endColumn=3,title=AA206 no-session-name::50%25%0Ax",
    ]
