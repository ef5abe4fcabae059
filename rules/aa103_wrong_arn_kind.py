"""## What it does
Flags a mapped ARN of the wrong kind: an instance profile, an STS `assumed-role`
session, the account root or an EKS resource (such as a Fargate profile) under
`mapRoles`; an instance profile, session or EKS ARN under `mapUsers` (errors: they
never match as intended). A user ARN under `mapRoles`, or a role ARN under `mapUsers`,
is a warning: the authenticator looks both stores up with the same ARN, so it works,
but it misleads the next reader.

## Why is this bad?
The caller's identity reaches the authenticator as an IAM role or user ARN. An instance
profile ARN, an `assumed-role/.../SESSION` ARN or a Fargate profile ARN is never what a
caller presents, so the mapping is dead and the nodes or people behind it are denied.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:instance-profile/eks-nodes
    username: system:node:{{EC2PrivateDNSName}}
    groups: [system:bootstrappers, system:nodes]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/eks-nodes
    username: system:node:{{EC2PrivateDNSName}}
    groups: [system:bootstrappers, system:nodes]
```

## References
- aws-iam-authenticator `pkg/arn/arn.go` (`Canonicalize`)
- [Amazon EKS: aws-auth ConfigMap](https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.arn import Arn, parse
from awsauth_lint.awsauth import AwsAuthDoc, Mapping
from awsauth_lint.model import RuleMeta, Severity, Violation

META = RuleMeta(
    code="AA103",
    name="wrong-arn-kind",
    summary="A mapped ARN is of a kind that never matches (or matches misleadingly)",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
)


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for m in doc.mappings:
        arn = parse(m.arn.value) if m.arn is not None else None
        if m.arn is None or arn is None:
            continue
        verdict = _verdict(m, arn)
        if verdict is not None:
            message, severity = verdict
            yield Violation(m.arn.span, message, json_path=m.arn.json_path, severity=severity)


def _verdict(m: Mapping, arn: Arn) -> tuple[str, Severity] | None:
    if arn.service == "sts" and arn.type == "assumed-role":
        role = f"arn:{arn.partition}:iam::{arn.account}:role/{arn.path.split('/')[0]}"
        return f"an STS session ARN never matches: callers are canonicalised to the role; map '{role}'", Severity.ERROR
    if arn.type == "instance-profile":
        return "an instance-profile ARN never matches: map the IAM role inside the profile", Severity.ERROR
    if arn.service == "eks":
        return (
            f"an EKS {arn.type or 'resource'} ARN is not an IAM principal and never matches; "
            "map the role it uses (e.g. the Fargate pod execution role)",
            Severity.ERROR,
        )
    if arn.service not in ("iam", "sts"):
        return f"a '{arn.service}' ARN is not an IAM principal and never matches", Severity.ERROR
    if arn.type == "root" and m.section == "mapRoles":
        return "the account root is not a role; map it under mapUsers if it is really meant", Severity.ERROR
    if arn.type == "user" and m.section == "mapRoles":
        return "a user ARN under mapRoles: it matches, but belongs under mapUsers (userarn)", Severity.WARNING
    if arn.type == "role" and m.section == "mapUsers":
        return "a role ARN under mapUsers: it matches, but belongs under mapRoles (rolearn)", Severity.WARNING
    if arn.type not in ("role", "user", "root", "federated-user"):
        return f"'{arn.type}' is not an IAM role or user, so it never matches", Severity.ERROR
    return None
