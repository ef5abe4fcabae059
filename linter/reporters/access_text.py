"""`access` as text: per cluster an aligned table of who gets in, and the access diff.

Formatting only: the answer is `review`'s. Every repository string goes through
`escape.text`, so neither a terminal escape nor a workflow command reaches the output.
"""

from __future__ import annotations

from ..review import Change, ClusterAccess, Diff, Holder
from ..sensitive import SENSITIVE
from .escape import text

MARK = "+! ESCALATION"  # the same mark in every format
NONE = "-"
HEADERS = ("PRINCIPAL", "HOW", "USERNAME", "GROUPS", "CAN DO", "SENSITIVE")


def cluster_name(name: str) -> str:
    return name or "(unnamed cluster)"


def username(h: Holder) -> str:
    """The username, or what stands for it when none is configured."""
    if h.username:
        return h.username
    return "(its own ARN)" if h.kind == "account" else "(none)"


def levels(h: Holder) -> list[str]:
    return [f"{scope}: {level}" for scope, level in h.levels.items()] or ["nothing"]


def sensitive(h: Holder) -> list[str]:
    """Each sensitive permission as its label and where it holds."""
    return [f"{SENSITIVE.get(sid, sid)} [{', '.join(scopes)}]" for sid, scopes in h.sensitive.items()]


def at(file: str, line: int) -> str:
    return f"{file}:{line}" if line else file


def ordered(changes: list[Change]) -> list[Change]:
    """Escalations first, then by cluster, principal and what (stable, like `compare`)."""
    return sorted(changes, key=lambda c: c.sort_key)


def _table(rows: list[list[list[str]]], indent: str = "  ") -> list[str]:
    """Rows of cells of lines, aligned; a row of several lines is followed by a blank line."""
    widths = [max(len(line) for row in rows for line in row[i] or [""]) for i in range(len(rows[0]))]
    out: list[str] = []
    for n, row in enumerate(rows):
        height = max(len(cell) for cell in row)
        for k in range(height):
            parts = [(cell[k] if k < len(cell) else "").ljust(w) for cell, w in zip(row, widths, strict=True)]
            out.append((indent + "  ".join(parts)).rstrip())
        if height > 1 and n + 1 < len(rows):
            out.append("")
    return out


def _row(h: Holder) -> list[list[str]]:
    file, line, _ = h.where
    return [
        [text(h.principal)],
        [text(h.via), text(at(file, line))],
        [text(username(h))],
        [text(g) for g in h.groups] or [NONE],
        [text(s) for s in levels(h)],
        [text(s) for s in sensitive(h)] or [NONE],
    ]


def _cluster(c: ClusterAccess) -> list[str]:
    mode = text(c.mode) if c.mode else "unknown"
    out = [f"== cluster {text(cluster_name(c.name))}: authentication mode {mode} ({text(c.mode_origin)}) =="]
    if c.holders:
        header = [[h] for h in HEADERS]
        rule = [["-" * len(h)] for h in HEADERS]
        out += _table([header, rule, *(_row(h) for h in c.holders)])
    else:
        out.append("  nobody gets in")
    if c.dead:
        out += ["", "  lets nobody in:"]
        out += _table([[[text(d.principal)], [text(at(d.where[0], d.where[1]))], [text(d.reason)]] for d in c.dead], "    ")
    notes = [f"{text(h.principal)}: {text(n)}" for h in c.holders for n in h.notes] + [text(n) for n in c.notes]
    if notes:
        out += ["", "  notes:"] + [f"    - {n}" for n in notes]
    return out


def render_text(clusters: list[ClusterAccess]) -> str:
    """Per cluster: who gets in, how, as whom, and what it may do; then what lets nobody in."""
    if not clusters:
        return "No cluster access found: no aws-auth ConfigMap or access entry in the input.\n"
    out: list[str] = []
    for c in clusters:
        out += [*_cluster(c), ""]
    return "\n".join(out)


def _change(c: Change) -> list[str]:
    mark = MARK if c.escalation else "  change"
    return [
        f"{mark}  cluster {text(cluster_name(c.cluster))}  {text(c.principal)}  {text(c.what)}",
        f"      before: {text(c.before) or NONE}",
        f"      after:  {text(c.after) or NONE}",
        f"      where:  {text(c.where)}",
        *([f"      detail: {text(c.detail)}"] if c.detail else []),
    ]


def render_diff_text(diff: Diff) -> str:
    """What the change does to who can do what: escalations first, each marked."""
    against = f"compared with {text(diff.base)}"
    if diff.clusters:
        against += "; clusters " + ", ".join(text(cluster_name(n)) for n in diff.clusters)
    if not diff.changes:
        return f"No changes to who can do what ({against}).\n"
    n, e = len(diff.changes), len(diff.escalations)
    out = [f"{n} change{'s' if n != 1 else ''} to who can do what, {e} escalation{'s' if e != 1 else ''} ({against}):", ""]
    for c in ordered(diff.changes):
        out += [*_change(c), ""]
    return "\n".join(out)
