"""## What it does
Flags a mapped ARN (`rolearn`, `userarn`, eksctl `arn`) that is not
`arn:PARTITION:SERVICE::ACCOUNT:RESOURCE`: an unknown partition, an account that is not
12 digits (a region pasted into it, say), a region in an IAM ARN, whitespace or an
invisible character, a wildcard, a role or user name IAM would refuse, or a placeholder
left in (`<ACCOUNT_ID>`, `${account_id}`, `XXXXXXXXXXXX`, `ACCOUNT_ID`). With the option
`forbid-example-accounts`, AWS documentation accounts (`111122223333`, `123456789012`,
`444455556666`, `777788889999`) too. A `mapAccounts` entry that is not a 12-digit
account id (11 digits, an ARN, blank) is flagged as well.

The other ARN rules (AA101, AA103-AA105) stay quiet on an ARN this rule finds malformed.

## Why is this bad?
The authenticator never validates mapping ARNs: a malformed one is accepted and simply
never matches, so the people or nodes it was meant for are locked out without any
error anywhere. aws-auth compares ARNs literally (ignoring case only): there are no
wildcards and no variables.

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

import re
from collections.abc import Iterator

from awsauth_lint import effective
from awsauth_lint.arn import ArnError, analyse, is_example_account
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
            "default": False,
            "description": "Also flag AWS documentation example accounts (111122223333, 123456789012, 444455556666, 777788889999).",
        }
    },
)


def check(doc: AwsAuthDoc, forbid_example_accounts: bool = False) -> Iterator[Violation]:
    for m in doc.mappings:
        if m.arn is None:
            continue
        got = analyse(m.arn.value)
        if isinstance(got, ArnError):
            why = got.reason
        elif forbid_example_accounts and is_example_account(got.account):
            why = f"uses the AWS documentation example account {got.account}"
        else:
            continue
        yield Violation(
            m.arn.span,
            f"ARN '{_visible(m.arn.value.strip())}' {why}; the authenticator accepts it and it never matches",
            json_path=m.arn.json_path,
        )
    if doc.kind == "eksctl":
        return
    for n, (account, node) in enumerate(effective.stored_accounts(doc)):
        if not _ACCOUNT.match(account):
            yield Violation(
                node.span,
                f"mapAccounts entry '{_visible(account)}' is not a 12-digit account id; the authenticator keeps it and "
                "it never matches",
                json_path=f"{doc.path}.data.mapAccounts[{n}]",
            )


_ACCOUNT = re.compile(r"[0-9]{12}\Z")


def _visible(text: str) -> str:
    """`text` with invisible and non-ASCII characters escaped, so the message shows them."""
    return "".join(c if " " <= c <= "~" else f"\\u{ord(c):04x}" for c in text)
