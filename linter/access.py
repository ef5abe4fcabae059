"""Which format declares access entries in a composed file, and what it declares.

A document is an eksctl `ClusterConfig` (`apiVersion: eksctl.io/...`), an ACK or Crossplane
object (by its API group and kind), or a CloudFormation template (a `Resources:` mapping
with an `AWS::EKS::AccessEntry` or `AWS::EKS::Cluster`, YAML or JSON); the items of a
`kind: List` (any `*List`) are read one by one, their JSON paths starting at
`$.items[N]`. Each format's module turns its documents into the shared model
(`accessentry`); the loader keeps the result as `SourceFile.access`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from . import ae_ack, ae_cloudformation, ae_crossplane, ae_eksctl
from .accessentry import Declared
from .nodes import Map, Node, Seq, get_str

Reader = Callable[[str, Map, str], Declared]


def declared(file: str, docs: Iterable[Node | None]) -> Declared:
    """Every access entry, policy association and cluster access config the documents declare."""
    out = Declared()
    for doc in docs:
        for node, prefix in _objects(doc):
            read = reader(node)
            if read is not None:
                out.extend(read(file, node, prefix))
    return out


def reader(doc: Map) -> Reader | None:
    """The format module that reads `doc`, or None when it declares nothing of the kind."""
    version = get_str(doc, "apiVersion")
    kind = get_str(doc, "kind")
    if version is None or kind is None:
        return ae_cloudformation.declared if ae_cloudformation.is_template(doc) else None
    group = version.split("/", 1)[0]
    if group == "eksctl.io" and kind == "ClusterConfig":
        return ae_eksctl.declared
    if group == ae_ack.GROUP and kind in ae_ack.KINDS:
        return ae_ack.declared
    if group in ae_crossplane.GROUPS and kind in ae_crossplane.KINDS:
        return ae_crossplane.declared
    return None


def _objects(doc: Node | None) -> Iterator[tuple[Map, str]]:
    if not isinstance(doc, Map):
        return
    kind = get_str(doc, "kind") or ""
    items = doc.get("items")
    if kind.endswith("List") and isinstance(items, Seq):  # kubectl flattens any *List
        yield from ((m, f"$.items[{n}]") for n, m in enumerate(items.items) if isinstance(m, Map))
    else:
        yield doc, "$"
