"""## What it does
Flags a well-formed access policy ARN (`arn:<partition>:eks::aws:cluster-access-policy/<Name>`)
whose name is not one of the EKS access policies known to this linter. A name that
differs from a known one only in case, or by a slip, gets a "did you mean".

## Why is this bad?
Access policies are defined by AWS; you cannot create your own. A name EKS does not know
fails when the policy is associated, and the principal is left with whatever else the
entry grants, often nothing but the discovery roles. The list here is dated (see
`KNOWN_AS_OF` in the rule module); AWS adds policies over time, so a newer real name may
be reported: check it on the access policy page and disable the finding for that line.

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
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSReadOnlyPolicy
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
- [Amazon EKS Capabilities: security](https://docs.aws.amazon.com/eks/latest/userguide/capabilities-security.html)
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from awsauth_lint.accessentry import AccessEntry, Text
from awsauth_lint.arn import PARTITIONS
from awsauth_lint.model import RuleMeta, Severity, Violation

META = RuleMeta(
    code="AE303",
    name="unknown-access-policy",
    summary="An access policy name that is not one of the known EKS access policies",
    default_severity=Severity.WARNING,
    scope="access",
    tags=("correctness",),
)

# The EKS access policies, as the user guide's access policy page lists them (revision with
# the 2025-11-06 changelog row, plus the two names its sample output starts with) and the
# EKS Capabilities security page. AWS adds policies: extend this list, and move the date.
KNOWN_AS_OF = "2025-11-06"
KNOWN = frozenset(
    {
        "AmazonEKSClusterAdminPolicy",
        "AmazonEKSAdminPolicy",
        "AmazonEKSEditPolicy",
        "AmazonEKSViewPolicy",
        "AmazonEKSAdminViewPolicy",  # added 2024-04-23; reads Secrets (AE304)
        "AmazonEKSSecretReaderPolicy",  # added 2025-11-06
        "AmazonEKSAutoNodePolicy",  # EC2 entries of Auto Mode custom NodeClass roles
        "AmazonEKSComputePolicy",
        "AmazonEKSBlockStoragePolicy",
        "AmazonEKSComputeClusterPolicy",
        "AmazonEKSBlockStorageClusterPolicy",
        "AmazonEKSHybridPolicy",
        "AmazonEKSClusterInsightsPolicy",
        "AmazonEKSLoadBalancingPolicy",
        "AmazonEKSNetworkingPolicy",
        "AmazonEKSLoadBalancingClusterPolicy",
        "AmazonEKSNetworkingClusterPolicy",
        "AmazonEKSACKPolicy",  # EKS Capabilities
        "AmazonEKSKROPolicy",
        "AmazonEKSArgoCDClusterPolicy",
        "AmazonEKSArgoCDPolicy",
        "AmazonAIOpsAssistantPolicy",
        "AmazonARCRegionSwitchScalingPolicy",
    }
)
# "designated for AWS service-linked roles only and cannot be used with customer-managed roles" (AE302).
SLR_ONLY = frozenset(
    {
        "AmazonEKSComputePolicy",
        "AmazonEKSBlockStoragePolicy",
        "AmazonEKSComputeClusterPolicy",
        "AmazonEKSBlockStorageClusterPolicy",
        "AmazonEKSHybridPolicy",
        "AmazonEKSClusterInsightsPolicy",
    }
)
CLUSTER_ADMIN = "AmazonEKSClusterAdminPolicy"
AUTO_NODE = "AmazonEKSAutoNodePolicy"
ADMIN_VIEW = "AmazonEKSAdminViewPolicy"

_FORM = re.compile(r"arn:(?P<partition>[^:]*):eks::aws:cluster-access-policy/(?P<name>[A-Za-z0-9_+=,.@-]+)")


def policy_name(arn: Text | None) -> str | None:
    """The name of a well-formed access policy ARN; None when it is unknown at lint time
    (or only a pattern whose name part is unknown) or not of the access-policy form."""
    if arn is None:
        return None
    text = arn.value if arn.value is not None else arn.pattern
    m = _FORM.fullmatch(text or "")
    if m is None or "*" in m.group("name"):
        return None
    partition = m.group("partition")
    if partition not in PARTITIONS and (arn.value is not None or "*" not in partition):
        return None
    return m.group("name")


def suggestion(name: str) -> str:
    """'; did you mean ...?' for a case slip or a near miss, else ''."""
    by_lower = {k.lower(): k for k in KNOWN}
    if name.lower() in by_lower:
        return f"; did you mean '{by_lower[name.lower()]}' (names are case-sensitive)?"
    close = difflib.get_close_matches(name, sorted(KNOWN), n=1, cutoff=0.9)
    return f"; did you mean '{close[0]}'?" if close else ""


def check(entry: AccessEntry) -> Iterator[Violation]:
    for policy in entry.policies:
        name = policy_name(policy.arn)
        if policy.arn is None or name is None or name in KNOWN:
            continue
        yield Violation(
            policy.arn.span,
            f"'{name}' is not an EKS access policy this linter knows (list as of {KNOWN_AS_OF}): EKS refuses "
            f"to associate a policy it does not define{suggestion(name)}",
            json_path=policy.arn.json_path,
        )
