"""## What it does
Flags `bootstrapClusterCreatorAdminPermissions: false` on a cluster whose authentication
mode is `CONFIG_MAP` (written so, or the format's default when absent).

## Why is this bad?
EKS refuses to create the cluster: `bootstrapClusterCreatorAdminPermissions must be true
if cluster authentication mode is set to CONFIG_MAP` (InvalidParameterException). In
`CONFIG_MAP` mode the creator's invisible admin access is the only way in until an
aws-auth exists, so EKS will not let it go; turning it off needs access entries, which
that mode does not have.

## Example
```yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: prod, region: eu-west-1}
accessConfig:
  authenticationMode: CONFIG_MAP
  bootstrapClusterCreatorAdminPermissions: false
```

## Use instead
```yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: prod, region: eu-west-1}
accessConfig:
  authenticationMode: API_AND_CONFIG_MAP
  bootstrapClusterCreatorAdminPermissions: false
```

## References
- [terraform-aws-eks#3026](https://github.com/terraform-aws-modules/terraform-aws-eks/issues/3026) (the EKS error)
- [EKS API: CreateAccessConfigRequest](https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessConfigRequest.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.eksaccess import EXACT_MODES, FORMAT_NAMES
from awsauth_lint.engine import Project
from awsauth_lint.model import RuleMeta, Severity, Violation

META = RuleMeta(
    code="AE404",
    name="creator-admin-required",
    summary="bootstrapClusterCreatorAdminPermissions is false on a cluster in CONFIG_MAP mode",
    default_severity=Severity.ERROR,
    scope="project",
    tags=("correctness",),
)


def check(project: Project) -> Iterator[Violation]:
    for f in project.files:
        for c in f.access.configs:
            flag = c.bootstrap_admin
            if flag is None or flag.value != "false":
                continue
            fix = "set the mode to API_AND_CONFIG_MAP or API, or this to true"
            if c.mode is None and c.format == "eksctl":  # eksctl's usual default is API_AND_CONFIG_MAP
                mode, why = c.default_mode, "eksctl's default for a control plane on Outposts without etcdInstanceType"
                fix = "eksctl refuses false on Outposts too: set this to true"
            elif c.mode is None:
                mode, why = c.default_mode, f"the {FORMAT_NAMES[c.format]} default when no mode is written"
            elif c.mode.value in EXACT_MODES:
                mode, why = c.mode.value, f"set at line {c.mode.span.start.line}"
            else:
                continue  # unknown at lint time
            if mode != "CONFIG_MAP":
                continue
            yield Violation(
                flag.span,
                f"the authentication mode is CONFIG_MAP ({why}): EKS refuses the cluster: "
                "'bootstrapClusterCreatorAdminPermissions must be true if cluster authentication mode is set to CONFIG_MAP' "
                f"(InvalidParameterException); {fix}",
                json_path=flag.json_path,
                file=c.file,
            )
