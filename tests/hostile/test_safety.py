"""Loading is inert, no socket is ever opened, and output cannot inject terminal or CI commands."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from awsauth_lint.cli import cli
from click.testing import CliRunner

TAGS = """apiVersion: v1
kind: ConfigMap
metadata: {name: aws-auth, namespace: kube-system}
data:
  mapRoles: |
    - rolearn: !!python/object/apply:os.system ["touch pwned-inner"]
      username: !custom-tag ops
      groups: [system:bootstrappers, system:nodes]
extra: !!python/object/apply:os.system ["touch pwned-outer"]
other: !!python/name:os.system
"""


def test_python_tags_are_inert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`!!python/...` and custom tags are data: nothing runs, nothing is created."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "aws-auth.yaml").write_text(TAGS)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = CliRunner().invoke(cli, ["--quiet", "aws-auth.yaml"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_no_network_in_any_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    """A full run, every format and the fixer, with sockets forbidden: nothing tries to connect."""
    attempts: list[object] = []

    class Forbidden(socket.socket):
        def __init__(self, *args: object, **kwargs: object) -> None:
            attempts.append(args)
            raise AssertionError("awsauth-lint opened a socket")

    monkeypatch.setattr(socket, "socket", Forbidden)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: attempts.append(a))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "aws-auth.yaml").write_text(TAGS.replace("!!python/object/apply:os.system", "").replace("!!python/name:os.system", "x"))
    runner = CliRunner()
    for args in (["--format", fmt, "."], ["--diff", "."], ["rules"], ["explain", "AA101"]):
        result = runner.invoke(cli, args)
        assert result.exit_code in (0, 1), result.output
    assert attempts == []


def test_terminal_escapes_and_workflow_commands_are_neutralised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ESC, C1 CSI, CR and LF from a manifest (and a file name) are shown escaped."""
    monkeypatch.chdir(tmp_path)
    evil_name = "evil\x1b[2J.yaml"
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\ndata:\n  mapRoles: |\n"
        '    - rolearn: arn:aws:iam::111122223333:role/x\n      username: "Bad\\e[31mRED\\u009b2J\\r::error::x"\n'
    )
    (tmp_path / evil_name).write_text(text)
    result = CliRunner().invoke(cli, ["."])
    out = result.output
    assert "\x1b" not in out
    assert "\x9b" not in out
    assert "\r" not in out
    assert "\\x1b[31mRED\\x9b2J\\x0d::error::x" in out
    assert "evil\\x1b[2J.yaml" in out
    gh = CliRunner().invoke(cli, ["--format", "github", "."]).output
    assert all(line.startswith("::") for line in gh.splitlines())
    assert "\x1b" not in gh or gh.count("\n") == len(gh.splitlines())


def test_outputs_only_where_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """File content never chooses an output path: a run without -o/--sarif-file writes nothing."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "aws-auth.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\n"
        "data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/a/../../../../tmp/pwned\n      username: --output=/tmp/x\n"
    )
    before = {p for p in tmp_path.rglob("*")}
    CliRunner().invoke(cli, ["--format", "sarif", "."])
    CliRunner().invoke(cli, ["--fix", "--diff", "."])
    assert {p for p in tmp_path.rglob("*")} == before
