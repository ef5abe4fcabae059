"""## What it does
Flags `system:nodes`, `system:bootstrappers` or `system:node-proxier` given to a mapping
whose username is not a node username (`system:node:{{EC2PrivateDNSName}}` or
`system:node:{{SessionName}}`).

## Why is this bad?
These groups are for kubelets: they carry the node bootstrap and node-proxier
permissions and, with a node-shaped name, the Node authorizer's. Given to a person or a
CI role they grant access nobody reviewed, and without a node username they do not
even make a working node.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ci
    username: ci
    groups: [system:nodes, deployers]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ci
    username: ci
    groups: [deployers]
```

## References
- [Kubernetes: Node authorization](https://kubernetes.io/docs/reference/access-authn-authz/node/)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation

from ._common import NODE_GROUPS, is_node_username

META = RuleMeta(
    code="AA303",
    name="node-groups-for-non-node",
    summary="Node groups are given to a mapping that is not a node",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("security",),
)


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for m in doc.mappings:
        name = m.username.value if m.username is not None else ""
        if is_node_username(name):
            continue
        for g in m.groups:
            if g.value in NODE_GROUPS:
                who = f"'{name}'" if name else "a mapping without username"
                yield Violation(
                    g.span,
                    f"{g.value} given to {who}, which is not a node username: node groups belong only to "
                    "system:node:{{EC2PrivateDNSName}} / system:node:{{SessionName}} mappings",
                    json_path=g.json_path,
                )
