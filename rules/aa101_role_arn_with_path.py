"""## What it does
Flags a role ARN that contains an IAM path, such as `role/team/dev/deployer`, including
IAM Identity Center roles copied with their `aws-reserved/sso.amazonaws.com/[region/]`
path.

## Why is this bad?
The authenticator canonicalises the caller's `assumed-role/NAME/SESSION` ARN to
`role/NAME` *without* the path, then compares. A mapping written with the path never
matches, so the principal gets `Unauthorized` (an open upstream bug,
aws-iam-authenticator#268). Identity Center roles always live under the reserved path,
so their mapping must use the bare `role/AWSReservedSSO_<set>_<hex>` name. The fix
removes the path. It is unsafe (`--unsafe-fixes`): the mapping that matches nobody today
starts to let the role in, with whatever groups it names (`system:masters` included).

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/team/dev/deployer
    username: deployer
    groups: [deployers]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/deployer
    username: deployer
    groups: [deployers]
```

## References
- [aws-iam-authenticator#268](https://github.com/kubernetes-sigs/aws-iam-authenticator/issues/268)
- [Amazon EKS: IAM Identity Center roles in aws-auth](https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.arn import parse
from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation

from ._common import replace_scalar_fix

META = RuleMeta(
    code="AA101",
    name="role-arn-with-path",
    summary="A role ARN includes an IAM path, which the authenticator never matches",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
    fixable="unsafe",
)


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for m in doc.mappings:
        arn = parse(m.arn.value) if m.arn is not None else None
        if m.arn is None or arn is None or arn.service != "iam" or arn.type != "role" or not arn.path:
            continue
        fixed = arn.without_path()
        if arn.sso:
            why = (
                f"IAM Identity Center role mapped with its reserved path '{arn.path}/': "
                "callers are seen as the bare role, so this never matches"
            )
        else:
            why = f"role ARN has IAM path '{arn.path}/': callers are seen without it, so this never matches"
        yield Violation(
            m.arn.span,
            f"{why}; map '{fixed}' instead",
            json_path=m.arn.json_path,
            fix=replace_scalar_fix(m.arn_node, fixed, f"remove the path: {fixed}", safe=False),  # a dead mapping goes live
        )
