"""## What it does
Notes a role mapped for people whose username has no `{{SessionName}}` or
`{{SessionNameRaw}}`. A role counts as mapped for people when it is:

- an IAM Identity Center role (`AWSReservedSSO_...`, with or without its path) or an
  `sso:` permission-set entry: always;
- otherwise a role whose name matches one of the `human-role-patterns` globs
  (case-insensitive; default `*admin*`, `*developer*`, `*engineer*`, `*readonly*`,
  `*read-only*`, `*viewer*`, `*oncall*`, `*breakglass*`, `*break-glass*`) unless the
  role name or the username names automation (`deploy`, `apply`, `pipeline`,
  `terraform`, `github`, `jenkins`, `ci`, `bot`, ...).

Node mappings (a node username or node groups), IAM users and entries without a
username (AA204's business) are never reported.

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
import re
from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc, Mapping
from awsauth_lint.model import RuleMeta, Severity, Violation
from awsauth_lint.nodes import Map, get_str

from ._common import NODE_GROUPS, is_node_username, principal_type

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
            "description": "Globs (case-insensitive) on the role name that mark roles used by people; they replace "
            "the defaults. IAM Identity Center roles (AWSReservedSSO_*) always count.",
        }
    },
)

# Words that say a machine assumes the role, whatever else the name says ("admin-apply").
AUTOMATION_STEMS = (
    "apply",
    "deploy",
    "pipeline",
    "github",
    "gitlab",
    "jenkins",
    "codebuild",
    "terraform",
    "karpenter",
    "lambda",
    "service",
    "automation",
    "runner",
    "atlantis",
    "argocd",
    "fluxcd",
    "spinnaker",
)
AUTOMATION_WORDS = frozenset({"ci", "cd", "cicd", "bot", "bots", "robot"})
DEFAULT_PATTERNS = (
    "*admin*",
    "*developer*",
    "*engineer*",
    "*readonly*",
    "*read-only*",
    "*viewer*",
    "*oncall*",
    "*breakglass*",
    "*break-glass*",
)
SESSION_TEMPLATES = ("{{SessionName}}", "{{SessionNameRaw}}")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def names_automation(name: str) -> bool:
    """Whether a role name or username says a machine uses it (`gh-deployer`, `ci-runner`, `AdminBot`)."""
    low = name.lower()
    return any(s in low for s in AUTOMATION_STEMS) or any(w.lower() in AUTOMATION_WORDS for w in _WORD.findall(name))


def _role(m: Mapping) -> tuple[str, str] | None:
    """(role name, how to call it) of a role mapping; how is '' unless IAM Identity Center.

    None for IAM users and mappings without a role ARN.
    """
    sso = next((v for k, v in m.node.scalar_keys() if k.value.lower() == "sso"), None)
    if m.arn is None and isinstance(sso, Map):
        return get_str(sso, "permissionSetName") or "", "IAM Identity Center permission set"
    if m.arn is None or principal_type(m) != "role":
        return None
    name = m.arn.value.strip().rsplit("/", 1)[-1]
    return name, "IAM Identity Center role" if name.lower().startswith("awsreservedsso_") else ""


def check(doc: AwsAuthDoc, human_role_patterns: list[str] | None = None) -> Iterator[Violation]:
    patterns = [p.lower() for p in (human_role_patterns if human_role_patterns is not None else DEFAULT_PATTERNS)]
    for m in doc.mappings:
        if m.username is None or not m.username.value.strip():
            continue  # AA204
        username = m.username.value
        if is_node_username(username) or NODE_GROUPS & set(m.group_names):
            continue
        if any(t in username for t in SESSION_TEMPLATES):
            continue
        role = _role(m)
        if role is None:
            continue
        name, label = role
        if not label:  # guess from the names; IAM Identity Center roles always count
            if names_automation(name) or names_automation(username):
                continue
            if not any(fnmatch.fnmatchcase(name.lower(), p) for p in patterns):
                continue
        what = f"{label or 'role'} '{name}'"
        yield Violation(
            m.username.span,
            f"{what} is used by people, but its username '{username}' has no {{{{SessionName}}}}: everyone who "
            "assumes it shares one Kubernetes name and audit logs cannot tell who acted",
            json_path=m.username.json_path,
        )
