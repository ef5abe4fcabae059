"""## What it does
Flags an access entry declared for a role EKS creates its own access entry for: the node
role of a managed node group, or the pod execution role of a Fargate profile, of the same
cluster. The node groups and profiles are read from the same sources as entries: an
eksctl `ClusterConfig` (`managedNodeGroups[].iam.instanceRoleARN`,
`fargateProfiles[].podExecutionRoleARN`, the cluster being `metadata.name`) and
CloudFormation (`AWS::EKS::Nodegroup` `NodeRole`, `AWS::EKS::FargateProfile`
`PodExecutionRoleArn`, each with its `ClusterName`). Roles compare by account and role
name without case, whatever their IAM path, and whatever the entry's type (an
`EC2_LINUX` entry for the node role collides too). A role that is a CloudFormation
intrinsic (`!GetAtt NodeRole.Arn`) matches only an entry of the same template whose
principal is the very same expression. Self-managed `nodeGroups[]` are not flagged: EKS
makes no entry for them.

## Why is this bad?
"EKS will create access entries (if enabled)" for managed node groups and Fargate
profiles, and there is one entry per principal: once EKS has made its entry, declaring
the same principal fails with `The specified access entry resource is already in use on
this cluster.` (409 ResourceInUseException). EKS's entry for a managed node group's role
stays after the node group is deleted, so the collision outlives the node group. When
the declared entry happens to be created first, EKS uses it instead of making one, and
the nodes then depend on an entry the repository may replace or delete.

## Example
```yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: payments-prod
  region: eu-central-1
managedNodeGroups:
  - name: ng-1
    iam:
      instanceRoleARN: arn:aws:iam::111122223333:role/payments-nodes
accessConfig:
  authenticationMode: API
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/payments-nodes
      type: EC2_LINUX
```

## Use instead
```yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: payments-prod
  region: eu-central-1
managedNodeGroups:
  - name: ng-1
    iam:
      instanceRoleARN: arn:aws:iam::111122223333:role/payments-nodes
accessConfig:
  authenticationMode: API
```

## References
- [Amazon EKS: create access entries](https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html) ("EKS will create access entries (if enabled)")
- [terraform-aws-eks#2977](https://github.com/terraform-aws-modules/terraform-aws-eks/issues/2977) (the 409 error)
- [eksctl#8516](https://github.com/eksctl-io/eksctl/issues/8516), [containers-roadmap#2631](https://github.com/aws/containers-roadmap/issues/2631) (the entry outlives the node group; EKS makes one only if none exists)
- [containers-roadmap#2425](https://github.com/aws/containers-roadmap/issues/2425) (it cannot be turned off)
- eksctl `pkg/apis/eksctl.io/v1alpha5/types.go` (`ManagedNodeGroup`, `NodeGroupIAM.InstanceRoleARN`, `FargateProfile.PodExecutionRoleARN`) and `assets/schema.json`
- CloudFormation resource schemas `AWS::EKS::Nodegroup` (`ClusterName`, `NodeRole`, `NodegroupName`) and `AWS::EKS::FargateProfile` (`ClusterName`, `PodExecutionRoleArn`, `FargateProfileName`)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.accessentry import AccessEntry, ManagedRole
from awsauth_lint.eksaccess import at, label, principal_key
from awsauth_lint.engine import Project
from awsauth_lint.model import RuleMeta, Severity, Violation

META = RuleMeta(
    code="AE103",
    name="eks-managed-principal",
    summary="An access entry for a role EKS makes its own entry for (managed node group, Fargate profile)",
    default_severity=Severity.WARNING,
    scope="project",
    tags=("correctness", "nodes"),
)

IN_USE = "'The specified access entry resource is already in use on this cluster.' (409 ResourceInUseException)"


def check(project: Project) -> Iterator[Violation]:
    for ec in project.eks:
        if not ec.managed:
            continue
        for e in ec.standing:
            found = [m for m in ec.managed if _same(e, m)]
            if not found or e.principal is None:
                continue
            whats = ", ".join(f"{m.what} ({at(m.file, m.role.span.start.line)})" for m in found)
            nodes = any(m.what.startswith("managed node group") for m in found)
            kept = ", and keeps it after the node group is deleted" if nodes else ""
            yield Violation(
                e.principal.span,
                f"EKS makes its own access entry for this role, for {whats} of {label(ec)}{kept}: "
                f"declaring it too fails with {IN_USE}; leave this entry to EKS",
                json_path=e.principal.json_path,
                file=e.file,
            )


def _same(e: AccessEntry, m: ManagedRole) -> bool:
    """Whether the entry's principal is the managed role: the same account and role name
    (any path, any case), or, for an intrinsic role, the same expression in its template."""
    p = e.principal
    if p is None:
        return False
    if m.role.value:
        key = principal_key(p.value) if p.value else None
        return key is not None and key[2] == "role" and key == principal_key(m.role.value)
    return e.file == m.file and e.json_path in m.same
