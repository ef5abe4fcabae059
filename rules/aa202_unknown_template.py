"""## What it does
Flags a `{{...}}` in a username or group that is not one of the authenticator's five
templates, written exactly: `{{EC2PrivateDNSName}}`, `{{AccountID}}`, `{{SessionName}}`,
`{{SessionNameRaw}}`, `{{AccessKeyID}}`.

## Why is this bad?
Templates are replaced exactly and case-sensitively. Anything else, `{{sessionname}}`,
`{{ SessionName }}` or `{{InstanceID}}`, stays in the name literally, with no error:
every session of the role gets the same odd username, and bindings or audit queries
written for the intended name never match.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops:{{sessionName}}
    groups: [ops]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops:{{SessionName}}
    groups: [ops]
```

## References
- aws-iam-authenticator `pkg/server/server.go` (`renderTemplate`)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation
from awsauth_lint.nodes import Node, Scalar, Seq

from ._common import TEMPLATES, span_in_scalar, templates_in

META = RuleMeta(
    code="AA202",
    name="unknown-template",
    summary="A `{{...}}` is not one of the five templates and stays literal",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
)


def suggestion(token: str) -> str:
    squashed = token.replace(" ", "").lower()
    for t in TEMPLATES:
        if t.lower() == squashed:
            return f"; did you mean '{t}'?"
    close = difflib.get_close_matches(squashed, [t.lower() for t in TEMPLATES], n=1, cutoff=0.7)
    if close:
        return f"; did you mean '{next(t for t in TEMPLATES if t.lower() == close[0])}'?"
    return f" (known: {', '.join(TEMPLATES)})"


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for m in doc.mappings:
        nodes: list[tuple[Node | None, str]] = [(m.username_node, f"{m.json_path}.username")]
        if isinstance(m.groups_node, Seq):
            nodes += [(g, f"{m.json_path}.groups[{k}]") for k, g in enumerate(m.groups_node.items)]
        for node, path in nodes:
            if not isinstance(node, Scalar):
                continue
            for offset, token in templates_in(node.value):
                if token in TEMPLATES:
                    continue
                yield Violation(
                    span_in_scalar(node, offset, len(token), node.span),
                    f"'{token}' is not a template: it stays in the name literally{suggestion(token)}",
                    json_path=path,
                )
