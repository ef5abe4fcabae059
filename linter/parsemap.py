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

import re
from dataclasses import dataclass, field
from typing import Literal

from .goyaml import GoYAMLFailure, check_json, describe, is_null, json_object, kind, pairs
from .model import Span
from .nodes import Map, Node, Scalar, Seq
from .source import ParseError

Line = Literal["v0.7", "v0.5"]
CURRENT: Line = "v0.7"
LEGACY: Line = "v0.5"
LINES: tuple[Line, ...] = (CURRENT, LEGACY)
PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc")
_FIELDS = {
    "mapRoles": ("rolearn", "sso", "username", "groups", "userid"),
    "mapUsers": ("userarn", "username", "groups", "userid"),
}
_SSO_FIELDS = ("permissionSetName", "accountID", "partition")


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a line rejects; `drops` says how much it costs."""

    message: str
    node: Node | None  # where (None: the whole value)
    drops: Literal["key", "entry", "field"]
    at: Span | None = None  # where, when there is no node (a YAML error)
    code: str = "AA003"  # the structure rule that reports it (AA001 syntax, AA005 YAML 1.1, AA006 templates)

    @property
    def span(self) -> Span | None:
        return self.at if self.node is None else self.node.span


@dataclass(slots=True)
class Sso:
    permission_set: str = ""
    account: str = ""
    partition: str = ""
    node: Node | None = None

    def arn_like(self) -> str:
        """`RoleMapping.SSOArnLike`, bug included: a given partition is left out."""
        part = "aws" if self.partition == "" else ""
        return f"arn:{part}:iam::{self.account}:role/AWSReservedSSO_{self.permission_set}_*".lower()


@dataclass(slots=True)
class Entry:
    """One mapRoles/mapUsers item as a line decodes it; nodes say where each part was."""

    key: str
    index: int
    node: Node
    arn: str = ""
    arn_node: Node | None = None
    username: str = ""
    username_node: Node | None = None
    groups: list[str] | None = None  # None: Go's nil slice
    group_nodes: list[Node] = field(default_factory=list)
    groups_node: Node | None = None
    sso: Sso | None = None
    userid: str = ""


@dataclass(slots=True)
class KeyResult:
    """What `ParseMap` makes of one data key on one line."""

    key: str
    present: bool = False
    skipped: bool = False
    entries: list[Entry] = field(default_factory=list)  # kept
    accounts: list[tuple[str, Node]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    errors: int = 0  # how many errors ParseMap reports for this key

    @property
    def dropped(self) -> bool:
        return any(p.drops == "key" for p in self.problems)


def skippable(text: str) -> bool:
    return text.strip() in ("", "``", '""', "''")


def parse_key(key: str, text: str, root: Node | None, error: ParseError | None, line: Line) -> KeyResult:
    """ParseMap for one key: `text` is the value, `root` its first YAML document."""
    res = KeyResult(key, present=True)
    if skippable(text):
        res.skipped = True
        return res
    if line == CURRENT and key != "mapAccounts" and text.lstrip().startswith("{"):
        return _drop(res, f"{key} starts with '{{', so it is read as JSON, and a JSON object is not a list of entries: "
                          "nothing in it is read", root)
    if error is not None:
        res.problems.append(Problem(f"YAML error: {error.message}", None, "key", error.span, "AA001"))
        res.errors = 1
        return res
    try:
        if key == "mapAccounts":
            _accounts(res, root)
        elif line == CURRENT:
            check_json(root)
            _entries_json(res, root)
        else:
            _entries_yaml(res, root)
    except GoYAMLFailure as e:
        res.entries.clear()
        res.accounts.clear()
        return _drop(res, str(e), e.node)
    return res


def owner(node: Node | None, as_key: bool = False) -> str:
    """The structure rule that explains a problem with this value: AA006 for an unquoted
    `{{template}}` (a flow mapping whose key is a mapping, or that inner mapping used as a
    key), AA005 for a YAML 1.1 boolean or number, AA003 for any other shape."""
    if isinstance(node, Map) and node.flow and (as_key or (node.pairs and isinstance(node.pairs[0][0], Map))):
        return "AA006"
    if node is not None and kind(node) in ("bool", "int", "float", "nonfinite"):
        return "AA005"
    return "AA003"


def _drop(res: KeyResult, message: str, node: Node | None) -> KeyResult:
    res.problems.append(Problem(message, node, "key", code=owner(node)))
    res.errors = 1
    return res


def _type_error(res: KeyResult, message: str, node: Node, drops: Literal["key", "entry", "field"] = "field") -> None:
    """A yaml.v2 or JSON type error: decoding goes on; the key reports one error."""
    res.problems.append(Problem(message, node, drops, code=owner(node)))
    res.errors = 1


# --- current line: JSON decoding into RoleMapping / UserMapping --------------------


def _entries_json(res: KeyResult, root: Node | None) -> None:
    if is_null(root):
        return
    assert root is not None
    if not isinstance(root, Seq):
        _type_error(res, f"{res.key} is {describe(root)}, not a list of entries: nothing in it is read", root, "key")
        return
    json_error = False
    for i, item in enumerate(root.items):
        e = Entry(res.key, i, item)
        if isinstance(item, Map):
            problems = _struct_json(e, json_object(item))
            res.problems.extend(problems)
            json_error = json_error or bool(problems)
        elif not is_null(item):
            res.problems.append(Problem(f"{res.key} entry {i + 1} is {describe(item)}, not a mapping: it is dropped",
                                        item, "entry", code=owner(item)))
            json_error = True
        why = _validate(e)
        if why:
            if isinstance(item, Map) or is_null(item):
                res.problems.append(Problem(f"{res.key} entry {i + 1} {why}", item, "entry"))
            res.errors += 1
        else:
            res.entries.append(e)
    res.errors += json_error


def _match(key: str, names: tuple[str, ...]) -> str | None:
    if key in names:
        return key
    return next((n for n in names if n.lower() == key.lower()), None)


def _struct_json(e: Entry, obj: dict[str, tuple[Node, Node]]) -> list[Problem]:
    problems: list[Problem] = []
    for key, (_, v) in obj.items():
        name = _match(key, _FIELDS[e.key])
        if name is None:
            continue
        k = kind(v)
        if name == "groups":
            if k == "null":
                e.groups, e.group_nodes, e.groups_node = None, [], v
            elif isinstance(v, Seq):
                e.groups, e.group_nodes, e.groups_node = [], [], v
                for g in v.items:
                    gk = kind(g)
                    e.groups.append(g.value if gk == "str" and isinstance(g, Scalar) else "")
                    e.group_nodes.append(g)
                    if gk not in ("str", "null"):
                        problems.append(Problem(f"group {describe(g)} is not a string: it becomes \"\"", g, "field", code=owner(g)))
            else:
                problems.append(Problem(f"groups is {describe(v)}, not a list: the entry gets no groups", v, "field", code=owner(v)))
        elif name == "sso":
            if k == "null":
                e.sso = None
            elif isinstance(v, Map):
                e.sso = e.sso or Sso(node=v)
                for sk, (_, sv) in json_object(v).items():
                    sname = _match(sk, _SSO_FIELDS)
                    if sname is not None:
                        problems += _string_field(e.sso, sname, sv)
            else:
                problems.append(Problem(f"sso is {describe(v)}, not a mapping", v, "field", code=owner(v)))
        else:
            problems += _string_field(e, name, v)
    return problems


_ATTR = {"rolearn": "arn", "userarn": "arn", "username": "username", "userid": "userid",
         "permissionSetName": "permission_set", "accountID": "account", "partition": "partition"}


def _string_field(target: Entry | Sso, name: str, v: Node) -> list[Problem]:
    k = kind(v)
    attr = _ATTR[name]
    if k == "null":
        return []
    if k == "str" and isinstance(v, Scalar):
        setattr(target, attr, v.value)
        if isinstance(target, Entry) and attr in ("arn", "username"):
            setattr(target, f"{attr}_node", v)
        return []
    return [Problem(f"{name} is {describe(v)}, not a string: it stays empty", v, "field", code=owner(v))]


_ACCOUNT_ID = re.compile(r"[0-9]{12}\Z")
_PERMISSION_SET = re.compile(r"[0-9A-Za-z_+=,.@-]{1,32}\Z")


def _validate(e: Entry) -> str:
    """`RoleMapping.Validate` / `UserMapping.Validate` (current line)."""
    if e.key == "mapUsers":
        return "" if e.arn else "has no userarn: it is dropped"
    if not e.arn and e.sso is None:
        return "has no rolearn (nor sso): it is dropped"
    if e.arn and e.sso is not None:
        return "has both rolearn and sso: it is dropped"
    s = e.sso
    if s is not None:
        if not _ACCOUNT_ID.match(s.account):
            return f"has sso accountID '{s.account}', not a 12-digit account id: it is dropped"
        if not _PERMISSION_SET.match(s.permission_set):
            return f"has sso permissionSetName '{s.permission_set}', which is not a permission set name: it is dropped"
        if s.partition and s.partition not in PARTITIONS:
            return f"has sso partition '{s.partition}', which is not a partition: it is dropped"
    return ""


# --- legacy line and mapAccounts: yaml.v2 straight into the structs ----------------


def _entries_yaml(res: KeyResult, root: Node | None) -> None:
    if is_null(root):
        return
    assert root is not None
    if not isinstance(root, Seq):
        _type_error(res, f"{res.key} is {describe(root)}, not a list of entries: nothing in it is read", root, "key")
        return
    for i, item in enumerate(root.items):
        e = Entry(res.key, i, item)
        if isinstance(item, Map):
            for k, v in pairs(item):
                if not isinstance(k, Scalar):
                    _type_error(res, "a mapping or sequence used as a key", k)
                    continue
                name = "" if is_null(k) else k.value
                if name not in _FIELDS[res.key] or name == "sso":
                    continue
                _struct_yaml(res, e, name, v)
        elif not is_null(item):
            _type_error(res, f"{res.key} entry {i + 1} is {describe(item)}, not a mapping: it is dropped", item, "entry")
            continue
        res.entries.append(e)


def _struct_yaml(res: KeyResult, e: Entry, name: str, v: Node) -> None:
    if name == "groups":
        if is_null(v):
            e.groups, e.group_nodes, e.groups_node = None, [], v
        elif isinstance(v, Seq):
            e.groups, e.group_nodes, e.groups_node = [], [], v
            for g in v.items:
                if isinstance(g, Scalar):
                    e.groups.append("" if is_null(g) else g.value)
                    e.group_nodes.append(g)
                else:
                    _type_error(res, f"group {describe(g)} is not a string: it is left out", g)
        else:
            _type_error(res, f"groups is {describe(v)}, not a list: the entry gets no groups", v)
        return
    if isinstance(v, Scalar):
        attr = _ATTR[name]
        setattr(e, attr, "" if is_null(v) else v.value)
        if attr in ("arn", "username"):
            setattr(e, f"{attr}_node", None if is_null(v) else v)
        return
    _type_error(res, f"{name} is {describe(v)}, not a string: it stays empty", v)


def _accounts(res: KeyResult, root: Node | None) -> None:
    if is_null(root):
        return
    assert root is not None
    if not isinstance(root, Seq):
        _type_error(res, f"mapAccounts is {describe(root)}, not a list of account ids: nothing in it is read", root, "key")
        return
    for item in root.items:
        if isinstance(item, Scalar):
            res.accounts.append(("" if is_null(item) else item.value, item))
        else:
            _type_error(res, f"an account is {describe(item)}, not a string: it is left out", item)
