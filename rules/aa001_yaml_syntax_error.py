"""## What it does
Flags a manifest, or the YAML inside `mapRoles`, `mapUsers` or `mapAccounts`, that
does not parse: bad indentation, tabs, an unclosed bracket, a stray `:`.

## Why is this bad?
A manifest that does not parse cannot be applied. Worse, the embedded maps are parsed
by the authenticator only after the ConfigMap was accepted: each key is parsed on its
own and a YAML error drops *every* entry of that key while the others still load. One
bad indent in `mapRoles` drops the node role mapping too, so every node goes
`NotReady` and every mapped role is locked out.

## Example
```yaml
mapRoles: |
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
- aws-iam-authenticator `pkg/mapper/configmap/configmap.go` (`ParseMap`)
- [Amazon EKS: aws-auth ConfigMap](https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.loader import SourceFile
from awsauth_lint.model import RuleMeta, Severity, Violation

from ._common import DROPS

META = RuleMeta(
    code="AA001",
    name="yaml-syntax-error",
    summary="The manifest or an embedded map does not parse as YAML",
    default_severity=Severity.ERROR,
    scope="file",
    tags=("correctness",),
)


def _hint(message: str) -> str:
    return "; tabs cannot indent YAML" if "'\\t'" in message else ""


def check(sf: SourceFile) -> Iterator[Violation]:
    err = sf.composed.error
    if err is not None:
        yield Violation(
            err.span,
            f"YAML syntax error: {err.message}{_hint(err.message)}; the file cannot be applied",
        )
    for doc in sf.awsauth:
        for key, em in doc.maps.items():
            if em.error is not None:
                msg = em.error.message
                effect = DROPS[key] if em.fatal is not None else (
                    "the authenticator reads only the first YAML document, so it ignores this part (AA007)"
                )
                yield Violation(
                    em.error.span,
                    f"{key} does not parse: {msg}{_hint(msg)}; {effect}",
                    json_path=f"{doc.path}.data.{key}",
                )
