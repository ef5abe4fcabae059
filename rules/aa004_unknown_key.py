"""## What it does
Flags a key in a `mapRoles`/`mapUsers` entry (or an eksctl `iamIdentityMappings` item)
that the authenticator does not know: a misspelling (`group`, `rolarn`) or a
mis-cased name (`roleARN`, `userName`).

Other keys (`description`, `team`) are not flagged: both lines ignore them, and nothing
written as a field is lost.

## Why is this bad?
Unknown fields are silently ignored, so `group: [ops]` maps the role with no groups.
Field names are matched case-insensitively only by the current authenticator; the
v0.5 line matches them exactly, so `roleARN` there leaves the entry without a role
and it never matches. The fix renames case variants to the exact key. It is unsafe
(`--unsafe-fixes`): on v0.5 it turns a mapping that matches nobody (or one without its
username or groups) into a live one.

## Example
```yaml
mapRoles: |
  - roleARN: arn:aws:iam::111122223333:role/ops
    username: ops
    groups: [ops]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops
    groups: [ops]
```

## References
- aws-iam-authenticator `pkg/config/types.go`; v0.5 decodes YAML directly, v0.6+ via JSON
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import Edit, Fix, RuleMeta, Severity, Violation

META = RuleMeta(
    code="AA004",
    name="unknown-key",
    summary="An aws-auth entry has a misspelt or mis-cased key",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
    fixable="unsafe",
)

KNOWN = {
    "mapRoles": ("rolearn", "username", "groups", "sso", "userid"),
    "mapUsers": ("userarn", "username", "groups", "userid"),
    "eksctl": ("arn", "username", "groups", "account", "serviceName", "namespace", "noDuplicateARNs"),
}


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for m in doc.mappings:
        known = KNOWN[m.section]
        for key, _ in m.node.scalar_keys():
            name = key.value
            if name in known:
                continue
            exact = next((k for k in known if k.lower() == name.lower()), None)
            where = "this entry" if m.section == "eksctl" else f"{m.section} entry {m.index + 1}"
            if exact is not None and m.section != "eksctl":
                # Unsafe: v0.5 ignores the mis-cased key today, so the rename changes access there.
                fix = Fix(f"rename '{name}' to '{exact}'", (Edit(key.span, exact),), safe=False) if key.span.exact and key.plain else None
                yield Violation(
                    key.span,
                    f"'{name}' should be '{exact}': the current authenticator accepts it, "
                    "but v0.5 matches keys exactly and ignores it",
                    json_path=f"{m.json_path}.{name}",
                    fix=fix,
                )
                continue
            squashed = name.lower().replace("_", "").replace("-", "")
            close = difflib.get_close_matches(squashed, [k.lower() for k in known], n=1, cutoff=0.75)
            if close:
                hint = f"; did you mean '{next(k for k in known if k.lower() == close[0])}'?"
            elif name.lower() in ("userarn", "rolearn"):
                hint = f"; {'user' if name.lower() == 'userarn' else 'role'} ARNs belong under {'mapUsers' if name.lower() == 'userarn' else 'mapRoles'}"
            else:
                continue  # another field (description, namespace): both lines ignore it, nothing is lost
            yield Violation(
                key.span,
                f"unknown key '{name}' in {where} is silently ignored{hint}",
                json_path=f"{m.json_path}.{name}",
            )
