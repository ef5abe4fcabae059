"""## What it does
Notes every association of `AmazonEKSAdminViewPolicy`.

## Why is this bad?
Despite "view" in its name, it grants `get`, `list` and `watch` on every resource of
every API group, **Secrets included**: service account tokens, registry credentials,
database passwords. `AmazonEKSViewPolicy`, the Kubernetes `view` equivalent, reads
everything except Secrets. Use it unless reading Secrets is the point, and then say so
by disabling this note on that line.

## Example
```yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: prod
  region: eu-west-1
accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/auditors
      accessPolicies:
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy
          accessScope:
            type: cluster
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
    - principalARN: arn:aws:iam::111122223333:role/auditors
      accessPolicies:
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy
          accessScope:
            type: cluster
```

## References
- [Amazon EKS: access policy permissions](https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html) (AmazonEKSAdminViewPolicy, AmazonEKSViewPolicy)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.accessentry import AccessEntry
from awsauth_lint.model import RuleMeta, Severity, Violation

from .ae303_unknown_access_policy import ADMIN_VIEW, policy_name

META = RuleMeta(
    code="AE304",
    name="admin-view-reads-secrets",
    summary="AmazonEKSAdminViewPolicy reads Secrets, despite 'view' in its name",
    default_severity=Severity.NOTE,
    scope="access",
    tags=("security",),
)


def check(entry: AccessEntry) -> Iterator[Violation]:
    for policy in entry.policies:
        if policy.arn is None or policy_name(policy.arn) != ADMIN_VIEW:
            continue
        yield Violation(
            policy.arn.span,
            f"{ADMIN_VIEW} reads Secrets: get, list and watch on every resource, Secrets included, despite 'view' "
            "in its name; use AmazonEKSViewPolicy unless reading Secrets is intended",
            json_path=policy.arn.json_path,
        )
