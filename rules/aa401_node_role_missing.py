"""## What it does
Flags an aws-auth ConfigMap (or a data-only patch that sets `mapRoles`) with no node
mapping: no entry whose username is `system:node:{{EC2PrivateDNSName}}` (EC2 Linux and
Windows nodes) or `system:node:{{SessionName}}` (Fargate and hybrid nodes). A full
ConfigMap with no `mapRoles` at all is flagged too: applying it replaces the whole
`data`. The option `required-node-roles` lists node role ARN globs that must each be
mapped as a node.

## Why is this bad?
Nodes authenticate through these mappings. Replacing aws-auth without them (typically
to add one user) makes every node fail to join or go `NotReady`, and Fargate pods stop
scheduling. Clusters whose nodes join through EKS access entries can switch the rule
off for their files with `per-file-ignores`.

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
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation
from awsauth_lint.nodes import Scalar

from ._common import is_node_username

META = RuleMeta(
    code="AA401",
    name="node-role-missing",
    summary="aws-auth has no node role mapping, so nodes cannot join",
    default_severity=Severity.ERROR,
    scope="awsauth",
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


def check(doc: AwsAuthDoc, required_node_roles: list[str] | None = None) -> Iterator[Violation]:
    if doc.kind == "eksctl":
        return
    em = doc.maps.get("mapRoles")
    if em is None:
        if doc.kind == "configmap" and doc.data is not None:
            key = next((k for k, _ in doc.root.scalar_keys() if k.value == "data"), None)
            if key is not None:
                yield Violation(key.span, f"aws-auth has no mapRoles and so no node mapping: {EFFECT}", json_path=f"{doc.path}.data")
        return
    if em.error is not None or not isinstance(em.value, Scalar) or (em.root is None and em.value.value.strip()):
        return  # AA001 / AA002 report why the map is unusable
    nodes = [m for m in doc.map_roles if m.username is not None and is_node_username(m.username.value)]
    if not nodes:
        yield Violation(em.key_node.span, f"mapRoles has no node mapping (system:node:...): {EFFECT}", json_path=f"{doc.path}.data.mapRoles")
        return
    arns = [m.arn.value.strip().lower() for m in nodes if m.arn is not None]
    for pattern in required_node_roles or ():
        if not any(fnmatch.fnmatchcase(a, pattern.lower()) for a in arns):
            yield Violation(
                em.key_node.span,
                f"no node mapping for a role matching '{pattern}' (required-node-roles): those nodes cannot join",
                json_path=f"{doc.path}.data.mapRoles",
            )
