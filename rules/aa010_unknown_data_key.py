"""## What it does
Flags a key under the aws-auth `data` that is a spelling or case variant of `mapRoles`,
`mapUsers` or `mapAccounts`: `maproles`, `MapUsers`, `mapRole`, `map_roles`,
`mapAcounts`.

## Why is this bad?
The authenticator reads exactly three keys, case-sensitively, and ignores every other
key without a word. Every entry under a mis-spelt key is dead: the roles, users or
accounts it lists are not mapped, and `kubectl` answers `Unauthorized`. Nothing in the
cluster reports it.

Keys that only start like a map key (`mapRolesBackup`, `mapRoles.old`) are other data,
kept on purpose, and are not flagged.

The fix renames the key. It is unsafe: it makes every entry under it live, entries that
may not have been reviewed since they were written.

## Example
```yaml
data:
  maproles: |
    - rolearn: arn:aws:iam::111122223333:role/deployer
      username: deployer
      groups: [deployers]
```

## Use instead
```yaml
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/deployer
      username: deployer
      groups: [deployers]
```

## References
- aws-iam-authenticator `pkg/mapper/configmap/configmap.go` (`ParseMap` reads `m["mapRoles"]`, `m["mapUsers"]`, `m["mapAccounts"]`)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from awsauth_lint import effective
from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import Edit, Fix, RuleMeta, Severity, Violation
from awsauth_lint.nodes import Scalar

META = RuleMeta(
    code="AA010",
    name="unknown-data-key",
    summary="A data key that is a spelling or case variant of mapRoles/mapUsers/mapAccounts is never read",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
    fixable="unsafe",
)

KEYS = ("mapRoles", "mapUsers", "mapAccounts")


def meant(key: str) -> str | None:
    """The map key `key` is a variant of, or None: case, `_`/`-`/space, a missing or extra
    `s`, one or two letters off (`mapRloes`); not a longer name (`mapRolesBackup`)."""
    squashed = key.lower().replace("_", "").replace("-", "").replace(" ", "")
    for k in KEYS:
        low = k.lower()
        if squashed in (low, low.rstrip("s"), low + "s"):
            return k
        if squashed.isalpha() and difflib.SequenceMatcher(None, squashed, low).ratio() >= 0.85:
            return k
    return None


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    if doc.kind == "eksctl":
        return
    st = effective.state(doc)
    present = {k for k, _ in st.ignored_keys} | {k for k in KEYS if doc.data is not None and doc.data.get(k) is not None}
    for key, node in st.ignored_keys:
        target = meant(key)
        if target is None or key == target:
            continue
        fix = None
        if isinstance(node, Scalar) and node.plain and node.span.exact and target not in present:
            fix = Fix(f"rename '{key}' to '{target}'", (Edit(node.span, target),), safe=False)
        yield Violation(
            node.span,
            f"data key '{key}' is never read: the authenticator reads only '{target}' (exact case), so every "
            f"entry under '{key}' is ignored; rename it to '{target}'",
            json_path=f"{doc.path}.data.{key}",
            fix=fix,
        )
