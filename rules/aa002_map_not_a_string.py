"""## What it does
Flags `data.mapRoles`, `data.mapUsers` or `data.mapAccounts` written as a YAML list or
mapping (or a number) instead of a string that holds YAML.

## Why is this bad?
ConfigMap `data` values must be strings. Forgetting the `|` after `mapRoles:` turns
the entries into a real YAML list, which the API server rejects: the apply fails and
the cluster keeps its old mappings, or, in a pipeline that recreates the ConfigMap,
has none.

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

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation
from awsauth_lint.nodes import NULL, STR, Map, Scalar, Seq

META = RuleMeta(
    code="AA002",
    name="map-not-a-string",
    summary="An aws-auth map value is a list or mapping instead of a YAML string",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
)


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for key, em in doc.maps.items():
        v = em.value
        if isinstance(v, (Seq, Map)):
            what = "a list" if isinstance(v, Seq) else "a mapping"
            yield Violation(
                em.key_node.span,
                f"data.{key} is {what}, not a string: the API server rejects the ConfigMap "
                f"(write `{key}: |` and indent the entries under it)",
                json_path=f"$.data.{key}",
            )
        elif isinstance(v, Scalar) and v.plain and v.tag not in (STR, NULL):
            yield Violation(
                v.span,
                f"data.{key} is a {v.tag}, not a string: the API server rejects the ConfigMap",
                json_path=f"$.data.{key}",
            )
