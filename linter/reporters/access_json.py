"""`access` as JSON: a documented, stable structure (docs/access-review.md,
schemas/access.schema.json). Keys are only ever added within a `version`.

Empty strings and unknown (0) lines become `null`, so a reader tests one thing.
"""

from __future__ import annotations

from typing import Any

from ..review import Change, ClusterAccess, Dead, Diff, Holder, Reason
from ..sensitive import SENSITIVE
from . import dumps
from .access_text import ordered
from .escape import json_inert

FORMAT_VERSION = 1


def _opt(value: str) -> str | None:
    return value or None


def _line(value: int) -> int | None:
    return value or None


def _reason(r: Reason) -> dict[str, Any]:
    return {
        "text": r.text,
        "subject": _opt(r.subject),
        "role": _opt(r.role),
        "scope": r.scope,
        "file": _opt(r.file),
        "line": _line(r.line),
    }


def _holder(h: Holder) -> dict[str, Any]:
    file, line, column = h.where
    return {
        "principal": h.principal,
        "key": h.key,
        "kind": h.kind,
        "via": h.via,
        "file": _opt(file),
        "line": _line(line),
        "column": _line(column),
        "username": h.username,
        "groups": list(h.groups),
        "policies": [{"name": name, "scope": scope} for name, scope in h.policies],
        "levels": dict(h.levels),
        "level": h.level,
        "sensitive": [{"id": sid, "label": SENSITIVE.get(sid, sid), "scopes": list(s)} for sid, s in h.sensitive.items()],
        "reasons": [_reason(r) for r in h.reasons],
        "notes": list(h.notes),
    }


def _dead(d: Dead) -> dict[str, Any]:
    file, line, column = d.where
    return {
        "principal": d.principal,
        "key": _opt(d.key),
        "file": _opt(file),
        "line": _line(line),
        "column": _line(column),
        "reason": d.reason,
    }


def _cluster(c: ClusterAccess) -> dict[str, Any]:
    return {
        "name": _opt(c.name),
        "mode": c.mode,
        "mode_origin": c.mode_origin,
        "principals": [_holder(h) for h in c.holders],
        "dead": [_dead(d) for d in c.dead],
        "notes": list(c.notes),
    }


def _change(c: Change) -> dict[str, Any]:
    return {
        "cluster": _opt(c.cluster),
        "principal": c.principal,
        "what": c.what,
        "before": _opt(c.before),
        "after": _opt(c.after),
        "escalation": c.escalation,
        "where": c.where,
        "detail": _opt(c.detail),
    }


def _diff(d: Diff) -> dict[str, Any]:
    return {
        "base": d.base,
        "clusters": [_opt(n) for n in d.clusters],
        "changes": [_change(c) for c in ordered(d.changes)],
        "escalations": len(d.escalations),
    }


def render_json(clusters: list[ClusterAccess], diff: Diff | None) -> str:
    """The review (and the diff, with `--base`), safe to print into a job log."""
    doc = {"version": FORMAT_VERSION, "clusters": [_cluster(c) for c in clusters], "diff": None if diff is None else _diff(diff)}
    return json_inert(dumps(doc)) + "\n"
