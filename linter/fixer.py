"""Applying fixes: text edits on exact spans, everything else preserved byte for byte.

Fixes are applied to the decoded text (line terminators, BOM-free) and re-linted until
nothing fixable remains, so one fix never has to know about another. Overlapping fixes
wait for the next pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .model import Finding, Fix, Position
from .text import LINE_BREAK

MAX_PASSES = 10


@dataclass(frozen=True, slots=True)
class FixOutcome:
    text: str
    applied: int  # fixes applied over all passes
    remaining: list[Finding]  # findings after the last pass


def offsets(text: str) -> list[int]:
    """Offset of the first character of every line (1-based line n at index n-1)."""
    return [0] + [m.end() for m in LINE_BREAK.finditer(text)]


def _offset(starts: list[int], p: Position, text: str) -> int:
    if p.line - 1 >= len(starts):
        return len(text)
    return min(starts[p.line - 1] + p.column - 1, len(text))


def apply(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """Apply non-overlapping fixes (each all-or-nothing); returns the text and the count."""
    starts = offsets(text)
    taken: list[tuple[int, int]] = []
    edits: list[tuple[int, int, str]] = []
    count = 0
    for fix in fixes:
        spans = [(_offset(starts, e.span.start, text), _offset(starts, e.span.end, text), e.text) for e in fix.edits]
        if any(not e.span.exact for e in fix.edits) or any(
            (s < te and ts < e) or (s == e == ts) for s, e, _ in spans for ts, te in taken
        ):
            continue
        taken += [(s, e) for s, e, _ in spans]
        edits += spans
        count += 1
    for s, e, new in sorted(edits, key=lambda x: (x[0], x[1]), reverse=True):
        text = text[:s] + new + text[e:]
    return text, count


def _syntax_errors(findings: list[Finding]) -> int:
    return sum(1 for f in findings if f.code == "AA001")


def fix_text(text: str, lint: Callable[[str], list[Finding]], unsafe: bool = False) -> FixOutcome:
    """Fix, re-lint and repeat until no applicable fix is left (or MAX_PASSES)."""
    applied = 0
    findings = lint(text)
    for _ in range(MAX_PASSES):
        fixes = [
            f.fix
            for f in findings
            if f.fix is not None and f.suppressed is None and (f.fix.safe or unsafe)
        ]
        if not fixes:
            break
        candidate, n = apply(text, fixes)
        if n == 0:
            break
        after = lint(candidate)
        if _syntax_errors(after) > _syntax_errors(findings):
            break  # a fix must never make the file (or a map) unparsable: keep the text as it was
        text, findings = candidate, after
        applied += n
    return FixOutcome(text, applied, findings)
