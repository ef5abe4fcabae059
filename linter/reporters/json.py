"""Machine output: a documented, stable JSON structure (see docs/json-output.md)."""

from __future__ import annotations

from typing import Any

from ..engine import RunResult
from ..model import Finding, Fix, Span
from . import Each, RenderOptions, dumps

FORMAT_VERSION = 1


def _span(span: Span) -> dict[str, Any]:
    return {
        "start": {"line": span.start.line, "column": span.start.column},
        "end": {"line": span.end.line, "column": span.end.column},
        "exact": span.exact,
    }


def _fix(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {
        "description": fix.description,
        "safe": fix.safe,
        "edits": [{"span": _span(e.span), "text": e.text} for e in fix.edits],
    }


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "file": f.file,
        "code": f.code,
        "name": f.name,
        "severity": f.severity.value,
        "message": f.message,
        "span": _span(f.span),
        "json_path": f.json_path or None,
        "fingerprint": f.fingerprint,
        "fix": _fix(f.fix),
        "suppressed": f.suppressed is not None,
        "suppression_reason": f.suppressed or None,
        "cluster": f.cluster or None,
    }


def render_json(result: RunResult, opts: RenderOptions) -> str:
    shown = [f for f in result.findings if opts.show_suppressed or f.suppressed is None]
    doc = {
        "version": FORMAT_VERSION,
        "tool": {"name": "awsauth-lint", "version": opts.version},
        "files": len(result.files),
        "findings": Each(shown, _finding),
        "errors": [{"file": e.file, "line": e.line or None, "message": e.message} for e in result.errors],
        "notices": list(result.notices),
    }
    return dumps(doc) + "\n"
