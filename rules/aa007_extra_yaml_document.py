"""## What it does
Flags a `---` document separator inside `mapRoles`, `mapUsers` or `mapAccounts`.

## Why is this bad?
The authenticator reads only the first YAML document of each key. Everything after a
`---` (often pasted in from another manifest) is silently ignored.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops
    groups: [ops]
  ---
  - rolearn: arn:aws:iam::111122223333:role/dev
    username: dev
    groups: [dev]
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
```

## References
- aws-iam-authenticator `pkg/mapper/configmap/configmap.go` (`yaml.Unmarshal` reads one document)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import Position, RuleMeta, Severity, Span, Violation

META = RuleMeta(
    code="AA007",
    name="extra-yaml-document",
    summary="A `---` inside an embedded map hides everything after it",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
)


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for key, em in doc.maps.items():
        for span in em.extra_docs:
            yield Violation(
                _separator(doc, span, em.key_node.span.start.line),
                f"a second YAML document inside {key}: the authenticator reads only the first, "
                "everything after this `---` is ignored",
                json_path=f"{doc.path}.data.{key}",
            )


def _separator(doc: AwsAuthDoc, span: Span, floor: int) -> Span:
    """The `---` line that starts the document at `span`, when it can be found."""
    if not span.exact:
        return span
    for n in range(span.start.line, floor, -1):
        text = doc.src.line(n)
        col = text.find("---")
        if col >= 0 and not text[:col].strip():
            return Span(Position(n, col + 1), Position(n, col + 4))
    return span
