"""What RBAC (and EKS access policies) let a subject do: rules per scope, levels, risks.

Pure computation over `rbac.Index`, for the command that lists who can get into a cluster.
Kubernetes semantics, from kubernetes/kubernetes: which bindings apply and how a roleRef
resolves (`pkg/registry/rbac/validation/rule.go`, `appliesToUser`,
`GetRoleReferenceRules`), aggregation (`pkg/controller/clusterroleaggregation`), and
coverage (`Covers` in `policy_comparator.go`, with the authorizer's `ResourceMatches` and
`NonResourceURLMatches` of `pkg/apis/rbac/v1/evaluation_helpers.go`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from . import builtin_rbac, k8s_roles
from .coverage import Prepared, covers, in_namespace, prepare, prepare_chunks, unique
from .rbac import Binding, Index, RoleDef, Rule
from .sensitive import KUBE_SYSTEM, SENSITIVE, sensitive

LEVELS = ("cluster-admin", "admin", "edit", "view")  # highest first; then "custom", "nothing"
UNSET = "(namespace unset)"  # a RoleBinding without metadata.namespace (set when applied)

ClusterRoles = dict[str, tuple[Rule, ...]]  # every ClusterRole's effective rules, by name
Scope = str | None  # a namespace (as written, maybe `dev-*`), or None: cluster-wide


@dataclass(frozen=True, slots=True)
class Source:
    """Where granted rules come from."""

    via: str  # "ClusterRoleBinding", "RoleBinding", "built-in" or "access policy"
    name: str  # the binding's (or built-in binding's, or policy's) name
    file: str  # "" unless from a file
    role: str  # "ClusterRole/view", "Role/deployer", or the policy's name
    subject: str = ""  # what matched: "group devs", "user alice", "serviceaccount ns/name"


@dataclass(frozen=True, slots=True)
class Grant:
    """The rules one binding (or built-in binding, or access policy) grants."""

    rules: tuple[Rule, ...]
    source: Source


@dataclass(slots=True)
class Grants:
    """Everything a subject is granted, per scope, each grant's rules with their source."""

    reference: ClusterRoles  # the cluster's own cluster-admin/admin/edit/view, for `level`
    cluster: list[Grant] = field(default_factory=list)
    namespaces: dict[str, list[Grant]] = field(default_factory=dict)
    unresolved: list[Source] = field(default_factory=list)  # roleRef defined nowhere: grants nothing
    unmodelled: list[Source] = field(default_factory=list)  # built in, rules not known here (Node authorizer)
    unknown_policies: list[str] = field(default_factory=list)  # access policies whose rules are not known

    def chunks(self, namespace: Scope = None) -> list[tuple[Rule, ...]]:
        """The rule tuples of the grants that hold in `namespace` (cluster-wide ones
        included, and those of namespace patterns such as `dev-*` that match it)."""
        out = [g.rules for g in self.cluster]
        if namespace is not None:
            for key, grants in self.namespaces.items():
                if in_namespace(namespace, key):
                    out += (g.rules for g in grants)
        return out

    def rules(self, namespace: Scope = None) -> list[Rule]:
        """The rules that hold in `namespace`, or cluster-wide."""
        return [r for chunk in self.chunks(namespace) for r in chunk]

    def level(self, namespace: Scope = None) -> str:
        chunks = self.chunks(namespace)
        refs = tuple(self.reference[name] for name in LEVELS)
        key = (frozenset(map(id, chunks)), namespace is not None, tuple(map(id, refs)))
        found = _BY_GRANTS.get(key)
        if found is None:  # roles are shared tuples: principals with the same grants are judged once
            _bound()
            rules = tuple(r for c in chunks for r in c if r.resources or namespace is None)
            found = _BY_GRANTS[key] = (_level(rules, namespace is not None, self.reference, prepare_chunks(chunks)), chunks, refs)
        return str(found[0])

    def levels(self) -> dict[Scope, str]:
        """Cluster-wide (key None), then each namespace with grants of its own, sorted."""
        return {None: self.level(), **{ns: self.level(ns) for ns in sorted(self.namespaces)}}

    def held(self, namespace: Scope = None) -> list[str]:
        """The sensitive ids that hold in `namespace` (None: cluster-wide)."""
        chunks = self.chunks(namespace)
        key = (frozenset(map(id, chunks)), namespace is None or in_namespace(KUBE_SYSTEM, namespace), namespace is None)
        found = _BY_GRANTS.get(key)
        if found is None:
            _bound()
            found = _BY_GRANTS[key] = (sensitive([r for c in chunks for r in c], namespace, prepare_chunks(chunks)), chunks, None)
        return list(cast(list[str], found[0]))

    def sensitive(self) -> list[tuple[str, tuple[Scope, ...]]]:
        """Each sensitive id held, in `SENSITIVE` order, with where: cluster-wide alone when
        it holds there, else the namespaces where it does."""
        held: dict[Scope, list[str]] = {None: self.held()}
        held |= {ns: self.held(ns) for ns in sorted(self.namespaces)}
        where = {sid: (None,) if sid in held[None] else tuple(ns for ns, ids in held.items() if sid in ids) for sid in SENSITIVE}
        return [(sid, scopes) for sid, scopes in where.items() if scopes]


