"""The sensitive permissions a set of RBAC rules holds, spelled out (`access`).

Each is a way to read what should stay secret or to gain more power than granted:
reading Secrets, exec/attach/port-forward into pods, creating workloads (which mount
the namespace's Secrets), escalate/bind/impersonate, wildcards, the kubelet's
nodes/proxy, approving CSRs, changing RBAC, and changing the aws-auth ConfigMap.
"""

from __future__ import annotations

from collections.abc import Iterable

from .coverage import Prepared, allows, in_namespace, prepare
from .rbac import Rule

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

Scope = str | None  # a namespace (as written, maybe `dev-*`), or None: cluster-wide


def _can(p: Prepared, verbs: tuple[str, ...], group: str, resources: tuple[str, ...], name: str | None = None) -> bool:
    """Whether some rule allows one of `verbs` on one of `resources` for some object (named
    `name` when given); resourceNames never allow creating a resource, unnamed until created."""
    if any((v, group, res) in p.exact for v in verbs for res in resources):
        return True
    return any(
        allows(Rule(r.verbs, r.resources, r.api_groups), (v, group, res, None, None))
        for v in verbs
        for res in resources
        for r in p.other
        if not r.resource_names or (not (v == "create" and "/" not in res) and name in (None, *r.resource_names))
    )


def sensitive(rules: Iterable[Rule], namespace: Scope = None, prepared: Prepared | None = None) -> list[str]:
    """The `SENSITIVE` ids the rules hold, in order; `namespace` None for cluster-wide
    rules (the aws-auth ConfigMap lives in kube-system). exec, attach and port-forward
    count with `get` too: a websocket request is a GET, authorized as `get` before 1.35
    (`AuthorizePodWebsocketUpgradeCreatePermission`); the kubelet's nodes/proxy likewise."""
    rs, stream, certs, rbac = tuple(rules), ("create", "get"), "certificates.k8s.io", "rbac.authorization.k8s.io"
    p = prepared or prepare(rs)
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
        "modify-aws-auth": (namespace is None or in_namespace(KUBE_SYSTEM, namespace))
        and _can(p, ("update", "patch", "delete"), "", ("configmaps",), "aws-auth"),
    }
    return [sid for sid in SENSITIVE if held[sid]]
