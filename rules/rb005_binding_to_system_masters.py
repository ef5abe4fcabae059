"""## What it does
Flags a RoleBinding or ClusterRoleBinding whose subject is the group `system:masters`.

## Why is this bad?
`system:masters` bypasses RBAC entirely, so binding it to anything changes nothing. The
binding suggests its members' rights can be managed through RBAC when they cannot, and
usually marks a misunderstanding worth a second look.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: masters-view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: Group, name: system:masters, apiGroup: rbac.authorization.k8s.io}
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: platform-admins}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
  - {kind: Group, name: platform-admins, apiGroup: rbac.authorization.k8s.io}
```

## References
- [Kubernetes: default roles and bindings](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.engine import Project
from awsauth_lint.model import RuleMeta, Severity, Violation

META = RuleMeta(
    code="RB005",
    name="binding-to-system-masters",
    summary="A binding names system:masters, which bypasses RBAC anyway",
    default_severity=Severity.WARNING,
    scope="project",
    tags=("security",),
)


def check(project: Project) -> Iterator[Violation]:
    for b in project.rbac.bindings:
        for s in b.subjects:
            if s.kind == "Group" and s.name.value == "system:masters":
                yield Violation(
                    s.name.span,
                    "binding to system:masters has no effect: that group bypasses RBAC and already has every right",
                    json_path=s.name.json_path,
                    file=b.file,
                )
