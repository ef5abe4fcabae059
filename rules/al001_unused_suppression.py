"""## What it does
Flags an `# awsauth-lint: disable=...` directive, or one code in it, that suppressed
nothing in this run.

## Why is this bad?
Suppressions outlive the problems they were written for. A stale one hides the next,
different finding on that line and misleads reviewers into thinking an exception is
still needed.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops  # awsauth-lint: disable=AA101
    username: ops
    groups: [ops]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops
    groups: [ops]
```

## References
- ruff `RUF100` (unused-noqa)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.engine import SuppressionContext, known_code
from awsauth_lint.model import RuleMeta, Severity, Violation

META = RuleMeta(
    code="AL001",
    name="unused-suppression",
    summary="A suppression comment suppressed nothing",
    default_severity=Severity.WARNING,
    scope="suppression",
    tags=("maintainability",),
)


def check(ctx: SuppressionContext) -> Iterator[Violation]:
    for d in ctx.directives:
        for token, span in d.codes:
            code = known_code(token)
            if code is None or code not in ctx.active_codes or token in d.used:
                continue
            yield Violation(span, f"suppression of {token} is unused: nothing here triggers it")
