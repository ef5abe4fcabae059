"""Small helpers shared by rule modules (no I/O, no parser access)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awsauth_lint.awsauth import AwsAuthDoc, EmbeddedMap
from awsauth_lint.model import Edit, Fix, Span
from awsauth_lint.nodes import Map, Node, Scalar, Seq

TEMPLATES = ("{{EC2PrivateDNSName}}", "{{AccountID}}", "{{SessionName}}", "{{SessionNameRaw}}", "{{AccessKeyID}}")
DROPS = {
    "mapRoles": "the authenticator drops every mapRoles entry, node roles included (nodes go NotReady)",
    "mapUsers": "the authenticator drops every mapUsers entry",
    "mapAccounts": "the authenticator drops every mapAccounts entry",
}

_BOOL_NULL = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL)$")
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_DECIMAL = re.compile(r"^(?:0|[1-9][0-9]{0,17})$")
_INT_BASES = re.compile(r"^[-+]?(?:0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+)$")


def ambiguous(s: Scalar) -> str | None:
    """Why a plain scalar is not a string to some YAML parser, or None if it is."""
    if not s.plain or not s.value:
        return None
    v = s.value
    if _BOOL_NULL.match(v):
        return "a boolean" if v.lower() not in ("~", "null") else "null"
    if v[0] in "+-.0123456789":
        if _DECIMAL.match(v):
            return None  # every parser turns it back into the same digits
        if _INT_BASES.match(v) or _SEXAGESIMAL.match(v):
            return "a number"
        try:
            float(v.replace("_", ""))
        except ValueError:
            return None
        return "a number"
    return None


def walk(node: Node | None) -> Iterator[Node]:
    """Every node below `node` once (shared alias targets once)."""
    seen: set[int] = set()
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        yield n
        if isinstance(n, Seq):
            stack.extend(reversed(n.items))
        elif isinstance(n, Map):
            stack.extend(x for pair in reversed(n.pairs) for x in reversed(pair))


def roots(doc: AwsAuthDoc) -> Iterator[tuple[str, EmbeddedMap]]:
    for key, em in doc.maps.items():
        if em.root is not None:
            yield key, em


def source_text(doc: AwsAuthDoc, span: Span) -> str:
    """The file's text under a one-line span ('' when it spans lines)."""
    if span.start.line != span.end.line:
        return ""
    return doc.src.line(span.start.line)[span.start.column - 1 : span.end.column - 1]


def quote_fix(span: Span, text: str, what: str) -> Fix | None:
    if not span.exact or not text or '"' in text or "\\" in text:
        return None
    return Fix(f"quote {what}", (Edit(span, f'"{text}"'),))


# --- node identities (RULES.md "Node mappings that must stay") -------------------------

EC2_NODE_USERNAME = "system:node:{{EC2PrivateDNSName}}"
SESSION_NODE_USERNAME = "system:node:{{SessionName}}"  # Fargate and hybrid nodes
NODE_USERNAMES = (EC2_NODE_USERNAME, SESSION_NODE_USERNAME)
NODE_GROUPS = frozenset({"system:nodes", "system:bootstrappers", "system:node-proxier"})
WINDOWS_GROUP = "eks:kube-proxy-windows"
RESERVED_PREFIXES = ("system:", "eks:", "aws:", "amazon:", "iam:")


def is_node_username(username: str | None) -> bool:
    return username in NODE_USERNAMES
