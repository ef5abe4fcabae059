"""## What it does
Flags a group mapped in aws-auth (or eksctl `iamIdentityMappings`) that no RoleBinding
or ClusterRoleBinding in the repository names as a `kind: Group` subject, with the exact
spelling. Groups starting with `system:` or `eks:` are Kubernetes' and EKS' own; groups
bound outside the repository can be listed in the `external-groups` option.

## Why is this bad?
aws-auth only authenticates; RBAC authorises. A mapped group that no binding names
grants nothing: unless a binding names the username, the person authenticates and is
then forbidden everything. The usual causes: a binding that spells the group differently
(RBAC names are case-sensitive), one that binds the username (or the group's name) as a
`kind: User` instead of the group, or a group named after a Role in the belief that
aws-auth groups are roles. The message says which of these it sees.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/data
    username: data:{{SessionName}}
    groups: [data-science]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: data}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: Group, name: datascience, apiGroup: rbac.authorization.k8s.io}
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/data
    username: data:{{SessionName}}
    groups: [data-science]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: data}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: Group, name: data-science, apiGroup: rbac.authorization.k8s.io}
```

## References
- [Amazon EKS: grant IAM principals access with aws-auth](https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint import effective
from awsauth_lint.engine import Project
from awsauth_lint.model import RuleMeta, Severity, Violation
from awsauth_lint.rbac import Index as RbacIndex

META = RuleMeta(
    code="RB001",
    name="group-without-binding",
    summary="A mapped group is bound by no RoleBinding or ClusterRoleBinding",
    default_severity=Severity.ERROR,
    scope="project",
    tags=("correctness",),
    options_schema={
        "external-groups": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Groups bound outside this repository (e.g. by a Helm chart); never flagged.",
        }
    },
)


def check(project: Project, external_groups: list[str] | None = None) -> Iterator[Violation]:
    index = project.rbac
    if index.empty:
        return
    bound = index.subject_names("Group")
    users = index.subject_names("User")
    external = set(external_groups or ())
    for doc in project.docs:
        for g in effective.mapped(doc, "group"):
            name = g.name
            if name in bound or name in external or name.startswith(("system:", "eks:")) or "{{" in name:
                continue
            yield Violation(
                g.span,
                f"group '{name}' is bound by no RoleBinding or ClusterRoleBinding, so it grants nothing"
                + (f"; {hint}" if (hint := index.group_hint(name)) else "")
                + _why(name, g.username, users, index),
                json_path=g.json_path,
                file=doc.file,
            )


def _why(name: str, username: str, users: set[str], index: RbacIndex) -> str:
    """The two mix-ups seen most in real repositories: the role's name used as the group,
    and the binding written for the username instead of the group."""
    out = ""
    kind = index.role_kind(name)
    if kind is not None:
        out += f"; '{name}' names a {kind}, but a group gets rights only as a kind: Group subject of a binding"
    if username and username != name and username in users:
        out += f"; the bindings name the username '{username}' (kind: User) instead"
    return out
