"""## What it does
Flags a username that starts with `system:`, `eks:`, `aws:`, `amazon:` or `iam:` and is
not one of the node usernames (`system:node:{{EC2PrivateDNSName}}`,
`system:node:{{SessionName}}`).

## Why is this bad?
Kubernetes reserves `system:` names for its own components (authorizers and admission
plugins treat them as such), and EKS access entries, the successor of aws-auth, refuse
usernames with any of these prefixes, so the mapping cannot be migrated as it is. A
hard-coded node name (`system:node:ip-10-0-1-23...`) or a misspelt template
(`system:node:{{EC2PrivateDnsName}}`) is not a node username and is reported too.

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
        why = "Kubernetes reserves 'system:' names for its own components; " if prefix == "system:" else ""
        yield Violation(
            m.username.span,
            f"username '{m.username.value}' uses the reserved prefix '{prefix}': {why}EKS access entries refuse "
            "usernames starting with system:, eks:, aws:, amazon: or iam:, so this mapping cannot be migrated as it is",
            json_path=m.username.json_path,
        )
