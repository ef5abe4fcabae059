"""The repository's RBAC: every Role, ClusterRole, RoleBinding and ClusterRoleBinding.

Built once per run from the composed files (multi-document files, `kind: List`, JSON);
the RB rules query it. Names keep their spans so findings point at the exact scalar.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .loader import SourceFile
from .model import Located
from .nodes import Map, Node, Scalar, Seq, get_str

ROLE_KINDS = ("Role", "ClusterRole")
BINDING_KINDS = ("RoleBinding", "ClusterRoleBinding")
BUILTIN_CLUSTER_ROLES = frozenset({"cluster-admin", "admin", "edit", "view"})


@dataclass(frozen=True, slots=True)
class Subject:
    kind: str  # Group, User, ServiceAccount
    name: Located[str]
    namespace: str | None


@dataclass(slots=True)
class Binding:
    file: str
    kind: str
    name: str
    namespace: str | None
    role_kind: str
    role_name: Located[str] | None
    subjects: list[Subject] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Rule:
    """One PolicyRule: verbs on resources (or non-resource URLs) of API groups."""

    verbs: tuple[str, ...]
    resources: tuple[str, ...]
    api_groups: tuple[str, ...] = ("",)
    resource_names: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RoleDef:
    file: str
    kind: str
    name: str
    namespace: str | None
    rules: tuple[Rule, ...] = ()


@dataclass(slots=True)
class Index:
    bindings: list[Binding] = field(default_factory=list)
    roles: list[RoleDef] = field(default_factory=list)
    context_subjects: dict[str, set[str]] = field(default_factory=dict)  # kind -> names, from other files
    _by_name: dict[tuple[str, str], list[RoleDef]] | None = None

    def _named(self, kind: str, name: str) -> list[RoleDef]:
        if self._by_name is None:  # built once, after the index is complete
            self._by_name = {}
            for r in self.roles:
                self._by_name.setdefault((r.kind, r.name), []).append(r)
        return self._by_name.get((kind, name), [])

    @property
    def empty(self) -> bool:
        return not self.bindings and not self.roles and not any(self.context_subjects.values())

    def subjects(self, kind: str) -> Iterator[Subject]:
        for b in self.bindings:
            yield from (s for s in b.subjects if s.kind == kind)

    def subject_names(self, kind: str) -> set[str]:
        return {s.name.value for s in self.subjects(kind)} | self.context_subjects.get(kind, set())

    def cluster_role(self, name: str) -> bool:
        return name in BUILTIN_CLUSTER_ROLES or name.startswith("system:") or bool(self._named("ClusterRole", name))

    def roles_named(self, name: str) -> list[RoleDef]:
        return self._named("Role", name)

    def role_kind(self, name: str) -> str | None:
        """'Role' or 'ClusterRole' when the repository defines a role of that name."""
        return next((k for k in ROLE_KINDS if self._named(k, name)), None)


def _objects(doc: Node | None, prefix: str) -> Iterator[tuple[Map, str]]:
    if not isinstance(doc, Map):
        return
    if get_str(doc, "kind") == "List" and isinstance(items := doc.get("items"), Seq):
        for n, item in enumerate(items.items):
            if isinstance(item, Map):
                yield item, f"{prefix}.items[{n}]"
    else:
        yield doc, prefix


def _located(node: Node | None, path: str) -> Located[str] | None:
    if isinstance(node, Scalar) and node.value:
        return Located(node.value, node.span, path)
    return None


# What one file adds to the index: its roles and its bindings.
Contribution = tuple[list[RoleDef], list[Binding]]


def build(files: Iterable[SourceFile]) -> Index:
    index = Index()
    for sf in files:
        roles, bindings = contribution(sf)
        index.roles += roles
        index.bindings += bindings
    return index


def contribution(sf: SourceFile) -> Contribution:
    """The roles and bindings of one file (computed once, in whichever process loaded it)."""
    if sf.rbac is not None:
        return sf.rbac
    roles: list[RoleDef] = []
    bindings: list[Binding] = []
    for doc in sf.composed.docs:
        for obj, path in _objects(doc, "$"):
            api = get_str(obj, "apiVersion") or ""
            kind = get_str(obj, "kind") or ""
            if not api.startswith("rbac.authorization.k8s.io/"):
                continue
            name = get_str(obj, "metadata", "name") or ""
            ns = get_str(obj, "metadata", "namespace")
            if kind in ROLE_KINDS:
                roles.append(RoleDef(sf.path, kind, name, ns if kind == "Role" else None, _rules(obj)))
            elif kind in BINDING_KINDS:
                bindings.append(_binding(sf.path, kind, name, ns, obj, path))
    return roles, bindings


def _strings(node: Node | None) -> tuple[str, ...]:
    if isinstance(node, Seq):
        return tuple(i.value for i in node.items if isinstance(i, Scalar))
    return (node.value,) if isinstance(node, Scalar) and node.value else ()


def _rules(obj: Map) -> tuple[Rule, ...]:
    rules = obj.get("rules")
    if not isinstance(rules, Seq):
        return ()
    return tuple(
        Rule(
            _strings(r.get("verbs")),
            _strings(r.get("resources")),
            _strings(r.get("apiGroups")) or ("",),
            _strings(r.get("resourceNames")),
            _strings(r.get("nonResourceURLs")),
        )
        for r in rules.items
        if isinstance(r, Map)
    )


def _binding(file: str, kind: str, name: str, ns: str | None, obj: Map, path: str) -> Binding:
    ref = obj.get("roleRef")
    role_kind = get_str(ref, "kind") or "" if isinstance(ref, Map) else ""
    role_name = _located(ref.get("name"), f"{path}.roleRef.name") if isinstance(ref, Map) else None
    b = Binding(file, kind, name, ns if kind == "RoleBinding" else None, role_kind, role_name)
    subjects = obj.get("subjects")
    if isinstance(subjects, Seq):
        for n, s in enumerate(subjects.items):
            if not isinstance(s, Map):
                continue
            located = _located(s.get("name"), f"{path}.subjects[{n}].name")
            if located is not None:
                b.subjects.append(Subject(get_str(s, "kind") or "", located, get_str(s, "namespace")))
    return b
