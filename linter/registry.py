"""The rule registry: rule modules listed in `rules.ALL`, checked once at import."""

from __future__ import annotations

import re
from functools import lru_cache
from types import ModuleType

from .model import Rule, RuleMeta

CODE = re.compile(r"^(AA|AE|RB|AL)\d{3}$")
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _rule(module: ModuleType) -> Rule:
    meta = getattr(module, "META", None)
    check = getattr(module, "check", None)
    if not isinstance(meta, RuleMeta) or not callable(check) or not module.__doc__:
        raise TypeError(f"rule module {module.__name__} needs META, check() and a docstring")
    if not CODE.match(meta.code) or not NAME.match(meta.name):
        raise ValueError(f"{module.__name__}: bad code or name {meta.code} {meta.name}")
    return Rule(meta, check, module.__doc__.strip(), module.__name__)


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    """Every rule, sorted by code; fails fast on duplicate codes or names."""
    from .rules import ALL

    rules = tuple(sorted((_rule(m) for m in ALL), key=lambda r: r.meta.code))
    for attr in ("code", "name"):
        values = [getattr(r.meta, attr) for r in rules]
        dupes = {v for v in values if values.count(v) > 1}
        if dupes:
            raise ValueError(f"duplicate rule {attr}s: {sorted(dupes)}")
    return rules


def lookup(code_or_name: str) -> Rule | None:
    key = code_or_name.strip()
    for r in all_rules():
        if key.upper() == r.meta.code or key.lower() == r.meta.name:
            return r
    return None
