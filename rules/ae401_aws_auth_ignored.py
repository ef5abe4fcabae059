"""## What it does
Flags an aws-auth ConfigMap (or a patch of it) in a cluster whose authentication mode is
`API`. The message lists the principals it would have mapped. Only a cluster whose mode
the repository declares as a literal is judged, and only when it is clear which declared
cluster the aws-auth belongs to (the repository declares one, or one named like the
repository cluster).

## Why is this bad?
In `API` mode EKS reads access entries only and ignores aws-auth entirely ("access
entries only"). The ConfigMap is dead configuration: edits to it look effective in
review and change nothing, and a principal that is only in it cannot get in. eksctl's
migration to `API` deletes it for that reason.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops
    groups: [ops]
---
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: prod, region: eu-west-1}
accessConfig:
  authenticationMode: API
```
An aws-auth (here its `data`) and, in any file of the same repository cluster, an eksctl
`ClusterConfig`.

## Use instead
```yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: prod, region: eu-west-1}
accessConfig:
  authenticationMode: API
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/ops
      kubernetesUsername: ops
      kubernetesGroups: [ops]
```

## References
- [Amazon EKS: grant IAM users access with access entries](https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html)
- [Amazon EKS: migrate aws-auth entries to access entries](https://docs.aws.amazon.com/eks/latest/userguide/migrating-access-entries.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint import effective
from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.eksaccess import label, mode_origin
from awsauth_lint.engine import Project
from awsauth_lint.model import RuleMeta, Severity, Span, Violation
from awsauth_lint.nodes import Map, Scalar
from awsauth_lint.parsemap import CURRENT

META = RuleMeta(
    code="AE401",
    name="aws-auth-ignored",
    summary="The cluster's authentication mode is API, so EKS ignores its aws-auth",
    default_severity=Severity.ERROR,
    scope="project",
    tags=("correctness", "migration"),
)

SHOWN = 5


def check(project: Project) -> Iterator[Violation]:
    ec = project.eks_cluster
    if ec is None or ec.mode != "API":
        return
    for doc in project.docs:
        if doc.kind not in ("configmap", "patch"):
            continue
        span, path = _name(doc)
        who = _principals(doc)
        listed = ", ".join(who[:SHOWN]) + (f" and {len(who) - SHOWN} more" if len(who) > SHOWN else "")
        would = f"it would have mapped {listed}" if who else "it maps no principal"
        yield Violation(
            span,
            f"{label(ec)} authenticates with access entries only (mode API, {mode_origin(ec)}): EKS ignores this aws-auth; "
            f"{would}; declare them as access entries and delete it",
            json_path=path,
            file=doc.file,
        )


def _name(doc: AwsAuthDoc) -> tuple[Span, str]:
    meta = doc.root.get("metadata")
    name = meta.get("name") if isinstance(meta, Map) else None
    if isinstance(name, Scalar):
        return name.span, f"{doc.path}.metadata.name"
    return doc.root.span, doc.path


def _principals(doc: AwsAuthDoc) -> list[str]:
    st = effective.state(doc)
    if not st.accepted:
        return []
    ls = st.lines[CURRENT]
    out = [e.arn for e in [*ls.roles.values(), *ls.users.values()] if e.arn]
    out += [f"every principal of account {a}" for a in ls.accounts]
    return list(dict.fromkeys(out))
