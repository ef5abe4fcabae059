"""## What it does
Flags the same IAM principal declared twice as an access entry of one cluster (across
files and formats: an eksctl `ClusterConfig` and a CloudFormation template for the same
cluster name count together), and the same access policy associated twice with one
principal: twice in one entry's policies, or by two Crossplane
`AccessPolicyAssociation`s (naming the principal by ARN or by `principalArnRef`). IAM
role and user names are unique per account whatever their path and compared without
case, so `role/ops` and `role/team/OPS` of one account are the same principal. Each
occurrence is flagged, with where the other is.

## Why is this bad?
EKS keeps one access entry per principal. The second create fails: `The specified access
entry resource is already in use on this cluster.` (409 ResourceInUseException). Which
one a deployment ends up with depends on which tool ran first; with two formats in one
repository, each thinks it owns the entry. EKS also keeps one association per policy
and principal: associating the policy again replaces its access scope, so only one of
the two scopes applies, two Crossplane associations overwrite each other's scope, and
deleting either one removes the policy for both.

## Example
```yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: prod, region: eu-west-1}
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
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: prod, region: eu-west-1}
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
- [EKS API: AssociateAccessPolicy](https://docs.aws.amazon.com/eks/latest/APIReference/API_AssociateAccessPolicy.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.accessentry import AccessEntry, Policy
from awsauth_lint.eksaccess import EksCluster, at, label, policy_name, principal_key
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
REPLACED = "EKS keeps one association per policy and principal, and associating it again replaces the access scope"
POLICY_SUFFIX = "cluster-access-policy/"

Seen = dict[tuple[object, ...], list[tuple[AccessEntry, Span, str]]]


def check(project: Project) -> Iterator[Violation]:
    for ec in project.eks:
        seen: Seen = {}
        for e in ec.standing:
            key = principal_key(e.principal.value) if e.principal is not None and e.principal.value else None
            if key is not None and e.principal is not None:
                seen.setdefault(("entry", key), []).append((e, e.principal.span, e.principal.json_path))
            yield from _policies_twice(e)
        _associations(ec, seen)
        for what, found in seen.items():
            for e, span, path in found if len(found) > 1 else ():
                others = ", ".join(at(o.file, s.start.line) for o, s, _ in found if (o, s) != (e, span))
                if what[0] == "association":
                    message = (f"policy {what[2]} is associated with this principal more than once in {label(ec)} "
                               f"(also at {others}): {REPLACED}: the associations overwrite each other's scope, and "
                               "deleting either one removes the policy; keep one")
                else:
                    message = f"this principal has an access entry more than once in {label(ec)} (also at {others}): {IN_USE}"
                yield Violation(span, message, json_path=path, file=e.file)


def _associations(ec: EksCluster, seen: Seen) -> None:
    """Crossplane policy associations by (principal, policy): a principal by ARN, or by
    `principalArnRef` to an AccessEntry object (its ARN when the cluster has it, else its name)."""
    objects = {e.name: e for e in ec.standing if e.format == "crossplane" and e.name}
    for e in ec.entries:
        if not e.association or e.principal is None or not e.policies or e.policies[0].arn is None:
            continue
        name, arn = _policy(e.policies[0]), e.policies[0].arn
        who: object = principal_key(e.principal.value) if e.principal.value else None
        ref = e.principal.ref
        if who is None and ref is not None:
            target = objects.get(ref)
            arn_text = target.principal.value if target is not None and target.principal is not None else None
            who = (principal_key(arn_text) if arn_text else None) or ("object", ref)
        if who is not None and name is not None:
            seen.setdefault(("association", who, name), []).append((e, arn.span, arn.json_path))


def _policy(p: Policy) -> str | None:
    """The policy's name, also from a `!Sub` whose name part is literal
    (`arn:${AWS::Partition}:eks::aws:cluster-access-policy/AmazonEKSViewPolicy`)."""
    name = policy_name(p)
    pattern = p.arn.pattern if p.arn is not None else None
    if name is None and pattern and POLICY_SUFFIX in pattern:
        last = pattern.rsplit("/", 1)[1]
        return last if last and "*" not in last else None
    return name


def _policies_twice(e: AccessEntry) -> Iterator[Violation]:
    first: dict[str, int] = {}
    for p in e.policies:
        name = _policy(p)
        if name is None or p.arn is None:
            continue
        if name in first:
            yield Violation(
                p.arn.span,
                f"policy {name} is associated twice with this entry (first at line {first[name]}): {REPLACED}, "
                "so only one of the two scopes applies; write it once, with every namespace meant",
                json_path=p.arn.json_path,
                file=e.file,
            )
        else:
            first[name] = p.arn.span.start.line
