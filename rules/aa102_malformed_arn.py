"""## What it does
Flags a mapped ARN that is not `arn:PARTITION:SERVICE::ACCOUNT:RESOURCE`: an unknown
partition, an account that is not 12 digits (a region pasted into it, say), whitespace,
or a placeholder left in (`<ACCOUNT_ID>`, `${account_id}`, `XXXXXXXXXXXX`). With the
option `forbid-example-accounts`, documentation accounts such as `111122223333` too.

## Why is this bad?
The authenticator never validates mapping ARNs: a malformed one is accepted and simply
never matches, so the people or nodes it was meant for are locked out without any
error anywhere.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::<ACCOUNT_ID>:role/ops
    username: ops
    groups: [ops]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::444455556666:role/ops
    username: ops
    groups: [ops]
```

## References
- aws-iam-authenticator `pkg/arn/arn.go`
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.arn import EXAMPLE_ACCOUNTS, parse, problem
from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation

META = RuleMeta(
    code="AA102",
    name="malformed-arn",
    summary="A mapped ARN is malformed or still holds a placeholder",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
    options_schema={
        "forbid-example-accounts": {
            "type": "boolean",
            "description": "Also flag AWS documentation example accounts (111122223333, 123456789012, ...).",
        }
    },
)


def check(doc: AwsAuthDoc, forbid_example_accounts: bool = False) -> Iterator[Violation]:
    for m in doc.mappings:
        if m.arn is None:
            continue
        why = problem(m.arn.value)
        if why is None and forbid_example_accounts:
            arn = parse(m.arn.value)
            if arn is not None and arn.account in EXAMPLE_ACCOUNTS:
                why = f"uses the documentation example account {arn.account}"
        if why is not None:
            yield Violation(
                m.arn.span,
                f"ARN '{m.arn.value.strip()}' {why}; the authenticator accepts it and it never matches",
                json_path=m.arn.json_path,
            )
