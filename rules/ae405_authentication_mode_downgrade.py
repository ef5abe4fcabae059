"""## What it does
With a git base (`--base REF`; under pre-commit the default is `HEAD`), flags a cluster
whose authentication mode moved backwards (`API` to `API_AND_CONFIG_MAP` or
`CONFIG_MAP`, `API_AND_CONFIG_MAP` to `CONFIG_MAP`) or skipped a step (`CONFIG_MAP`
straight to `API`). A mode left out counts as the format's default (eksctl
`API_AND_CONFIG_MAP`, the others `CONFIG_MAP`); a mode unknown at lint time on either side
is not judged. The base is the same file at REF, and in it the cluster object of the same
name.

## Why is this bad?
The change is one-way and one step at a time: `CONFIG_MAP` -> `API_AND_CONFIG_MAP` -> `API`.
"Once the access entry method is enabled, it cannot be disabled", and "if the ConfigMap
method is not enabled during cluster creation, it cannot be enabled later". EKS refuses
the update; a tool that replaces the cluster instead (CloudFormation on some changes)
deletes it.

## Example
```diff
 accessConfig:
-  authenticationMode: API
+  authenticationMode: API_AND_CONFIG_MAP
```
The file at the base said `API`; the working tree says `API_AND_CONFIG_MAP`.

## Use instead
```yaml
accessConfig:
  authenticationMode: API
```
Keep the mode the cluster has; to leave `CONFIG_MAP`, go to `API_AND_CONFIG_MAP` first
and to `API` in a later change.

## References
- [Amazon EKS: change the authentication mode](https://docs.aws.amazon.com/eks/latest/userguide/setting-up-access-entries.html)
- [EKS best practices: identity and access management](https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.accessentry import MODES
from awsauth_lint.engine import Project
from awsauth_lint.model import RuleMeta, Severity, Violation

META = RuleMeta(
    code="AE405",
    name="authentication-mode-downgrade",
    summary="The authentication mode moved backwards or skipped a step since the git base",
    default_severity=Severity.ERROR,
    scope="project",
    tags=("correctness",),
)


def check(project: Project) -> Iterator[Violation]:
    for f in project.files:
        for c in f.access.configs:
            if c.base is None:
                continue
            old, new = c.base.effective_mode, c.effective_mode
            if old is None or new is None or old == new:
                continue
            step = MODES.index(new) - MODES.index(old)
            if step == 1:
                continue
            what = "moves backwards" if step < 0 else "skips API_AND_CONFIG_MAP"
            span, path = (c.mode.span, c.mode.json_path) if c.mode is not None else (c.span, c.json_path)
            was = "" if c.base.mode is not None else " (its default)"
            yield Violation(
                span,
                f"the authentication mode {what}: {old}{was} at {c.base_ref}, now {new}; EKS changes it only one step "
                "forward at a time (CONFIG_MAP -> API_AND_CONFIG_MAP -> API) and never back: "
                "'Once the access entry method is enabled, it cannot be disabled'",
                json_path=path,
                file=c.file,
            )
