"""## What it does
Flags an ARN mapped more than once in one aws-auth (compared case-insensitively, as the
authenticator compares), at the entry that does not take effect: for a role, every
entry but the last; for user ARNs that differ only in case, every one after the first;
a user-store entry (`mapUsers`) whose ARN is also mapped as a role. eksctl's
`iamIdentityMappings` go to the role or user mappings by the ARN's kind. The fix
removes an earlier entry that is an exact copy of the winner. It is safe when the two
entries are written alike (the same keys spelt the same, the same values quoted the same
way; comments and layout may differ): every authenticator reads them alike, so the copy
is dead on every line. When only the values agree (`roleARN` in one, `rolearn` in the
other, say) the v0.5 line may read them differently, and the fix needs `--unsafe-fixes`.

## Why is this bad?
Role mappings are stored by lower-cased ARN and the LAST entry wins: every earlier
entry for the same role is dead, and edits to it silently do nothing. User ARNs that
differ only in case are all kept, and which one applies is random per request. A
caller is looked up in the role mappings first, so a `mapUsers` entry for an ARN that
`mapRoles` also maps is never used.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops
    groups: [ops]
  - rolearn: arn:aws:iam::111122223333:role/OPS
    username: ops-readonly
    groups: [viewers]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops
    groups: [ops, viewers]
```

## References
- aws-iam-authenticator `pkg/mapper/configmap/configmap.go` (`saveMap`)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.arn import parse
from awsauth_lint.awsauth import AwsAuthDoc, Mapping
from awsauth_lint.model import Edit, Fix, Located, Position, RuleMeta, Severity, Span, Violation
from awsauth_lint.nodes import Map, Node, Scalar, Seq
from awsauth_lint.text import SourceText

META = RuleMeta(
    code="AA104",
    name="duplicate-arn",
    summary="The same ARN is mapped twice; one of the entries is dead or random",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
    fixable="safe",
)


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    stores: dict[str, dict[str, list[tuple[Mapping, Located[str]]]]] = {"role": {}, "user": {}}
    for m in doc.mappings:
        parsed = parse(m.arn.value) if m.arn is not None else None  # malformed ARNs are AA102's
        if m.arn is not None and parsed is not None:
            # eksctl sorts by the ARN's kind and refuses anything but a role or user (AA103)
            store = parsed.type if m.section == "eksctl" else "role" if m.section == "mapRoles" else "user"
            if store in stores:
                stores[store].setdefault(parsed.text.lower(), []).append((m, m.arn))
    for same in stores["role"].values():
        yield from _last_wins(same, doc.src)
    for key, same in stores["user"].items():
        if key in stores["role"]:
            role = stores["role"][key][-1][1]
            for _, loc in same:
                why = f"this ARN is also mapped as a role on {_line(role, loc)}; roles are looked up first, so this entry is never used"
                yield Violation(loc.span, why, json_path=loc.json_path)
            continue
        exact: dict[str, list[tuple[Mapping, Located[str]]]] = {}
        for m, loc in same:
            exact.setdefault(loc.value, []).append((m, loc))
        for copies in exact.values():
            yield from _last_wins(copies, doc.src)
        kept = sorted((c[-1] for c in exact.values()), key=lambda e: e[0].index)
        for _, loc in kept[1:]:
            why = f"user ARN differs only in case from the one on {_line(kept[0][1], loc)}: both are kept and which mapping applies is random per request"
            yield Violation(loc.span, why, json_path=loc.json_path)


def _last_wins(same: list[tuple[Mapping, Located[str]]], src: SourceText) -> Iterator[Violation]:
    last, last_arn = same[-1]
    where = "eksctl writes every entry and the authenticator keeps" if last.section == "eksctl" else "the authenticator keeps"
    for m, arn in same[:-1]:
        copy = arn.value == last_arn.value and _who(m) == _who(last)
        yield Violation(
            arn.span,
            f"mapped again on {_line(last_arn, arn)}: {where} only the last entry, so this one is dead"
            + (" (it is an exact copy)" if copy else ""),
            json_path=arn.json_path,
            fix=_remove(src, m, last) if copy and m.section != "eksctl" else None,
        )


def _line(other: Located[str], here: Located[str]) -> str:
    """Where `other` is, for a message at `here` (with the column when both share a line, as in JSON)."""
    at = other.span.start
    return f"line {at.line}" + (f", column {at.column}" if at.line == here.span.start.line else "")


def _who(m: Mapping) -> tuple[str | None, tuple[str, ...]]:
    return (m.username.value if m.username else None), m.group_names


def _alike(a: Node, b: Node, seen: set[tuple[int, int]] | None = None) -> bool:
    """Written alike: the same keys, spelt the same, and the same scalars in the same
    styles and tags (comments and layout aside), so every YAML reader reads them alike."""
    seen = set() if seen is None else seen
    if a is b or (id(a), id(b)) in seen:
        return True
    seen.add((id(a), id(b)))
    if isinstance(a, Scalar) and isinstance(b, Scalar):
        return (a.value, a.style, a.tag) == (b.value, b.style, b.tag)
    if isinstance(a, Seq) and isinstance(b, Seq):
        return len(a.items) == len(b.items) and all(_alike(x, y, seen) for x, y in zip(a.items, b.items, strict=True))
    if isinstance(a, Map) and isinstance(b, Map):
        return len(a.pairs) == len(b.pairs) and all(
            _alike(ka, kb, seen) and _alike(va, vb, seen) for (ka, va), (kb, vb) in zip(a.pairs, b.pairs, strict=True)
        )
    return False


def _remove(src: SourceText, m: Mapping, winner: Mapping) -> Fix | None:
    """Delete the entry's whole lines, when it owns them (block style, exact positions).

    Safe only when the winner is written alike: equal values can still be read
    differently by the two authenticator lines (a mis-cased key, a YAML 1.1 scalar).
    """
    span = m.node.span
    if not span.exact or m.node.flow:
        return None
    first, last = span.start.line, span.end.line
    before = src.line(first)[: span.start.column - 1]
    after = src.line(last)[span.end.column - 1 :]
    if before.strip() != "-" or (after.strip() and not after.strip().startswith("#")):
        return None
    safe = _alike(m.node, winner.node)
    return Fix("remove the dead duplicate entry", (Edit(Span(Position(first, 1), Position(last + 1, 1)), ""),), safe)
