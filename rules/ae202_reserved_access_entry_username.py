"""## What it does
Flags an access entry username that starts with `system:`, `eks:`, `aws:`, `amazon:` or
`iam:`.

## Why is this bad?
EKS refuses these prefixes in access entry usernames, and the entry with them
(`The username must not begin with system:`). aws-auth accepted them, so a username
copied from an aws-auth row (`system:node:...` for a node role, `eks:...`) fails at
apply time. Node roles need no username at all: give the entry a node type
(`EC2_LINUX`, ...) and EKS sets `system:node:...` itself. For people and tools, a
username of your own, with `{{SessionName}}` after a colon, keeps audit logs readable.

## Example
```yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: prod
  region: eu-west-1
accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/ci
      kubernetesUsername: system:ci-deployer
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
    - principalARN: arn:aws:iam::111122223333:role/ci
      kubernetesUsername: "ci-deployer:{{SessionName}}"
      kubernetesGroups: [deployers]
```

## References
- [Amazon EKS: set a custom username](https://docs.aws.amazon.com/eks/latest/userguide/set-custom-username.html)
- [aws-ia/terraform-aws-eks-blueprints#1920](https://github.com/aws-ia/terraform-aws-eks-blueprints/pull/1920) (the EKS error)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.accessentry import NODE_TYPES, AccessEntry
from awsauth_lint.model import RuleMeta, Severity, Violation

from ._common import NODE_USERNAMES, RESERVED_PREFIXES

META = RuleMeta(
    code="AE202",
    name="reserved-access-entry-username",
    summary="An access entry username starts with system:, eks:, aws:, amazon: or iam:, which EKS refuses",
    default_severity=Severity.ERROR,
    scope="access",
    tags=("correctness", "migration"),
)


def check(entry: AccessEntry) -> Iterator[Violation]:
    u = entry.username
    if u is None or entry.type_value in NODE_TYPES:
        return  # a username on a node type is refused whatever it is: AE002
    name = u.value if u.value is not None else u.pattern
    prefix = next((p for p in RESERVED_PREFIXES if name is not None and name.startswith(p)), None)
    if name is None or prefix is None:
        return
    refusal = (
        "EKS refuses it: 'The username must not begin with system:'"
        if prefix == "system:"
        else f"EKS refuses it (usernames must not begin with {', '.join(RESERVED_PREFIXES)})"
    )
    hint = (
        "for a node role, give the entry a node type (EC2_LINUX, FARGATE_LINUX, ...) and no username"
        if name in NODE_USERNAMES
        else "choose a name without the prefix"
    )
    yield Violation(u.span, f"username '{name}' starts with the reserved prefix '{prefix}': {refusal}; {hint}", json_path=u.json_path)
