"""## What it does
With a git base (`--base REF`; under pre-commit the default is `HEAD`), flags a node
mapping that was in the same aws-auth at the base and is now gone, or whose username or
groups changed. The base is the same file at REF (followed through a rename git
detects), and within it the aws-auth document in the same position. A file that is new
at REF, a run outside git, and a `mapRoles` that no longer parses (AA001 reports that)
are left alone; an unknown REF is an error (exit 2).

## Why is this bad?
Node mappings are what lets kubelets authenticate. Deleting or editing one, often while
"cleaning up" aws-auth or regenerating it from a template that forgot the node groups,
makes every node of that group fail to rejoin or go `NotReady` at the next credential
refresh. This is the change that takes clusters down; it deserves a hard stop in review.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/developers
    username: developer:{{SessionName}}
    groups: [developers]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/eks-node
    username: system:node:{{EC2PrivateDNSName}}
    groups: [system:bootstrappers, system:nodes]
  - rolearn: arn:aws:iam::111122223333:role/developers
    username: developer:{{SessionName}}
    groups: [developers]
```

## References
- [Amazon EKS: nodes fail to join the cluster](https://docs.aws.amazon.com/eks/latest/userguide/troubleshooting.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc, EmbeddedMap, Mapping
from awsauth_lint.model import RuleMeta, Severity, Span, Violation
from awsauth_lint.nodes import NULL, STR, Scalar

from ._common import is_node_username

META = RuleMeta(
    code="AA402",
    name="node-role-removed",
    summary="A node mapping present at the git base is gone or changed",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("availability",),
)


def _nodes(doc: AwsAuthDoc) -> dict[str, Mapping]:
    return {
        m.arn.value.strip().lower(): m
        for m in doc.map_roles
        if m.arn is not None and m.username is not None and is_node_username(m.username.value)
    }


def _unreadable(em: EmbeddedMap | None) -> bool:
    """mapRoles is there but cannot be read: AA001 (parse error) or AA002 (not a string) says so."""
    if em is None:
        return False
    v = em.value
    return em.error is not None or not isinstance(v, Scalar) or (v.plain and v.tag not in (STR, NULL))


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    em = doc.maps.get("mapRoles")
    if doc.base is None or _unreadable(em):
        return
    now = {m.arn.value.strip().lower(): m for m in doc.map_roles if m.arn is not None}
    anchor: Span = em.key_node.span if em is not None else doc.root.span
    for arn, before in _nodes(doc.base).items():
        assert before.arn is not None
        assert before.username is not None
        role = before.arn.value.strip()
        current = now.get(arn)
        if current is None:
            yield Violation(
                anchor,
                f"node mapping for {role} (at {doc.base_ref}) was removed: those nodes can no longer join",
                json_path=f"{doc.path}.data.mapRoles",
            )
            continue
        user = current.username.value if current.username else ""
        changes = []
        if user != before.username.value:
            changes.append(f"username '{before.username.value}' -> '{user}'")
        if set(current.group_names) != set(before.group_names):
            changes.append(f"groups {sorted(before.group_names)} -> {sorted(current.group_names)}")
        if changes and current.arn is not None:
            yield Violation(
                current.arn.span,
                f"node mapping for {role} changed since {doc.base_ref} ({'; '.join(changes)}): nodes may fail to join",
                json_path=current.arn.json_path,
            )
