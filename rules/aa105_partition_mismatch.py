"""## What it does
Flags ARNs of one aws-auth that use different partitions (`aws` next to `aws-cn` or
`aws-us-gov`), or a partition other than the configured `partition` option.

## Why is this bad?
A cluster lives in exactly one partition, and callers present ARNs of that partition.
A mapping in another partition can never match; it is usually a copy-paste from a
cluster in another region group.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops
    groups: [ops]
  - rolearn: arn:aws:iam::111122223333:role/dev
    username: dev
    groups: [dev]
  - rolearn: arn:aws-cn:iam::111122223333:role/audit
    username: audit
    groups: [audit]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops
    groups: [ops]
  - rolearn: arn:aws:iam::111122223333:role/dev
    username: dev
    groups: [dev]
  - rolearn: arn:aws:iam::111122223333:role/audit
    username: audit
    groups: [audit]
```

## References
- [AWS partitions](https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from awsauth_lint.arn import PARTITIONS, parse
from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation

META = RuleMeta(
    code="AA105",
    name="partition-mismatch",
    summary="ARNs of one aws-auth use different partitions",
    default_severity=Severity.WARNING,
    scope="awsauth",
    tags=("correctness",),
    options_schema={
        "partition": {
            "type": "string",
            "enum": list(PARTITIONS),
            "description": "The cluster's partition; every ARN must use it.",
        }
    },
)


def check(doc: AwsAuthDoc, partition: str | None = None) -> Iterator[Violation]:
    arns = [(m.arn, a) for m in doc.mappings if m.arn is not None and (a := parse(m.arn.value)) is not None]
    if partition is not None:
        why = f"the configured partition is '{partition}'"
    else:
        counts = Counter(a.partition for _, a in arns)  # insertion order: first use first
        if len(counts) < 2:
            return
        partition, n = counts.most_common(1)[0]
        first = next(loc for loc, a in arns if a.partition == partition)
        line = first.span.start.line
        why = f"{n} other ARNs of this aws-auth use '{partition}' (first on line {line})" if n > 1 else f"the other ARN of this aws-auth (line {line}) uses '{partition}'"
    for loc, a in arns:
        if a.partition != partition:
            yield Violation(
                loc.span,
                f"ARN in partition '{a.partition}' but {why}: a cluster's callers all come from its own partition",
                json_path=loc.json_path,
            )
