"""## What it does
Flags a suppression directive that names a code or rule name awsauth-lint does not
have, e.g. `disable=AA999` or `disable=role-path`.

## Why is this bad?
A misspelt code suppresses nothing, so the finding it was meant for still fails the
build, or worse, the author believes a reviewed exception is in place when it is not.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/breakglass  # awsauth-lint: disable=AA999
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/breakglass  # awsauth-lint: disable=AA301
```

## References
- `awsauth-lint rules` lists every code and name
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.engine import SuppressionContext, known_code
from awsauth_lint.model import RuleMeta, Severity, Violation

META = RuleMeta(
    code="AL002",
    name="unknown-rule-in-suppression",
    summary="A suppression comment names a rule that does not exist",
    default_severity=Severity.ERROR,
    scope="suppression",
    tags=("maintainability",),
)


def check(ctx: SuppressionContext) -> Iterator[Violation]:
    for d in ctx.directives:
        for token, span in d.codes:
            if known_code(token) is None:
                yield Violation(span, f"unknown rule '{token}' in suppression; see `awsauth-lint rules`")
