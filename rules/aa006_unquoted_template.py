"""## What it does
Flags a value that starts with `{{` without quotes, such as
`username: {{SessionName}}`.

## Why is this bad?
In YAML, an unquoted `{` starts a flow mapping, so `{{SessionName}}` is a mapping
inside a mapping, not a string. The current authenticator cannot convert that to a
username and drops the *whole* `mapRoles` key: every role, node roles included, is
unmapped. Templates must be quoted.

The fix quotes the template. It is unsafe (`--unsafe-fixes`): it brings every entry of
the dropped map back to life, entries nobody may have reviewed since the map broke.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: {{SessionName}}
    groups: [ops]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: "{{SessionName}}"
    groups: [ops]
```

## References
- aws-iam-authenticator `pkg/mapper/configmap/configmap.go` (YAML to JSON to structs)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation
from awsauth_lint.nodes import Map, Scalar

from ._common import DROPS, quote_fix, roots, source_text, walk_paths

META = RuleMeta(
    code="AA006",
    name="unquoted-template",
    summary="A value starting with `{{` is unquoted and parses as a mapping",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
    fixable="unsafe",
)


# `{{` right after `key: `, `- `, `[` or `,`: where an unquoted template starts a value.
_UNQUOTED = re.compile(r"(?:(?:^|\s)-\s+|:\s+|[\[,]\s*)\{\{", re.M)


def _text(node: object) -> str:
    return node.value if isinstance(node, Scalar) else ""


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    literal = {key for key, em in roots(doc) if isinstance(em.value, Scalar) and em.value.style == "|"}
    nodes = [
        (key, n, path)
        for key, em in roots(doc)
        if _UNQUOTED.search(_text(em.value))
        for n, path in walk_paths(em.root, f"{doc.path}.data.{key}")
    ]
    nodes += [("eksctl", n, path) for m in doc.eksctl for n, path in walk_paths(m.node, m.json_path)]
    for key, n, path in nodes:
        if not (isinstance(n, Map) and n.flow and n.pairs and isinstance(n.pairs[0][0], Map)):
            continue
        text = source_text(doc, n.span)
        if n.span.exact and not text.startswith("{{"):
            continue
        effect = DROPS.get(key, "eksctl reads a mapping, not a string")
        yield Violation(
            n.span,
            f"unquoted {text or '{{...}}'} is a YAML mapping, not a string; {effect}; quote it",
            json_path=path,
            # Unsafe: the dropped map (or eksctl mapping) comes back to life.
            fix=quote_fix(n.span, text, "the template", safe=False) if key in literal or key == "eksctl" else None,
        )
