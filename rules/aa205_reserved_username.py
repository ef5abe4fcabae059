"""## What it does
Flags a username that starts with `system:`, `eks:`, `aws:`, `amazon:` or `iam:` and is
not one of the node usernames (`system:node:{{EC2PrivateDNSName}}`,
`system:node:{{SessionName}}`).

## Why is this bad?
Kubernetes and EKS give these prefixes meaning: `system:` names are treated as
components by authorizers and admission plugins, and EKS access entries, the successor
of aws-auth, refuse usernames with any of these prefixes, so the mapping cannot be
migrated as it is.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ci
    username: system:ci-deployer
    groups: [deployers]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ci
    username: ci-deployer
    groups: [deployers]
```

## References
- [Amazon EKS access entries](https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation

from ._common import RESERVED_PREFIXES, is_node_username

META = RuleMeta(
    code="AA205",
    name="reserved-username",
    summary="A username uses a reserved prefix (system:, eks:, aws:, amazon:, iam:)",
    default_severity=Severity.WARNING,
    scope="awsauth",
    tags=("correctness",),
)


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for m in doc.mappings:
        if m.username is None or is_node_username(m.username.value):
            continue
        prefix = next((p for p in RESERVED_PREFIXES if m.username.value.startswith(p)), None)
        if prefix is None:
            continue
        yield Violation(
            m.username.span,
            f"username '{m.username.value}' uses the reserved prefix '{prefix}': Kubernetes treats such names "
            "specially and EKS access entries refuse them",
            json_path=m.username.json_path,
        )
