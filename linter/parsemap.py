"""`ParseMap` of each authenticator release line: what one aws-auth data key yields.

- current line (v0.6.30-v0.7.x, `CURRENT`): YAML -> JSON (`utilyaml.ToJSON`) -> Go
  structs with `encoding/json`: field names match in any case, a value of the wrong
  type leaves its field empty (one error for the key), then `Validate` drops entries
  without `rolearn`/`userarn` (or with both `rolearn` and `sso`, or a bad `sso`).
- legacy line (v0.5.8-v0.5.27, `LEGACY`): yaml.v2 straight into the structs: exact
  field names, any scalar kept as its text (`yes` stays "yes"), no validation.
`mapAccounts` is yaml.v2 into `[]string` on both lines. A YAML error, and on the current
line anything JSON cannot hold, drops every entry of the key; only the first YAML
document counts. Sources: aws-iam-authenticator v0.7.18 / v0.5.27
`pkg/mapper/configmap/configmap.go`, `pkg/config/{types,mapper}.go`.
"""

from __future__ import annotations

from . import decode_json, decode_yaml
from .goyaml import GO_SPACE, GoYAMLFailure, check_json, skippable
from .mapentry import CURRENT, LEGACY, LINES, PARTITIONS, Entry, KeyResult, Line, Problem, Sso, owner
from .nodes import Node
from .source import ParseError

__all__ = ["CURRENT", "GO_SPACE", "LEGACY", "LINES", "PARTITIONS", "Entry", "KeyResult", "Line", "Problem", "Sso", "parse_key", "skippable"]

def parse_key(key: str, text: str, root: Node | None, error: ParseError | None, line: Line) -> KeyResult:
    """ParseMap for one key: `text` is the value, `root` its first YAML document."""
    res = KeyResult(key, present=True)
    if skippable(text):
        res.skipped = True
        return res
    if line == CURRENT and key != "mapAccounts" and text.lstrip(GO_SPACE).startswith("{"):
        return _drop(res, f"{key} starts with '{{', so it is read as JSON, and a JSON object is not a list of entries: "
                          "nothing in it is read", root)
    if error is not None:
        res.problems.append(Problem(f"YAML error: {error.message}", None, "key", error.span, "AA001"))
        res.errors = 1
        return res
    try:
        if key == "mapAccounts":
            decode_yaml.accounts(res, root)
        elif line == CURRENT:
            check_json(root)
            decode_json.entries(res, root)
        else:
            decode_yaml.entries(res, root)
    except GoYAMLFailure as e:
        res.entries.clear()
        res.accounts.clear()
        return _drop(res, str(e), e.node)
    return res


def _drop(res: KeyResult, message: str, node: Node | None) -> KeyResult:
    res.problems.append(Problem(message, node, "key", code=owner(node)))
    res.errors = 1
    return res
