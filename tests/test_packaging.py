"""A regular (non-editable) install is one package, awsauth_lint, with its schemas."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from helpers import ROOT


def test_wheel_contents(tmp_path: Path) -> None:
    """The wheel holds awsauth_lint with rules and schema JSON, and no generic top-level names."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(tmp_path.glob("awsauth_lint-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/", 1)[0] for n in names if not n.split("/", 1)[0].endswith((".dist-info", ".data"))}
    assert top == {"awsauth_lint"}
    for needed in (
        "awsauth_lint/cli.py",
        "awsauth_lint/rules/aa101_role_arn_with_path.py",
        "awsauth_lint/reporters/text.py",
        "awsauth_lint/schemas/config.schema.json",
        "awsauth_lint/schemas/access-entries.schema.json",
    ):
        assert needed in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "awsauth-lint = awsauth_lint.cli:run" in zipfile.ZipFile(wheel).read(entry).decode()
