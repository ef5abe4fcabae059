"""## What it does
Flags a `mapRoles` or `mapUsers` entry whose `username` is missing, null or empty.

## Why is this bad?
The authenticator never validates the username: the entry still authenticates and
grants its groups, but under an empty name. Audit logs cannot say who acted, and no
`kind: User` binding can ever refer to it.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    groups: [ops]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops:{{SessionName}}
    groups: [ops]
```

## References
- aws-iam-authenticator `pkg/config/types.go` (`RoleMapping.Username`)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation
from awsauth_lint.nodes import Scalar

META = RuleMeta(
    code="AA204",
    name="missing-username",
    summary="A mapping has no username",
    default_severity=Severity.WARNING,
    scope="awsauth",
    tags=("auditability",),
)


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for m in [*doc.map_roles, *doc.map_users]:
        if m.username is not None and m.username.value.strip():
            continue
        if m.username_node is not None and not isinstance(m.username_node, Scalar):
            continue  # a mapping or list: AA003/AA006 explain it
        if m.username_node is not None:
            key = next(k for k, v in m.node.pairs if v is m.username_node)
            empty = isinstance(m.username_node, Scalar) and m.username_node.plain and not m.username_node.value
            span, what = (key.span if empty else m.username_node.span), "an empty username"
        elif m.node.pairs:
            span, what = m.node.pairs[0][0].span, "no username"
        else:
            continue
        yield Violation(
            span,
            f"entry has {what}: the authenticator still grants its groups, but audit logs cannot tell "
            "who acted and no User binding can name it",
            json_path=f"{m.json_path}.username",
        )
