"""## What it does
Notes a role mapped for people (an IAM Identity Center role, or a role whose name
matches the `human-role-patterns` option and does not name automation such as
`deploy`, `apply`, `pipeline` or `ci`) whose username has no `{{SessionName}}` or
`{{SessionNameRaw}}`.

## Why is this bad?
Everyone who assumes the role then acts under one shared Kubernetes username: audit
logs cannot tell who did what. With the session name in the username, each person's
requests carry their own name (`admin:alice`).

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef
    username: admin
    groups: [platform-admins]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef
    username: admin:{{SessionName}}
    groups: [platform-admins]
```

## References
- [EKS best practices: identity and access management](https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html)
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation

from ._common import NODE_GROUPS, is_node_username

META = RuleMeta(
    code="AA206",
    name="no-session-name",
    summary="A role mapped for people has no {{SessionName}} in its username",
    default_severity=Severity.NOTE,
    scope="awsauth",
    tags=("auditability",),
    options_schema={
        "human-role-patterns": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Globs (case-insensitive) on the role name that mark roles used by people. "
            "IAM Identity Center roles (AWSReservedSSO_*) always count.",
        }
    },
)

# Names that say a machine assumes the role, whatever else they say ("admin-apply").
AUTOMATION = ("apply", "deploy", "pipeline", "github", "gitlab", "jenkins", "codebuild", "terraform", "karpenter", "lambda", "service", "bot", "ci-", "-ci")
DEFAULT_PATTERNS = ("*admin*", "*developer*", "*engineer*", "*readonly*", "*read-only*", "*viewer*", "*oncall*", "*breakglass*", "*break-glass*")


def check(doc: AwsAuthDoc, human_role_patterns: list[str] | None = None) -> Iterator[Violation]:
    patterns = [p.lower() for p in (human_role_patterns if human_role_patterns is not None else DEFAULT_PATTERNS)]
    for m in doc.mappings:
        if m.arn is None or m.username is None or ":role/" not in m.arn.value:
            continue
        name = m.username.value
        if is_node_username(name) or NODE_GROUPS & set(m.group_names) or not name.strip():
            continue
        if "{{SessionName}}" in name or "{{SessionNameRaw}}" in name:
            continue
        role = m.arn.value.rsplit("/", 1)[-1].lower()
        sso = role.startswith("awsreservedsso_")
        if not sso and (any(a in role for a in AUTOMATION) or not any(fnmatch.fnmatchcase(role, p) for p in patterns)):
            continue
        yield Violation(
            m.username.span,
            f"role '{m.arn.value.rsplit('/', 1)[-1]}' is used by people, but username '{name}' has no "
            "{{SessionName}}: audit logs cannot tell who acted",
            json_path=m.username.json_path,
        )
