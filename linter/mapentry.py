"""The values `ParseMap` produces on each authenticator line, and what it rejects.

Shared by both lines' decoders (`decode_json`, `decode_yaml`) and read by everything
that asks what the authenticator stores (`effective`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .goyaml import describe, kind
from .model import Span
from .nodes import Map, Node, Seq

Line = Literal["v0.7", "v0.5"]
CURRENT: Line = "v0.7"
LEGACY: Line = "v0.5"
LINES: tuple[Line, ...] = (CURRENT, LEGACY)
PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc")
FIELDS = {
    "mapRoles": ("rolearn", "sso", "username", "groups", "userid"),
    "mapUsers": ("userarn", "username", "groups", "userid"),
}
SSO_FIELDS = ("permissionSetName", "accountID", "partition")
ATTR = {  # field name -> Entry / Sso attribute
    "rolearn": "arn", "userarn": "arn", "username": "username", "userid": "userid",
    "permissionSetName": "permission_set", "accountID": "account", "partition": "partition",
}


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


# What Go's strings.TrimSpace removes (unicode.IsSpace), not Python's wider str.strip().
def owner(node: Node | None, as_key: bool = False) -> str:
    """The structure rule that explains a problem with this value: AA006 for an unquoted
    `{{template}}` (a flow mapping whose key is a mapping, or that inner mapping used as a
    key), AA005 for a YAML 1.1 boolean or number, AA003 for any other shape."""
    if isinstance(node, Map) and node.flow and (as_key or (node.pairs and isinstance(node.pairs[0][0], Map))):
        return "AA006"
    if node is not None and kind(node) in ("bool", "int", "float", "nonfinite"):
        return "AA005"
    return "AA003"


def type_error(res: KeyResult, message: str, node: Node, drops: Literal["key", "entry", "field"] = "field") -> None:
    """A yaml.v2 or JSON type error: decoding goes on; the key reports one error."""
    res.problems.append(Problem(message, node, drops, code=owner(node)))
    res.errors = 1


def list_root(res: KeyResult, root: Node | None, what: str = "entries") -> Seq | None:
    """The map's list, or None: nothing (null, comments only), or a key error recorded
    when the document is not a list (both lines read nothing of it then)."""
    if root is None or (not isinstance(root, (Map, Seq)) and kind(root) == "null"):
        return None
    if not isinstance(root, Seq):
        type_error(res, f"{res.key} is {describe(root)}, not a list of {what}: nothing in it is read", root, "key")
        return None
    return root