# What grants (by the identity of their rule tuples, kept alive here) come to: levels and
# sensitive ids. Bounded: cleared when a run has asked about too many.
_BY_GRANTS: dict[tuple[object, ...], tuple[object, object, object]] = {}


def _bound() -> None:
    if len(_BY_GRANTS) > 16384:
        _BY_GRANTS.clear()


def cluster_roles(index: Index) -> ClusterRoles:
    """The effective rules of every ClusterRole, built-in and the repository's, after
    aggregation. Definitions sharing a name are merged (the API server reconciles its
    built-in roles by adding to them, and overlays of one role are all candidates)."""
    merged: dict[str, RoleDef] = {}
    for d in (*k8s_roles.CLUSTER_ROLES, *(r for r in index.roles if r.kind == "ClusterRole")):
        merged[d.name] = _merge(merged[d.name], d) if d.name in merged else d
    labels = {name: dict(d.labels) for name, d in merged.items()}
    names = sorted(labels)  # the controller lists each selector's roles by name
    members = {
        name: [m for sel in d.aggregation for m in names if m != name and sel.matches(labels[m])]
        for name, d in merged.items()
        if d.aggregation is not None
    }
    rules = {name: () if name in members else d.rules for name, d in merged.items()}
    # The controller's steady state: rule sets only grow, so this ends; the bound is a guard.
    for _ in range(len(members) + 2 + sum(map(len, rules.values()))):
        changed = False
        for name, ms in members.items():
            new = _union(rules[m] for m in ms)
            changed |= new != rules[name]
            rules[name] = new
        if not changed:
            break
    return {name: _intern(r) for name, r in rules.items()}


_INTERNED: dict[tuple[int, ...], tuple[Rule, ...]] = {}


