"""## What it does
Flags a mapping that grants the `system:masters` group. The option `allow` lists ARN
globs (case-insensitive) that may have it, e.g. a reviewed break-glass role.

## Why is this bad?
`system:masters` bypasses RBAC entirely: it is unrestricted cluster-admin that no
RoleBinding or ClusterRoleBinding can limit or take back, and it cannot be audited
through RBAC. Grant a group bound to a ClusterRole (such as `cluster-admin`) instead,
so access can be reviewed and revoked in RBAC.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops:{{SessionName}}
    groups: [system:masters]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops:{{SessionName}}
    groups: [platform-admins]
```

## References
- [Kubernetes: RBAC good practices](https://kubernetes.io/docs/concepts/security/rbac-good-practices/)
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation

META = RuleMeta(
    code="AA301",
    name="system-masters-group",
    summary="A mapping grants system:masters, which bypasses RBAC",
    default_severity=Severity.WARNING,
    scope="awsauth",
    tags=("security",),
    options_schema={
        "allow": {
            "type": "array",
            "items": {"type": "string"},
            "description": "ARN globs (case-insensitive) allowed to have system:masters, e.g. a break-glass role.",
        }
    },
)


def check(doc: AwsAuthDoc, allow: list[str] | None = None) -> Iterator[Violation]:
    allowed = [a.lower() for a in allow or ()]
    for m in doc.mappings:
        arn = m.arn.value.strip().lower() if m.arn is not None else ""
        if arn and any(fnmatch.fnmatchcase(arn, a) for a in allowed):
            continue
        for g in m.groups:
            if g.value == "system:masters":
                yield Violation(
                    g.span,
                    "grants system:masters: unrestricted cluster-admin that bypasses RBAC and no binding can "
                    "take back; bind a group to a ClusterRole instead",
                    json_path=g.json_path,
                )
