"""Human output: one parsable line per finding, a ruff-style source frame, a summary."""

from __future__ import annotations

from collections import Counter

from ..engine import RunResult
from ..loader import InputError
from ..model import Finding, Severity
from . import RenderOptions

COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.NOTE: "36"}


def clean(text: str) -> str:
    """Control characters (C0, DEL, C1) from a manifest never reach the terminal raw."""
    return "".join(f"\\x{ord(c):02x}" if (ord(c) < 32 and c != "\t") or 0x7F <= ord(c) < 0xA0 else c for c in text)


def _paint(text: str, code: str, on: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if on else text


def _frame(f: Finding, result: RunResult, opts: RenderOptions) -> list[str]:
    line = result.source_line(f.file, f.span.start.line)
    if line is None:
        return []
    line = line.replace("\t", " ")
    num = str(f.span.start.line)
    pad = " " * len(num)
    start = f.span.start.column - 1
    end = f.span.end.column - 1 if f.span.end.line == f.span.start.line else len(line)
    width = max(end - start, 1)
    caret = " " * start + _paint("^" * width, COLORS[f.severity], opts.color) + " " + f.severity.value
    return [f"{pad} |", f"{num} | {clean(line)}", f"{pad} | {caret}"]


def _applicable(f: Finding, opts: RenderOptions) -> bool:
    """Whether `--fix` (with the run's `--unsafe-fixes`) would apply the finding's fix."""
    return f.fix is not None and (f.fix.safe or opts.unsafe_fixes)


def _incomplete(failed: list[InputError], result: RunResult) -> str:
    """The summary line of a run that could not lint everything (the errors go to stderr)."""
    linted = set(result.files)
    unread = {e.file for e in failed if e.file not in linted and not e.file.startswith("(")}
    other = len(failed) - sum(1 for e in failed if e.file in unread)
    parts = [f"{len(unread)} file{'s' if len(unread) != 1 else ''} could not be read"] if unread else []
    parts += [f"{other} {'other ' if unread else ''}error{'s' if other != 1 else ''}"] if other else []
    return f"Incomplete: {' and '.join(parts)} (messages on stderr)."


def render_text(result: RunResult, opts: RenderOptions) -> str:
    out: list[str] = []
    shown = [f for f in result.findings if opts.show_suppressed or f.suppressed is None]
    for f in shown:
        s = f.span.start
        mark = " [*]" if _applicable(f, opts) else ""
        code = _paint(f.code, COLORS[f.severity], opts.color)
        sup = " (suppressed)" if f.suppressed is not None else ""
        where = "" if not f.cluster else " (every cluster)" if f.cluster == "every cluster" else f" (cluster {clean(f.cluster)})"
        out.append(f"{clean(f.file)}:{s.line}:{s.column}: {code}{mark} {clean(f.message)}{where} [{f.name}]{sup}")
        if not opts.quiet:
            out.extend(_frame(f, result, opts))
            out.append("")
    for notice in result.notices:
        out.append(f"note: {clean(notice)}")
    counts = Counter(f.severity for f in shown if f.suppressed is None)
    open_fixes = [f for f in shown if f.suppressed is None and f.fix is not None]
    fixable = sum(1 for f in open_fixes if _applicable(f, opts))
    hidden = len(open_fixes) - fixable
    total = sum(counts.values())
    nfiles = len(result.files)
    failed = [e for e in result.errors if not e.vanished]  # exit 2: never "All checks passed"
    if total:
        parts = ", ".join(f"{counts[s]} {s.value}{'s' if counts[s] != 1 else ''}" for s in Severity if counts[s])
        summary = f"Found {total} problem{'s' if total != 1 else ''} ({parts}) in {nfiles} file{'s' if nfiles != 1 else ''}."
        more = f"{hidden} hidden fix{'es' if hidden != 1 else ''} can be enabled with the `--unsafe-fixes` option"
        if fixable:
            summary += f"\n[*] {fixable} fixable with the `--fix` option" + (f" ({more})." if hidden else ".")
        elif hidden:
            summary += f"\nNo fixes available ({more})."
    else:
        files = f"{nfiles} file{'s' if nfiles != 1 else ''}"
        summary = f"No problems found in {files}." if failed else f"All checks passed ({files})."
    suppressed = sum(1 for f in result.findings if f.suppressed is not None)
    if suppressed:
        summary += f" {suppressed} suppressed."
    if failed:
        summary += "\n" + _incomplete(failed, result)
    out.append(summary)
    return "\n".join(out) + "\n"
