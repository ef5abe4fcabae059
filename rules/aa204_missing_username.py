"""## What it does
Flags a `mapRoles` or `mapUsers` entry (or an eksctl `iamIdentityMappings` item with an
`arn`) whose `username` is missing, null or empty. A missing username is reported at the
entry's first key; a null or empty one at its value (at the key for `username:` with
nothing after it). Entries without an ARN are not reported: the authenticator drops
them whole (AA003) and eksctl refuses them.

## Why is this bad?
The authenticator never validates the username: the entry still authenticates and
grants its groups, but under an empty name (eksctl writes such a mapping as it is).
Audit logs cannot say who acted, and no `kind: User` binding can ever refer to it.

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
from awsauth_lint.nodes import NULL, Scalar

META = RuleMeta(
    code="AA204",
    name="missing-username",
    summary="A mapping has no username",
    default_severity=Severity.WARNING,
    scope="awsauth",
    tags=("auditability",),
)


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for m in doc.mappings:
        if m.arn is None and not any(k.value.lower() == "sso" for k, _ in m.node.scalar_keys()):
            continue  # eksctl `account:`/`serviceName:` items need none; an entry without ARN is dropped
        if m.username is not None and m.username.value.strip():
            continue
        node = m.username_node
        if node is not None and not isinstance(node, Scalar):
            continue  # a mapping or list: AA003/AA006 explain it
        if node is None:
            if not m.node.pairs:
                continue
            span, what = m.node.pairs[0][0].span, "no username"
        else:
            key = next(k for k, v in m.node.pairs if v is node)
            null = node.plain and node.tag == NULL
            span = key.span if null and not node.value else node.span  # `username:` has no value to point at
            what = "a null username" if null else "an empty username"
        yield Violation(
            span,
            f"entry has {what}: the authenticator still authenticates it (with its groups), but audit logs "
            "cannot tell who acted and no User binding can name it",
            json_path=f"{m.json_path}.username",
        )
