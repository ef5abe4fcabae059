"""## What it does
Flags a key written twice in one mapping: in the aws-auth manifest itself (two `data:`
or two `mapRoles:` keys) or inside an entry (two `groups:`).

## Why is this bad?
YAML forbids duplicate keys, but parsers disagree on what to do: some reject the
document, others keep the first or the last value. A second `mapRoles:` added at the
bottom of a long ConfigMap silently replaces (or is replaced by) the first, and
whole sets of mappings disappear.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops
    groups: [ops]
    groups: [admins]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops
    groups: [ops, admins]
```

## References
- [YAML 1.2, 3.2.1.1 Nodes](https://yaml.org/spec/1.2.2/#3211-nodes): mapping keys are unique
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation
from awsauth_lint.nodes import Map, Scalar

from ._common import maps, roots, walk_paths

META = RuleMeta(
    code="AA009",
    name="duplicate-key",
    summary="A key is repeated in one mapping",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
)


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    trees = [(doc.root, doc.path), *((em.root, f"{doc.path}.data.{key}") for key, em in roots(doc))]
    for tree, top in trees:
        found = [(node, key, line) for node in maps(tree) for key, line in _repeated(node)]
        if not found:
            continue
        paths = {id(n): path for n, path in walk_paths(tree, top)}  # only for the rare duplicate
        for node, key, line in found:
            yield Violation(
                key.span,
                f"duplicate key '{key.value}' (first on line {line}): parsers disagree on which value wins",
                json_path=f"{paths[id(node)]}.{key.value}",
            )


def _repeated(node: Map) -> Iterator[tuple[Scalar, int]]:
    """Each repeated key of a mapping, with the line of its first occurrence."""
    first: dict[str, Scalar] = {}
    for key, _ in node.scalar_keys():
        if key.value in first:
            yield key, first[key.value].span.start.line
        else:
            first[key.value] = key  # its span is read only for a repeat (most are never read)
