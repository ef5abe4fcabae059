"""GitHub Actions workflow commands (annotations), escaped so no manifest can inject one."""

from __future__ import annotations

from ..engine import RunResult
from ..model import Severity
from . import RenderOptions

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    """Message escaping: % first, then CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Property escaping: as data, plus ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: RunResult, opts: RenderOptions) -> str:
    lines = []
    for f in result.findings:
        if f.suppressed is not None and not opts.show_suppressed:
            continue
        s, e = f.span.start, f.span.end
        props = {
            "file": result.relative(f.file),
            "line": str(s.line),
            "col": str(s.column),
            "endLine": str(e.line),
            "endColumn": str(e.column),
            "title": f"{f.code} {f.name}",
        }
        joined = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
        lines.append(f"::{LEVEL[f.severity]} {joined}::{escape_data(f.message)}")
    return "".join(line + "\n" for line in lines)
