"""## What it does
Flags access entries (and Crossplane policy associations) declared for a cluster whose
authentication mode is `CONFIG_MAP`: written so, or left out where the format's default
is `CONFIG_MAP` (the EKS API, CloudFormation, ACK and Crossplane; eksctl's default is
`API_AND_CONFIG_MAP`, except for a control plane on Outposts without
`etcdInstanceType`). A cluster no file of the repository defines, or whose mode is
unknown at lint time (an intrinsic), is not judged.

## Why is this bad?
In `CONFIG_MAP` mode EKS reads only aws-auth and refuses every access-entry call:
`The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to
perform this operation.` (InvalidRequestException). The deployment fails at apply time,
after the cluster itself was created or updated.

## Example
```yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: prod, region: eu-west-1}
accessConfig:
  authenticationMode: CONFIG_MAP
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/ops
      kubernetesGroups: [ops]
```
Leaving the mode out is the same in CloudFormation, ACK and Crossplane, whose default
is `CONFIG_MAP`:
```yaml
Resources:
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      RoleArn: !GetAtt ClusterRole.Arn
      ResourcesVpcConfig: {SubnetIds: !Ref Subnets}
  Ops:
    Type: AWS::EKS::AccessEntry
    Properties:
      ClusterName: !Ref Cluster
      PrincipalArn: arn:aws:iam::111122223333:role/ops
```

## Use instead
```yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: prod, region: eu-west-1}
accessConfig:
  authenticationMode: API_AND_CONFIG_MAP
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/ops
      kubernetesGroups: [ops]
```
In CloudFormation:
```yaml
Resources:
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      RoleArn: !GetAtt ClusterRole.Arn
      ResourcesVpcConfig: {SubnetIds: !Ref Subnets}
      AccessConfig:
        AuthenticationMode: API_AND_CONFIG_MAP
  Ops:
    Type: AWS::EKS::AccessEntry
    Properties:
      ClusterName: !Ref Cluster
      PrincipalArn: arn:aws:iam::111122223333:role/ops
```

## References
- [eksctl#7695](https://github.com/eksctl-io/eksctl/issues/7695) (the EKS error)
- [Amazon EKS: change the authentication mode](https://docs.aws.amazon.com/eks/latest/userguide/setting-up-access-entries.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.eksaccess import at, label, mode_origin
from awsauth_lint.engine import Project
from awsauth_lint.model import RuleMeta, Severity, Violation

META = RuleMeta(
    code="AE402",
    name="access-entries-refused",
    summary="Access entries are declared for a cluster in CONFIG_MAP mode, which refuses them",
    default_severity=Severity.ERROR,
    scope="project",
    tags=("correctness", "migration"),
)

REFUSED = ("EKS refuses it: 'The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] "
           "to perform this operation.' (InvalidRequestException)")
EKSCTL = ("eksctl refuses it ('accessConfig.authenticationMode must be set to either API_AND_CONFIG_MAP or API to "
          "use access entries'), and so does EKS ('The cluster's authentication mode must be set to one of "
          "[API, API_AND_CONFIG_MAP] to perform this operation.')")
OUTPOSTS = "eksctl's default for a control plane on Outposts without etcdInstanceType"


def check(project: Project) -> Iterator[Violation]:
    for ec in project.eks:
        if ec.mode != "CONFIG_MAP":
            continue
        c = ec.config
        origin = mode_origin(ec)
        if c is not None and c.format == "eksctl" and c.mode is None:  # eksctl's usual default is API_AND_CONFIG_MAP
            origin = f"{OUTPOSTS}, {at(c.file, c.span.start.line)} sets no mode"
        for e in ec.entries:
            where = e.principal if e.principal is not None else None
            span, path = (where.span, where.json_path) if where is not None else (e.span, e.json_path)
            what = "this access policy association" if e.association else "this access entry"
            refused = EKSCTL if c is not None and e.format == c.format == "eksctl" and c.mode is not None else REFUSED
            yield Violation(
                span,
                f"{what} is for {label(ec)}, whose authentication mode is CONFIG_MAP ({origin}): {refused}; "
                "set the mode to API_AND_CONFIG_MAP",
                json_path=path,
                file=e.file,
            )
