"""What RBAC (and EKS access policies) let a subject do: rules per scope, levels, risks.

Pure computation over `rbac.Index`, for the command that lists who can get into a cluster.
Kubernetes semantics, from kubernetes/kubernetes: which bindings apply and how a roleRef
resolves (`pkg/registry/rbac/validation/rule.go`, `appliesToUser`,
`GetRoleReferenceRules`), aggregation (`pkg/controller/clusterroleaggregation`), and
coverage (`Covers` in `policy_comparator.go`, with the authorizer's `ResourceMatches` and
`NonResourceURLMatches` of `pkg/apis/rbac/v1/evaluation_helpers.go`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from . import builtin_rbac, k8s_roles
from .rbac import Binding, Index, RoleDef, Rule

LEVELS = ("cluster-admin", "admin", "edit", "view")  # highest first; then "custom", "nothing"
UNSET = "(namespace unset)"  # a RoleBinding without metadata.namespace (set when applied)
KUBE_SYSTEM = "kube-system"

# Stable ids and what they mean, in the order they are reported.
SENSITIVE = {
    "read-secrets": "read Secrets",
    "pods-exec": "run commands in pods (exec)",
    "pods-attach": "attach to running containers",
    "pods-portforward": "forward ports to pods",
    "create-workloads": "create pods or workloads that run pods (which can mount the namespace's Secrets)",
    "escalate": "grant permissions it does not hold by editing Roles (escalate)",
    "bind": "bind Roles whose permissions it does not hold (bind)",
    "impersonate": "act as other users, groups or service accounts (impersonate)",
    "wildcard": "wildcard (*) verbs or resources: everything, including what is added later",
    "nodes-proxy": "reach the kubelet API through nodes/proxy (exec into any pod on the node)",
    "approve-csr": "approve certificate signing requests (mint client certificates)",
    "modify-rbac": "create or change Roles, ClusterRoles and their bindings",
    "modify-aws-auth": "modify the aws-auth ConfigMap (a path to cluster-admin)",
}

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
    rule: Rule
    source: Source


@dataclass(slots=True)
class Grants:
    """Everything a subject is granted, per scope, each rule with its source."""

    reference: ClusterRoles  # the cluster's own cluster-admin/admin/edit/view, for `level`
    cluster: list[Grant] = field(default_factory=list)
    namespaces: dict[str, list[Grant]] = field(default_factory=dict)
    unresolved: list[Source] = field(default_factory=list)  # roleRef defined nowhere: grants nothing
    unmodelled: list[Source] = field(default_factory=list)  # built in, rules not known here (Node authorizer)
    unknown_policies: list[str] = field(default_factory=list)  # access policies whose rules are not known

    def rules(self, namespace: Scope = None) -> list[Rule]:
        """The rules that hold in `namespace` (cluster-wide ones included, and those of
        namespace patterns such as `dev-*` that match it), or cluster-wide."""
        out = [g.rule for g in self.cluster]
        if namespace is not None:
            for key, grants in self.namespaces.items():
                if _in(namespace, key):
                    out += (g.rule for g in grants)
        return out

    def level(self, namespace: Scope = None) -> str:
        return level(self.rules(namespace), namespace is not None, self.reference)

    def levels(self) -> dict[Scope, str]:
        """Cluster-wide (key None), then each namespace with grants of its own, sorted."""
        return {None: self.level(), **{ns: self.level(ns) for ns in sorted(self.namespaces)}}

    def sensitive(self) -> list[tuple[str, tuple[Scope, ...]]]:
        """Each sensitive id held, in `SENSITIVE` order, with where: cluster-wide alone when
        it holds there, else the namespaces where it does."""
        held: dict[Scope, list[str]] = {None: sensitive(self.rules())}
        held |= {ns: sensitive(self.rules(ns), ns) for ns in sorted(self.namespaces)}
        where = {sid: (None,) if sid in held[None] else tuple(ns for ns, ids in held.items() if sid in ids) for sid in SENSITIVE}
        return [(sid, scopes) for sid, scopes in where.items() if scopes]


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
    return rules


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
    named = _by_subject_name(index)
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
            out.cluster += (Grant(r, source) for r in rules)
        else:
            out.namespaces.setdefault(b.namespace or UNSET, []).extend(Grant(r, source) for r in rules)
    for bg in builtin_rbac.grants(groups):
        source = Source("built-in", bg.binding, "", bg.role, bg.subject)
        kind, _, role = bg.role.partition("/")
        if kind == "ClusterRole" and role in roles:
            out.cluster += (Grant(r, source) for r in roles[role])
        else:
            out.unmodelled.append(source)
    return out


_NAMED: list[tuple[Index, int, dict[str, list[int]]]] = []


def _by_subject_name(index: Index) -> dict[str, list[int]]:
    """Which bindings (by position) name a subject of each name: asked once per index, so
    a principal is checked against the bindings that can apply to it, not all of them."""
    if _NAMED and _NAMED[0][0] is index and _NAMED[0][1] == len(index.bindings):
        return _NAMED[0][2]
    out: dict[str, list[int]] = {}
    for i, b in enumerate(index.bindings):
        for s in b.subjects:
            out.setdefault(s.name.value, []).append(i)
    _NAMED[:] = [(index, len(index.bindings), out)]
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
        return _union(d.rules for d in defs) if defs else None
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
        target += (Grant(r, source) for r in rules)
    return True


def _in(namespace: str, pattern: str) -> bool:
    """Whether a namespace (or a narrower pattern) falls under a name or a trailing-`*` pattern."""
    return namespace == pattern or (pattern.endswith("*") and namespace.startswith(pattern[:-1]))


def _has(values: tuple[str, ...], value: str) -> bool:
    return "*" in values or value in values


def _resource(pattern: str, resource: str) -> bool:
    """`ResourceMatches`: `*`, the same name, or `*/sub` for any resource's `sub`."""
    return pattern in ("*", resource) or ("/" in resource and pattern == "*/" + resource.split("/", 1)[1])


