"""## What it does
Flags a node-type access entry (`EC2_LINUX`, `EC2_WINDOWS`, `FARGATE_LINUX`,
`HYBRID_LINUX`, `HYPERPOD_LINUX`) that sets a username, Kubernetes groups or access
policies, and an `EC2` entry (an Auto Mode custom NodeClass role) without
`AmazonEKSAutoNodePolicy`.

## Why is this bad?
EKS gives node entries their identity itself (`system:node:{{EC2PrivateDNSName}}` or
`system:node:{{SessionName}}`, group `system:nodes`) and refuses anything more: "If you
set the value to EC2_LINUX or EC2_WINDOWS, you can't specify values for
kubernetesGroups, or associate an AccessPolicy"; a policy call on such an entry answers
`This operation can only be performed on Access Entries with a type of "STANDARD".` The
apply fails, and the nodes the entry was for cannot join. Copying a node row from
aws-auth (`system:node:...`, `system:bootstrappers`, `system:nodes`) is the usual cause:
the type alone says it all.

`EC2` is the exception: it carries policies, and must carry `AmazonEKSAutoNodePolicy`
(cluster scope), or the nodes of the custom NodeClass get no permissions. An `EC2` entry
whose policy names are unknown at lint time is not flagged.

## Example
```yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: prod
  region: eu-west-1
accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/nodes
      type: EC2_LINUX
      kubernetesGroups: [system:bootstrappers, system:nodes]
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
    - principalARN: arn:aws:iam::111122223333:role/nodes
      type: EC2_LINUX
    - principalARN: arn:aws:iam::111122223333:role/auto-mode-nodes
      type: EC2
      accessPolicies:
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy
          accessScope:
            type: cluster
```

## References
- [EKS API: CreateAccessEntry](https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html) (`type`)
- [Amazon EKS: create a node class](https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html) (`EC2` entries)
- [ACK community#2144](https://github.com/aws-controllers-k8s/community/issues/2144)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.accessentry import NODE_TYPES, AccessEntry
from awsauth_lint.model import RuleMeta, Severity, Violation

from .ae303_unknown_access_policy import AUTO_NODE, policy_name

META = RuleMeta(
    code="AE002",
    name="node-type-with-kubernetes-access",
    summary="A node-type access entry with a username, groups or policies, or an EC2 entry without AmazonEKSAutoNodePolicy",
    default_severity=Severity.ERROR,
    scope="access",
    tags=("correctness", "nodes"),
)

IDENTITY = {
    "EC2_LINUX": "system:node:{{EC2PrivateDNSName}}",
    "EC2_WINDOWS": "system:node:{{EC2PrivateDNSName}}",
    "FARGATE_LINUX": "system:node:{{SessionName}}",
    "HYBRID_LINUX": "system:node:{{SessionName}}",
}
STANDARD_ONLY = 'This operation can only be performed on Access Entries with a type of "STANDARD".'


def _eksctl(entry: AccessEntry, what: str) -> str:
    """eksctl's own refusal, when the entry is in an eksctl file (HYPERPOD_LINUX is AE001's there)."""
    if entry.format != "eksctl":
        return ""
    t = entry.type_value
    if what == "policies":
        return f" (eksctl: 'cannot specify accessEntries[i].accessPolicies when type is set to {t}')"
    return f" (eksctl: 'cannot specify accessEntries[i].kubernetesGroups nor accessEntries[i].kubernetesUsername when type is set to {t}')"


def check(entry: AccessEntry) -> Iterator[Violation]:
    t = entry.type_value
    if t == "EC2":
        yield from _auto_node(entry)
    if t not in NODE_TYPES:
        return
    given = f"EKS sets the identity of {t} entries itself" + (f" ({IDENTITY[t]}, group system:nodes)" if t in IDENTITY else "")
    if entry.username is not None and entry.username.value != "" and entry.username.kind != "null":
        yield Violation(
            entry.username.span,
            f"a username on a {t} entry: {given} and refuses one{_eksctl(entry, 'username')}; remove it",
            json_path=entry.username.json_path,
        )
    if entry.groups:
        first = entry.groups[0]
        yield Violation(
            first.span,
            f"Kubernetes groups on a {t} entry: {given} and refuses groups{_eksctl(entry, 'groups')}; remove them",
            json_path=first.json_path,
        )
    for policy in entry.policies:
        span = policy.arn.span if policy.arn is not None else policy.span
        if span is None:
            continue
        yield Violation(
            span,
            f"an access policy on a {t} entry: EKS refuses it ('{STANDARD_ONLY}'){_eksctl(entry, 'policies')}; "
            "node permissions come from the type",
            json_path=policy.arn.json_path if policy.arn is not None else policy.json_path,
        )


def _auto_node(entry: AccessEntry) -> Iterator[Violation]:
    names = [policy_name(p.arn) for p in entry.policies]
    if AUTO_NODE in names or None in names or entry.type is None:
        return  # present, or a policy unknown at lint time (or malformed: AE302) might be it
    yield Violation(
        entry.type.span,
        f"an EC2 entry (an Auto Mode custom NodeClass role) without {AUTO_NODE}: its nodes get no permissions; "
        f"associate arn:aws:eks::aws:cluster-access-policy/{AUTO_NODE} at cluster scope",
        json_path=entry.type.json_path,
    )
