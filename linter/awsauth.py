"""aws-auth mappings read from composed manifests, as typed values with spans.

Recognises the ConfigMap `aws-auth` (alone, in a multi-document file, inside a
`kind: List` dump, as JSON), data-only patches (a document whose top level is `data:`
holding map keys) and eksctl `ClusterConfig.iamIdentityMappings`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .goyaml import skippable
from .model import Located, Span, pickled_by_init
from .nodes import NULL, STR, Map, Node, Scalar, Seq, get_str
from .source import Composed, ParseError, embedded
from .text import SourceText

MAP_KEYS = ("mapRoles", "mapUsers", "mapAccounts")
_MAP_KEYS_LOWER = {k.lower() for k in MAP_KEYS}
Section = Literal["mapRoles", "mapUsers", "eksctl"]
DocKind = Literal["configmap", "patch", "eksctl"]


@pickled_by_init()
@dataclass(slots=True)
class EmbeddedMap:
    """One of `data.mapRoles|mapUsers|mapAccounts` and the YAML inside it."""

    key: str
    key_node: Node
    value: Node  # the outer value (a string scalar unless AA002)
    root: Node | None = None  # first inner document
    error: ParseError | None = None
    fatal: ParseError | None = None  # what yaml.v2 fails on: an error in the first document, an alias bomb
    extra_docs: list[Span] = field(default_factory=list)
    exact: bool = True


@pickled_by_init()
@dataclass(slots=True)
class Mapping:
    """One entry of mapRoles / mapUsers / iamIdentityMappings."""

    section: Section
    index: int
    node: Map
    json_path: str
    arn: Located[str] | None = None
    arn_key: str = "rolearn"
    arn_node: Node | None = None
    username: Located[str] | None = None
    username_node: Node | None = None
    groups: tuple[Located[str], ...] = ()
    groups_node: Node | None = None

    @property
    def group_names(self) -> tuple[str, ...]:
        return tuple(g.value for g in self.groups)


@pickled_by_init("effective")
@dataclass(slots=True)
class AwsAuthDoc:
    file: str
    kind: DocKind
    root: Map
    src: SourceText
    doc_index: int
    data: Map | None = None
    maps: dict[str, EmbeddedMap] = field(default_factory=dict)
    map_roles: list[Mapping] = field(default_factory=list)
    map_users: list[Mapping] = field(default_factory=list)
    map_accounts: list[Located[str]] = field(default_factory=list)
    eksctl: list[Mapping] = field(default_factory=list)
    base: AwsAuthDoc | None = None  # the same document at the git base (AA402)
    base_ref: str = ""
    path: str = "$"  # JSON path of the object in its document (`$.items[2]` in a List)
    effective: Any = field(default=None, compare=False, repr=False)  # `effective.state`, computed once

    @property
    def mappings(self) -> list[Mapping]:
        return [*self.map_roles, *self.map_users, *self.eksctl]


def find(file: str, composed: Composed, src: SourceText, max_expansion: int = 100_000) -> list[AwsAuthDoc]:
    """Every aws-auth document (or patch, or eksctl config) in a composed file."""
    found: list[AwsAuthDoc] = []
    for i, doc in enumerate(composed.docs):
        for node, prefix in _candidates(doc, "$"):
            kind = _kind(node)
            if kind is not None:
                found.append(_build(file, kind, node, src, i, prefix, max_expansion))
    return found


def alias_excess(root: Node | None, limit: int) -> int:
    """How many nodes YAML aliases add when expanded (counting stops past `limit`).

    Linear in the composed graph: sizes of shared nodes are memoised, never re-walked.
    A document without aliases has an excess of 0, however large it is.
    """
    if root is None:
        return 0
    order: list[Node] = []
    stack: list[Node] = [root]
    seen: set[int] = set()
    while stack:  # iterative: deep nesting must not hit the recursion limit
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        order.append(n)
        if isinstance(n, Seq):
            stack.extend(n.items)
        elif isinstance(n, Map):
            stack.extend(x for pair in n.pairs for x in pair)
    cap = len(order) + limit + 1
    sizes: dict[int, int] = {}
    for n in reversed(order):
        children = n.items if isinstance(n, Seq) else [x for p in n.pairs for x in p] if isinstance(n, Map) else []
        sizes[id(n)] = min(1 + sum(sizes.get(id(c), 1) for c in children), cap)
    return sizes[id(root)] - len(order)


def _candidates(doc: Node | None, prefix: str) -> list[tuple[Map, str]]:
    if not isinstance(doc, Map):
        return []
    kind = get_str(doc, "kind") or ""
    if kind.endswith("List") and isinstance(items := doc.get("items"), Seq):  # kubectl flattens any *List
        return [(m, f"{prefix}.items[{n}]") for n, m in enumerate(items.items) if isinstance(m, Map)]
    return [(doc, prefix)]


def _kind(doc: Map) -> DocKind | None:
    kind = get_str(doc, "kind")
    if kind == "ConfigMap" and get_str(doc, "metadata", "name") == "aws-auth":
        return "configmap"
    if kind == "ClusterConfig" and (get_str(doc, "apiVersion") or "").startswith("eksctl.io/"):
        return "eksctl" if isinstance(doc.get("iamIdentityMappings"), Seq) else None
    data = doc.get("data")
    if doc.get("kind") is None and doc.get("apiVersion") is None and isinstance(data, Map) and _has_map_key(data):
        return "patch"  # a data-only patch: kubectl patch --patch-file (mis-cased keys count: AA010)
    return None


def _has_map_key(data: Map) -> bool:
    return any(k.value.lower() in _MAP_KEYS_LOWER for k, _ in data.scalar_keys())


def _build(file: str, kind: DocKind, root: Map, src: SourceText, i: int, prefix: str, max_expansion: int) -> AwsAuthDoc:
    doc = AwsAuthDoc(file, kind, root, src, i, path=prefix)
    if kind == "eksctl":
        seq = root.get("iamIdentityMappings")
        assert isinstance(seq, Seq)
        for n, item in enumerate(seq.items):
            if isinstance(item, Map):
                path = f"{prefix}.iamIdentityMappings[{n}]"
                doc.eksctl.append(_mapping("eksctl", n, item, path, "arn"))
        return doc
    data = root.get("data")
    doc.data = data if isinstance(data, Map) else None
    if doc.data is None:
        return doc
    for key in MAP_KEYS:
        value, key_node = doc.data.get(key), doc.data.key_node(key)
        if value is None or key_node is None:
            continue
        em = EmbeddedMap(key, key_node, value)
        doc.maps[key] = em
        if not isinstance(value, Scalar) or (value.plain and value.tag not in (STR, NULL)):
            continue  # AA002's business
        if skippable(value.value):
            continue  # blank, "", '' or ``: the authenticator skips it without parsing
        composed, em.exact = embedded(value, src)
        em.error = composed.error
        em.fatal = None if composed.docs else composed.error
        em.root = composed.docs[0] if composed.docs else None
        em.extra_docs = composed.doc_spans[1:]
        if em.error is None and "*" in value.value and alias_excess(em.root, max_expansion) > max_expansion:
            em.error = em.fatal = ParseError(
                f"YAML aliases add more than {max_expansion:,} nodes when expanded (an alias bomb); the authenticator's "
                "parser rejects excessive aliasing",
                value.span,
            )
            em.root = None
        if em.error is not None:
            continue  # the authenticator drops the whole key
        path = f"{prefix}.data.{key}"
        if key == "mapAccounts":
            if isinstance(em.root, Seq):
                doc.map_accounts = [
                    Located(s.value, s.at, f"{path}[{n}]")
                    for n, s in enumerate(em.root.items)
                    if isinstance(s, Scalar)
                ]
        elif isinstance(em.root, Seq):
            section: Section = "mapRoles" if key == "mapRoles" else "mapUsers"
            arn_key = "rolearn" if key == "mapRoles" else "userarn"
            entries = [
                _mapping(section, n, e, f"{path}[{n}]", arn_key)
                for n, e in enumerate(em.root.items)
                if isinstance(e, Map)
            ]
            (doc.map_roles if key == "mapRoles" else doc.map_users).extend(entries)
    return doc


def _field(node: Map, key: str) -> Node | None:
    """A field as the current authenticator reads it: exact key first, else any case."""
    exact = node.get(key)
    if exact is not None:
        return exact
    return next((v for k, v in node.scalar_keys() if k.value.lower() == key.lower()), None)


_STEPS = {"rolearn": ".rolearn", "userarn": ".userarn", "arn": ".arn"}
_GROUP_STEPS = [f".groups[{k}]" for k in range(16)]


def _mapping(section: Section, n: int, node: Map, path: str, arn_key: str) -> Mapping:
    m = Mapping(section, n, node, path, arn_key=arn_key)
    arn = m.arn_node = _field(node, arn_key)
    if isinstance(arn, Scalar) and not (arn.plain and arn.tag == NULL):
        m.arn = Located(arn.value, arn.at, path, _STEPS[arn_key])
    user = _field(node, "username")
    m.username_node = user
    if isinstance(user, Scalar) and not (user.plain and user.tag == NULL):
        m.username = Located(user.value, user.at, path, ".username")
    groups = _field(node, "groups")
    m.groups_node = groups
    if isinstance(groups, Seq):
        m.groups = tuple(
            Located(g.value, g.at, path, _GROUP_STEPS[k] if k < len(_GROUP_STEPS) else f".groups[{k}]")
            for k, g in enumerate(groups.items)
            if isinstance(g, Scalar) and not (g.plain and g.tag == NULL)
        )
    return m