def _url(pattern: str, url: str) -> bool:
    """`NonResourceURLMatches`: the same path, or a prefix ending in `*`."""
    return pattern == url or (pattern.endswith("*") and url.startswith(pattern.rstrip("*")))


Atom = tuple[str, str, str, str | None, str | None]  # verb, group, resource, name; or verb, "", "", None, url


def _atoms(rules: Iterable[Rule]) -> Iterator[Atom]:
    """Rules broken down to one verb, group, resource and name each (`breakdownRule`)."""
    for r in rules:
        for v in r.verbs:
            for g in r.api_groups:
                for res in r.resources:
                    yield from ((v, g, res, n, None) for n in r.resource_names or (None,))
            yield from ((v, "", "", None, u) for u in r.urls)


def _allows(r: Rule, atom: Atom) -> bool:
    verb, group, resource, name, url = atom
    if not _has(r.verbs, verb):
        return False
    if url is not None:
        return any(_url(p, url) for p in r.urls)
    return (
        _has(r.api_groups, group)
        and any(_resource(p, resource) for p in r.resources)
        and (not r.resource_names or (name is not None and name in r.resource_names))
    )


_ATOMS: dict[tuple[Rule, ...], tuple[frozenset[tuple[str, str, str]], list[Atom]]] = {}


