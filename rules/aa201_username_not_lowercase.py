"""## What it does
Flags a `mapRoles` username (or an eksctl `iamIdentityMappings` role's) with upper-case
letters outside `{{...}}` templates (`username: Platform-Admin:{{SessionName}}`);
`system:node:{{EC2PrivateDNSName}}` is clean. The option `include-map-users` (default
false) checks `mapUsers` and eksctl user mappings too.

## Why is this bad?
AWS documents that mapRoles usernames must be lower case, and the authenticator
enforced a DNS-1123 name until v0.5.0. Kubernetes RBAC subjects are case-sensitive, so a
`kind: User` binding written in lower case never matches the mixed-case name, and the
Node authorizer needs `system:node:<lower-case private DNS name>`. Template text such
as `{{EC2PrivateDNSName}}` is ignored. The (unsafe) fix lower-cases the name: bindings
that name the old spelling must change with it.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/PlatformAdmin
    username: PlatformAdmin:{{SessionName}}
    groups: [platform-admins]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/PlatformAdmin
    username: platform-admin:{{SessionName}}
    groups: [platform-admins]
```

## References
- AWS knowledge center: "resolve Unauthorized errors when connecting to the Amazon EKS API server"
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation

from ._common import TEMPLATE_TOKEN, outside_templates, principal_type, replace_scalar_fix

META = RuleMeta(
    code="AA201",
    name="username-not-lowercase",
    summary="A mapRoles username has upper-case letters",
    default_severity=Severity.WARNING,
    scope="awsauth",
    tags=("correctness",),
    fixable="unsafe",
    options_schema={
        "include-map-users": {
            "type": "boolean",
            "default": False,
            "description": "Also check mapUsers (and eksctl user mapping) usernames. Default: false.",
        },
    },
)


def _lower(text: str) -> str:
    """Lower-case everything but the templates."""
    out, last = [], 0
    for m in TEMPLATE_TOKEN.finditer(text):
        out += [text[last : m.start()].lower(), m.group(0)]
        last = m.end()
    return "".join([*out, text[last:].lower()])


def check(doc: AwsAuthDoc, include_map_users: bool = False) -> Iterator[Violation]:
    for m in doc.mappings:
        is_role = principal_type(m) == "role" if m.section == "eksctl" else m.section == "mapRoles"
        if m.username is None or not (is_role or include_map_users):
            continue
        name = m.username.value
        bare = outside_templates(name)
        if bare == bare.lower():
            continue
        fixed = _lower(name)
        yield Violation(
            m.username.span,
            f"username '{name}' has upper-case letters: RBAC subjects are case-sensitive and AWS requires "
            f"lower-case mapRoles usernames; use '{fixed}'",
            json_path=m.username.json_path,
            fix=replace_scalar_fix(m.username_node, fixed, f"lower-case the username: {fixed}", safe=False),
        )
