"""## What it does
Reports a file that mentions aws-auth but is a Helm, Go, Jinja or Terraform template
(`{{ .Values... }}`, `{% for %}`, `${var}`), which cannot be linted as YAML.

## Why is this bad?
The mistakes this linter looks for are in the rendered output. Linting the template
text would flag placeholders as broken ARNs, or miss everything. Render it first and
lint the result, e.g. `helm template . | awsauth-lint -`.

## Example
```yaml
mapRoles: |
  - rolearn: ${node_role_arn}
    username: system:node:{{EC2PrivateDNSName}}
```

## Use instead
```sh
terraform output -raw aws_auth | awsauth-lint --stdin-filename aws-auth.yaml -
```

## References
- [helm template](https://helm.sh/docs/helm/helm_template/)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.loader import SourceFile
from awsauth_lint.model import RuleMeta, Severity, Violation

META = RuleMeta(
    code="AL003",
    name="template-not-linted",
    summary="A templated file cannot be linted as YAML; render it first",
    default_severity=Severity.NOTE,
    scope="file",
    tags=("usability",),
)


def check(sf: SourceFile) -> Iterator[Violation]:
    if sf.template is None:
        return
    span, kind = sf.template
    yield Violation(
        span,
        f"{kind} template syntax: this file is not linted; render it and lint the output "
        "(e.g. `helm template ... | awsauth-lint -`)",
    )
