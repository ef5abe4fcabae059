"""What the command line says when it is misused or cannot do everything: mistyped
commands, unreadable input, the command list of `--help`."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Out:
    code: int
    stdout: str
    stderr: str


def lint_cli(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Out:
    """The CLI in a subprocess, `args` exactly as given (no option in front of them)."""
    proc = subprocess.run(
        [sys.executable, "-m", "awsauth_lint", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "PRE_COMMIT": "", "GITHUB_ACTIONS": "", "NO_COLOR": "1", **(env or {})},
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return Out(proc.returncode, proc.stdout, proc.stderr)


@pytest.mark.parametrize(("word", "command"), [("expalin", "explain"), ("rule", "rules"), ("chekc", "check"), ("wyh", "why")])
def test_mistyped_command_gets_did_you_mean(tmp_path: Path, word: str, command: str) -> None:
    """A first word that is no path but close to a command is not linted as a path."""
    out = lint_cli([word, "AA101"], tmp_path)
    assert out.code == 2
    assert f"did you mean '{command}'?" in out.stderr
    assert "no such file or directory" not in out.stderr


def test_existing_path_wins_over_a_command_lookalike(tmp_path: Path) -> None:
    """A file or directory named like a near miss is linted, as before."""
    (tmp_path / "rule").mkdir()
    out = lint_cli(["rule"], tmp_path)
    assert out.code == 0
    assert "did you mean" not in out.stderr


def test_path_like_words_are_still_missing_paths(tmp_path: Path) -> None:
    out = lint_cli(["chek.yaml"], tmp_path)
    assert out.code == 2
    assert "no such file or directory: chek.yaml" in out.stderr


def test_help_word_prints_help(tmp_path: Path) -> None:
    """`help` and `help COMMAND` print the help instead of looking for a file named help."""
    top = lint_cli(["help"], tmp_path)
    assert top.code == 0
    assert "Commands:" in top.stdout
    sub = lint_cli(["help", "explain"], tmp_path)
    assert sub.code == 0
    assert "Usage: awsauth-lint explain" in sub.stdout


CLEAN = "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"


@pytest.mark.parametrize(
    "content",
    [
        b"data:\n  mapRoles: |\n    - rolearn: \xff\n",  # not UTF-8
        b"\0\0\0mapRoles\0binary",  # binary
        b"data:\n  mapRoles: |\n" + b"    # padding\n" * 40,  # over limits.max-file-size below
    ],
    ids=["non-utf8", "binary", "oversized"],
)
def test_summary_says_input_could_not_be_read(tmp_path: Path, content: bytes) -> None:
    """Exit 2 on unreadable input never comes with "All checks passed"."""
    (tmp_path / ".awsauth-lint.yaml").write_text("limits: {max-file-size: 200}\n")
    (tmp_path / "ok.yaml").write_text(CLEAN)
    (tmp_path / "aws-auth.yaml").write_bytes(content)
    out = lint_cli(["."], tmp_path)
    assert out.code == 2
    assert "aws-auth.yaml" in out.stderr
    assert "All checks passed" not in out.stdout
    assert out.stdout.endswith("Incomplete: 1 file could not be read (messages on stderr).\n")


def test_summary_with_findings_and_unreadable_input(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(b"data:\n  mapRoles: |\n    - rolearn: \xff\n")
    (tmp_path / "b.yaml").write_bytes(b"data:\n  mapRoles: |\n    - rolearn: \xfe\n")
    (tmp_path / "c.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: default}\ndata: {}\n")
    out = lint_cli(["-q", "."], tmp_path)
    assert out.code == 2
    assert "Found 2 problems (2 errors) in 1 file." in out.stdout
    assert "Incomplete: 2 files could not be read (messages on stderr)." in out.stdout


@pytest.mark.parametrize("group", [[], ["export"]], ids=["top", "export"])
def test_help_lists_each_command_on_one_whole_line(tmp_path: Path, group: list[str]) -> None:
    """`--help` on an 80-column terminal: one untruncated line per command."""
    out = lint_cli([*group, "--help"], tmp_path, env={"COLUMNS": "80"})
    listed = out.stdout.split("Commands:\n", 1)[1].splitlines()
    assert listed
    for line in listed:
        assert line.startswith("  ")
        assert len(line.split(maxsplit=1)) == 2  # the name and its summary, nothing wrapped
        assert not line.endswith("...")
        assert line.endswith(".")
        assert len(line) <= 80
