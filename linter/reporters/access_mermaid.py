"""`access` as a Mermaid flowchart, as GitHub renders it: principals -> the groups and
usernames RBAC sees -> the roles and access policies that grant them power.

Node ids are generated (`n1`, `n2`...), never taken from a name; every label is quoted
and entity-encoded (`escape.mermaid`), so no name can end a label, draw an edge, start a
directive or a click handler, or carry HTML.
"""

from __future__ import annotations

from ..review import ClusterAccess, Holder
from .escape import mermaid

# Shapes: principal rectangle, subject (group or username) rounded, role subroutine,
# access policy hexagon.
SHAPES = {"principal": ('["', '"]'), "subject": ('("', '")'), "role": ('[["', '"]]'), "policy": ('{{"', '"}}')}


class _Graph:
    """Nodes by (shape, name) in order of first use, and edges without repeats."""

    def __init__(self) -> None:
        self.nodes: dict[tuple[str, str], tuple[str, str]] = {}  # (shape, key) -> (id, label)
        self.edges: dict[tuple[str, str, str], None] = {}

    def node(self, shape: str, key: str, label: str) -> str:
        if (shape, key) not in self.nodes:
            self.nodes[shape, key] = (f"n{len(self.nodes) + 1}", label)
        return self.nodes[shape, key][0]

    def edge(self, a: str, b: str, label: str = "") -> None:
        self.edges[a, b, label] = None

    def lines(self) -> list[str]:
        out = ["flowchart LR"]
        for (shape, _), (nid, label) in self.nodes.items():
            left, right = SHAPES[shape]
            out.append(f"  {nid}{left}{mermaid(label)}{right}")
        for a, b, label in self.edges:
            out.append(f'  {a} -->|"{mermaid(label)}"| {b}' if label else f"  {a} --> {b}")
        return out


def _holder(g: _Graph, h: Holder) -> None:
    p = g.node("principal", h.key, f"{h.kind} {h.principal}")
    for group in h.groups:
        g.edge(p, g.node("subject", f"group {group}", f"group {group}"))
    for name, scope in h.policies:
        g.edge(p, g.node("policy", name, f"access policy {name}"), scope)
    for r in h.reasons:
        if r.subject == "policy":
            continue  # from `policies`, with every scope of the association on one edge
        src = p
        if r.subject and r.subject != "built-in":  # "group ops", "user alice": what RBAC matched
            src = g.node("subject", r.subject, r.subject)
            g.edge(p, src)
        g.edge(src, g.node("role", r.role or r.text, r.role or r.text), r.scope)


def render_mermaid(cluster: ClusterAccess) -> str:
    """One cluster's principals and what grants them power, as a `flowchart LR`."""
    g = _Graph()
    for h in cluster.holders:
        _holder(g, h)
    if not g.nodes:
        g.node("principal", "", "nobody gets in")
    return "\n".join(g.lines()) + "\n"
