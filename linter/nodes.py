"""Parser-independent YAML nodes with exact source spans.

`source.py` builds these from the parser's composed nodes; rules only ever see these,
so no rule depends on ruamel.yaml. Nodes shared through anchors/aliases are shared
objects here too (never expanded), which keeps alias bombs linear.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from .model import Span, pickled_by_init, unpack

# YAML 1.2 core schema tags we keep, in short form.
STR, INT, FLOAT, BOOL, NULL = "str", "int", "float", "bool", "null"
SMALL_MAP = 8  # mappings of up to this many pairs keep no key index (120 bytes each)


@pickled_by_init()
@dataclass(slots=True, eq=False)
class Scalar:
    value: str
    at: Span | int  # where: the span, or `pack`ed (read `span`)
    style: str | None = None  # None plain, "|" literal, ">" folded, "'" or '"' quoted
    tag: str = STR  # resolved short tag, or the explicit tag as written (e.g. "!foo")
    tagged: bool = False  # the tag is written (`!!str yes`), not resolved from the text

    @property
    def span(self) -> Span:
        span = self.at = unpack(self.at)  # kept once read: findings and `Located` values share it
        return span

    @property
    def plain(self) -> bool:
        return self.style is None


@pickled_by_init()
@dataclass(slots=True, eq=False)
class Seq:
    items: list[Node]
    at: Span | int  # where: the span, or `pack`ed (read `span`)
    flow: bool = False
    tag: str = "seq"

    @property
    def span(self) -> Span:
        span = self.at = unpack(self.at)
        return span


@pickled_by_init("_index")
@dataclass(slots=True, eq=False)
class Map:
    pairs: list[tuple[Node, Node]]
    at: Span | int  # where: the span, or `pack`ed (read `span`)
    flow: bool = False
    tag: str = "map"
    _index: dict[str, int] | None = field(default=None, repr=False)  # key -> pair, for a large mapping

    @property
    def span(self) -> Span:
        span = self.at = unpack(self.at)
        return span

    def __post_init__(self) -> None:
        """Index the keys of a large mapping; a small one (every aws-auth entry) is scanned."""
        if len(self.pairs) <= SMALL_MAP:
            self._index = None
            return
        self._index = {}
        for i, (k, _) in enumerate(self.pairs):
            if isinstance(k, Scalar):
                self._index[k.value] = i  # the last of duplicate keys wins

    def _find(self, key: str) -> int | None:
        if self._index is not None:
            return self._index.get(key)
        pairs = self.pairs
        for i in range(len(pairs) - 1, -1, -1):  # the last of duplicate keys wins
            k = pairs[i][0]
            if isinstance(k, Scalar) and k.value == key:
                return i
        return None

    def get(self, key: str) -> Node | None:
        i = self._find(key)
        return None if i is None else self.pairs[i][1]

    def key_node(self, key: str) -> Node | None:
        i = self._find(key)
        return None if i is None else self.pairs[i][0]

    def scalar_keys(self) -> Iterator[tuple[Scalar, Node]]:
        for k, v in self.pairs:
            if isinstance(k, Scalar):
                yield k, v


Node = Scalar | Seq | Map


class Access(Protocol):
    """How to read a document tree: ours (`NODES`), or the parser's own nodes for a
    document read once and never converted (`source.compose_relevant(..., full=...)`)."""

    def pairs(self, n: Any) -> list[tuple[Any, Any]] | None: ...
    def items(self, n: Any) -> list[Any] | None: ...
    def text(self, n: Any) -> str | None: ...
    def span(self, n: Any) -> Span: ...


class _Nodes:
    def pairs(self, n: Any) -> list[tuple[Any, Any]] | None:
        return n.pairs if isinstance(n, Map) else None

    def items(self, n: Any) -> list[Any] | None:
        return n.items if isinstance(n, Seq) else None

    def text(self, n: Any) -> str | None:
        return n.value if isinstance(n, Scalar) else None

    def span(self, n: Any) -> Span:
        return n.span  # type: ignore[no-any-return]


NODES: Access = _Nodes()


def get_str(node: Node | None, *path: str) -> str | None:
    """The string at `path` below `node` (mappings only), or None."""
    for key in path:
        if not isinstance(node, Map):
            return None
        node = node.get(key)
    return node.value if isinstance(node, Scalar) else None


def to_python(node: Node | None, strings_only: bool = False) -> object:
    """Plain Python data for schema validation; scalars become str unless null."""
    seen: dict[int, object] = {}

    def conv(n: Node | None) -> object:
        if n is None:
            return None
        if id(n) in seen:
            return seen[id(n)]
        if isinstance(n, Scalar):
            if n.tag == NULL and n.plain:
                return None
            return n.value if strings_only or n.tag == STR else _typed(n)
        if isinstance(n, Seq):
            out: list[object] = []
            seen[id(n)] = out
            out.extend(conv(i) for i in n.items)
            return out
        d: dict[str, object] = {}
        seen[id(n)] = d
        for k, v in n.pairs:
            d[k.value if isinstance(k, Scalar) else "<complex key>"] = conv(v)
        return d

    return conv(node)


def _typed(n: Scalar) -> object:
    try:
        if n.tag == INT:
            return int(n.value.replace("_", ""), 0) if n.value[:2] in ("0x", "0o") else int(n.value)
        if n.tag == FLOAT:
            return float(n.value)
        if n.tag == BOOL:
            return n.value.lower() == "true"
    except ValueError:
        pass
    return n.value
