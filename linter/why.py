"""`awsauth-lint why IDENTITY`: why a caller is (not) authenticated, and what it may do.

Authentication follows the authenticator (`identity.resolve`); authorisation follows the
repository's RoleBindings and ClusterRoleBindings to Roles and ClusterRoles. Everything
is read from the linted files: nothing is fetched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .engine import Project
from .identity import Caller, Resolution, resolve
from .rbac import BUILTIN_CLUSTER_ROLES, Binding, Index, Rule

BUILTIN_MEANING = {
    "cluster-admin": "every verb on every resource",
    "admin": "read/write on most namespaced resources, including Roles and RoleBindings",
    "edit": "read/write on most namespaced resources, not Roles or RoleBindings",
    "view": "read-only on most namespaced resources, not Secrets",
}


@dataclass(slots=True)
class Grant:
    """One binding that applies to the caller, and what its role allows."""

    binding: Binding
    via: str  # "group X" or "user X"
    scope: str  # "cluster-wide" or "namespace N"
    role: str  # "ClusterRole/view"
    rules: list[Rule] = field(default_factory=list)
    meaning: str = ""  # built-in roles and unresolved references


@dataclass(slots=True)
class Answer:
    resolution: Resolution
    grants: list[Grant] = field(default_factory=list)
    unbound_groups: list[str] = field(default_factory=list)
    everything: bool = False  # system:masters

    @property
    def authenticated(self) -> bool:
        return self.resolution.authenticated


def explain(c: Caller, project: Project) -> Answer:
    res = resolve(c, project.docs)
    answer = Answer(res)
    if not res.authenticated:
        return answer
    index = project.rbac
    answer.everything = "system:masters" in res.groups
    groups = set(res.groups)
    bound: set[str] = set()
    for b in index.bindings:
        for s in b.subjects:
            hit = (s.kind == "Group" and s.name.value in groups) or (s.kind == "User" and s.name.value == res.username)
            if not hit:
                continue
            if s.kind == "Group":
                bound.add(s.name.value)
            answer.grants.append(_grant(b, f"{s.kind.lower()} {s.name.value}", index))
    answer.unbound_groups = sorted(g for g in groups - bound if not g.startswith(("system:", "eks:")))
    return answer


def _grant(b: Binding, via: str, index: Index) -> Grant:
    scope = "cluster-wide" if b.kind == "ClusterRoleBinding" else f"namespace {b.namespace or '(unset)'}"
    name = b.role_name.value if b.role_name else "?"
    g = Grant(b, via, scope, f"{b.role_kind}/{name}")
    if b.role_kind == "ClusterRole" and (name in BUILTIN_CLUSTER_ROLES or name.startswith("system:")):
        g.meaning = BUILTIN_MEANING.get(name, "a built-in Kubernetes role")
        return g
    defs = [
        r
        for r in index.roles
        if r.kind == b.role_kind and r.name == name and (r.kind == "ClusterRole" or r.namespace in (None, b.namespace))
    ]
    if not defs:
        g.meaning = "defined nowhere in the linted files (RB003): grants nothing"
    for d in defs:
        g.rules.extend(d.rules)
    return g


def _rule_text(r: Rule) -> str:
    if r.urls:
        return f"{','.join(r.verbs)} on URLs {','.join(r.urls)}"
    groups = ",".join(g or "core" for g in r.api_groups)
    names = f" named {','.join(r.resource_names)}" if r.resource_names else ""
    return f"{','.join(r.verbs)} on {','.join(r.resources) or '(none)'}{names} [{groups}]"


def render_text(a: Answer) -> str:
    r, c = a.resolution, a.resolution.caller
    out = [f"caller: {c.arn}", f"seen by the authenticator as: {c.canonical}" + (f" (session {c.session})" if c.session else "")]
    if not a.authenticated:
        out.append("NOT AUTHENTICATED: no mapRoles, mapUsers or mapAccounts entry matches (kubectl: Unauthorized)")
        out += [f"  - {n}" for n in r.notes] or ["  - no mapping mentions this role or user at all"]
        return "\n".join(out) + "\n"
    where = ""
    if r.mapping is not None and r.mapping.arn is not None and r.doc is not None:
        where = f" ({r.doc.file}:{r.mapping.arn.span.start.line})"
    out.append(f"authenticated via {r.via}{where}")
    out.append(f"  username: {r.username or '(empty)'}")
    out.append(f"  groups:   {', '.join(r.groups) or '(none)'}")
    out += [f"  note: {n}" for n in r.notes]
    if a.everything:
        out.append("may do: EVERYTHING (system:masters bypasses RBAC)")
    elif not a.grants:
        out.append("may do: nothing (no RoleBinding or ClusterRoleBinding names this user or its groups): kubectl answers Forbidden")
    else:
        out.append("may do:")
        for g in a.grants:
            out.append(f"  {g.scope}, via {g.via}: {g.role} ({g.binding.file}, binding {g.binding.name})")
            out += [f"    {g.meaning}"] if g.meaning else []
            out += [f"    {_rule_text(rule)}" for rule in g.rules]
    for grp in a.unbound_groups:
        out.append(f"group '{grp}' is bound by nothing: it grants nothing (RB001)")
    return "\n".join(out) + "\n"


def render_json(a: Answer) -> str:
    r, c = a.resolution, a.resolution.caller
    data: dict[str, Any] = {
        "caller": {"arn": c.arn, "canonical": c.canonical, "kind": c.kind, "account": c.account, "session": c.session},
        "authenticated": a.authenticated,
        "via": r.via or None,
        "username": r.username if a.authenticated else None,
        "groups": r.groups,
        "notes": r.notes,
        "everything": a.everything,
        "grants": [
            {
                "scope": g.scope,
                "via": g.via,
                "role": g.role,
                "binding": {"file": g.binding.file, "name": g.binding.name},
                "meaning": g.meaning or None,
                "rules": [
                    {"verbs": list(x.verbs), "resources": list(x.resources), "apiGroups": list(x.api_groups),
                     "resourceNames": list(x.resource_names), "nonResourceURLs": list(x.urls)}
                    for x in g.rules
                ],
            }
            for g in a.grants
        ],
        "unbound_groups": a.unbound_groups,
    }
    if r.mapping is not None and r.mapping.arn is not None and r.doc is not None:
        data["mapping"] = {"file": r.doc.file, "line": r.mapping.arn.span.start.line, "arn": r.mapping.arn.value}
    return json.dumps(data, indent=2) + "\n"
