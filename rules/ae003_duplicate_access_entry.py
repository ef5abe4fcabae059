"""## What it does
Flags the same IAM principal declared twice as an access entry of one cluster (across
files and formats: an eksctl `ClusterConfig` and a CloudFormation template for the same
cluster name count together), and the same access policy associated twice with one entry
(or by two Crossplane `AccessPolicyAssociation`s). IAM role and user names are unique per
account whatever their path and compared without case, so `role/ops` and
`role/team/OPS` of one account are the same principal. Each occurrence is flagged, with
where the other is.

## Why is this bad?
EKS keeps one access entry per principal and one association per policy. The second
create fails: `The specified access entry resource is already in use on this cluster.`
(409 ResourceInUseException). Which one a deployment ends up with depends on which tool
ran first; with two formats in one repository, each thinks it owns the entry.

## Example
```yaml
accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/ops
      kubernetesGroups: [ops]
    - principalARN: arn:aws:iam::111122223333:role/Ops
      accessPolicies:
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy
          accessScope: {type: cluster}
```

## Use instead
```yaml
accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/ops
      kubernetesGroups: [ops]
      accessPolicies:
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy
          accessScope: {type: cluster}
```

## References
- [terraform-aws-eks#2977](https://github.com/terraform-aws-modules/terraform-aws-eks/issues/2977) (the EKS error)
- [Amazon EKS: create access entries](https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.accessentry import AccessEntry
from awsauth_lint.eksaccess import at, label, policy_name, principal_key
from awsauth_lint.engine import Project
from awsauth_lint.model import RuleMeta, Severity, Span, Violation

META = RuleMeta(
    code="AE003",
    name="duplicate-access-entry",
    summary="The same principal has two access entries in one cluster, or an entry has one policy twice",
    default_severity=Severity.ERROR,
    scope="project",
    tags=("correctness",),
)

IN_USE = "EKS refuses the second: 'The specified access entry resource is already in use on this cluster.' (409 ResourceInUseException)"


def check(project: Project) -> Iterator[Violation]:
    for ec in project.eks:
        seen: dict[object, list[tuple[AccessEntry, Span, str]]] = {}
        for e in ec.standing:
            key = principal_key(e.principal.value) if e.principal is not None and e.principal.value else None
            if key is not None and e.principal is not None:
                seen.setdefault(key, []).append((e, e.principal.span, e.principal.json_path))
            yield from _policies_twice(e)
        for e in ec.entries:
            if e.association and e.principal is not None and e.principal.value:
                key = principal_key(e.principal.value)
                names = [n for p in e.policies if (n := policy_name(p)) is not None]
                if key is not None and names and e.policies[0].arn is not None:
                    seen.setdefault(("association", key, names[0]), []).append((e, e.policies[0].arn.span, e.policies[0].arn.json_path))
        for key, found in seen.items():
            for e, span, path in found if len(found) > 1 else ():
                others = ", ".join(at(o.file, s.start.line) for o, s, _ in found if (o, s) != (e, span))
                what = f"policy {key[2]} is associated with this principal" if key[0] == "association" else "this principal has an access entry"
                yield Violation(span, f"{what} more than once in {label(ec)} (also at {others}): {IN_USE}", json_path=path, file=e.file)


def _policies_twice(e: AccessEntry) -> Iterator[Violation]:
    first: dict[str, int] = {}
    for p in e.policies:
        name = policy_name(p)
        if name is None or p.arn is None:
            continue
        if name in first:
            yield Violation(
                p.arn.span,
                f"policy {name} is associated twice with this entry (first at line {first[name]}): "
                "EKS keeps one association per policy and refuses the second (409 ResourceInUseException)",
                json_path=p.arn.json_path,
                file=e.file,
            )
        else:
            first[name] = p.arn.span.start.line
