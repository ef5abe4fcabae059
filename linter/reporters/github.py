"""GitHub Actions workflow commands (annotations), escaped so no manifest can inject one."""

from __future__ import annotations

import re

from ..engine import RunResult
from ..model import Severity
from . import RenderOptions

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}
# Control characters but tab, CR and LF (escaped below): a terminal escape such as ESC [31m
# or the 8-bit CSI would reach the job log raw, or the terminal of whoever prints the file.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def escape_data(text: str) -> str:
    """Message escaping: other control characters shown as `\\xNN` (as the text report
    does), then % first, then CR and LF."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
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
