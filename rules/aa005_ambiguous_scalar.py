"""## What it does
Flags an unquoted value in a string field of a mapRoles or mapUsers entry (`rolearn`,
`userarn`, `username`, a group, an `sso` field) that YAML 1.1 reads as a boolean or a
number: `username: yes`, a group `- on`, `- 0755`, `username: 1234`.

## Why is this bad?
Both authenticator lines parse with Go's yaml.v2, which follows YAML 1.1: `yes`, `no`,
`on`, `off`, `y` and `n` are booleans and digit strings are numbers (a leading zero makes
them octal). The current authenticator converts the map to JSON before reading it, so
such a value in a string field becomes `""` (and `.inf` or `.nan` drops the whole map);
the v0.5 line keeps the raw text. The two lines then disagree on who the caller is.

`mapAccounts` is not flagged: both lines read it with yaml.v2 straight into strings, so
an unquoted `012345678901` stays `"012345678901"`. Dates (`2024-01-31`) are kept as text
too.

The fix quotes the value. It is unsafe (`--unsafe-fixes`): on the current authenticator
an empty username or group becomes the quoted text, which changes who the caller is.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops
    groups: [on-call, yes]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops
    groups: [on-call, "yes"]
```

## References
- [YAML 1.1 bool type](https://yaml.org/type/bool.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.goyaml import scalar_kind
from awsauth_lint.model import RuleMeta, Severity, Violation
from awsauth_lint.nodes import Map, Scalar, Seq

from ._common import quote_fix, roots

META = RuleMeta(
    code="AA005",
    name="ambiguous-scalar",
    summary="An unquoted value is read as a boolean, number or null instead of a string",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
    fixable="unsafe",
)

STRING_KEYS = ("rolearn", "userarn", "username", "arn", "userid")
SSO_KEYS = ("permissionsetname", "accountid", "partition")
_KINDS = {"bool": "a boolean", "int": "a number", "float": "a number", "nonfinite": "a number JSON cannot hold"}


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for key, em in roots(doc):
        if key == "mapAccounts":
            continue  # read with yaml.v2 into strings on both lines: `0123` stays "0123"
        literal = isinstance(em.value, Scalar) and em.value.style == "|"  # quotes can go in safely
        if isinstance(em.root, Seq):
            for n, item in enumerate(em.root.items):
                if isinstance(item, Map):
                    yield from _entry(item, f"{doc.path}.data.{key}[{n}]", literal)
    for m in doc.eksctl:
        yield from _entry(m.node, m.json_path)


def _entry(entry: Map, path: str, fixable: bool = True) -> Iterator[Violation]:
    """String fields as the current line matches them: in any case."""
    for k, v in entry.scalar_keys():
        name = k.value.lower()
        if name in STRING_KEYS and isinstance(v, Scalar):
            yield from _one(v, f"{path}.{k.value}", fixable)
        elif name == "groups" and isinstance(v, Seq):
            for g, item in enumerate(v.items):
                if isinstance(item, Scalar):
                    yield from _one(item, f"{path}.{k.value}[{g}]", fixable)
        elif name == "sso" and isinstance(v, Map):
            for sk, sv in v.scalar_keys():
                if sk.value.lower() in SSO_KEYS and isinstance(sv, Scalar):
                    yield from _one(sv, f"{path}.{k.value}.{sk.value}", fixable)


def _one(s: Scalar, path: str, fixable: bool) -> Iterator[Violation]:
    kind = _KINDS.get(scalar_kind(s))
    if kind is None:
        return
    effect = ("the current authenticator drops every entry of the map" if kind.endswith("hold")
              else "the current authenticator blanks it (the legacy one keeps the text)")
    yield Violation(
        s.span,
        f"unquoted '{s.value}' is read as {kind}, not a string: {effect}; quote it: \"{s.value}\"",
        json_path=path,
        fix=quote_fix(s.span, s.value, f"'{s.value}'", safe=False) if fixable else None,  # "" -> the text on v0.7
    )
