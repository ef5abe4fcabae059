"""## What it does
Flags an access policy ARN that is not of the form
`arn:<partition>:eks::aws:cluster-access-policy/<Name>`: an IAM managed policy of the
same name (`arn:aws:iam::aws:policy/AmazonEKSViewPolicy`), a bare name, a wrong service,
region, account or partition. Also flags the policies EKS reserves for its service-linked
roles (`AmazonEKSComputePolicy`, `AmazonEKSBlockStoragePolicy`, `AmazonEKSHybridPolicy`,
...) on an entry you declare.

## Why is this bad?
Access policies are not IAM policies. The service is `eks`, the region is empty and the
account is the literal `aws`; IAM managed policies with the same names exist for the
Auto Mode cluster role, and pasting one of those is a common slip. eksctl refuses it
(`accessEntries[i].policyARN must be a cluster-access-policy resource`), EKS refuses the
association, and the principal is left without the access it was meant to have. The
service-linked-role policies are "designated for AWS service-linked roles only and cannot
be used with customer-managed roles".

A value unknown at lint time (`!Ref`, `!GetAtt`) is skipped; a `!Sub` is checked in the
parts it spells out (`arn:${AWS::Partition}:eks::aws:cluster-access-policy/...` is fine).

## Example
```yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: prod
  region: eu-west-1
accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/viewers
      accessPolicies:
        - policyARN: arn:aws:iam::aws:policy/AmazonEKSViewPolicy
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
    - principalARN: arn:aws:iam::111122223333:role/viewers
      accessPolicies:
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy
          accessScope:
            type: cluster
```

## References
- [Amazon EKS: access policy permissions](https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html)
- [Amazon EKS: Auto Mode cluster IAM role](https://docs.aws.amazon.com/eks/latest/userguide/auto-learn-iam.html)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from awsauth_lint.accessentry import AccessEntry
from awsauth_lint.arn import PARTITIONS
from awsauth_lint.model import RuleMeta, Severity, Violation

from .ae303_unknown_access_policy import SLR_ONLY, policy_name

META = RuleMeta(
    code="AE302",
    name="invalid-access-policy",
    summary="A policy ARN that is not an EKS access policy, or one reserved for service-linked roles",
    default_severity=Severity.ERROR,
    scope="access",
    tags=("correctness",),
)

FORM = "arn:<partition>:eks::aws:cluster-access-policy/<Name>"
_BARE_NAME = re.compile(r"Amazon[A-Za-z0-9]+Policy")
_NAME = re.compile(r"[A-Za-z0-9_+=,.@-]+")


def _fits(part: str, ok: bool) -> bool:
    """A part matches when it is right, or unknown at lint time (a pattern's `*`)."""
    return ok or "*" in part


def problem(text: str, pattern: bool) -> str | None:
    """Why `text` (a value, or a pattern with `*` for unknown parts) is not an access policy ARN."""
    if not pattern and _BARE_NAME.fullmatch(text):
        return f"'{text}' is a bare policy name; write the ARN: arn:aws:eks::aws:cluster-access-policy/{text}"
    parts = text.split(":", 5)
    if len(parts) != 6:
        return None if pattern else f"'{text}' is not an access policy ARN ({FORM})"
    prefix, partition, service, region, account, resource = parts
    if service == "iam" and resource.startswith("policy/"):
        name = resource.rsplit("/", 1)[-1]
        shown = "<partition>" if "*" in partition else partition
        return (
            f"'{text}' is an IAM policy, not an EKS access policy; access policies are "
            f"arn:{shown}:eks::aws:cluster-access-policy/{name}"
        )
    rtype, slash, name = resource.partition("/")
    checks = (
        (prefix, prefix == "arn", f"is not an ARN ({FORM})"),
        (partition, partition in PARTITIONS, f"has unknown partition '{partition}' (known: {', '.join(PARTITIONS)})"),
        (service, service == "eks", f"has service '{service}', not 'eks' ({FORM})"),
        (region, region == "", f"has region '{region}'; access policy ARNs have none ({FORM})"),
        (account, account == "aws", f"has account '{account}', not the literal 'aws' ({FORM})"),
        (rtype, rtype == "cluster-access-policy" and bool(slash), f"is not a cluster-access-policy resource ({FORM})"),
        (name, bool(_NAME.fullmatch(name)), f"has no valid policy name after 'cluster-access-policy/' ({FORM})"),
    )
    for part, ok, why in checks:
        if not (_fits(part, ok) if pattern else ok):
            return f"policy ARN '{text}' {why}"
    return None


def check(entry: AccessEntry) -> Iterator[Violation]:
    for policy in entry.policies:
        arn = policy.arn
        if arn is None:
            continue
        text = arn.value if arn.value is not None else arn.pattern
        if text is None:
            continue
        why = problem(text, pattern=arn.value is None)
        if why is not None:
            refusal = (
                "eksctl refuses it: 'accessEntries[i].policyARN must be a cluster-access-policy resource'"
                if entry.format == "eksctl"
                else "EKS refuses to associate it"
            )
            yield Violation(arn.span, f"{why}; {refusal}", json_path=arn.json_path)
            continue
        name = policy_name(arn)
        if name in SLR_ONLY:
            yield Violation(
                arn.span,
                f"{name} is designated for AWS service-linked roles only and cannot be used with customer-managed "
                "roles: EKS attaches it to its own service-linked roles; remove it from this entry",
                json_path=arn.json_path,
            )
