"""Markdown for a pull-request comment and the job summary: the access review and diff,
and a short summary of `check`'s findings.

Formatting only. Repository strings are code spans (`escape.md_code`) or escaped text
(`escape.md_text`): no link, image, HTML, mention or broken table can come from a file.
Output is bounded: long tables are cut with a line saying how many rows were left out,
and long values are shortened, so a comment stays under GitHub's size limits.
"""

from __future__ import annotations

import re
from collections import Counter

from ..engine import RunResult
from ..model import Severity
from ..review import Change, ClusterAccess, Diff, Holder
from .access_mermaid import render_mermaid
from .access_text import MARK, at, cluster_name, levels, ordered, sensitive, username
from .escape import md_code, md_text, shorten

MAX_ROWS = 100  # rows per access table
MAX_CELL = 300  # characters of one value
NONE = "*(none)*"
_WHERE = re.compile(r"\S+:\d+")  # file:line, shown as code; other "where"s are words


def _code(value: str) -> str:
    return md_code(shorten(value, MAX_CELL), table=True) or NONE


def _words(value: str) -> str:
    return md_text(shorten(value, MAX_CELL))


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return out + ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]


def _more(shown: int, total: int, what: str) -> list[str]:
    left = total - shown
    return [f"*…and {left} more {what}{'s' if left != 1 else ''}.*"] if left > 0 else []


def _row(h: Holder) -> list[str]:
    file, line, _ = h.where
    user = _code(h.username) if h.username else f"*{md_text(username(h))}*"
    can = "; ".join(md_text(s) for s in levels(h))
    return [
        _code(h.principal),
        f"{_words(h.via)}, {_code(at(file, line))}",
        user,
        ", ".join(_code(g) for g in h.groups) or NONE,
        can,
        "; ".join(_words(s) for s in sensitive(h)) or NONE,
    ]


def _cluster(c: ClusterAccess, graphs: bool) -> list[str]:
    title = f"Cluster {md_code(c.name)}" if c.name else "Unnamed cluster"
    mode = md_text(c.mode) if c.mode else "unknown"
    out = [f"### {title}", "", f"Authentication mode: **{mode}** ({_words(c.mode_origin)})", ""]
    if c.holders:
        head = ["Principal", "How", "Username", "Groups", "Can do", "Sensitive"]
        out += _table(head, [_row(h) for h in c.holders[:MAX_ROWS]])
        out += _more(min(len(c.holders), MAX_ROWS), len(c.holders), "principal")
    else:
        out.append("Nobody gets in.")
    if c.dead:
        out += ["", "**Lets nobody in:**", ""]
        out += [f"- {md_code(d.principal) or NONE} at {md_code(at(d.where[0], d.where[1]))}: {_words(d.reason)}" for d in c.dead[:MAX_ROWS]]
        out += _more(min(len(c.dead), MAX_ROWS), len(c.dead), "mapping")
    notes = [f"{md_code(h.principal)}: {_words(n)}" for h in c.holders for n in h.notes] + [_words(n) for n in c.notes]
    if notes:
        out += ["", "**Notes:**", ""] + [f"- {n}" for n in notes[:MAX_ROWS]] + _more(min(len(notes), MAX_ROWS), len(notes), "note")
    if graphs:
        out += ["", "```mermaid", render_mermaid(c).rstrip("\n"), "```"]
    return [*out, ""]


def _change(c: Change) -> list[str]:
    where = _code(c.where) if _WHERE.fullmatch(c.where) else _words(c.where)
    mark = f"**{md_text(MARK)}**" if c.escalation else ""
    name = _code(c.cluster) if c.cluster else f"*{md_text(cluster_name(c.cluster))}*"
    return [mark, name, _code(c.principal), _words(c.what), _code(c.before), _code(c.after), where, _words(c.detail)]


def _diff(diff: Diff) -> list[str]:
    out = ["## What this change does to who can do what", ""]
    against = f"compared with {md_code(diff.base)}"
    if not diff.changes:
        return [*out, f"No changes to who can do what, {against}.", ""]
    n, e = len(diff.changes), len(diff.escalations)
    count = f"**{e} escalation{'s' if e != 1 else ''}**" if e else "No escalation"
    out += [f"{count} in {n} change{'s' if n != 1 else ''}, {against}.", ""]
    changes = ordered(diff.changes)
    head = [" ", "Cluster", "Principal", "What", "Before", "After", "Where", "Detail"]
    out += _table(head, [_change(c) for c in changes[:MAX_ROWS]]) + _more(min(n, MAX_ROWS), n, "change")
    return [*out, ""]


def render_markdown(clusters: list[ClusterAccess], diff: Diff | None, graphs: bool = False) -> str:
    """The diff first (what a reviewer must look at), then who can get into each cluster;
    `graphs` adds each cluster's Mermaid flowchart in a fence."""
    out = _diff(diff) if diff is not None else []
    out += ["## Who can get into each cluster", ""]
    if not clusters:
        out += ["No cluster access found: no aws-auth ConfigMap or access entry in the input.", ""]
    for c in clusters:
        out += _cluster(c, graphs)
    return "\n".join(out)


def _counts(counter: Counter[str], limit: int) -> tuple[list[tuple[str, int]], int]:
    rows = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return rows[:limit], len(rows)


def render_findings_summary(result: RunResult, limit: int = 20) -> str:
    """`check`'s findings for the job summary: counted by rule and by file, at most
    `limit` rows each."""
    open_ = [f for f in result.findings if f.suppressed is None]
    nfiles = len(result.files)
    files = f"{nfiles} file{'s' if nfiles != 1 else ''}"
    failed = [e for e in result.errors if not e.vanished]
    suppressed = len(result.findings) - len(open_)
    tail = [f"{suppressed} suppressed."] if suppressed else []
    if failed:
        tail.append(f"{len(failed)} input{'s' if len(failed) != 1 else ''} could not be read or checked: see the log.")
    if not open_:
        head = f"### awsauth-lint: {'no problems found in' if failed else 'all checks passed,'} {files}"
        return "\n".join([head, "", *tail, ""]) if tail else head + "\n"
    sev = Counter(f.severity for f in open_)
    parts = ", ".join(f"{sev[s]} {s.value}{'s' if sev[s] != 1 else ''}" for s in Severity if sev[s])
    touched = len({f.file for f in open_})
    out = [f"### awsauth-lint: {len(open_)} problem{'s' if len(open_) != 1 else ''} ({parts}) in {touched} of {files}", ""]
    names = {f.code: f.name for f in open_}
    worst = {f.code: f.severity for f in sorted(open_, key=lambda f: f.severity.rank)}
    rules, total = _counts(Counter(f.code for f in open_), limit)
    out += _table(["Rule", "Severity", "Findings"], [[f"{_code(c)} {_words(names[c])}", worst[c].value, str(n)] for c, n in rules])
    out += [*_more(len(rules), total, "rule"), ""]
    by_file, total = _counts(Counter(result.relative(f.file) for f in open_), limit)
    out += _table(["File", "Findings"], [[_code(p), str(n)] for p, n in by_file])
    out += _more(len(by_file), total, "file")
    return "\n".join([*out, "", *tail, ""]) if tail else "\n".join([*out, ""])
