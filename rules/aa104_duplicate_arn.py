"""## What it does
Flags an ARN mapped more than once in one aws-auth (compared case-insensitively, as the
authenticator compares).

## Why is this bad?
Role mappings are stored by lower-cased ARN and the LAST entry wins: every earlier
entry for the same role is dead, and edits to it silently do nothing. User ARNs that
differ only in case are all kept, and which one applies is random per request.

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

from awsauth_lint.awsauth import AwsAuthDoc, Mapping
from awsauth_lint.model import Edit, Fix, Position, RuleMeta, Severity, Span, Violation
from awsauth_lint.text import SourceText

META = RuleMeta(
    code="AA104",
    name="duplicate-arn",
    summary="The same ARN is mapped twice; one of the entries is dead or random",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
    fixable=True,
)


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for section in (doc.map_roles, doc.map_users, doc.eksctl):
        groups: dict[str, list[Mapping]] = {}
        for m in section:
            if m.arn is not None and m.arn.value.strip():
                groups.setdefault(m.arn.value.strip().lower(), []).append(m)
        for same in groups.values():
            if len(same) > 1:
                yield from _report(same, doc.src)


def _report(same: list[Mapping], src: SourceText) -> Iterator[Violation]:
    last = same[-1]
    assert last.arn is not None
    if last.section == "mapUsers" and len({m.arn.value.strip() for m in same if m.arn}) > 1:
        first = same[0]
        assert first.arn is not None
        for m in same[1:]:
            assert m.arn is not None
            yield Violation(
                m.arn.span,
                f"user ARN differs only in case from line {first.arn.span.start.line}: both are kept "
                "and which mapping applies is random per request",
                json_path=m.arn.json_path,
            )
        return
    where = "eksctl writes both; the authenticator keeps" if last.section == "eksctl" else "the authenticator keeps"
    for m in same[:-1]:
        assert m.arn is not None
        identical = _same(m, last)
        yield Violation(
            m.arn.span,
            f"mapped again on line {last.arn.span.start.line}: {where} only the last entry, so this one is dead"
            + (" (it is an exact copy)" if identical else ""),
            json_path=m.arn.json_path,
            fix=_remove(src, m) if identical and m.section != "eksctl" else None,
        )


def _same(a: Mapping, b: Mapping) -> bool:
    """Identical ARN text, username and groups: removing the dead copy changes nothing."""
    return (
        a.arn is not None
        and b.arn is not None
        and a.arn.value.strip() == b.arn.value.strip()
        and (a.username.value if a.username else None) == (b.username.value if b.username else None)
        and a.group_names == b.group_names
    )


def _remove(src: SourceText, m: Mapping) -> Fix | None:
    """Delete the entry's whole lines, when it owns them (block style, exact positions)."""
    span = m.node.span
    if not span.exact or m.node.flow:
        return None
    first, last = span.start.line, span.end.line
    before = src.line(first)[: span.start.column - 1]
    after = src.line(last)[span.end.column - 1 :]
    if before.strip() != "-" or (after.strip() and not after.strip().startswith("#")):
        return None
    return Fix("remove the dead duplicate entry", (Edit(Span(Position(first, 1), Position(last + 1, 1)), ""),))
