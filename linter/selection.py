"""Rule selection: `select`/`ignore` by code, code prefix or name; the longest match wins."""

from __future__ import annotations

from collections.abc import Sequence

from .model import RuleMeta


def _specificity(meta: RuleMeta, patterns: Sequence[str]) -> int:
    best = -1
    for p in patterns:
        p = p.strip()
        if not p:
            continue
        if p.lower() == meta.name:
            best = max(best, 100)
        elif p.upper() == "ALL":
            best = max(best, 0)
        elif meta.code.startswith(p.upper()):
            best = max(best, len(p))
    return best


def enabled(meta: RuleMeta, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """flake8's decision: the more specific of select and ignore wins; ties ignore."""
    s = _specificity(meta, select) if select else 0
    i = _specificity(meta, ignore)
    return s >= 0 and s > i


def unknown(patterns: Sequence[str], metas: Sequence[RuleMeta]) -> list[str]:
    """Patterns that match no rule (a typo in --select should be an error, not silence)."""
    return [p for p in patterns if p.strip() and all(_specificity(m, [p]) < 0 for m in metas)]
