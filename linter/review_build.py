"""Compute the access review (`review`) of loaded files, per cluster.

One repository cluster (`clusters.by_cluster`) with an aws-auth becomes one reviewed
cluster, joined with the declared EKS cluster it belongs to (`eksaccess.paired`);
every other declared EKS cluster with access entries is reviewed on its own, with the
same RBAC. Which store counts follows the mode: `API` ignores aws-auth, `CONFIG_MAP`
refuses entries, otherwise an entry overrides the aws-auth row of its principal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from . import effective, permissions
from .accessentry import AccessEntry
from .awsauth import AwsAuthDoc
from .eksaccess import EksCluster, at, default_username, mode_origin, policy_name, principal_key
from .eksaccess import clusters as eks_clusters
from .eksaccess import paired as pair
from .export import never_matches
from .loader import SourceFile
from .parsemap import CURRENT
from .parsemap import Entry as Row
from .permissions import ClusterRoles, Grants
from .rbac import Index, build
from .review import ClusterAccess, Dead, Holder, Reason

NODE_GROUPS = ["system:nodes"]  # EKS adds it to node-type entries (ACCESS-ENTRIES.md §5)


def review(groups: Iterable[tuple[str, list[SourceFile]]], modes: Mapping[str, str] | None = None) -> list[ClusterAccess]:
    """Who gets into each cluster of `groups` ((repository cluster name, files)); `modes`:
    the authentication mode the config's `clusters:` gives a cluster by name."""
    out: list[ClusterAccess] = []
    for name, files in groups:
        declared = eks_clusters(sf.access for sf in files)
        docs = [d for sf in files for d in sf.awsauth if d.kind in ("configmap", "patch")]
        configured = (modes or {}).get(name)
        lone = declared[0] if len(declared) == 1 else None  # entries alone: their cluster, when it is one
        paired = pair(declared, name, configured) if docs or configured else lone
        rbac = _rbac(build(files))
        if docs or paired is not None:
            out.append(_cluster(name or (paired.name if paired else ""), docs, paired, rbac))
        out += [_cluster(ec.name, [], ec, rbac) for ec in declared if ec is not paired and ec.standing]
    return out


def key_of(kind: str, arn: str) -> str:
    """A principal's identity across trees and stores (IAM names ignore case and path)."""
    k = principal_key(arn)
    if k is None:
        return f"{kind} {arn.strip().lower()}"
    partition, account, typ, name = k
    return f"{typ} arn:{partition}:iam::{account}:{typ}/{name}"


@dataclass(frozen=True, slots=True)
class Rbac:
    """A cluster's RBAC and what every principal's review asks of it, computed once."""

    index: Index
    roles: ClusterRoles  # every ClusterRole's rules, aggregation resolved
    lines: dict[tuple[str, str, str], int]  # (file, kind, name) of a binding -> the line naming its role
    defined: dict[str, tuple[str, int]]  # "ClusterRole/x" -> where it is defined


def _rbac(index: Index) -> Rbac:
    lines = {(b.file, b.kind, b.name): (b.role_name.span.start.line if b.role_name else 0) for b in index.bindings}
    defined: dict[str, tuple[str, int]] = {}
    for r in index.roles:
        defined.setdefault(f"{r.kind}/{r.name}", (r.file, r.line))
    return Rbac(index, permissions.cluster_roles(index), lines, defined)


def _cluster(name: str, docs: list[AwsAuthDoc], ec: EksCluster | None, rbac: Rbac) -> ClusterAccess:
    mode = ec.mode if ec is not None else None
    ca = ClusterAccess(name, mode, mode_origin(ec) if ec is not None else "no file declares the cluster's mode")
    rows = _aws_auth(ca, docs, rbac)
    if mode == "API":
        for h in rows:
            ca.dead.append(Dead(h.principal, h.where, "the cluster's mode is API: EKS ignores aws-auth (AE401)", h.key))
        rows = []
    entries = _entries(ca, ec, rbac) if ec is not None else []
    by_key = {h.key: h for h in entries}
    for h in rows:
        e = by_key.get(h.key)
        if e is None:
            ca.holders.append(h)
            continue
        e.notes.append(f"overrides the aws-auth row at {at(h.where[0], h.where[1])} (AE403)")
        ca.dead.append(Dead(h.principal, h.where, f"overridden by the access entry at {at(e.where[0], e.where[1])} (AE403)", h.key))
    ca.holders += entries
    ca.holders.sort(key=lambda h: (h.kind == "account", h.key))
    return ca


def _aws_auth(ca: ClusterAccess, docs: list[AwsAuthDoc], rbac: Rbac) -> list[Holder]:
    if not docs:
        return []
    st = effective.current(docs)
    if st is None:
        ca.notes.append("the API server refuses every aws-auth here: nobody gets in through it")
        return []
    ls = st.lines[CURRENT]
    out: list[Holder] = []
    file = st.doc.file
    for via, store in (("mapRoles", ls.roles), ("mapUsers", ls.users)):
        for row in store.values():
            where = _row_where(file, row)
            why = "an sso: matcher: the SSORoleMatch feature gate is off" if row.sso is not None else never_matches(row)
            if why:
                ca.dead.append(Dead(row.arn.strip() or "(sso)", where, f"never matches a caller: {why}", key_of(via[3:-1].lower(), row.arn)))
                continue
            kind = "role" if via == "mapRoles" else "user"
            h = Holder(key_of(kind, row.arn), row.arn, kind, f"aws-auth {via}", where, row.username, list(row.groups or []))
            twins = [u for u in store.values() if via == "mapUsers" and u.arn.lower() == row.arn.lower()]
            if len(twins) > 1:
                h.notes.append("another mapUsers ARN differs only in case: which one answers is random per request")
            _authorise(h, rbac)
            out.append(h)
    for account, node in ls.accounts.items():
        where = (file, node.span.start.line, node.span.start.column)
        h = Holder(f"account {account}", account, "account", "aws-auth mapAccounts", where, "")
        h.notes.append("every IAM principal of the account gets in, as its own ARN, with no groups")
        _authorise(h, rbac)
        out.append(h)
    return out


