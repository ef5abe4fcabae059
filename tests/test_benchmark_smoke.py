"""The benchmark script runs end to end at CI size (no timing assertion: it must not rot)."""

from __future__ import annotations

import subprocess
import sys

from helpers import ROOT, shared_path


def test_benchmark_small(tmp_path) -> None:  # type: ignore[no-untyped-def]
    gen = shared_path("bench", "gen_corpus.py")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--small", "--repeat", "1", "--generator", str(gen), "--work", str(tmp_path)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    for row in ("1. whole repo", "2. one Deployment", "3. one aws-auth in the repo", "4. 1,000-entry mapRoles", "6. access --base HEAD~1",
                "7. 2,000 access entries", "files/s"):
        assert row in proc.stdout
