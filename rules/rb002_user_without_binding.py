"""## What it does
Flags a mapping with no groups whose username no RoleBinding or ClusterRoleBinding
names as a `kind: User` subject. Usernames with templates (`{{SessionName}}`) are not
checked: their rendered value is only known at login.

## Why is this bad?
Without groups, a mapping can only be authorised through bindings to its username. If
none names it, the principal authenticates and can do nothing: `kubectl` answers
`Forbidden` for everything, which is easy to mistake for an aws-auth problem.

## Example
```yaml
mapUsers: |
  - userarn: arn:aws:iam::111122223333:user/alice
    username: alice
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
  - {kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}
```

## Use instead
```yaml
mapUsers: |
  - userarn: arn:aws:iam::111122223333:user/alice
    username: alice
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
  - {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
```

## References
- [Kubernetes: RBAC subjects](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint import effective
from awsauth_lint.engine import Project
from awsauth_lint.model import RuleMeta, Severity, Violation

META = RuleMeta(
    code="RB002",
    name="user-without-binding",
    summary="A mapping without groups has a username no binding names",
    default_severity=Severity.WARNING,
    scope="project",
    tags=("correctness",),
)


def check(project: Project) -> Iterator[Violation]:
    index = project.rbac
    if index.empty:
        return
    users = index.subject_names("User")
    for doc in project.docs:
        for u in effective.mapped(doc, "username"):
            name = u.name
            if u.has_groups or "{{" in name or name in users:
                continue
            close = [x for x in users if x.lower() == name.lower()]
            hint = f"; did you mean '{close[0]}' (case-sensitive)?" if close else ""
            yield Violation(
                u.span,
                f"'{name}' has no groups and no binding names it as a User: it authenticates but can do nothing{hint}",
                json_path=u.json_path,
                file=doc.file,
            )
