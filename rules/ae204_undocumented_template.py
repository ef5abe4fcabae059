"""## What it does
Flags a `{{...}}` in an access entry username other than `{{SessionName}}` and
`{{SessionNameRaw}}`: `{{AccountID}}`, `{{AccessKeyID}}`, `{{EC2PrivateDNSName}}`, or a
misspelt `{{sessionname}}`. A CloudFormation dynamic reference (`{{resolve:...}}`) is
CloudFormation's, replaced before EKS sees the value, and is not flagged.

## Why is this bad?
EKS documents only the two session-name templates for usernames you set. aws-auth
renders five, so a username copied from an aws-auth row may rely on one that access
entries do not document: it may be refused, or stay literally in the name, and every
RoleBinding that names the user then misses. Templates are case-sensitive.

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
      kubernetesUsername: "ci:{{AccountID}}:{{SessionName}}"
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
      kubernetesUsername: "ci:{{SessionName}}"
      kubernetesGroups: [deployers]
```

## References
- [Amazon EKS: set a custom username](https://docs.aws.amazon.com/eks/latest/userguide/set-custom-username.html)
- [containers-roadmap#2386](https://github.com/aws/containers-roadmap/issues/2386)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.accessentry import NODE_TYPES, AccessEntry
from awsauth_lint.model import RuleMeta, Severity, Violation

from ._common import templates_in

META = RuleMeta(
    code="AE204",
    name="undocumented-template",
    summary="An access entry username uses a template other than {{SessionName}}/{{SessionNameRaw}}",
    default_severity=Severity.WARNING,
    scope="access",
    tags=("correctness", "migration"),
)

DOCUMENTED = ("{{SessionName}}", "{{SessionNameRaw}}")


def check(entry: AccessEntry) -> Iterator[Violation]:
    u = entry.username
    if u is None or entry.type_value in NODE_TYPES:
        return  # a username on a node type is refused whatever it is: AE002
    name = u.value if u.value is not None else u.pattern
    for _, token in templates_in(name or ""):
        if token in DOCUMENTED or token.startswith("{{resolve:"):
            continue
        slip = next((d for d in DOCUMENTED if d.lower() == token.lower().replace(" ", "")), None)
        hint = f"; did you mean '{slip}' (templates are case-sensitive)?" if slip else ""
        yield Violation(
            u.span,
            f"'{token}' is not a documented access entry template: EKS documents only {{{{SessionName}}}} and "
            f"{{{{SessionNameRaw}}}} in usernames, so it may be refused or stay literally in the name{hint}",
            json_path=u.json_path,
        )
