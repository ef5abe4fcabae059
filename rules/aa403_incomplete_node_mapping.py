"""## What it does
Flags a node mapping with the wrong groups: an EC2 node
(`system:node:{{EC2PrivateDNSName}}`) or hybrid/Fargate node
(`system:node:{{SessionName}}`) without `system:bootstrappers` and `system:nodes`; a
Fargate pod execution role without `system:node-proxier`; or groups of one node type
with the username of another (`system:node-proxier` or `eks:kube-proxy-windows` with
the wrong template).

## Why is this bad?
Each node type needs exactly the groups EKS documents: without `system:bootstrappers`
a node cannot get its certificate, without `system:nodes` it cannot act as a node,
Fargate needs `system:node-proxier` for kube-proxy, Windows nodes
`eks:kube-proxy-windows`. A mapping that mixes them half-works: nodes join and then
fail in ways that are hard to trace back to aws-auth.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/eks-node-group
    username: system:node:{{EC2PrivateDNSName}}
    groups: [system:nodes]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/eks-node-group
    username: system:node:{{EC2PrivateDNSName}}
    groups: [system:bootstrappers, system:nodes]
```

## References
- [Amazon EKS: aws-auth ConfigMap](https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc, Mapping
from awsauth_lint.model import RuleMeta, Severity, Span, Violation

from ._common import EC2_NODE_USERNAME, WINDOWS_GROUP, node_kind

META = RuleMeta(
    code="AA403",
    name="incomplete-node-mapping",
    summary="A node mapping has the wrong groups for its node type",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("availability",),
)


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for m in doc.map_roles:
        role = m.arn.value.rsplit("/", 1)[-1] if m.arn is not None else ""
        kind = node_kind(m.username.value if m.username else None, m.group_names, role)
        if kind is None:
            continue
        for problem, span in _problems(m, kind):
            yield Violation(span, problem, json_path=f"{m.json_path}.groups")


def _problems(m: Mapping, kind: str) -> Iterator[tuple[str, Span]]:
    groups = set(m.group_names)
    anchor = m.groups_node.span if m.groups_node is not None else (m.username.span if m.username else m.node.span)
    missing = [g for g in ("system:bootstrappers", "system:nodes") if g not in groups]
    if kind == "fargate" and "system:node-proxier" not in groups:
        missing.append("system:node-proxier")
    if missing:
        label = {"ec2-linux": "EC2 node", "ec2-windows": "Windows node", "fargate": "Fargate", "hybrid": "hybrid node"}[kind]
        yield f"{label} mapping lacks {', '.join(missing)}: those nodes cannot join or work", anchor
    by_name = {g.value: g.span for g in m.groups}
    ec2 = m.username is not None and m.username.value == EC2_NODE_USERNAME
    if ec2 and "system:node-proxier" in groups:
        yield "system:node-proxier is a Fargate group, but this is an EC2 node mapping ({{EC2PrivateDNSName}})", by_name["system:node-proxier"]
    if not ec2 and WINDOWS_GROUP in groups:
        yield f"{WINDOWS_GROUP} is for EC2 Windows nodes ({{{{EC2PrivateDNSName}}}}), not {{{{SessionName}}}} nodes", by_name[WINDOWS_GROUP]
