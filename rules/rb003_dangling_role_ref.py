"""## What it does
Flags a RoleBinding or ClusterRoleBinding whose `roleRef` names a Role or ClusterRole
defined nowhere in the repository (built-in ClusterRoles `cluster-admin`, `admin`,
`edit`, `view` and `system:*` are known), and a RoleBinding to a `Role` that exists only
in another namespace.

## Why is this bad?
Kubernetes accepts a binding to a role that does not exist; it grants nothing until the
role appears. A typo in `roleRef.name`, or a Role created in the wrong namespace, leaves
the bound groups with no permissions and no error anywhere.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: deployers}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: deployer}
subjects:
  - {kind: Group, name: deployers, apiGroup: rbac.authorization.k8s.io}
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: deployers}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
  - {kind: Group, name: deployers, apiGroup: rbac.authorization.k8s.io}
```

## References
- [Kubernetes: RoleBinding and ClusterRoleBinding](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.engine import Project
from awsauth_lint.model import RuleMeta, Severity, Violation

META = RuleMeta(
    code="RB003",
    name="dangling-role-ref",
    summary="A binding's roleRef names a role defined nowhere",
    default_severity=Severity.ERROR,
    scope="project",
    tags=("correctness",),
)


def check(project: Project) -> Iterator[Violation]:
    index = project.rbac
    for b in index.bindings:
        ref = b.role_name
        if ref is None:
            continue
        if b.role_kind == "ClusterRole":
            if not index.cluster_role(ref.value):
                yield Violation(
                    ref.span, f"ClusterRole '{ref.value}' is defined nowhere in the repository and is not built in",
                    json_path=ref.json_path, file=b.file,
                )
        elif b.role_kind == "Role":
            if b.kind == "ClusterRoleBinding":
                yield Violation(ref.span, "a ClusterRoleBinding can only reference a ClusterRole", json_path=ref.json_path, file=b.file)
                continue
            roles = index.roles_named(ref.value)
            here = [r for r in roles if r.namespace is None or b.namespace is None or r.namespace == b.namespace]
            if not roles:
                where = (
                    f"the RoleBinding looks for it in namespace '{b.namespace}'"
                    if b.namespace
                    else "the RoleBinding has no namespace, so it looks in the namespace it is applied to"
                )
                yield Violation(
                    ref.span, f"Role '{ref.value}' is defined nowhere in the repository: {where}", json_path=ref.json_path, file=b.file
                )
            elif not here:
                where = ", ".join(sorted({r.namespace or "?" for r in roles}))
                yield Violation(
                    ref.span,
                    f"Role '{ref.value}' exists only in namespace {where}, not in '{b.namespace}': a RoleBinding "
                    "can only use a Role of its own namespace",
                    json_path=ref.json_path,
                    file=b.file,
                )
