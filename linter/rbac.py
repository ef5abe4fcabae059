"""The repository's RBAC: every Role, ClusterRole, RoleBinding and ClusterRoleBinding.

Built once per run from the composed files (multi-document files, `kind: List`, JSON);
the RB rules query it. Names keep their spans so findings point at the exact scalar.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from .model import Located, pickled_by_init
from .nodes import Access

ROLE_KINDS = ("Role", "ClusterRole")
BINDING_KINDS = ("RoleBinding", "ClusterRoleBinding")
BUILTIN_CLUSTER_ROLES = frozenset({"cluster-admin", "admin", "edit", "view"})


@pickled_by_init()
@dataclass(frozen=True, slots=True)
class Subject:
    kind: str  # Group, User, ServiceAccount
    name: Located[str]
    namespace: str | None


@pickled_by_init()
@dataclass(slots=True)
class Binding:
    file: str
    kind: str
    name: str
    namespace: str | None
    role_kind: str
    role_name: Located[str] | None
    subjects: list[Subject] = field(default_factory=list)


@pickled_by_init()
@dataclass(frozen=True, slots=True)
class Rule:
    """One PolicyRule: verbs on resources (or non-resource URLs) of API groups."""

    verbs: tuple[str, ...]
    resources: tuple[str, ...]
    api_groups: tuple[str, ...] = ("",)
    resource_names: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()


@pickled_by_init()
@dataclass(frozen=True, slots=True)
class Selector:
    """One `aggregationRule.clusterRoleSelectors` item: a label selector."""

    labels: tuple[tuple[str, str], ...] = ()  # matchLabels
    expressions: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # matchExpressions: key, operator, values

    def matches(self, labels: Mapping[str, str]) -> bool:
        """As `metav1.LabelSelectorAsSelector`: every term holds, so an empty selector
        selects every ClusterRole; an unknown operator selects none (the API server would
        refuse it)."""
        if any(labels.get(k) != v for k, v in self.labels):
            return False
        for key, op, values in self.expressions:
            held = {"In": key in labels and labels[key] in values, "NotIn": labels.get(key) not in values,
                    "Exists": key in labels, "DoesNotExist": key not in labels}.get(op, False)
            if not held:
                return False
        return True


@pickled_by_init()
@dataclass(frozen=True, slots=True)
class RoleDef:
    file: str
    kind: str
    name: str
    namespace: str | None
    rules: tuple[Rule, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()  # ClusterRoles only: what aggregation selects on
    aggregation: tuple[Selector, ...] | None = None  # aggregationRule's selectors; None: not aggregated
    line: int = 0  # the line of its metadata.name (0: not known, as from the context cache)


@dataclass(slots=True)
class Index:
    bindings: list[Binding] = field(default_factory=list)
    roles: list[RoleDef] = field(default_factory=list)
    context_subjects: dict[str, set[str]] = field(default_factory=dict)  # kind -> names, from other files
    _by_name: dict[tuple[str, str], list[RoleDef]] | None = None
    _by_subject: dict[str, list[int]] | None = None

    def _named(self, kind: str, name: str) -> list[RoleDef]:
        if self._by_name is None:  # built once, after the index is complete
            self._by_name = {}
            for r in self.roles:
                self._by_name.setdefault((r.kind, r.name), []).append(r)
        return self._by_name.get((kind, name), [])

    def by_subject_name(self) -> dict[str, list[int]]:
        """Which bindings (by position) name a subject of each name, built once after the
        index is complete: a principal is checked against the bindings that can apply to it."""
        if self._by_subject is None:
            self._by_subject = {}
            for i, b in enumerate(self.bindings):
                for s in b.subjects:
                    self._by_subject.setdefault(s.name.value, []).append(i)
        return self._by_subject

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

    def group_hint(self, name: str) -> str:
        """Why a group no binding names may have been meant to be bound: a binding names it
        in another case, as a User, or nearly (empty when nothing comes close)."""
        import difflib  # only when a group is unbound: kept off every run's start-up

        bound, users = self.subject_names("Group"), self.subject_names("User")
        same_case = sorted(b for b in bound if b.lower() == name.lower())
        if same_case:
            return f"did you mean '{same_case[0]}' (RBAC names are case-sensitive)?"
        if name in users:
            return f"a binding names '{name}' as kind: User, which does not bind the group"
        close = difflib.get_close_matches(name, sorted(bound), n=1, cutoff=0.75)
        return f"did you mean '{close[0]}'?" if close else ""


def _get(a: Access, node: Any, key: str) -> Any:
    """The value of `key` in a mapping (the last of duplicate keys, as YAML loaders keep)."""
    found = None
    for k, v in a.pairs(node) or ():
        if a.text(k) == key:
            found = v
    return found


def _str(a: Access, node: Any, *path: str) -> str | None:
    for key in path:
        if node is None:
            return None
        node = _get(a, node, key)
    return None if node is None else a.text(node)


def _objects(a: Access, doc: Any, prefix: str) -> Iterator[tuple[Any, str]]:
    if doc is None or a.pairs(doc) is None:
        return
    items = a.items(_get(a, doc, "items")) if _str(a, doc, "kind") == "List" else None
    if items is None:
        yield doc, prefix
        return
    for n, item in enumerate(items):
        if a.pairs(item) is not None:
            yield item, f"{prefix}.items[{n}]"


def _located(a: Access, node: Any, path: str) -> Located[str] | None:
    value = None if node is None else a.text(node)
    return Located(value, a.span(node), path) if value else None


# What one file adds to the index: its roles and its bindings.
Contribution = tuple[list[RoleDef], list[Binding]]


class Contributes(Protocol):
    """A loaded file (`loader.SourceFile`): the index needs only what it contributes, so
    it does not import the loader (which imports this module)."""

    @property
    def rbac(self) -> Contribution | None: ...


def build(files: Iterable[Contributes]) -> Index:
    index = Index()
    for sf in files:
        roles, bindings = contribution(sf)
        index.roles += roles
        index.bindings += bindings
    return index


def contribution(sf: Contributes) -> Contribution:
    """The roles and bindings of one file, taken when it was loaded (none for a file that
    was never composed)."""
    return sf.rbac if sf.rbac is not None else ([], [])


def extract(file: str, docs: Iterable[tuple[Any, Access]]) -> Contribution:
    """Roles and bindings of composed documents, each read through its `Access`."""
    roles: list[RoleDef] = []
    bindings: list[Binding] = []
    for doc, a in docs:
        for obj, path in _objects(a, doc, "$"):
            if not (_str(a, obj, "apiVersion") or "").startswith("rbac.authorization.k8s.io/"):
                continue
            kind = _str(a, obj, "kind") or ""
            name = _str(a, obj, "metadata", "name") or ""
            ns = _str(a, obj, "metadata", "namespace")
            if kind in ROLE_KINDS:
                where = _located(a, _get(a, _get(a, obj, "metadata"), "name"), "")
                line = where.span.start.line if where is not None else 0
            if kind == "Role":
                roles.append(RoleDef(file, kind, name, ns, _rules(a, obj), line=line))
            elif kind == "ClusterRole":
                labels = _labels(a, _get(a, _get(a, obj, "metadata"), "labels"))
                roles.append(RoleDef(file, kind, name, None, _rules(a, obj), labels, _aggregation(a, obj), line))
            elif kind in BINDING_KINDS:
                bindings.append(_binding(a, file, kind, name, ns, obj, path))
    return roles, bindings


def _strings(a: Access, node: Any) -> tuple[str, ...]:
    if node is None:
        return ()
    items = a.items(node)
    if items is not None:
        return tuple(t for t in map(a.text, items) if t is not None)
    value = a.text(node)
    return (value,) if value else ()


def _rules(a: Access, obj: Any) -> tuple[Rule, ...]:
    rules = a.items(_get(a, obj, "rules"))
    if rules is None:
        return ()
    return tuple(
        Rule(
            _strings(a, _get(a, r, "verbs")),
            _strings(a, _get(a, r, "resources")),
            _strings(a, _get(a, r, "apiGroups")) or ("",),
            _strings(a, _get(a, r, "resourceNames")),
            _strings(a, _get(a, r, "nonResourceURLs")),
        )
        for r in rules
        if a.pairs(r) is not None
    )


def _labels(a: Access, node: Any) -> tuple[tuple[str, str], ...]:
    found: dict[str, str] = {}
    for k, v in a.pairs(node) or ():
        key, value = a.text(k), a.text(v)
        if key is not None and value is not None:
            found[key] = value  # the last of duplicate keys, as YAML loaders keep
    return tuple(found.items())


def _aggregation(a: Access, obj: Any) -> tuple[Selector, ...] | None:
    """The selectors of `aggregationRule`; None without one (`aggregationRule: {}` is an
    aggregation of nothing: the controller empties the role's rules)."""
    rule = _get(a, obj, "aggregationRule")
    if rule is None or a.pairs(rule) is None:
        return None
    out = []
    for s in a.items(_get(a, rule, "clusterRoleSelectors")) or ():
        if a.pairs(s) is None:
            continue
        exprs = tuple(
            (_str(a, e, "key") or "", _str(a, e, "operator") or "", _strings(a, _get(a, e, "values")))
            for e in a.items(_get(a, s, "matchExpressions")) or ()
            if a.pairs(e) is not None
        )
        out.append(Selector(_labels(a, _get(a, s, "matchLabels")), exprs))
    return tuple(out)


def _binding(a: Access, file: str, kind: str, name: str, ns: str | None, obj: Any, path: str) -> Binding:
    ref = _get(a, obj, "roleRef")
    is_map = ref is not None and a.pairs(ref) is not None
    role_kind = (_str(a, ref, "kind") or "") if is_map else ""
    role_name = _located(a, _get(a, ref, "name"), f"{path}.roleRef.name") if is_map else None
    b = Binding(file, kind, name, ns if kind == "RoleBinding" else None, role_kind, role_name)
    for n, s in enumerate(a.items(_get(a, obj, "subjects")) or ()):
        if a.pairs(s) is None:
            continue
        located = _located(a, _get(a, s, "name"), f"{path}.subjects[{n}].name")
        if located is not None:
            b.subjects.append(Subject(_str(a, s, "kind") or "", located, _str(a, s, "namespace")))
    return b
