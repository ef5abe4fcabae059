"""## What it does
Flags an aws-auth row (mapRoles or mapUsers, as the authenticator keeps it) for a
principal that also has an access entry, in a cluster whose authentication mode is
`API_AND_CONFIG_MAP` (or unknown, for a cluster no file of the repository defines: entries
exist, so the mode is not `CONFIG_MAP`, and in `API` the row is ignored anyway). Roles are
matched by account and name, whatever either side's path, as EKS does. The message
says what the row would give and what the access entry gives instead.

## Why is this bad?
EKS reads both stores and "the settings for the access entry override the ConfigMap
entry". The aws-auth row is dead for that principal: a reviewer who edits its groups
sees a change that does nothing, and a username or group that differs between the two
silently changes what the principal may do.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops
    groups: [ops-admins]
---
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: prod, region: eu-west-1}
accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/platform/ops
      kubernetesGroups: [ops-readers]
```
An aws-auth (here its `data`) and, in any file of the same repository cluster, an eksctl
`ClusterConfig` (no mode: eksctl's default, `API_AND_CONFIG_MAP`).

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/eks-node
    username: system:node:{{EC2PrivateDNSName}}
    groups: [system:bootstrappers, system:nodes]
---
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: prod, region: eu-west-1}
accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/platform/ops
      kubernetesUsername: ops
      kubernetesGroups: [ops-admins]
```
Keep each principal in one place: during the migration, delete the aws-auth row once
the access entry gives what it gave.

## References
- [Amazon EKS: migrate aws-auth entries to access entries](https://docs.aws.amazon.com/eks/latest/userguide/migrating-access-entries.html)
- [containers-roadmap#185](https://github.com/aws/containers-roadmap/issues/185)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint import effective
from awsauth_lint.accessentry import AccessEntry
from awsauth_lint.eksaccess import at, grants, label, principal_key
from awsauth_lint.engine import Project
from awsauth_lint.model import RuleMeta, Severity, Violation
from awsauth_lint.parsemap import CURRENT

META = RuleMeta(
    code="AE403",
    name="shadowed-aws-auth-entry",
    summary="A principal in both aws-auth and an access entry: the access entry wins",
    default_severity=Severity.WARNING,
    scope="project",
    tags=("correctness", "migration"),
)


def check(project: Project) -> Iterator[Violation]:
    ec = project.eks_cluster
    if ec is None or not (ec.mode == "API_AND_CONFIG_MAP" or (ec.config is None and ec.standing)):
        return
    by_key: dict[tuple[str, str, str, str], AccessEntry] = {}
    for e in ec.standing:
        key = principal_key(e.principal.value) if e.principal is not None and e.principal.value else None
        if key is not None:
            by_key.setdefault(key, e)
    if not by_key:
        return
    mode = "mode API_AND_CONFIG_MAP" if ec.mode else "access entries are on"
    for doc in project.docs:
        st = effective.state(doc) if doc.kind in ("configmap", "patch") else None
        if st is None or not st.accepted:
            continue
        ls = st.lines[CURRENT]
        for row in [*ls.roles.values(), *ls.users.values()]:
            key = principal_key(row.arn) if row.arn else None
            entry = by_key.get(key) if key is not None else None
            if entry is None or row.arn_node is None or entry.principal is None:
                continue
            field = "rolearn" if row.key == "mapRoles" else "userarn"
            gave = f"username '{row.username}', groups [{', '.join(row.groups or [])}]"
            yield Violation(
                row.arn_node.span,
                f"{row.arn} also has an access entry in {label(ec)} ({at(entry.file, entry.principal.span.start.line)}); "
                f"the access entry wins ({mode}): this row would give {gave}, what applies is {grants(entry)}",
                json_path=f"{doc.path}.data.{row.key}[{row.index}].{field}",
                file=doc.file,
            )
