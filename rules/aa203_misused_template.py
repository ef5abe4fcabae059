"""## What it does
Flags a template used where it cannot work: `{{EC2PrivateDNSName}}` in `mapUsers` or in
a role whose username is not the node username `system:node:{{EC2PrivateDNSName}}`;
`{{SessionName}}` or `{{SessionNameRaw}}` in `mapUsers`. Usernames and groups are both
checked. Whether a mapping is for an IAM user follows its ARN when the ARN parses (a
user ARN under `mapRoles` is still a user, eksctl `iamIdentityMappings` have only an
`arn`), else its section.

## Why is this bad?
`{{EC2PrivateDNSName}}` is filled in by looking up the EC2 instance whose id is the
session name; for any caller that is not an EC2 instance the authenticator denies the
request. IAM users have no session, so `{{SessionName}}` renders empty and every user of
the mapping gets the same, half-empty name.

## Example
```yaml
mapUsers: |
  - userarn: arn:aws:iam::111122223333:user/alice
    username: alice-{{SessionName}}
    groups: [developers]
```

## Use instead
```yaml
mapUsers: |
  - userarn: arn:aws:iam::111122223333:user/alice
    username: alice
    groups: [developers]
```

## References
- aws-iam-authenticator `pkg/server/server.go` (`renderTemplate`)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation

from ._common import EC2_NODE_USERNAME, name_scalars, principal_type, span_in_scalar

META = RuleMeta(
    code="AA203",
    name="misused-template",
    summary="A template is used where it cannot render (EC2 name outside nodes, session name for users)",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
)

EC2_NAME = "{{EC2PrivateDNSName}}"
SESSION_TEMPLATES = ("{{SessionNameRaw}}", "{{SessionName}}")


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for m in doc.mappings:
        user = principal_type(m) == "user"
        node_user = m.username is not None and m.username.value == EC2_NODE_USERNAME
        for node, path in name_scalars(m):
            for token, why in misuses(node.value, user, node_user):
                offset = node.value.index(token)
                yield Violation(span_in_scalar(node, offset, len(token), node.span), why, json_path=path)


def misuses(text: str, user: bool, node_user: bool) -> Iterator[tuple[str, str]]:
    """(template, why) for each template in `text` that cannot render for this mapping."""
    if EC2_NAME in text and (user or not node_user):
        who = "an IAM user" if user else f"a role that is not mapped as '{EC2_NODE_USERNAME}'"
        yield (
            EC2_NAME,
            f"{EC2_NAME} for {who}: it renders only for EC2 instance sessions and denies every other caller",
        )
    if user:
        token = next((t for t in SESSION_TEMPLATES if t in text), None)
        if token is not None:
            yield token, f"{token} for an IAM user: users have no session, so it renders empty"
