"""Structure findings (AA0xx) exist exactly where the real authenticator loses something.

Over the shared oracle set: a case loses something when either line reports a parse
error, the API server refuses the object, a mis-spelt data key is never read, a map
holds text after `---`, a line keeps fewer entries than are written, the two lines keep
different entries, or an entry names a known field in another spelling or case. Every
such case has at least one AA0xx finding; no other case has any.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from typing import Any

from awsauth_lint.nodes import Map, Seq
from helpers import lint_paths, shared_path
from oracle import load, verdicts

FIELDS = ("rolearn", "userarn", "username", "groups", "sso", "userid")
MAP_KEYS = ("mapRoles", "mapUsers", "mapAccounts")


def _variant(key: str, known: tuple[str, ...]) -> bool:
    """Another spelling or case of a known name (exact names are not variants)."""
    low, lows = key.lower().replace("_", "").replace("-", ""), [k.lower() for k in known]
    return key not in known and (low in lows or bool(difflib.get_close_matches(low, lows, n=1, cutoff=0.75)))


def _entry(e: dict[str, Any]) -> tuple[Any, ...]:
    return (e.get("rolearn") or e.get("userarn") or "", e["username"], e["groups"] or [])


def losses(case: str, lines: dict[str, Any]) -> list[str]:
    """What the authenticator loses of what the file says (empty: both lines keep everything)."""
    out: list[str] = []
    for line, v in lines.items():
        out += [f"{line}: parse error"] * bool(v["parse_errors"]) + [f"{line}: refused"] * bool(v["apiserver_rejects"])
        out += [f"data key {k}" for k in v["ignored_data_keys"] if _variant(k, MAP_KEYS)]
    a, b = lines["v0.7"]["kept"], lines["v0.5"]["kept"]
    for kind in ("roles", "users"):
        if [_entry(e) for e in a[kind]] != [_entry(e) for e in b[kind]]:
            out.append(f"{kind}: the lines keep different entries")
    st = load(case)
    for key, em in (st.doc.maps.items() if st is not None else ()):
        out += [f"{key}: text after ---"] * bool(em.extra_docs)
        items = em.root.items if isinstance(em.root, Seq) else []
        kept = {line: v["keys"][key]["kept"] for line, v in lines.items()}
        if em.root is not None and any(n != len(items) for n in kept.values()):
            out.append(f"{key}: {len(items)} written, kept {kept}")
        for item in items:
            if isinstance(item, Map):
                out += [f"{key}: field {k.value}" for k, _ in item.scalar_keys() if _variant(k.value, FIELDS)]
    return out


def test_structure_findings_exactly_where_something_is_lost() -> None:
    all_verdicts = verdicts()
    result = lint_paths([shared_path("oracle", "cases")])
    codes: dict[str, set[str]] = defaultdict(set)
    for f in result.findings:
        if f.code.startswith("AA0") and f.suppressed is None:
            codes[f.file.rsplit("/", 1)[-1]].add(f.code)
    missed, spurious = [], []
    for case, lines in sorted(all_verdicts.items()):
        lost = losses(case, lines)
        if lost and not codes[case]:
            missed.append((case, lost))
        elif not lost and codes[case]:
            spurious.append((case, sorted(codes[case])))
    assert sum(bool(losses(c, lines)) for c, lines in all_verdicts.items()) > 400  # the set does lose things
    assert missed == [], f"{len(missed)} cases lose something without an AA0xx finding: {missed[:5]}"
    assert spurious == [], f"{len(spurious)} cases keep everything yet have AA0xx findings: {spurious[:5]}"
