"""## What it does
Flags an unquoted value that a YAML parser reads as a boolean, number or null where a
string is meant: `username: yes`, a group `- on`, `- 0755`, or an account id written
without quotes.

## Why is this bad?
The authenticator's parsers follow YAML 1.1, where `yes`, `no`, `on`, `off`, `y` and
`n` are booleans and digit strings are numbers (a leading zero can make them octal or
floats). The current authenticator turns such a value in a string field into `""`; the
v0.5 line keeps the raw text. Either way the mapping is not what it says.

The fix quotes the value. It is unsafe (`--unsafe-fixes`): on the current authenticator
an empty username or group becomes the quoted text, which changes who the caller is.

## Example
```yaml
mapAccounts: |
  - 012345678901
```

## Use instead
```yaml
mapAccounts: |
  - "012345678901"
```

## References
- [YAML 1.1 bool type](https://yaml.org/type/bool.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation
from awsauth_lint.nodes import Map, Scalar, Seq

from ._common import ambiguous, quote_fix, roots

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


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for _key, em in roots(doc):
        literal = isinstance(em.value, Scalar) and em.value.style == "|"  # quotes can go in safely
        yield from _scan(em.root, f"$.data.{_key}", literal)
    for m in doc.eksctl:
        yield from _entry(m.node, m.json_path)


def _scan(root: object, path: str, fixable: bool) -> Iterator[Violation]:
    if not isinstance(root, Seq):
        return
    for n, item in enumerate(root.items):
        if isinstance(item, Scalar):
            yield from _one(item, f"{path}[{n}]", fixable)
        elif isinstance(item, Map):
            yield from _entry(item, f"{path}[{n}]", fixable)


def _entry(entry: Map, path: str, fixable: bool = True) -> Iterator[Violation]:
    for k, v in entry.scalar_keys():
        if k.value in STRING_KEYS and isinstance(v, Scalar):
            yield from _one(v, f"{path}.{k.value}", fixable)
        elif k.value == "groups" and isinstance(v, Seq):
            for g, item in enumerate(v.items):
                if isinstance(item, Scalar):
                    yield from _one(item, f"{path}.groups[{g}]", fixable)


def _one(s: Scalar, path: str, fixable: bool) -> Iterator[Violation]:
    kind = ambiguous(s)
    if kind is None or kind == "null":
        return
    yield Violation(
        s.span,
        f"unquoted '{s.value}' is read as {kind}, not a string; quote it: \"{s.value}\"",
        json_path=path,
        fix=quote_fix(s.span, s.value, f"'{s.value}'", safe=False) if fixable else None,  # "" -> the text on v0.7
    )
