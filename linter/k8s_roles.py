"""The rules of Kubernetes' built-in ClusterRoles and of the EKS access policies, as data.

Source: kubernetes/kubernetes `plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/
cluster-roles.yaml` at commit 025f2834a128798cef30018a5e6a6ae82b5ad885, the bootstrap policy
the API server reconciles. The file names no release; it is 1.24 or later (it has the
`serviceaccounts/token` rule kubernetes PR 107880 gave `edit` for 1.24).
There `admin`, `edit` and `view` carry no rules of their own, only an `aggregationRule`;
the API server's aggregation controller fills them from the `system:aggregate-to-*`
roles, and from every other ClusterRole with the same labels (`permissions.cluster_roles`
does the same for a repository's roles). `ADMIN`, `EDIT` and `VIEW` are what the controller
writes for a cluster with no other labelled roles: per selector, the matching roles by
name, their rules in order, without repeats (`edit` < `system:aggregate-to-admin`,
`system:aggregate-to-edit` < `view`).

EKS access policies (the EKS user guide's "Review access policy permissions" page;
ACCESS-ENTRIES.md §1.6) are rules an EKS authorizer evaluates beside RBAC; the Admin,
Edit and View policies equal the built-in roles above, not the cluster's aggregated ones.
"""

from __future__ import annotations

from .rbac import RoleDef, Rule, Selector

_RBAC = "rbac.authorization.k8s.io"
_BOOT = ("kubernetes.io/bootstrapping", "rbac-defaults")
TO_ADMIN = (f"{_RBAC}/aggregate-to-admin", "true")
TO_EDIT = (f"{_RBAC}/aggregate-to-edit", "true")
TO_VIEW = (f"{_RBAC}/aggregate-to-view", "true")

_R = ("get", "list", "watch")
_W = ("create", "delete", "deletecollection", "patch", "update")
_RW = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")


def _rule(group: str, resources: str, verbs: tuple[str, ...]) -> Rule:
    return Rule(verbs, tuple(resources.split()), (group,))


def _urls(urls: str, verbs: tuple[str, ...] = ("get",)) -> Rule:
    return Rule(verbs, (), (), (), tuple(urls.split()))


CLUSTER_ADMIN = (Rule(("*",), ("*",), ("*",)), _urls("*", ("*",)))

AGGREGATE_TO_ADMIN = (
    _rule("authorization.k8s.io", "localsubjectaccessreviews", ("create",)),
    _rule(_RBAC, "rolebindings roles", _RW),
)

AGGREGATE_TO_EDIT = (
    _rule("", "pods/attach pods/exec pods/portforward pods/proxy secrets services/proxy", _R),
    _rule("", "serviceaccounts", ("impersonate",)),
    _rule("", "pods pods/attach pods/exec pods/portforward pods/proxy", _W),
    _rule("", "pods/eviction", ("create",)),
    _rule("", "configmaps events persistentvolumeclaims replicationcontrollers replicationcontrollers/scale secrets "
          "serviceaccounts services services/proxy", _W),
    _rule("", "serviceaccounts/token", ("create",)),
    _rule("apps", "daemonsets deployments deployments/rollback deployments/scale replicasets replicasets/scale "
          "statefulsets statefulsets/scale", _W),
    _rule("autoscaling", "horizontalpodautoscalers", _W),
    _rule("batch", "cronjobs jobs", _W),
    _rule("extensions", "daemonsets deployments deployments/rollback deployments/scale ingresses networkpolicies "
          "replicasets replicasets/scale replicationcontrollers/scale", _W),
    _rule("policy", "poddisruptionbudgets", _W),
    _rule("networking.k8s.io", "ingresses networkpolicies", _W),
    _rule("coordination.k8s.io", "leases", _RW),
)

AGGREGATE_TO_VIEW = (
    _rule("", "configmaps endpoints persistentvolumeclaims persistentvolumeclaims/status pods replicationcontrollers "
          "replicationcontrollers/scale serviceaccounts services services/status", _R),
    _rule("", "bindings events limitranges namespaces/status pods/log pods/status replicationcontrollers/status "
          "resourcequotas resourcequotas/status", _R),
    _rule("", "namespaces", _R),
    _rule("discovery.k8s.io", "endpointslices", _R),
    _rule("apps", "controllerrevisions daemonsets daemonsets/status deployments deployments/scale deployments/status "
          "replicasets replicasets/scale replicasets/status statefulsets statefulsets/scale statefulsets/status", _R),
    _rule("autoscaling", "horizontalpodautoscalers horizontalpodautoscalers/status", _R),
    _rule("batch", "cronjobs cronjobs/status jobs jobs/status", _R),
    _rule("extensions", "daemonsets daemonsets/status deployments deployments/scale deployments/status ingresses "
          "ingresses/status networkpolicies replicasets replicasets/scale replicasets/status "
          "replicationcontrollers/scale", _R),
    _rule("policy", "poddisruptionbudgets poddisruptionbudgets/status", _R),
    _rule("networking.k8s.io", "ingresses ingresses/status networkpolicies", _R),
)

