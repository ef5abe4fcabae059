"""## What it does
Flags a mapped ARN of the wrong kind. Errors (it never matches as intended): an
instance profile, an STS `assumed-role` session, an EKS resource (such as a Fargate
profile) or any other non-principal ARN; the account `root` under `mapRoles`; in an
eksctl `iamIdentityMappings` entry, anything but a role or user (eksctl refuses it).
Warning (it matches, but misleads): a user ARN under `mapRoles`, or a role ARN under
`mapUsers`. eksctl's `arn` key takes both roles and users, so there the ARN decides.

## Why is this bad?
The caller's identity reaches the authenticator as an IAM role or user ARN. An instance
profile ARN, an `assumed-role/.../SESSION` ARN or a Fargate profile ARN is never what a
caller presents, so the mapping is dead and the nodes or people behind it are denied.
The authenticator looks a caller up in the role mappings, then in the user mappings,
with the same ARN, so a user under `mapRoles` still works; but the next reader (and
eksctl, which sorts mappings by ARN) sees it where it does not belong.

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

ERROR, WARNING = Severity.ERROR, Severity.WARNING

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
    iam = f"arn:{arn.partition}:iam::{arn.account}"
    if arn.service == "sts" and arn.type == "assumed-role":
        role = f"{iam}:role/{arn.path or arn.name}"
        return f"an STS session ARN never matches: callers are canonicalised to the role; map '{role}'", ERROR
    if arn.type == "instance-profile":
        return "an instance-profile ARN never matches: map the IAM role inside the profile", ERROR
    if arn.service == "eks":
        what = arn.type or "resource"
        return f"an EKS {what} ARN is not an IAM principal and never matches; map the role it uses (e.g. the Fargate pod execution role)", ERROR
    if arn.service not in ("iam", "sts"):
        return f"a '{arn.service}' ARN is not an IAM principal, so it never matches", ERROR
    if (arn.service, arn.type) not in (("iam", "role"), ("iam", "user"), ("iam", "root"), ("sts", "federated-user")):
        fixed = {"role": "iam", "user": "iam", "federated-user": "sts"}.get(arn.type)
        hint = f"; did you mean 'arn:{arn.partition}:{fixed}::{arn.account}:{arn.resource}'?" if fixed else ""
        return f"'{arn.service}:{arn.type}' is not a principal the authenticator knows, so it never matches{hint}", ERROR
    if m.section == "eksctl":
        if arn.type not in ("role", "user"):
            return f"eksctl maps only role and user ARNs and refuses a '{arn.type}' ARN ('arn is neither user nor role')", ERROR
        return None
    if arn.type == "root" and m.section == "mapRoles":
        return "the account root ARN is not a role: under mapRoles it maps only the root user, not the account", ERROR
    if arn.type in ("user", "federated-user") and m.section == "mapRoles":
        return f"a {arn.type} ARN under mapRoles: it matches, but belongs under mapUsers (userarn)", WARNING
    if arn.type == "role" and m.section == "mapUsers":
        return "a role ARN under mapUsers: it matches, but belongs under mapRoles (rolearn)", WARNING
    return None
