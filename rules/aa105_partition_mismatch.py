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
    parsed = [(m, parse(m.arn.value)) for m in doc.mappings if m.arn is not None]
    arns = [(m, a) for m, a in parsed if a is not None]
    if not arns:
        return
    if partition is None:
        counts = Counter(a.partition for _, a in arns)
        if len(counts) < 2:
            return
        partition = max(counts, key=lambda p: (counts[p], -[a.partition for _, a in arns].index(p)))
        why = f"most ARNs here use '{partition}'"
    else:
        why = f"the configured partition is '{partition}'"
    for m, a in arns:
        if a.partition != partition and m.arn is not None:
            yield Violation(
                m.arn.span,
                f"ARN in partition '{a.partition}' but {why}: a cluster's callers all come from one partition",
                json_path=m.arn.json_path,
            )
