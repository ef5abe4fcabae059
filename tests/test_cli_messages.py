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
