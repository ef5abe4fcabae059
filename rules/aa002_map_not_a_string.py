"""## What it does
Flags `data.mapRoles`, `data.mapUsers` or `data.mapAccounts` written as a YAML list or
mapping (or a number, or `yes`) instead of a string that holds YAML, and everything else
for which the API server refuses the aws-auth object: a key under both `data` and
`binaryData`, a data key with characters a ConfigMap key may not have, more than 1 MiB,
a `binaryData` value that is not base64, an `apiVersion` other than `v1`.

## Why is this bad?
ConfigMap `data` values must be strings. Forgetting the `|` after `mapRoles:` turns
the entries into a real YAML list, which the API server rejects: the apply fails and
the cluster keeps its old mappings, or, in a pipeline that recreates the ConfigMap,
has none.

The fix adds the missing `|` when the list is indented under the key. It is unsafe
(`--unsafe-fixes`): a ConfigMap the API server rejects becomes one it accepts, so
every entry in it starts to grant access.

## Example
```yaml
mapRoles:
  - rolearn: arn:aws:iam::111122223333:role/ops
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
- [Kubernetes ConfigMap data](https://kubernetes.io/docs/concepts/configuration/configmap/)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint import effective
from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import Edit, Fix, Position, RuleMeta, Severity, Span, Violation
from awsauth_lint.nodes import Map, Node, Seq

META = RuleMeta(
    code="AA002",
    name="map-not-a-string",
    summary="An aws-auth map value is a list or mapping instead of a YAML string",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
    fixable="unsafe",
)


def _as_block(doc: AwsAuthDoc, key: Node, value: Node) -> Fix | None:
    """`mapRoles:` + an indented block list -> `mapRoles: |` with the same lines as its text."""
    if not (isinstance(value, Seq) and not value.flow and key.span.exact and value.span.exact):
        return None
    k, start = key.span, value.span.start
    line = doc.src.line(k.end.line)
    if line[k.end.column - 1 : k.end.column] != ":" or start.line <= k.end.line:
        return None
    rest = line[k.end.column :]
    if rest.strip() and not rest.strip().startswith("#"):
        return None
    key_indent = len(line) - len(line.lstrip(" "))
    if start.column - 1 <= key_indent:
        return None  # an indentless list would have to be re-indented: left to a person
    at = Position(k.end.line, k.end.column + 1)
    # Unsafe: the entries go live (the API server rejects the ConfigMap as written).
    return Fix("turn the list into a literal block string", (Edit(Span(at, at), " |"),), safe=False)


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    if doc.kind == "eksctl":
        return
    shown: set[Span] = set()
    for key, em in doc.maps.items():
        v = em.value
        if isinstance(v, (Seq, Map)):
            what = "a list" if isinstance(v, Seq) else "a mapping"
            shown.add(v.span)
            yield Violation(
                em.key_node.span,
                f"data.{key} is {what}, not a string: the API server rejects the ConfigMap "
                f"(write `{key}: |` and indent the entries under it)",
                json_path=f"{doc.path}.data.{key}",
                fix=_as_block(doc, em.key_node, v),
            )
    for r in effective.state(doc).refusals:
        if r.node.span not in shown:
            yield Violation(r.node.span, f"{r.message}: nobody gets in with this version", json_path=f"{doc.path}.{r.path}")