def _unique(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    """The rules without repeats of one object (a role bound twice): by identity, which is
    cheap, where comparing rules field by field is not."""
    return tuple({id(r): r for r in rules}.values())


@dataclass(frozen=True, slots=True)
class Prepared:
    """Granted rules split for fast questions: every (verb, group, resource) of plain rules
    (no wildcard, no resourceNames, no URLs: they allow any object), and the others."""

    exact: frozenset[tuple[str, str, str]]
    other: tuple[Rule, ...]


def prepare(granted: Iterable[Rule]) -> Prepared:
    exact: set[tuple[str, str, str]] = set()
    other: list[Rule] = []
    for r in _unique(granted):
        keys = _plain(r)
        if keys is None:
            other.append(r)
        else:
            exact |= keys
    return Prepared(frozenset(exact), tuple(other))


_PLAIN: dict[int, tuple[Rule, frozenset[tuple[str, str, str]] | None]] = {}


def _plain(r: Rule) -> frozenset[tuple[str, str, str]] | None:
    """Every (verb, group, resource) a plain rule allows on any object; None for the others
    (wildcards, resourceNames, URLs). Remembered per rule object: roles are shared."""
    got = _PLAIN.get(id(r))
    if got is not None and got[0] is r:
        return got[1]
    keys = None
    if not r.urls and not r.resource_names and "*" not in r.verbs and "*" not in r.api_groups and not any("*" in x for x in r.resources):
        keys = frozenset((v, g, res) for v in r.verbs for g in r.api_groups for res in r.resources)
    if len(_PLAIN) > 65536:
        _PLAIN.clear()
    _PLAIN[id(r)] = (r, keys)
    return keys


def covers(granted: Iterable[Rule] | Prepared, wanted: Iterable[Rule], cache: bool = False) -> bool:
    """Whether the granted rules allow everything the wanted rules do.

    As `Covers`: a wanted rule without resourceNames needs a granted one without them too.
    Unlike `Covers`, which compares resources as strings, a granted `*/scale` covers
    `deployments/scale`, since the authorizer allows every such request.
    """
    p = granted if isinstance(granted, Prepared) else prepare(granted)
    wanted = tuple(wanted)
    split = _ATOMS.get(wanted)
    if split is None and cache:  # the reference roles are asked about again and again
        atoms = list(_atoms(wanted))
        plain = frozenset(a[:3] for a in atoms if a[3] is None and a[4] is None)
        split = _ATOMS[wanted] = (plain, [a for a in atoms if a[3] is not None or a[4] is not None])
    if split is None:  # lazily: the first miss ends it
        return all((a[4] is None and a[:3] in p.exact) or any(_allows(r, a) for r in p.other) for a in _atoms(wanted))
    plain, rest = split
    missing = plain - p.exact
    if missing and not p.other:
        return False
    return all(any(_allows(r, (*a, None, None)) for r in p.other) for a in missing) and all(
        (a[4] is None and a[:3] in p.exact) or any(_allows(r, a) for r in p.other) for a in rest
    )


def level(rules: Iterable[Rule], namespaced: bool, reference: ClusterRoles | None = None) -> str:
    """The highest of `LEVELS` whose rules (`reference`: the cluster's aggregated roles,
    built-in ones by default) the rules cover; `cluster-admin` only cluster-wide. Else
    `custom` when they grant more than discovery, else `nothing`. In a namespace only
    resource rules count: non-resource URLs are never namespaced."""
    ref = k8s_roles.USER_FACING if reference is None else reference
    rules = _unique(rules)
    refs = tuple(ref[name] for name in LEVELS)
    key = (frozenset(map(id, rules)), namespaced, tuple(map(id, refs)))
    found = _LEVELS.get(key)
    if found is None:  # principals sharing groups share rule sets: each set is judged once
        if namespaced:  # URL rules hold nowhere in a namespace (the roles asked about have none)
            rules = tuple(r for r in rules if r.resources)
        found = (_level(rules, namespaced, ref), rules, refs)  # what the ids name stays alive
        if len(_LEVELS) > 4096:
            _LEVELS.clear()
        _LEVELS[key] = found
    return found[0]


_LEVELS: dict[tuple[frozenset[int], bool, tuple[int, ...]], tuple[str, object, object]] = {}


def _level(rules: tuple[Rule, ...], namespaced: bool, ref: ClusterRoles) -> str:
    prepared = prepare(rules)
    for name in LEVELS[1:] if namespaced else LEVELS:
        if covers(prepared, ref[name], cache=len(_ATOMS) < 64):
            return name
    beyond = [r for r in rules if r not in _DISCOVERY]  # the built-in grants are these very rules
    return "nothing" if not beyond or covers(k8s_roles.DISCOVERY_RULES, beyond) else "custom"


_DISCOVERY = frozenset(k8s_roles.DISCOVERY_RULES)


def _can(p: Prepared, verbs: tuple[str, ...], group: str, resources: tuple[str, ...], name: str | None = None) -> bool:
    """Whether some rule allows one of `verbs` on one of `resources` for some object (named
    `name` when given); resourceNames never allow creating a resource, unnamed until created."""
    if any((v, group, res) in p.exact for v in verbs for res in resources):
        return True
    return any(
        _allows(Rule(r.verbs, r.resources, r.api_groups), (v, group, res, None, None))
        for v in verbs
        for res in resources
        for r in p.other
        if not r.resource_names or (not (v == "create" and "/" not in res) and name in (None, *r.resource_names))
    )


def sensitive(rules: Iterable[Rule], namespace: Scope = None) -> list[str]:
    """The `SENSITIVE` ids the rules hold (see `_sensitive`), each rule set judged once."""
    rules = _unique(rules)
    key = (frozenset(map(id, rules)), namespace is None or _in(KUBE_SYSTEM, namespace))
    found = _SENSITIVE.get(key)
    if found is None:
        found = (_sensitive(rules, namespace), rules)  # what the ids name stays alive
        if len(_SENSITIVE) > 4096:
            _SENSITIVE.clear()
        _SENSITIVE[key] = found
    return list(found[0])


_SENSITIVE: dict[tuple[frozenset[int], bool], tuple[list[str], object]] = {}


def _sensitive(rules: Iterable[Rule], namespace: Scope = None) -> list[str]:
    """The `SENSITIVE` ids the rules hold, in order; `namespace` None for cluster-wide
    rules (the aws-auth ConfigMap lives in kube-system). exec, attach and port-forward
    count with `get` too: a websocket request is a GET, authorized as `get` before 1.35
    (`AuthorizePodWebsocketUpgradeCreatePermission`); the kubelet's nodes/proxy likewise."""
    rs, stream, certs, rbac = tuple(rules), ("create", "get"), "certificates.k8s.io", "rbac.authorization.k8s.io"
    p = prepare(rs)
    held = {
        "read-secrets": _can(p, ("get", "list", "watch"), "", ("secrets",)),
        "pods-exec": _can(p, stream, "", ("pods/exec",)),
        "pods-attach": _can(p, stream, "", ("pods/attach",)),
        "pods-portforward": _can(p, stream, "", ("pods/portforward",)),
        "create-workloads": _can(p, ("create",), "", ("pods", "replicationcontrollers"))
        or _can(p, ("create",), "apps", ("deployments", "replicasets", "statefulsets", "daemonsets"))
        or _can(p, ("create",), "batch", ("jobs", "cronjobs")),
        "escalate": _can(p, ("escalate",), rbac, ("roles", "clusterroles")),
        "bind": _can(p, ("bind",), rbac, ("roles", "clusterroles")),
        "impersonate": any("impersonate" in r.verbs and r.resources for r in rs)
        or _can(p, ("impersonate",), "", ("users", "groups", "serviceaccounts")),
        "wildcard": any("*" in r.verbs or "*" in r.resources for r in rs),
        "nodes-proxy": _can(p, ("get", "create", "update", "patch", "delete"), "", ("nodes/proxy",)),
        "approve-csr": _can(p, ("update",), certs, ("certificatesigningrequests/approval",))
        and _can(p, ("approve",), certs, ("signers",)),
        "modify-rbac": _can(p, ("create", "update", "patch", "delete"), rbac, ("roles", "clusterroles", "rolebindings", "clusterrolebindings")),
        "modify-aws-auth": (namespace is None or _in(KUBE_SYSTEM, namespace))
        and _can(p, ("update", "patch", "delete"), "", ("configmaps",), "aws-auth"),
    }
    return [sid for sid in SENSITIVE if held[sid]]
