"""## What it does
Validates every entry of `mapRoles`, `mapUsers` and `mapAccounts` against the JSON
Schemas shipped in `schemas/`: the map must be a list, each entry a mapping with a
`rolearn` (or `sso`) or `userarn`, `groups` a list of strings, and each account a
12-digit string.

## Why is this bad?
The authenticator never reports a bad entry. An entry without `rolearn`/`userarn` is
dropped; a field of the wrong type is blanked and the entry kept, so
`groups: system:masters` written as a string maps the role with *no* groups at all.
The mistake is silent until someone is denied.

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
from typing import Any

from awsauth_lint.awsauth import AwsAuthDoc
from awsauth_lint.model import RuleMeta, Severity, Violation
from awsauth_lint.nodes import Map, Node, Seq, to_python

from ._common import roots

META = RuleMeta(
    code="AA003",
    name="invalid-entry",
    summary="An aws-auth entry does not have the shape the authenticator reads",
    default_severity=Severity.ERROR,
    scope="awsauth",
    tags=("correctness",),
)

SCHEMAS = {"mapRoles": "map-roles", "mapUsers": "map-users", "mapAccounts": "map-accounts"}
ARN_KEY = {"mapRoles": "rolearn", "mapUsers": "userarn"}


def check(doc: AwsAuthDoc) -> Iterator[Violation]:
    for key, em in roots(doc):
        data = to_python(em.root, strings_only=True)
        # Entries whose shape is plainly right get the schema's verdict far cheaper; when
        # all are (the usual map), jsonschema is not even imported (a third of start-up).
        odd = [i for i, item in enumerate(data) if not _plainly_valid(key, item)] if isinstance(data, list) else None
        if odd == []:
            continue
        import jsonschema
        from awsauth_lint.schemas import load

        validator = jsonschema.Draft202012Validator(load(SCHEMAS[key]))
        found = []
        if isinstance(data, list) and odd is not None:
            items = validator.evolve(schema=load(SCHEMAS[key])["items"])
            for i in odd:
                for e in items.iter_errors(data[i]):
                    e.path.appendleft(i)
                    found.append(e)
        else:
            found = list(validator.iter_errors(data))
        errors = sorted(found, key=lambda e: [str(p) for p in e.absolute_path])
        for e in errors:
            path = list(e.absolute_path)
            node = _at(em.root, path)
            if node is None or _owned_elsewhere(node, e):
                continue
            json_path = f"$.data.{key}" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
            span = node.span
            if isinstance(node, Map) and node.pairs and e.validator in ("required", "oneOf"):
                span = node.pairs[0][0].span
            yield Violation(span, _message(key, path, e), json_path=json_path)


_PLAIN_KEYS = {"mapRoles": {"rolearn", "username", "groups"}, "mapUsers": {"userarn", "username", "groups"}}


def _plainly_valid(key: str, item: object) -> bool:
    """The common, clearly valid entry (the schema would find nothing to say)."""
    if key == "mapAccounts":
        return isinstance(item, str) and len(item) == 12 and item.isdigit()
    if not isinstance(item, dict) or not item.keys() <= _PLAIN_KEYS[key]:
        return False
    arn = "rolearn" if key == "mapRoles" else "userarn"
    groups = item.get("groups")
    return (
        isinstance(item.get(arn), str)
        and isinstance(item.get("username", ""), (str, type(None)))
        and (groups is None or (isinstance(groups, list) and all(isinstance(g, (str, type(None))) for g in groups)))
    )


def _owned_elsewhere(node: Node, e: Any) -> bool:
    """Unquoted templates are AA006's; case variants of the ARN key are AA004's."""
    if isinstance(node, Map) and node.flow and node.pairs and isinstance(node.pairs[0][0], Map):
        return True
    if e.validator in ("required", "oneOf"):
        if not isinstance(e.instance, dict):
            return True  # not a mapping at all: the type error says it
        exact = set(e.instance) & {"rolearn", "userarn"}
        return not exact and bool({k.lower() for k in e.instance} & {"rolearn", "userarn"})
    return False


def _at(root: Node | None, path: list[Any]) -> Node | None:
    node = root
    for p in path:
        if isinstance(node, Seq) and isinstance(p, int) and p < len(node.items):
            node = node.items[p]
        elif isinstance(node, Map) and isinstance(p, str):
            node = node.get(p)
        else:
            return None
    return node


def _message(key: str, path: list[Any], e: Any) -> str:
    where = f"{key} entry {path[0] + 1}" if path and isinstance(path[0], int) else key
    field = path[1] if len(path) > 1 else None
    if not path:
        return f"{key} must be a YAML list of entries; the authenticator ignores anything else"
    if key == "mapAccounts":
        return f"{where} must be a 12-digit AWS account id in quotes, not {e.instance!r}"
    if e.validator == "type" and field is None:
        return f"{where} is not a mapping (`- rolearn: ...`); the authenticator drops it"
    if e.validator in ("required", "oneOf") and field is None:
        if key == "mapRoles" and isinstance(e.instance, dict) and "rolearn" in e.instance and "sso" in e.instance:
            return f"{where} has both `rolearn` and `sso`; give exactly one"
        return f"{where} has no `{ARN_KEY[key]}`; the authenticator drops the entry"
    if field == "groups" and len(path) == 2:
        return f"`groups` in {where} must be a list; the current authenticator keeps the entry with NO groups"
    if field == "groups":
        return f"group in {where} must be a string"
    if field == "sso":
        return f"`sso` in {where} needs `permissionSetName` and `accountID`"
    return f"`{field}` in {where} must be a string; the current authenticator blanks it"
