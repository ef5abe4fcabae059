"""## What it does
Notes a `kind: Group` subject of a binding that no aws-auth mapping and no EKS access
entry provides (and that is not `system:*` or `eks:*`, nor listed in RB001's
`external-groups`). Only runs when the repository has aws-auth mappings or STANDARD
access entries.

The `kubernetesGroups` of every STANDARD access entry declared for the cluster's EKS
clusters (eksctl, CloudFormation, ACK, Crossplane; in the cluster's files and the rest
of its repository) count as provided, whatever the cluster's mode. In a repository of
several clusters, an entry
provides its groups to its own cluster only. A group unknown at lint time (a
CloudFormation `!Ref`) may be any group, so the rule stays quiet for that cluster; one
written as `!Sub` with unknown parts provides every group its shape matches.

## Why is this bad?
A binding for a group nobody is in is dead configuration, or the other half of a typo:
aws-auth maps `data-science`, the binding says `datascience`, and RB001 reports the
other side. Groups that come from elsewhere (an OIDC provider, access entries managed
outside the repository) can be listed in `external-groups`.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops:{{SessionName}}
    groups: [ops]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: Group, name: operations, apiGroup: rbac.authorization.k8s.io}
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops:{{SessionName}}
    groups: [ops]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}
```

## References
- [Kubernetes: RBAC subjects](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from awsauth_lint import effective
from awsauth_lint.engine import Project
from awsauth_lint.model import RuleMeta, Severity, Violation

META = RuleMeta(
    code="RB004",
    name="unmapped-binding-subject",
    summary="A bound group is provided by no aws-auth mapping",
    default_severity=Severity.NOTE,
    scope="project",
    tags=("maintainability",),
    options_schema={
        "external-groups": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Groups provided outside aws-auth (OIDC, access entries); never flagged.",
        }
    },
)


def check(project: Project, external_groups: list[str] | None = None) -> Iterator[Violation]:
    groups = {g.name for d in project.docs for g in effective.mapped(d, "group")}
    entries = [e for ec in project.eks for e in ec.standing if e.type_value == "STANDARD"]
    if (
        not groups
        and not any(effective.mapped(d, "username") for d in project.docs)
        and not project.context_groups
        and not entries
    ):
        return  # no aws-auth mapping and no access entry at all: nothing to compare the bindings with
    shapes: list[re.Pattern[str]] = []
    for e in entries:
        for t in e.groups:
            if t.value is not None:
                groups.add(t.value)
            elif t.pattern:  # a !Sub or !Join: each unknown part is a `*`
                shapes.append(re.compile(".*".join(map(re.escape, t.pattern.split("*")))))
            else:
                return  # a group unknown at lint time may be any of them
    provided = groups | project.context_groups
    external = set(external_groups or ())
    for b in project.rbac.bindings:
        for s in b.subjects:
            name = s.name.value
            if s.kind != "Group" or name in provided or name in external or name.startswith(("system:", "eks:")):
                continue
            if any(shape.fullmatch(name) for shape in shapes):
                continue
            yield Violation(
                s.name.span,
                f"group '{name}' is bound here but no aws-auth mapping or access entry provides it",
                json_path=s.name.json_path,
                file=b.file,
            )
