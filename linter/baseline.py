"""Baselines: adopt the linter on an existing repository without fixing everything first.

A baseline records the fingerprints of current findings (which survive lines being
inserted above them); later runs hide findings that are in it and say which recorded
ones no longer occur.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from .engine import RunResult

VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read."""


def render(result: RunResult) -> str:
    entries = sorted(
        (
            {"file": result.relative(f.file), "code": f.code, "fingerprint": f.fingerprint, "message": f.message}
            for f in result.findings
            if f.suppressed is None
        ),
        key=lambda e: (e["file"], e["code"], e["fingerprint"]),
    )
    return json.dumps({"version": VERSION, "tool": "awsauth-lint", "findings": entries}, indent=2) + "\n"


def load(path: Path) -> dict[str, dict[str, str]]:
    """Baseline entries by fingerprint (format: docs/baseline.md)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise BaselineError(f"{path}: not a readable awsauth-lint baseline ({e})") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a readable awsauth-lint baseline (no `findings` list)")
    if data.get("version") != VERSION:
        raise BaselineError(f"{path}: baseline version {data.get('version')!r} is not supported (expected {VERSION})")
    entries = data["findings"]
    if not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries):
        raise BaselineError(f"{path}: not a readable awsauth-lint baseline (an entry has no `fingerprint`)")
    return {e["fingerprint"]: e for e in entries}


def apply(result: RunResult, known: dict[str, dict[str, str]]) -> RunResult:
    """Drop findings recorded in the baseline; note recorded ones that are gone."""
    seen = {f.fingerprint for f in result.findings}
    kept = [f for f in result.findings if f.fingerprint not in known]
    hidden = len(result.findings) - len(kept)
    gone = [e for fp, e in known.items() if fp not in seen]
    notices = list(result.notices)
    if hidden:
        notices.append(f"{hidden} finding{'s' if hidden != 1 else ''} hidden by the baseline")
    for e in sorted(gone, key=lambda e: (e.get("file", ""), e.get("code", ""))):
        notices.append(f"baseline entry no longer occurs: {e.get('file')}: {e.get('code')} {e.get('message', '')}")
    return replace(result, findings=kept, notices=notices)