# The roles every authenticated caller holds (`system:authenticated` bindings): "nothing" for a level.
BASIC_USER = (
    _rule("authorization.k8s.io", "selfsubjectaccessreviews selfsubjectrulesreviews", ("create",)),
    _rule("authentication.k8s.io", "selfsubjectreviews", ("create",)),
)
DISCOVERY = _urls("/api /api/* /apis /apis/* /healthz /livez /openapi /openapi/* /readyz /version /version/")
PUBLIC_INFO_VIEWER = _urls("/healthz /livez /readyz /version /version/")
DISCOVERY_RULES = (*BASIC_USER, DISCOVERY, PUBLIC_INFO_VIEWER)

# The other roles `builtin_rbac` binds to groups.
MONITORING = _urls("/healthz /healthz/* /livez /livez/* /metrics /metrics/slis /readyz /readyz/*")
NODE_PROXIER = (
    _rule("", "endpoints services", ("list", "watch")),
    _rule("", "nodes", _R),
    Rule(("create", "patch", "update"), ("events",), ("", "events.k8s.io")),
    _rule("discovery.k8s.io", "endpointslices", ("list", "watch")),
)


def _union(*parts: tuple[Rule, ...]) -> tuple[Rule, ...]:
    return tuple(dict.fromkeys(r for part in parts for r in part))


VIEW = AGGREGATE_TO_VIEW
EDIT = _union(AGGREGATE_TO_EDIT, VIEW)
ADMIN = _union(EDIT, AGGREGATE_TO_ADMIN)
USER_FACING = {"cluster-admin": CLUSTER_ADMIN, "admin": ADMIN, "edit": EDIT, "view": VIEW}


def _role(name: str, rules: tuple[Rule, ...] = (), labels: tuple[tuple[str, str], ...] = (),
          aggregates: tuple[str, str] | None = None) -> RoleDef:
    selectors = None if aggregates is None else (Selector((aggregates,)),)
    return RoleDef("", "ClusterRole", name, None, rules, (_BOOT, *labels), selectors)


# As the API server has them before aggregation: what a repository's labelled roles join.
CLUSTER_ROLES = (
    _role("cluster-admin", CLUSTER_ADMIN),
    _role("admin", aggregates=TO_ADMIN),
    _role("edit", labels=(TO_ADMIN,), aggregates=TO_EDIT),
    _role("view", labels=(TO_EDIT,), aggregates=TO_VIEW),
    _role("system:aggregate-to-admin", AGGREGATE_TO_ADMIN, (TO_ADMIN,)),
    _role("system:aggregate-to-edit", AGGREGATE_TO_EDIT, (TO_EDIT,)),
    _role("system:aggregate-to-view", AGGREGATE_TO_VIEW, (TO_VIEW,)),
    _role("system:basic-user", BASIC_USER),
    _role("system:discovery", (DISCOVERY,)),
    _role("system:public-info-viewer", (PUBLIC_INFO_VIEWER,)),
    _role("system:monitoring", (MONITORING,)),
    _role("system:node-proxier", NODE_PROXIER),
)

POLICIES: dict[str, tuple[Rule, ...]] = {
    "AmazonEKSClusterAdminPolicy": CLUSTER_ADMIN,
    "AmazonEKSAdminPolicy": ADMIN,
    "AmazonEKSEditPolicy": EDIT,
    "AmazonEKSViewPolicy": VIEW,
    "AmazonEKSAdminViewPolicy": (Rule(_R, ("*",), ("*",)),),
    "AmazonEKSSecretReaderPolicy": (_rule("", "secrets", _R),),
}


def policy_rules(name: str) -> tuple[Rule, ...] | None:
    """An access policy's rules, by name or ARN (`arn:aws:eks::aws:cluster-access-policy/X`).

    None for a policy whose rules are not known here (Auto Mode, capabilities, new ones):
    it may grant anything, which is not the same as granting nothing.
    """
    return POLICIES.get(name.rsplit("/", 1)[-1])
