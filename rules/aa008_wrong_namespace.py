"""## What it does
Flags a ConfigMap named `aws-auth` whose `metadata.namespace` is not `kube-system`.

## Why is this bad?
The authenticator watches exactly one object: `kube-system/aws-auth`. A copy in any
other namespace is applied without error and ignored, so the change it carries never
takes effect.

## Example
```yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: default
```

## Use instead
```yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
```

## References
- [Amazon EKS: aws-auth ConfigMap](https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation
from awsauth_lint.nodes import Map, Scalar

META = RuleMeta(
    code="AA008",
    name="wrong-namespace",
    summary="aws-auth is not in the kube-system namespace",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
)


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    if doc.kind != "configmap":
        return
    meta = doc.root.get("metadata")
    ns = meta.get("namespace") if isinstance(meta, Map) else None
    if isinstance(ns, Scalar) and ns.value and ns.value != "kube-system":
        yield Violation(
            ns.span,
            f"aws-auth in namespace '{ns.value}' is ignored: the authenticator reads only kube-system/aws-auth",
            json_path="$.metadata.namespace",
        )
