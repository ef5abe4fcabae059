"""Small helpers shared by rule modules (no I/O, no parser access)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awsauth_lint.arn import parse as parse_arn
from awsauth_lint.awsauth import AwsAuthDoc, EmbeddedMap, Mapping
from awsauth_lint.model import Edit, Fix, Position, Span
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


def walk_paths(node: Node | None, path: str) -> Iterator[tuple[Node, str]]:
    """Like `walk`, with each node's JSON path below `path` (a shared alias target: its first)."""
    seen: set[int] = set()
    stack: list[tuple[Node, str]] = [(node, path)] if node is not None else []
    while stack:
        n, at = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        yield n, at
        if isinstance(n, Seq):
            stack.extend((item, f"{at}[{i}]") for i, item in reversed(list(enumerate(n.items))))
        elif isinstance(n, Map):
            for k, v in reversed(n.pairs):
                stack += [(v, f"{at}.{k.value}" if isinstance(k, Scalar) else at), (k, at)]


def maps(node: Node | None) -> Iterator[Map]:
    """Every mapping below `node` once (cheaper than `walk` when only mappings matter)."""
    seen: set[int] = set()
    stack = [node] if isinstance(node, (Map, Seq)) else []
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, Map):
            yield n
            stack.extend(v for k, v in n.pairs if isinstance(v, (Map, Seq)))
            stack.extend(k for k, _ in n.pairs if isinstance(k, (Map, Seq)))
        else:
            stack.extend(i for i in n.items if isinstance(i, (Map, Seq)))


def roots(doc: AwsAuthDoc) -> Iterator[tuple[str, EmbeddedMap]]:
    for key, em in doc.maps.items():
        if em.root is not None:
            yield key, em


def source_text(doc: AwsAuthDoc, span: Span) -> str:
    """The file's text under a one-line span ('' when it spans lines)."""
    if span.start.line != span.end.line:
        return ""
    return doc.src.line(span.start.line)[span.start.column - 1 : span.end.column - 1]


def quote_fix(span: Span, text: str, what: str, *, safe: bool) -> Fix | None:
    """Put double quotes around a one-line plain scalar (`safe`: see RULES.md, safe fixes)."""
    if not span.exact or not text or '"' in text or "\\" in text:
        return None
    return Fix(f"quote {what}", (Edit(span, f'"{text}"'),), safe)


# --- node identities (RULES.md "Node mappings that must stay") -------------------------

EC2_NODE_USERNAME = "system:node:{{EC2PrivateDNSName}}"
SESSION_NODE_USERNAME = "system:node:{{SessionName}}"  # Fargate and hybrid nodes
NODE_USERNAMES = (EC2_NODE_USERNAME, SESSION_NODE_USERNAME)
NODE_GROUPS = frozenset({"system:nodes", "system:bootstrappers", "system:node-proxier"})
WINDOWS_GROUP = "eks:kube-proxy-windows"
RESERVED_PREFIXES = ("system:", "eks:", "aws:", "amazon:", "iam:")


def is_node_username(username: str | None) -> bool:
    return username in NODE_USERNAMES


def replace_scalar_fix(node: Node | None, new: str, description: str, *, safe: bool) -> Fix | None:
    """A fix replacing a one-line scalar's value, keeping its quotes; None if not exact."""
    if not isinstance(node, Scalar) or not node.span.exact or node.span.start.line != node.span.end.line:
        return None
    if node.style in ("|", ">") or (node.style is None and new != new.strip()):
        return None
    start, end = node.span.start, node.span.end
    quotes = 2 if node.style in ('"', "'") else 0
    # Every character one source character (no escapes here nor in an enclosing quoted
    # map string, where an inner quote is written `\"` or `''`), and nothing in `new`
    # that would need escaping in either.
    if end.column - start.column != len(node.value) + quotes or any(c in new for c in "\\\"'"):
        return None
    if quotes:
        start = Position(start.line, start.column + 1)
        end = Position(end.line, end.column - 1)
    return Fix(description, (Edit(Span(start, end), new),), safe)


TEMPLATE_TOKEN = re.compile(r"\{\{.*?\}\}")


def templates_in(text: str) -> list[tuple[int, str]]:
    """(offset, token) of every `{{...}}` in `text`."""
    return [(m.start(), m.group(0)) for m in TEMPLATE_TOKEN.finditer(text)]


def outside_templates(text: str) -> str:
    """`text` with every `{{...}}` removed (what AA201 checks for case)."""
    return TEMPLATE_TOKEN.sub("", text)


def name_scalars(m: Mapping) -> Iterator[tuple[Scalar, str]]:
    """The username and group scalars of a mapping (the text templates render in), with JSON paths."""
    if isinstance(m.username_node, Scalar):
        yield m.username_node, f"{m.json_path}.username"
    if isinstance(m.groups_node, Seq):
        for k, g in enumerate(m.groups_node.items):
            if isinstance(g, Scalar):
                yield g, f"{m.json_path}.groups[{k}]"


def principal_type(m: Mapping) -> str:
    """'role' or 'user': the kind of IAM principal a mapping is for ('' when unknown).

    The ARN decides when it parses (a user ARN under mapRoles still maps an IAM user: the
    authenticator looks both stores up with the caller's ARN); else the section does.
    """
    if m.arn is not None:
        arn = parse_arn(m.arn.value)
        if arn is not None and arn.type in ("role", "user"):
            return arn.type
    return {"mapRoles": "role", "mapUsers": "user"}.get(m.section, "")


def span_in_scalar(node: Node | None, offset: int, length: int, fallback: Span) -> Span:
    """The span of `length` characters at `offset` inside a one-line scalar's value.

    Exact only where every value character is one source character (plain, or quoted
    without escapes): the scalar's width then equals the value's length (+2 quotes).
    """
    if not isinstance(node, Scalar) or not node.span.exact or node.span.start.line != node.span.end.line:
        return fallback
    quotes = {None: 0, "'": 2, '"': 2}.get(node.style)
    if quotes is None or node.span.end.column - node.span.start.column != len(node.value) + quotes:
        return fallback
    col = node.span.start.column + offset + quotes // 2
    return Span(Position(node.span.start.line, col), Position(node.span.start.line, col + length))


def node_kind(username: str | None, groups: tuple[str, ...], role_name: str = "") -> str | None:
    """ec2-linux, ec2-windows, fargate or hybrid for a node mapping; None otherwise.

    Fargate and hybrid nodes share `system:node:{{SessionName}}`; Fargate pod execution
    roles also carry `system:node-proxier` (or are named for Fargate), hybrid ones do not.
    """
    if username == EC2_NODE_USERNAME:
        return "ec2-windows" if WINDOWS_GROUP in groups else "ec2-linux"
    if username == SESSION_NODE_USERNAME:
        fargate = "system:node-proxier" in groups or "fargate" in role_name.lower()
        return "fargate" if fargate else "hybrid"
    return None
