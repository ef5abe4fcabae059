"""## What it does
Flags a `{{...}}` in a username or group that is not one of the authenticator's five
templates, written exactly: `{{EC2PrivateDNSName}}`, `{{AccountID}}`, `{{SessionName}}`,
`{{SessionNameRaw}}`, `{{AccessKeyID}}`. Case slips and near misses get a "did you
mean" (`{{sessionname}}`, `{{ SessionName }}`, `{{SessionID}}`), and so does a known
name with one brace too few (`{SessionName}`, `{{SessionName}`). The finding points at
the `{{` itself when the scalar is plain or quoted on one line, else at the scalar.

## Why is this bad?
Templates are replaced exactly and case-sensitively. Anything else, `{{sessionname}}`,
`{{ SessionName }}` or `{{InstanceID}}`, stays in the name literally, with no error:
every session of the role gets the same odd username, and bindings or audit queries
written for the intended name never match.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops:{{sessionName}}
    groups: [ops]
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/ops
    username: ops:{{SessionName}}
    groups: [ops]
```

## References
- aws-iam-authenticator `pkg/server/server.go` (`renderTemplate`)
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation

from ._common import TEMPLATES, name_scalars, span_in_scalar, templates_in

META = RuleMeta(
    code="AA202",
    name="unknown-template",
    summary="A `{{...}}` is not one of the five templates and stays literal",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
)

_BY_NAME = {t[2:-2].lower(): t for t in TEMPLATES}
# A known template name in braces that are not exactly two on each side: `{SessionName}`, `{{SessionName}`.
_BRACES = re.compile(r"(\{+)\s*([A-Za-z0-9_]+)\s*(\}+)")


def suggestion(token: str) -> str:
    """'; did you mean ...?' for a case slip or a near miss, else the list of templates."""
    squashed = re.sub(r"[\s{}]", "", token).lower()
    if squashed in _BY_NAME:
        return f"; did you mean '{_BY_NAME[squashed]}'?"
    close = difflib.get_close_matches(squashed, list(_BY_NAME), n=1, cutoff=0.7)
    if close:
        return f"; did you mean '{_BY_NAME[close[0]]}'?"
    return f" (templates: {', '.join(TEMPLATES)})"


def unknown_templates(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, token, message) for every `{{...}}` that the authenticator leaves as it is."""
    for offset, token in templates_in(text):
        if not any(t in token for t in TEMPLATES):  # `{{{SessionName}}` still renders its inner template
            yield offset, token, f"'{token}' is not a template: it stays literally in the name{suggestion(token)}"
    for b in _BRACES.finditer(text):
        opening, name, closing = b.groups()
        if name.lower() in _BY_NAME and (len(opening) < 2 or len(closing) < 2):
            token = b.group(0)
            yield (
                b.start(),
                token,
                f"'{token}' is not a template (templates have two braces on each side): it stays literally "
                f"in the name; did you mean '{_BY_NAME[name.lower()]}'?",
            )


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for m in doc.mappings:
        for node, path in name_scalars(m):
            for offset, token, message in unknown_templates(node.value):
                yield Violation(span_in_scalar(node, offset, len(token), node.span), message, json_path=path)
