"""## What it does
Flags an access entry username that uses `{{SessionName}}` or `{{SessionNameRaw}}` with no
`:` anywhere before it (`dev-{{SessionName}}`). A colon anywhere before the template is
enough (`:dev{{SessionName}}`, `de:v{{SessionName}}`); a username without a template
needs none.

## Why is this bad?
EKS requires it: "the username must include a colon before {{SessionName}}", so a
session name (which cannot contain `:`) can never make one user look like another. The
entry is refused when it is created or updated. aws-auth had no such rule, so usernames
copied from it fail here.

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
      kubernetesUsername: "dev-{{SessionName}}"
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
    - principalARN: arn:aws:iam::111122223333:role/developers
      kubernetesUsername: "dev:{{SessionName}}"
      kubernetesGroups: [developers]
```

## References
- [Amazon EKS: set a custom username](https://docs.aws.amazon.com/eks/latest/userguide/set-custom-username.html)
- [Amazon EKS: create access entries](https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from awsauth_lint.accessentry import NODE_TYPES, AccessEntry
from awsauth_lint.model import RuleMeta, Severity, Violation

META = RuleMeta(
    code="AE203",
    name="session-name-without-colon",
    summary="An access entry username uses {{SessionName}} with no colon before it, which EKS refuses",
    default_severity=Severity.ERROR,
    scope="access",
    tags=("correctness", "migration"),
)

SESSION = re.compile(r"\{\{SessionName(?:Raw)?\}\}")


def check(entry: AccessEntry) -> Iterator[Violation]:
    u = entry.username
    if u is None or entry.type_value in NODE_TYPES:
        return  # a username on a node type is refused whatever it is: AE002
    name = u.value if u.value is not None else u.pattern
    m = SESSION.search(name or "")
    if name is None or m is None:
        return
    before = name[: m.start()]
    if ":" in before or (u.value is None and "*" in before):  # an unknown part of a pattern may hold the colon
        return
    rest = name[m.start() :]
    if not before:
        better = f"<name>:{rest}"
    elif before[-1] in "-_.@=,+":
        better = f"{before[:-1]}:{rest}"
    else:
        better = f"{before}:{rest}"
    yield Violation(
        u.span,
        f"'{m.group(0)}' with no ':' before it: EKS refuses the username (\"the username must include a colon "
        f"before {m.group(0)}\"); write e.g. '{better}'",
        json_path=u.json_path,
    )