def _row_where(file: str, row: Row) -> tuple[str, int, int]:
    node = row.arn_node or row.node
    return (file, node.span.start.line, node.span.start.column)


def _entries(ca: ClusterAccess, ec: EksCluster, rbac: Rbac) -> list[Holder]:
    out: list[Holder] = []
    seen: dict[str, Holder] = {}
    for e in ec.standing:
        if e.principal is None or not e.principal.value:
            continue
        where = (e.file, e.principal.span.start.line, e.principal.span.start.column)
        arn = e.principal.value
        if ca.mode == "CONFIG_MAP":
            ca.dead.append(Dead(arn, where, "the cluster's mode is CONFIG_MAP: EKS refuses access entries (AE402)", key_of("role", arn)))
            continue
        if principal_key(arn) is None:
            ca.dead.append(Dead(arn, where, "not an IAM role or user ARN that EKS accepts (AE102)", key_of("role", arn)))
            continue
        h = _entry_holder(e, arn, where)
        if h.key in seen:
            first = seen[h.key].where
            ca.dead.append(Dead(arn, where, f"a second entry for the principal of {at(first[0], first[1])}: EKS refuses it (AE003)", h.key))
            continue
        seen[h.key] = h
        _authorise(h, rbac, e)
        out.append(h)
    return out


def _entry_holder(e: AccessEntry, arn: str, where: tuple[str, int, int]) -> Holder:
    kind = "user" if ":user/" in arn else "role"
    via = f"access entry ({e.format})"
    if e.type_value != "STANDARD":
        return Holder(key_of(kind, arn), arn, kind, f"{via}, type {e.type_value}", where, f"(the node identity of {e.type_value})", list(NODE_GROUPS))
    user = e.username.value if e.username is not None and e.username.value is not None else default_username(arn)
    h = Holder(key_of(kind, arn), arn, kind, via, where, user or "", [g.value for g in e.groups if g.value is not None])
    if e.username is not None and e.username.value is None:
        h.notes.append("the username is unknown at lint time")
    return h


def _authorise(h: Holder, rbac: Rbac, e: AccessEntry | None = None) -> None:
    grants = permissions.rules_for(rbac.index, h.username, h.groups, rbac.roles)
    for p in e.policies if e is not None else ():
        name = policy_name(p)
        if name is None:
            h.notes.append("an access policy unknown at lint time")
            continue
        for s in p.scopes or []:
            kind = s.type.value if s.type is not None else None
            namespaces = [n.value for n in s.namespaces if n.value]
            if kind == "cluster":
                h.policies.append((name, "cluster"))
                permissions.add_policy(grants, name)
            elif kind == "namespace" and namespaces:
                h.policies.append((name, "namespace " + ", ".join(namespaces)))
                permissions.add_policy(grants, name, namespaces)
    for unknown in grants.unknown_policies:
        h.notes.append(f"{unknown}: what this access policy grants is not known here")
    h.levels = {("cluster" if ns is None else f"namespace {ns}"): lvl for ns, lvl in grants.levels().items()}
    for src in grants.unmodelled:  # the Node authorizer and built-in roles whose rules are not modelled
        what = src.name if src.role.startswith("(") else f"{src.role} (built-in binding {src.name})"
        h.notes.append(f"{src.subject}: {what}")
        if h.levels.get("cluster") == "nothing":
            h.levels["cluster"] = "custom"
    h.notes = list(dict.fromkeys(h.notes))
    h.sensitive = {sid: [("cluster" if ns is None else f"namespace {ns}") for ns in where] for sid, where in grants.sensitive()}
    h.reasons = _reasons(grants, rbac)


def _reasons(grants: Grants, rbac: Rbac) -> list[Reason]:
    lines, defined = rbac.lines, rbac.defined
    out: dict[tuple[str, str], Reason] = {}
    scoped = [("cluster", g) for g in grants.cluster] + [(f"namespace {ns}", g) for ns, gs in grants.namespaces.items() for g in gs]
    for scope, g in scoped:
        s = g.source
        if not g.rules:
            continue
        if s.via == "built-in" and s.role in ("ClusterRole/system:basic-user", "ClusterRole/system:discovery", "ClusterRole/system:public-info-viewer"):
            continue  # every authenticated caller has them
        text = f"{s.role} ({s.via} {s.name})" if s.via != "access policy" else f"{s.name} (access policy)"
        subject = "policy" if s.via == "access policy" else (s.subject or "built-in")
        role_file, role_line = defined.get(s.role, ("", 0))
        out.setdefault((scope, text), Reason(text, subject, s.role, scope, s.file, lines.get((s.file, s.via, s.name), 0), role_file, role_line))
    return list(out.values())
