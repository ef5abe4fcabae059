"""RBAC every EKS cluster has without a file in the repository.

Kubernetes' bootstrap policy (auto-reconciled by the API server) and the bindings EKS
creates. Sources: kubernetes/kubernetes `plugin/pkg/auth/authorizer/rbac/bootstrappolicy/
testdata/cluster-role-bindings.yaml`, kubernetes.io "Using RBAC Authorization" and "Using
Node Authorization", the Amazon EKS user guide ("Amazon EKS created RBAC roles and
users", Windows support) and the AWS Knowledge Center on `eks:node-bootstrapper`.
"""

from __future__ import annotations

from dataclasses import dataclass

AUTHENTICATED = "system:authenticated"  # Kubernetes adds it to every authenticated request


@dataclass(frozen=True, slots=True)
class BuiltinGrant:
    subject: str  # "group system:masters", "user ..." as shown
    binding: str  # ClusterRoleBinding name, or "Node authorizer"
    role: str
    meaning: str
    source: str


_GROUPS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "system:masters": (
        ("cluster-admin", "ClusterRole/cluster-admin",
         "every verb on every resource; the group also bypasses RBAC entirely, no binding can take it back",
         "Kubernetes bootstrap policy"),
    ),
    AUTHENTICATED: (
        ("system:basic-user", "ClusterRole/system:basic-user", "self-subject access and rules reviews", "Kubernetes bootstrap policy"),
        ("system:discovery", "ClusterRole/system:discovery", "API discovery (/api, /apis, /openapi)", "Kubernetes bootstrap policy"),
        ("system:public-info-viewer", "ClusterRole/system:public-info-viewer", "/healthz, /livez, /readyz, /version",
         "Kubernetes bootstrap policy"),
    ),
    "system:nodes": (
        ("Node authorizer", "(authorizer)",
         "as a kubelet: read and update its own Node and the pods bound to it, read the secrets, config maps and "
         "volumes those pods use (only with the username system:node:<node name>; NodeRestriction limits writes)",
         "Kubernetes Node authorization"),
        ("eks:node-bootstrapper", "ClusterRole/eks:node-bootstrapper",
         "create certificate signing requests for the kubelet's serving certificate", "Amazon EKS"),
    ),
    "system:bootstrappers": (
        ("eks:node-bootstrapper", "ClusterRole/eks:node-bootstrapper",
         "create certificate signing requests (kubelet TLS bootstrap); EKS approves node CSRs", "Amazon EKS"),
    ),
    "eks:kube-proxy-windows": (
        ("eks:kube-proxy-windows", "ClusterRole/system:node-proxier", "what kube-proxy needs on Windows nodes (DNS)",
         "Amazon EKS (Windows support)"),
    ),
    "system:monitoring": (
        ("system:monitoring", "ClusterRole/system:monitoring", "/healthz*, /livez*, /readyz*, /metrics",
         "Kubernetes bootstrap policy"),
    ),
}

# What the user-facing built-in ClusterRoles allow (`rbac.BUILTIN_CLUSTER_ROLES`).
BUILTIN_MEANING = {
    "cluster-admin": "every verb on every resource",
    "admin": "read/write on most namespaced resources, including Roles and RoleBindings",
    "edit": "read/write on most namespaced resources, not Roles or RoleBindings",
    "view": "read-only on most namespaced resources, not Secrets",
}


def grants(groups: list[str]) -> list[BuiltinGrant]:
    """The built-in grants for a caller with these groups (`system:authenticated` implied)."""
    out: list[BuiltinGrant] = []
    for g in [*dict.fromkeys(groups), AUTHENTICATED]:
        for binding, role, meaning, source in _GROUPS.get(g, ()):
            out.append(BuiltinGrant(f"group {g}", binding, role, meaning, source))
    return out
