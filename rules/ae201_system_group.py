"""## What it does
Flags a Kubernetes group of an access entry whose name starts with `system:`
(`system:masters`, `system:nodes`, `system:bootstrappers`, ...). Groups starting with
`eks:` are not flagged: EKS does not refuse them.

## Why is this bad?
EKS refuses the entry: `The kubernetes group name system:masters is invalid, it cannot
start with system:`. Copying the groups of an aws-auth row, as the migration page
suggests, is the usual cause. What to write instead depends on the group:
`system:masters` becomes the access policy `AmazonEKSClusterAdminPolicy` at cluster
scope (what eksctl's migration does); node groups (`system:nodes`,
`system:bootstrappers`, `system:node-proxier`) become a node type (`EC2_LINUX`,
`EC2_WINDOWS`, `FARGATE_LINUX`, `HYBRID_LINUX`), which gives them by itself; any other
name, a group of your own without the prefix, bound in RBAC.

## Example
```yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: prod
  region: eu-west-1
accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/ops
      kubernetesGroups: [system:masters]
```

## Use instead
```yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: prod
  region: eu-west-1
accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/ops
      accessPolicies:
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy
          accessScope:
            type: cluster
```

## References
- [terraform-aws-eks#2915](https://github.com/terraform-aws-modules/terraform-aws-eks/issues/2915) (the EKS error)
- [eksctl#7446](https://github.com/eksctl-io/eksctl/issues/7446)
- [Amazon EKS: migrate aws-auth entries to access entries](https://docs.aws.amazon.com/eks/latest/userguide/migrating-access-entries.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.accessentry import NODE_TYPES, AccessEntry
from awsauth_lint.model import RuleMeta, Severity, Violation

from ._common import NODE_GROUPS

META = RuleMeta(
    code="AE201",
    name="system-group",
    summary="An access entry's Kubernetes group starts with system:, which EKS refuses",
    default_severity=Severity.ERROR,
    scope="access",
    tags=("correctness", "migration"),
)


def advice(group: str) -> str:
    if group == "system:masters":
        return "use AmazonEKSClusterAdminPolicy at cluster scope instead (an access policy, not a group)"
    if group in NODE_GROUPS:
        return "for a node role, use a node type (EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX, HYBRID_LINUX) and no groups"
    return "use a group name without the prefix and bind it in RBAC"


def check(entry: AccessEntry) -> Iterator[Violation]:
    if entry.type_value in NODE_TYPES:
        return  # groups on a node type are refused whatever their names: AE002
    for g in entry.groups:
        name = g.value if g.value is not None else g.pattern
        if name is None or not name.startswith("system:"):
            continue
        yield Violation(
            g.span,
            f"EKS refuses this group: 'The kubernetes group name {name} is invalid, it cannot start with system:'; "
            f"{advice(name)}",
            json_path=g.json_path,
        )
