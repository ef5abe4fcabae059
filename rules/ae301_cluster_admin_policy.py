"""## What it does
Flags `AmazonEKSClusterAdminPolicy` associated at cluster scope. The option `allow`
lists principal ARN globs (case-insensitive) that may have it, e.g. a reviewed
break-glass role; it works as AA301's option of the same name, and a glob written for
aws-auth (without the role's IAM path) matches the entry's ARN with its path too.

## Why is this bad?
At cluster scope this policy is the access-entry equivalent of `system:masters`: `*` on
every resource of every API group, plus every non-resource URL. It is granted by an EKS
authorizer, outside RBAC, so no binding can narrow it and `kubectl auth can-i --list`
does not show it. Grant a narrower policy (`AmazonEKSAdminPolicy`, `AmazonEKSEditPolicy`)
scoped to namespaces, or keep cluster admin to a few reviewed principals.

## Example
```yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: prod
  region: eu-west-1
accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/developers
      accessPolicies:
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy
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
    - principalARN: arn:aws:iam::111122223333:role/developers
      accessPolicies:
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy
          accessScope:
            type: namespace
            namespaces: ["team-*"]
```

## References
- [Amazon EKS: access policy permissions](https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html)
- [Amazon EKS best practices: identity and access management](https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html)
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from awsauth_lint.accessentry import AccessEntry
from awsauth_lint.arn import parse
from awsauth_lint.model import RuleMeta, Severity, Violation

from .ae303_unknown_access_policy import CLUSTER_ADMIN, policy_name

META = RuleMeta(
    code="AE301",
    name="cluster-admin-policy",
    summary="AmazonEKSClusterAdminPolicy at cluster scope: unrestricted cluster-admin outside RBAC",
    default_severity=Severity.WARNING,
    scope="access",
    tags=("security",),
    options_schema={
        "allow": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Principal ARN globs (case-insensitive) allowed to have AmazonEKSClusterAdminPolicy at "
            "cluster scope, e.g. a break-glass role (as AA301's `allow`).",
        }
    },
)


def allowed(entry: AccessEntry, globs: list[str]) -> bool:
    """The entry's principal matches a glob, with or without its IAM path."""
    if entry.principal is None or entry.principal.value is None or not globs:
        return False
    text = entry.principal.value.strip()
    arn = parse(text)
    candidates = {text.lower(), arn.without_path().lower()} if arn is not None else {text.lower()}
    return any(fnmatch.fnmatchcase(c, g.lower()) for c in candidates for g in globs)


def check(entry: AccessEntry, allow: list[str] | None = None) -> Iterator[Violation]:
    if allowed(entry, list(allow or ())):
        return
    for policy in entry.policies:
        if policy.arn is None or policy_name(policy.arn) != CLUSTER_ADMIN:
            continue
        if not any(s.type is not None and s.type.value == "cluster" for s in policy.scopes):
            continue
        yield Violation(
            policy.arn.span,
            f"{CLUSTER_ADMIN} at cluster scope: unrestricted cluster-admin (the system:masters equivalent) granted "
            "outside RBAC, so no binding can narrow or take it back; grant a narrower policy or a namespace scope, "
            "or allow this principal in the rule's `allow` option",
            json_path=policy.arn.json_path,
        )
