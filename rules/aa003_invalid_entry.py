"""## What it does
Reports every entry (or whole map) of `mapRoles`, `mapUsers` and `mapAccounts` that an
authenticator line rejects or reads differently from what is written, as the
effective-access model computes it: the map is not a list, an entry is not a mapping,
has no `rolearn`/`userarn` (or both `rolearn` and `sso`, or an `sso` matcher with a bad
account id, permission set or partition), `groups` is not a list, a field holds a list
or mapping where a string goes, text starting with `{` that is read as JSON. YAML
syntax errors (AA001), YAML 1.1 booleans and numbers (AA005) and unquoted templates
(AA006) have rules of their own. The message says which line is affected.

## Why is this bad?
The authenticator never reports a bad entry. On the current line an entry without
`rolearn`/`userarn` is dropped; a field of the wrong type is blanked and the entry
kept, so `groups: system:masters` written as a string maps the role with *no* groups at
all. The legacy line keeps entries without an ARN, inert. The mistake is silent until
someone is denied.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops
    groups: ops-team
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops
    groups:
      - ops-team
```

## References
- aws-iam-authenticator `pkg/config/types.go` (`RoleMapping`, `UserMapping`)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint import effective
from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Span, Violation
from awsauth_lint.parsemap import CURRENT, LINES

META = RuleMeta(
    code="AA003",
    name="invalid-entry",
    summary="An aws-auth entry does not have the shape the authenticator reads",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
)

LINE_NAMES: dict[str, str] = {CURRENT: "the current authenticator, v0.6.30+", "v0.5": "the legacy authenticator, v0.5.x"}


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    """What the effective-access model says either line rejects or loses, unless a more
    specific rule explains it (AA001 syntax, AA005 YAML 1.1 scalars, AA006 templates)."""
    if doc.kind == "eksctl":
        return
    st = effective.state(doc)
    said: dict[Span, dict[str, list[str]]] = {}
    paths: dict[Span, str] = {}
    for line in LINES:
        for key, kr in st.lines[line].keys.items():
            for p in kr.problems:
                if p.code != "AA003" or p.span is None:
                    continue
                said.setdefault(p.span, {}).setdefault(p.message, []).append(line)
                paths.setdefault(p.span, f"{doc.path}.data.{key}")
    for span in sorted(said, key=lambda s: (s.start, s.end)):
        parts = []
        for message, lines in said[span].items():
            who = "both authenticator lines" if len(lines) == len(LINES) else LINE_NAMES[lines[0]]
            parts.append(f"{message} ({who})")
        yield Violation(span, "; ".join(parts), json_path=paths[span])
