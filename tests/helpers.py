"""Shared test helpers: lint files or text in-process, read fixture expectations, run the CLI."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from awsauth_lint import discover, engine
from awsauth_lint.config import Config
from awsauth_lint.engine import RunResult
from awsauth_lint.loader import load_bytes
from awsauth_lint.model import Finding

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# An aws-auth with its node role mapped correctly: append entries (at the same indent)
# to test one thing without AA401 noise.
NODE_HEAD = """apiVersion: v1
kind: ConfigMap
metadata: {name: aws-auth, namespace: kube-system}
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/eks-node
      username: system:node:{{EC2PrivateDNSName}}
      groups: [system:bootstrappers, system:nodes]
"""

EXPECT_INLINE = re.compile(r"#\s*expect:\s*(?P<items>[A-Z]{2}\d{3}:\d+(?:\s*,\s*[A-Z]{2}\d{3}:\d+)*)")
EXPECT_LINE = re.compile(r"#\s*expect-line:\s*(?P<line>\d+):(?P<col>\d+)\s+(?P<code>[A-Z]{2}\d{3})")


def lint_paths(paths: Sequence[str | Path], config: Config | None = None, **overrides: object) -> RunResult:
    """Lint files/directories in-process with the default (or given) config."""
    cfg = config or Config(**overrides)  # type: ignore[arg-type]
    files = discover.expand([str(p) for p in paths], cfg.exclude, cfg.root)
    return engine.run(files, cfg)


def lint_text(text: str, name: str = "aws-auth.yaml", **overrides: object) -> list[Finding]:
    """Lint one in-memory file; returns its findings (suppressed ones included)."""
    cfg = Config(**overrides)  # type: ignore[arg-type]
    return engine.lint([load_bytes(name, text.encode())], cfg).findings


def expectations(path: Path, display: str) -> set[tuple[str, int, int, str]]:
    """(file, line, column, code) expected from `# expect:` markers and `.expect` sidecars."""
    out: set[tuple[str, int, int, str]] = set()
    text = path.read_text(encoding="utf-8", errors="replace")
    for n, line in enumerate(re.split(r"\r\n|\n|\r", text), start=1):
        m = EXPECT_INLINE.search(line)
        if m:
            for item in re.split(r"\s*,\s*", m.group("items")):
                code, col = item.split(":")
                out.add((display, n, int(col), code))
        for m2 in EXPECT_LINE.finditer(line):
            out.add((display, int(m2.group("line")), int(m2.group("col")), m2.group("code")))
    sidecar = path.with_name(path.name + ".expect")
    if sidecar.exists():
        for raw in sidecar.read_text().splitlines():
            raw = raw.split("#")[0].strip()
            if raw:
                pos, code = raw.split()
                line_s, col_s = pos.split(":")
                out.add((display, int(line_s), int(col_s), code))
    return out


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skips locally when absent, fails under CI."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        if IN_CI:
            pytest.fail(f"{p} is required under CI")
        pytest.skip(f"{p} not present")
    return p

@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float


def lint_cli(args: list[str], cwd: Path, timeout: float = 120) -> Outcome:
    """The CLI in a subprocess; fails the test past `timeout` seconds (a hang, not a finding)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "awsauth_lint", "--no-color", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PRE_COMMIT": "", "GITHUB_ACTIONS": ""},
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"awsauth-lint {' '.join(args)} did not finish within {timeout} s")
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    stderr = err.decode(errors="replace")
    assert "Traceback" not in stderr, stderr
    return Outcome(proc.returncode, out.decode(errors="replace"), stderr, seconds, peak)
