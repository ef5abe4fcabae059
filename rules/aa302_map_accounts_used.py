"""## What it does
Flags every account listed in `mapAccounts`.

## Why is this bad?
`mapAccounts` lets every IAM principal of the account authenticate, with its ARN as
the username and no groups: any role or user anyone creates in that account can reach
the API server. It cannot be migrated to EKS access entries. Map the roles that need
access instead.

## Example
```yaml
mapAccounts: |
  - "111122223333"
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops:{{SessionName}}
    groups: [ops]
```

## References
- aws-iam-authenticator `pkg/mapper/configmap/configmap.go` (`mapAccounts`)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation

META = RuleMeta(
    code="AA302",
    name="map-accounts-used",
    summary="mapAccounts lets every principal of an account authenticate",
    default_severity=Severity.WARNING,
    scope="awsauth",
    tags=("security",),
)


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for account in doc.map_accounts:
        yield Violation(
            account.span,
            f"every IAM principal of account {account.value} authenticates (username = its ARN, no groups); "
            "map specific roles instead (mapAccounts cannot become an EKS access entry)",
            json_path=account.json_path,
        )
