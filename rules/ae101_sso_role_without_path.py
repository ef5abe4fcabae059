"""## What it does
Flags an access entry for an IAM Identity Center role written the aws-auth way:
`role/AWSReservedSSO_<set>_<hex>`, without its reserved path
`aws-reserved/sso.amazonaws.com/[<region>/]`.

## Why is this bad?
aws-auth needs role ARNs *without* their IAM path; access entries need the opposite, the
role's real ARN with its path, because EKS resolves the ARN to the role's principal ID.
Identity Center roles always live under `aws-reserved/sso.amazonaws.com/`, so the
stripped ARN copied from aws-auth names no role, and EKS refuses the entry:
`The specified principalArn is invalid: invalid principal.` Look the path up with
`aws iam get-role --role-name AWSReservedSSO_...` (the `Path` it prints).

## Example
```yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: prod
  region: eu-west-1
accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/AWSReservedSSO_Developers_0a1b2c3d4e5f6a7b
      kubernetesGroups: [developers]
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
    - principalARN: arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Developers_0a1b2c3d4e5f6a7b
      kubernetesGroups: [developers]
```

## References
- [containers-roadmap#185](https://github.com/aws/containers-roadmap/issues/185) (enter the fully qualified role ARN, do not strip the path)
- [terraform-aws-eks#2969](https://github.com/terraform-aws-modules/terraform-aws-eks/issues/2969)
- [Amazon EKS: create access entries](https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.accessentry import AccessEntry
from awsauth_lint.arn import Arn
from awsauth_lint.model import RuleMeta, Severity, Violation

from .ae102_invalid_principal import INVALID, principal, sso_placeholder

META = RuleMeta(
    code="AE101",
    name="sso-role-without-path",
    summary="An IAM Identity Center role written without its aws-reserved/sso.amazonaws.com/ path",
    default_severity=Severity.ERROR,
    scope="access",
    tags=("correctness", "migration"),
)

SSO_ROLE = "awsreservedsso_"


def check(entry: AccessEntry) -> Iterator[Violation]:
    if entry.principal is not None and entry.principal.value is not None and sso_placeholder(entry.principal.value):
        yield Violation(
            entry.principal.span,
            "IAM Identity Center role whose path still has the placeholder '<region>': write the region of the "
            "Identity Center instance (the path `aws iam get-role` prints; some roles have no region in it), "
            f"or export with --sso-region; {INVALID}",
            json_path=entry.principal.json_path,
        )
        return
    arn = principal(entry.principal)
    if entry.principal is None or not isinstance(arn, Arn):
        return
    if arn.service != "iam" or arn.type != "role" or not arn.name.lower().startswith(SSO_ROLE) or arn.sso:
        return
    where = f"path '{arn.path}/'" if arn.path else "no path"
    if entry.principal.value is not None:
        fixed = f"arn:{arn.partition}:iam::{arn.account}:role/aws-reserved/sso.amazonaws.com/<region>/{arn.name}"
    else:  # a pattern: the stand-ins of its unknown parts are no names to print
        fixed = f"role/aws-reserved/sso.amazonaws.com/<region>/{(entry.principal.pattern or '').rsplit('/', 1)[-1]}"
    yield Violation(
        entry.principal.span,
        f"IAM Identity Center role with {where}: access entries need the role's real ARN, with "
        f"'aws-reserved/sso.amazonaws.com/[<region>/]' (the aws-auth form without it names no role); {INVALID}; "
        f"write {fixed} (the path `aws iam get-role` prints)",
        json_path=entry.principal.json_path,
    )
