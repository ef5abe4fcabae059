"""`why` through EKS access entries: which store answers for a caller, per the cluster's
authentication mode, and what the matching entry gives.

EKS matches an entry by the caller's role (or user) name in the same account, whatever
the entry's IAM path. In `API` mode only entries count; in `API_AND_CONFIG_MAP` an
entry overrides the aws-auth row for the same principal; in `CONFIG_MAP` entries are
refused (AE402) and aws-auth alone answers (ACCESS-ENTRIES.md §1.7-1.8). A STANDARD
entry without a username gets `arn:<p>:sts::<acct>:assumed-role/<name>/{{SessionName}}`
(a role) or the user ARN; node types get EKS's node identity and `system:nodes`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .accessentry import AccessEntry, Scope
from .effective import Verdict
from .eksaccess import EksCluster, at, default_username, label, mode_origin, policy_name, principal_key
from .identity import Caller, render
from .parsemap import LINES, Line

if TYPE_CHECKING:
    from .why import Section

# What each access policy grants (ACCESS-ENTRIES.md §1.6).
POLICY_MEANING = {
    "AmazonEKSClusterAdminPolicy": "every verb on every resource, like cluster-admin",
    "AmazonEKSAdminPolicy": "like the admin ClusterRole: read/write workloads, Secrets, exec, Roles and RoleBindings",
    "AmazonEKSEditPolicy": "like the edit ClusterRole: read/write workloads, Secrets, exec; no RBAC objects",
    "AmazonEKSViewPolicy": "like the view ClusterRole: read most resources, not Secrets",
    "AmazonEKSAdminViewPolicy": "get, list and watch every resource, Secrets included",
    "AmazonEKSSecretReaderPolicy": "get, list and watch Secrets",
}


def matching(c: Caller, ec: EksCluster) -> AccessEntry | None:
    """The cluster's entry for the caller's principal (the first one declared)."""
    want = principal_key(c.canonical) if c.canonical else None
    if want is None:
        return None
    for e in ec.standing:
        if e.principal is not None and e.principal.value and principal_key(e.principal.value) == want:
            return e
    return None


def apply(sec: Section, c: Caller, ec: EksCluster) -> bool:
    """Let the cluster's mode and entries decide `sec`; True when an access entry answers
    (the caller's grants must then be recomputed)."""
    sec.mode = ec.mode
    hit = matching(c, ec)
    where = at(hit.file, hit.principal.span.start.line) if hit is not None and hit.principal is not None else ""
    if ec.mode == "CONFIG_MAP":
        if hit is not None:
            sec.notes.append(f"{where}: an access entry names this principal, but {label(ec)} is in CONFIG_MAP mode "
                             f"({mode_origin(ec)}): EKS refuses access entries there (AE402)")
        return False
    if ec.mode == "API" and sec.state is not None:
        sec.notes.append(f"{label(ec)} is in API mode ({mode_origin(ec)}): EKS ignores aws-auth (AE401)")
    if hit is None:
        if ec.mode == "API":
            reason = "no access entry names this principal, and in API mode aws-auth is ignored"
            sec.verdicts = {line: Verdict(line, False, reason=reason) for line in LINES}
        for v in sec.verdicts.values():
            if not v.authenticated and v.reason and "access entry" not in v.reason:
                v.reason += "; no access entry names it either"
        return False
    before = sec.verdict
    if before.authenticated and sec.state is not None:
        sec.notes.append(f"the aws-auth row for this principal is overridden by the access entry (AE403): it would give "
                         f"username '{before.username}', groups [{', '.join(before.groups)}]")
    sec.access = hit
    sec.access_where = where
    sec.verdicts = {line: _verdict(hit, c, line) for line in LINES}
    return sec.verdict.authenticated


def _verdict(e: AccessEntry, c: Caller, line: Line) -> Verdict:
    via = "access entry"
    if e.type_value != "STANDARD":
        return Verdict(line, True, f"{via} ({e.type_value})", f"(the node identity EKS gives {e.type_value})", ["system:nodes"])
    principal = e.principal.value if e.principal is not None and e.principal.value else ""
    if e.username is not None and e.username.value is None:
        return Verdict(line, False, via, reason="the entry's username is unknown at lint time")
    template = e.username.value if e.username is not None and e.username.value is not None else default_username(principal)
    username, err = render(template, c)
    if err:
        return Verdict(line, False, via, reason=err)
    return Verdict(line, True, via, username, [g.value for g in e.groups if g.value is not None])


def policies(e: AccessEntry) -> list[tuple[str, str, str]]:
    """The entry's access policies as (name, scope, what it grants)."""
    out = []
    for p in e.policies:
        name = policy_name(p) or "(a policy unknown at lint time)"
        scopes: list[Scope | None] = [*p.scopes] or [None]
        for s in scopes:
            if s is None or s.type is None or s.type.value is None:
                scope = "scope unknown"
            elif s.type.value == "cluster":
                scope = "cluster-wide"
            else:
                scope = "namespaces " + ", ".join(n.value or "?" for n in s.namespaces)
            out.append((name, scope, POLICY_MEANING.get(name, "")))
    return out
