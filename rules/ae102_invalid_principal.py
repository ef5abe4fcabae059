"""## What it does
Flags an access entry whose principal is not an IAM role or user ARN: a malformed ARN
(placeholder, whitespace, unknown partition, account not 12 digits), an STS session
(`sts ... assumed-role`), an instance profile, the account root, an IAM group or any
other resource; a service-linked role (`role/aws-service-role/...`); an IAM user on a
node type (`EC2_LINUX`, `EC2_WINDOWS`, `FARGATE_LINUX`, `HYBRID_LINUX`, `HYPERPOD_LINUX`,
`EC2`), which accept roles only.

## Why is this bad?
An access entry names exactly one IAM principal, which must exist: EKS stores its
principal ID. Anything else is refused when the entry is created
(`The specified principalArn is invalid: invalid principal.`); an STS session is "a
temporary principal for each session", and the role it belongs to is what to name.
Service-linked roles are managed by AWS (`The caller is not allowed to modify access
entries with a principalArn value of a Service Linked Role`).

A principal unknown at lint time (`!Ref`, `!GetAtt`, a Crossplane reference) is skipped;
a `!Sub` is checked in the parts it spells out.

## Example
```yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: prod
  region: eu-west-1
accessConfig:
  accessEntries:
    - principalARN: arn:aws:sts::111122223333:assumed-role/deployer/ci-run-42
      kubernetesGroups: [deployers]
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
    - principalARN: arn:aws:iam::111122223333:role/deployer
      kubernetesGroups: [deployers]
```

## References
- [Amazon EKS: create access entries](https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html)
- [EKS API: CreateAccessEntry](https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html)
- [terraform-provider-aws#36447](https://github.com/hashicorp/terraform-provider-aws/issues/36447) (service-linked roles)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from awsauth_lint.accessentry import NODE_TYPES, AccessEntry, Text
from awsauth_lint.arn import Arn, ArnError, analyse
from awsauth_lint.model import RuleMeta, Severity, Violation

META = RuleMeta(
    code="AE102",
    name="invalid-principal",
    summary="An access entry's principal is not an IAM role or user that EKS accepts",
    default_severity=Severity.ERROR,
    scope="access",
    tags=("correctness",),
)

INVALID = "EKS refuses it: 'The specified principalArn is invalid: invalid principal.'"
SLR = "EKS refuses it: 'The caller is not allowed to modify access entries with a principalArn value of a Service Linked Role'"
ROLE_ONLY_TYPES = (*NODE_TYPES, "EC2")


SSO_PLACEHOLDER = re.compile(r"^arn:[a-z-]+:iam::\d{12}:role/aws-reserved/sso\.amazonaws\.com/<region>/AWSReservedSSO_[^/<>]+$", re.I)


def sso_placeholder(value: str) -> bool:
    """`role/aws-reserved/sso.amazonaws.com/<region>/AWSReservedSSO_...`: what `export
    access-entries` writes for an Identity Center role when the region is not known."""
    return SSO_PLACEHOLDER.match(value) is not None


def principal(text: Text | None) -> Arn | ArnError | None:
    """The parts of a principal ARN, or why it is not one; None when unknown at lint time.

    A pattern (a `!Sub` with `*` for each unknown part) is analysed with a neutral stand-in
    for each unknown part, so only what it spells out can be wrong; None when an unknown
    part hides the service or the resource type.
    """
    if text is None:
        return None
    if text.value is not None:
        return analyse(text.value)
    if text.pattern is None:
        return None
    parts = text.pattern.split(":", 5)
    if len(parts) != 6:
        return None
    prefix, partition, service, region, account, resource = parts
    if "*" in prefix or "*" in service or "*" in resource.split("/", 1)[0]:
        return None
    stand_in = [
        prefix,
        "aws" if "*" in partition else partition,
        service,
        "" if "*" in region else region,
        "000000000000" if "*" in account else account,
        resource.replace("*", "x"),
    ]
    return analyse(":".join(stand_in))


def verdict(entry: AccessEntry, arn: Arn | ArnError, text: str, pattern: bool = False) -> str | None:
    """What is wrong with an entry's principal (`text`; a pattern: `*` stands for unknown parts), or None."""
    if isinstance(arn, ArnError):
        wildcard = not pattern and ("*" in text or "?" in text)
        reason = "contains a wildcard: an access entry names exactly one principal" if wildcard else arn.reason
        return f"principal ARN '{text}' {reason}; {INVALID}"
    iam = f"arn:{arn.partition}:iam::{arn.account}"
    if arn.service == "sts" and arn.type == "assumed-role":
        role = arn.path or arn.name
        return (
            f"an STS session ARN is not an IAM role or user (a session is a temporary principal for each session); "
            f"{INVALID}; name the role, with its IAM path: {iam}:role/[PATH/]{role}"
        )
    if arn.service != "iam":
        what = f"'{arn.service}:{arn.type}'" if arn.type else f"'{arn.service}'"
        return f"a {what} ARN is not an IAM role or user; {INVALID}"
    if arn.type == "instance-profile":
        return f"an instance-profile ARN is not an IAM role or user; {INVALID}; name the role inside the profile"
    if arn.type == "root":
        return f"the account root is not an IAM role or user; {INVALID}; name a role"
    if arn.type not in ("role", "user"):
        return f"an IAM {arn.type} is not an IAM role or user; {INVALID}"
    if arn.type == "role" and (arn.path + "/").lower().startswith("aws-service-role/"):
        return f"a service-linked role: AWS manages its access itself; {SLR}"
    if arn.type == "user" and entry.type_value in ROLE_ONLY_TYPES:
        return f"an IAM user on an entry of type {entry.type_value}: node types accept IAM roles only; name the node role"
    return None


def check(entry: AccessEntry) -> Iterator[Violation]:
    text = entry.principal
    arn = principal(text)
    if text is None or arn is None or (text.value is not None and sso_placeholder(text.value)):
        return  # the region left open in an IAM Identity Center path: AE101 says what to write
    message = verdict(entry, arn, text.value or text.pattern or "", pattern=text.value is None)
    if message is not None:
        yield Violation(text.span, message, json_path=text.json_path)