def _intern(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """One tuple object for the same rule objects: a role left alike by a change is the
    same object in the review of either side, so what was judged of it is not judged again."""
    key = tuple(map(id, rules))
    got = _INTERNED.get(key)
    if got is None:
        if len(_INTERNED) > 65536:
            _INTERNED.clear()
        got = _INTERNED[key] = rules
    return got


def _merge(a: RoleDef, b: RoleDef) -> RoleDef:
    aggregation = None if a.aggregation is None and b.aggregation is None else (*(a.aggregation or ()), *(b.aggregation or ()))
    labels = tuple({**dict(a.labels), **dict(b.labels)}.items())
    return RoleDef(a.file, a.kind, a.name, None, _union((a.rules, b.rules)), labels, aggregation)


def _union(parts: Iterable[tuple[Rule, ...]]) -> tuple[Rule, ...]:
    return tuple(dict.fromkeys(r for part in parts for r in part))


def rules_for(index: Index, username: str, groups: Iterable[str], roles: ClusterRoles | None = None) -> Grants:
    """Everything RBAC grants a subject with this username and these groups (and
    `system:authenticated`, which Kubernetes always adds). Pass `roles`
    (`cluster_roles(index)`) when asking for many subjects."""
    roles = cluster_roles(index) if roles is None else roles
    groups = [g for g in dict.fromkeys(groups) if g != builtin_rbac.AUTHENTICATED]  # `grants` adds it
    out = Grants({name: roles.get(name, ()) for name in LEVELS})
    named = index.by_subject_name()
    wanted = [username, *groups, builtin_rbac.AUTHENTICATED]
    if username.startswith("system:serviceaccount:"):
        wanted.append(username.rsplit(":", 1)[-1])
    for i in sorted({i for name in wanted for i in named.get(name, ())}):
        b = index.bindings[i]
        subject = _subject(b, username, {*groups, builtin_rbac.AUTHENTICATED})
        if subject is None:
            continue
        role = b.role_name.value if b.role_name else ""
        source = Source(b.kind, b.name, b.file, f"{b.role_kind}/{role}", subject)
        rules = _resolve(index, roles, b, role)
        if rules is None:
            out.unresolved.append(source)
        elif b.kind == "ClusterRoleBinding":
            out.cluster.append(Grant(rules, source))
        else:
            out.namespaces.setdefault(b.namespace or UNSET, []).append(Grant(rules, source))
    for bg in builtin_rbac.grants(groups):
        source = Source("built-in", bg.binding, "", bg.role, bg.subject)
        kind, _, role = bg.role.partition("/")
        if kind == "ClusterRole" and role in roles:
            out.cluster.append(Grant(roles[role], source))
        else:
            out.unmodelled.append(source)
    return out


def _subject(b: Binding, username: str, groups: set[str]) -> str | None:
    """The first of the binding's subjects that applies (`appliesToUser`), as shown."""
    for s in b.subjects:
        name = s.name.value
        if s.kind == "User" and name == username:
            return f"user {name}"
        if s.kind == "Group" and name in groups:
            return f"group {name}"
        ns = s.namespace or (b.namespace if b.kind == "RoleBinding" else None)
        if s.kind == "ServiceAccount" and ns and username == f"system:serviceaccount:{ns}:{name}":
            return f"serviceaccount {ns}/{name}"
    return None


def _resolve(index: Index, roles: ClusterRoles, b: Binding, name: str) -> tuple[Rule, ...] | None:
    """The rules a roleRef names; None when nothing defines it (or a ClusterRoleBinding
    names a Role, which the API server refuses)."""
    if b.role_kind == "ClusterRole":
        return roles.get(name)
    if b.role_kind == "Role" and b.kind == "RoleBinding":
        defs = [r for r in index.roles_named(name) if r.namespace in (None, b.namespace)]
        return _intern(_union(d.rules for d in defs)) if defs else None
    return None


def add_policy(grants: Grants, policy: str, scope: Iterable[str] | None = None) -> bool:
    """Add an EKS access policy (name or ARN) cluster-wide (`scope` None) or in the named
    namespaces, kept as written (`dev-*` too). False, and noted, when its rules are unknown."""
    rules = k8s_roles.policy_rules(policy)
    if rules is None:
        grants.unknown_policies.append(policy)
        return False
    name = policy.rsplit("/", 1)[-1]
    source = Source("access policy", name, "", name)
    targets = [grants.cluster] if scope is None else [grants.namespaces.setdefault(ns, []) for ns in scope]
    for target in targets:
        target.append(Grant(rules, source))
    return True


def level(rules: Iterable[Rule], namespaced: bool, reference: ClusterRoles | None = None) -> str:
    """The highest of `LEVELS` whose rules (`reference`: the cluster's aggregated roles,
    built-in ones by default) the rules cover; `cluster-admin` only cluster-wide. Else
    `custom` when they grant more than discovery, else `nothing`. In a namespace only
    resource rules count: non-resource URLs are never namespaced."""
    ref = k8s_roles.USER_FACING if reference is None else reference
    rules = unique(rules)
    if namespaced:  # URL rules hold nowhere in a namespace (the roles asked about have none)
        rules = tuple(r for r in rules if r.resources)
    return _level(rules, namespaced, ref)


def _level(rules: tuple[Rule, ...], namespaced: bool, ref: ClusterRoles, prepared: Prepared | None = None) -> str:
    prepared = prepared or prepare(rules)
    for name in LEVELS[1:] if namespaced else LEVELS:
        if covers(prepared, ref[name], cache=True):
            return name
    beyond = [r for r in rules if r not in _DISCOVERY]  # the built-in grants are these very rules
    return "nothing" if not beyond or covers(k8s_roles.DISCOVERY_RULES, beyond) else "custom"


_DISCOVERY = frozenset(k8s_roles.DISCOVERY_RULES)
