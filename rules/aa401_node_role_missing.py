"""## What it does
Flags an aws-auth ConfigMap (or a data-only patch that sets `mapRoles`) with no node
mapping: no entry whose username is `system:node:{{EC2PrivateDNSName}}` (EC2 Linux and
Windows nodes) or `system:node:{{SessionName}}` (Fargate and hybrid nodes). A full
ConfigMap with no `mapRoles` at all is flagged too: applying it replaces the whole
`data`. The option `required-node-roles` lists node role ARN globs that must each be
mapped as a node.

Quiet when the cluster's nodes join through EKS access entries: when the EKS cluster
the aws-auth belongs to (declared in the repository as an eksctl `ClusterConfig`, a
CloudFormation, ACK or Crossplane cluster or access entries) has authentication mode
`API` (EKS ignores aws-auth; AE401 says so), or has an access entry of a node type
(`EC2_LINUX`, `EC2_WINDOWS`, `FARGATE_LINUX`, `HYBRID_LINUX`, `HYPERPOD_LINUX`, `EC2`)
and a mode other than `CONFIG_MAP` (which refuses access entries: AE402). A required
node role is then also mapped by a node-type entry whose principal matches, with or
without its IAM path. The EKS cluster is the one AE401 and AE403 use (the repository
declares one, or one named like the repository's cluster); when that is unclear,
access entries are not considered and the rule reads the aws-auth alone.

## Why is this bad?
Nodes authenticate through these mappings. Replacing aws-auth without them (typically
to add one user) makes every node fail to join or go `NotReady`, and Fargate pods stop
scheduling.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/developers
    username: developer:{{SessionName}}
    groups: [developers]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/eks-node-group
    username: system:node:{{EC2PrivateDNSName}}
    groups: [system:bootstrappers, system:nodes]
  - rolearn: arn:aws:iam::111122223333:role/developers
    username: developer:{{SessionName}}
    groups: [developers]
```

## References
- [Amazon EKS: aws-auth ConfigMap](https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html)
- [Amazon EKS: create access entries](https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html)
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from awsauth_lint.accessentry import NODE_TYPES, AccessEntry
from awsauth_lint.arn import parse as parse_arn
from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.eksaccess import label
from awsauth_lint.engine import Project
from awsauth_lint.model import RuleMeta, Severity, Violation
from awsauth_lint.nodes import Scalar

from ._common import is_node_username

META = RuleMeta(
    code="AA401",
    name="node-role-missing",
    summary="aws-auth has no node role mapping, so nodes cannot join",
    default_severity=Severity.ERROR,
    scope="project",  # the cluster's access entries can join its nodes instead
    tags=("availability",),
    options_schema={
        "required-node-roles": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Node role ARN globs (case-insensitive) that must each be mapped as a node.",
        }
    },
)

EFFECT = "nodes cannot authenticate: they fail to join or go NotReady"
JOINING_TYPES = (*NODE_TYPES, "EC2")  # the access-entry types nodes join with (EC2: Auto Mode)


def check(project: Project, required_node_roles: list[str] | None = None) -> Iterator[Violation]:
    ec = project.eks_cluster
    joining: list[str] | None = None  # the node-type access entries' principals, when nodes join through them
    refused = ""
    if ec is not None:
        if ec.mode == "API":
            return  # EKS ignores aws-auth (AE401)
        entries = [e for e in ec.standing if e.type is not None and e.type.value in JOINING_TYPES]
        if entries and ec.mode == "CONFIG_MAP":
            refused = f" ({label(ec)} has node access entries, but its mode CONFIG_MAP refuses them)"
        elif entries:
            joining = _principals(entries)
    for doc in project.docs:
        yield from _check(doc, required_node_roles or [], joining, refused)


def _principals(entries: list[AccessEntry]) -> list[str]:
    """The principals of node-type access entries, lower case, as written and without
    the IAM path (aws-auth writes role ARNs without it)."""
    out = []
    for e in entries:
        arn = e.principal.value.strip() if e.principal is not None and e.principal.value else ""
        a = parse_arn(arn) if arn else None
        out += [arn.lower()] if arn else []
        if a is not None and a.type == "role" and a.path:
            out.append(f"arn:{a.partition}:iam::{a.account}:role/{a.name}".lower())
    return out


def _check(doc: AwsAuthDoc, required: list[str], joining: list[str] | None, refused: str) -> Iterator[Violation]:
    if doc.kind == "eksctl":
        return
    em = doc.maps.get("mapRoles")
    if em is None:
        if doc.kind == "configmap" and doc.data is not None and joining is None:
            key = next((k for k, _ in doc.root.scalar_keys() if k.value == "data"), None)
            if key is not None:
                yield Violation(
                    key.span,
                    f"aws-auth has no mapRoles and so no node mapping: {EFFECT}{refused}",
                    json_path=f"{doc.path}.data",
                    file=doc.file,
                )
        return
    if em.error is not None or not isinstance(em.value, Scalar) or (em.root is None and em.value.value.strip()):
        return  # AA001 / AA002 report why the map is unusable
    nodes = [m for m in doc.map_roles if m.username is not None and is_node_username(m.username.value)]
    if not nodes and joining is None:
        yield Violation(
            em.key_node.span,
            f"mapRoles has no node mapping (system:node:...): {EFFECT}{refused}",
            json_path=f"{doc.path}.data.mapRoles",
            file=doc.file,
        )
        return
    arns = [m.arn.value.strip().lower() for m in nodes if m.arn is not None] + (joining or [])
    for pattern in required:
        if not any(fnmatch.fnmatchcase(a, pattern.lower()) for a in arns):
            yield Violation(
                em.key_node.span,
                f"no node mapping for a role matching '{pattern}' (required-node-roles): those nodes cannot join",
                json_path=f"{doc.path}.data.mapRoles",
                file=doc.file,
            )
