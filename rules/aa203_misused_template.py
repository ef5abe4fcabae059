"""## What it does
Flags a template used where it cannot work: `{{EC2PrivateDNSName}}` in `mapUsers` or in
a role whose username is not the node username `system:node:{{EC2PrivateDNSName}}`;
`{{SessionName}}` or `{{SessionNameRaw}}` in `mapUsers`.

## Why is this bad?
`{{EC2PrivateDNSName}}` is filled in by looking up the EC2 instance whose id is the
session name; for any caller that is not an EC2 instance the authenticator denies the
request. IAM users have no session, so `{{SessionName}}` renders empty and every user of
the mapping gets the same, half-empty name.

## Example
```yaml
mapUsers: |
  - userarn: arn:aws:iam::111122223333:user/alice
    username: alice-{{SessionName}}
    groups: [developers]
```

## Use instead
```yaml
mapUsers: |
  - userarn: arn:aws:iam::111122223333:user/alice
    username: alice
    groups: [developers]
```

## References
- aws-iam-authenticator `pkg/server/server.go` (`renderTemplate`)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc, Mapping
from awsauth_lint.model import RuleMeta, Severity, Violation
from awsauth_lint.nodes import Node, Scalar, Seq

from ._common import EC2_NODE_USERNAME, span_in_scalar

META = RuleMeta(
    code="AA203",
    name="misused-template",
    summary="A template is used where it cannot render (EC2 name outside nodes, session name for users)",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
)


def _is_user(m: Mapping) -> bool:
    return m.section == "mapUsers" or (m.section == "eksctl" and m.arn is not None and ":user/" in m.arn.value)


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for m in doc.mappings:
        user = _is_user(m)
        nodes: list[tuple[Node | None, str]] = [(m.username_node, f"{m.json_path}.username")]
        if isinstance(m.groups_node, Seq):
            nodes += [(g, f"{m.json_path}.groups[{k}]") for k, g in enumerate(m.groups_node.items)]
        node_user = m.username is not None and m.username.value == EC2_NODE_USERNAME
        for node, path in nodes:
            if not isinstance(node, Scalar):
                continue
            for token, why in _misuses(node.value, user, node_user):
                offset = node.value.index(token)
                yield Violation(span_in_scalar(node, offset, len(token), node.span), why, json_path=path)


def _misuses(text: str, user: bool, node_user: bool) -> Iterator[tuple[str, str]]:
    if "{{EC2PrivateDNSName}}" in text and (user or not node_user):
        who = "an IAM user" if user else "a role that is not mapped as 'system:node:{{EC2PrivateDNSName}}'"
        yield (
            "{{EC2PrivateDNSName}}",
            f"{{{{EC2PrivateDNSName}}}} for {who}: it renders only for EC2 instance sessions and denies every other caller",
        )
    if user:
        for token in ("{{SessionNameRaw}}", "{{SessionName}}"):
            if token in text:
                yield token, f"{token} for an IAM user: users have no session, so it renders empty"
                break
