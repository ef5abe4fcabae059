"""## What it does
Flags every account listed in `mapAccounts`, and every eksctl `iamIdentityMappings`
item with an `account:` (eksctl writes it to `mapAccounts`). Each account is its own
finding, at the account's scalar, so a suppression or baseline entry covers exactly one
account.

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
from awsauth_lint.model import Located, RuleMeta, Severity, Violation
from awsauth_lint.nodes import NULL, Scalar

META = RuleMeta(
    code="AA302",
    name="map-accounts-used",
    summary="mapAccounts lets every principal of an account authenticate",
    default_severity=Severity.WARNING,
    scope="awsauth",
    tags=("security",),
)


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for account in [*doc.map_accounts, *_eksctl_accounts(doc)]:
        yield Violation(
            account.span,
            f"every IAM principal of account {account.value} authenticates (username = its ARN, no groups); "
            "map specific roles instead (mapAccounts cannot become an EKS access entry)",
            json_path=account.json_path,
        )


def _eksctl_accounts(doc: AwsAuthDoc) -> Iterator[Located[str]]:
    for m in doc.eksctl:
        for key, value in m.node.scalar_keys():
            if key.value.lower() == "account" and isinstance(value, Scalar) and value.value and value.tag != NULL:
                yield Located(value.value, value.span, f"{m.json_path}.{key.value}")
