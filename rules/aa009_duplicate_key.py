"""## What it does
Flags a key written twice in one mapping: in the aws-auth manifest itself (two `data:`
or two `mapRoles:` keys) or inside an entry (two `groups:`).

## Why is this bad?
YAML forbids duplicate keys, but parsers disagree on what to do: some reject the
document, others keep the first or the last value. A second `mapRoles:` added at the
bottom of a long ConfigMap silently replaces (or is replaced by) the first, and
whole sets of mappings disappear.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops
    groups: [ops]
    groups: [admins]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops
    groups: [ops, admins]
```

## References
- [YAML 1.2, 3.2.1.1 Nodes](https://yaml.org/spec/1.2.2/#3211-nodes): mapping keys are unique
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation

from ._common import maps, roots

META = RuleMeta(
    code="AA009",
    name="duplicate-key",
    summary="A key is repeated in one mapping",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
)


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    trees = [doc.root, *(em.root for _, em in roots(doc))]
    for tree in trees:
        for node in maps(tree):
            first: dict[str, int] = {}
            for key, _ in node.scalar_keys():
                if key.value in first:
                    yield Violation(
                        key.span,
                        f"duplicate key '{key.value}' (first on line {first[key.value]}): "
                        "parsers disagree on which value wins",
                    )
                else:
                    first[key.value] = key.span.start.line
