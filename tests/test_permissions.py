"""The RBAC permission engine: rules per subject and scope, levels, sensitive permissions."""

from __future__ import annotations

import pickle

import pytest
from awsauth_lint import k8s_roles
from awsauth_lint.coverage import covers
from awsauth_lint.loader import load_bytes
from awsauth_lint.permissions import Grants, Source, add_policy, cluster_roles, level, rules_for
from awsauth_lint.rbac import Index, Rule, Selector, build
from awsauth_lint.sensitive import SENSITIVE, sensitive
from helpers import FIXTURES

HERE = FIXTURES / "permissions"
ALL = list(SENSITIVE)
WORKLOAD = ["read-secrets", "pods-exec", "pods-attach", "pods-portforward", "create-workloads", "impersonate"]
ANY = "system:serviceaccount:team-a:deployer"


def index(*names: str) -> Index:
    """The repository index of fixture files, read by the real loader."""
    return build([load_bytes(str(HERE / n), (HERE / n).read_bytes()) for n in names])


@pytest.fixture(scope="module")
def bindings() -> Index:
    return index("bindings.yaml", "aws-auth.yaml")


def grants(idx: Index, *groups: str, user: str = "someone") -> Grants:
    return rules_for(idx, user, list(groups))


@pytest.mark.parametrize(
    ("who", "levels", "held"),
    [
        (("system:masters",), {None: "cluster-admin"}, [(s, (None,)) for s in ALL]),
        (("viewers",), {None: "view"}, []),
        (("team-a-devs",), {None: "nothing", "team-a": "edit"}, [(s, ("team-a",)) for s in WORKLOAD]),
        (("secret-getters",), {None: "custom"}, [("read-secrets", (None,))]),
        (("team-b-admins",), {None: "nothing", "team-b": "admin"}, [(s, ("team-b",)) for s in [*WORKLOAD, "modify-rbac"]]),
        (("tricksters",), {None: "custom"}, [("escalate", (None,)), ("bind", (None,)), ("impersonate", (None,))]),
        (("star",), {None: "custom"}, [("create-workloads", (None,)), ("wildcard", (None,))]),
        (("aws-auth-editors",), {None: "nothing", "kube-system": "custom"}, [("modify-aws-auth", ("kube-system",))]),
        (("other-cm-editors",), {None: "nothing", "kube-system": "custom"}, []),
        (("ghosts",), {None: "nothing"}, []),
        ((), {None: "nothing"}, []),
        (("eks:kube-proxy-windows",), {None: "custom"}, []),
        (("viewers", "team-b-admins"), {None: "view", "team-b": "admin"}, [(s, ("team-b",)) for s in [*WORKLOAD, "modify-rbac"]]),
    ],
)
def test_levels_and_sensitive(bindings: Index, who: tuple[str, ...], levels: dict[str | None, str], held: list[tuple[str, tuple[str | None, ...]]]) -> None:
    """Each group's level per scope and its sensitive permissions, exactly."""
    g = grants(bindings, *who)
    assert g.levels() == levels
    assert g.sensitive() == held


def test_user_and_service_account_subjects(bindings: Index) -> None:
    """A User subject matches the username; a ServiceAccount one without a namespace takes the RoleBinding's."""
    assert grants(bindings, user="alice").levels() == {None: "view"}
    sa = grants(bindings, "system:serviceaccounts", user=ANY)
    assert sa.levels() == {None: "nothing", "team-a": "custom"}
    assert sa.sensitive() == [("create-workloads", ("team-a",))]
    assert {g.source.subject for g in sa.namespaces["team-a"]} == {"serviceaccount team-a/deployer"}
    assert grants(bindings, user="system:serviceaccount:team-b:deployer").levels() == {None: "nothing"}


def test_sources(bindings: Index) -> None:
    """Every rule says where it came from: the binding, its file and role, and the built-in grants."""
    g = grants(bindings, "viewers")
    file = str(HERE / "bindings.yaml")
    assert list(dict.fromkeys(x.source for x in g.cluster)) == [
        Source("ClusterRoleBinding", "viewers-view", file, "ClusterRole/view", "group viewers"),
        Source("built-in", "system:basic-user", "", "ClusterRole/system:basic-user", "group system:authenticated"),
        Source("built-in", "system:discovery", "", "ClusterRole/system:discovery", "group system:authenticated"),
        Source("built-in", "system:public-info-viewer", "", "ClusterRole/system:public-info-viewer",
               "group system:authenticated"),
    ]
    assert [r for x in g.cluster for r in x.rules][:10] == list(k8s_roles.VIEW)
    assert g.unresolved == []
    assert g.unmodelled == []


def test_unresolved_roles_grant_nothing(bindings: Index) -> None:
    """A roleRef defined nowhere, or a ClusterRoleBinding naming a Role, is recorded and grants nothing."""
    g = grants(bindings, "ghosts")
    file = str(HERE / "bindings.yaml")
    assert sorted(g.unresolved, key=str) == [
        Source("ClusterRoleBinding", "cluster-binding-to-a-role", file, "Role/other-cm-editor", "group ghosts"),
        Source("RoleBinding", "ghost-binding", file, "Role/ghost", "group ghosts"),
    ]
    assert g.namespaces == {}


def test_builtin_grants_without_rules_are_unmodelled(bindings: Index) -> None:
    """The Node authorizer and EKS' own node-bootstrapper role are noted, not guessed."""
    g = grants(bindings, "system:nodes", "system:bootstrappers")
    assert [(s.name, s.role) for s in g.unmodelled] == [
        ("Node authorizer", "(authorizer)"),
        ("eks:node-bootstrapper", "ClusterRole/eks:node-bootstrapper"),
        ("eks:node-bootstrapper", "ClusterRole/eks:node-bootstrapper"),
    ]
    assert g.levels() == {None: "nothing"}


def test_builtin_aggregation_is_the_controllers() -> None:
    """Aggregating the built-in roles by their labels gives the data's full lists, in the controller's order."""
    roles = cluster_roles(Index())
    assert roles["view"] == k8s_roles.VIEW
    assert roles["edit"] == k8s_roles.AGGREGATE_TO_EDIT + k8s_roles.AGGREGATE_TO_VIEW
    assert roles["admin"] == k8s_roles.AGGREGATE_TO_EDIT + k8s_roles.AGGREGATE_TO_VIEW + k8s_roles.AGGREGATE_TO_ADMIN
    assert (len(roles["view"]), len(roles["edit"]), len(roles["admin"])) == (10, 23, 25)
    assert roles["cluster-admin"] == (Rule(("*",), ("*",), ("*",)), Rule(("*",), (), (), (), ("*",)))
    assert Rule(("get", "list", "watch"), ("secrets",), ("",)) not in roles["view"]


def test_label_aggregated_into_view() -> None:
    """A repository role labelled aggregate-to-view reaches view, edit and admin; view's holders read secrets."""
    idx = index("aggregate-to-view.yaml")
    extra = Rule(("get",), ("secrets",), ("",))
    roles = cluster_roles(idx)
    assert roles["view"] == (extra, *k8s_roles.VIEW)  # by role name: secrets-into-view < system:aggregate-to-view
    assert extra in roles["edit"]
    assert extra in roles["admin"]
    g = rules_for(idx, "u", ["viewers"], roles)
    assert g.levels() == {None: "view"}
    assert g.sensitive() == [("read-secrets", (None,))]
    # The EKS view policy is the built-in view: it does not reach this cluster's (wider) view.
    add_policy(p := rules_for(idx, "u", [], roles), "AmazonEKSViewPolicy")
    assert p.levels() == {None: "custom"}


def test_aggregation_rule_selects_labelled_roles() -> None:
    """matchLabels and matchExpressions select two roles, per selector by name; the own rules are replaced."""
    idx = index("aggregation-rule.yaml")
    assert cluster_roles(idx)["monitoring"] == (
        Rule(("get", "list", "watch"), ("pods", "pods/log"), ("",)),
        Rule(("get",), ("nodes", "nodes/proxy"), ("",)),
    )
    g = grants(idx, "monitors")
    assert g.levels() == {None: "custom"}
    assert g.sensitive() == [("nodes-proxy", (None,))]


def test_aggregation_chains_and_empty_rules() -> None:
    """Aggregation is transitive; `aggregationRule: {}` empties a role; a role never aggregates itself."""
    text = """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: top}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {level: middle}}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: middle, labels: {level: middle, base: "yes"}}
aggregationRule: {clusterRoleSelectors: [{matchExpressions: [{key: base, operator: Exists}]}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: bottom, labels: {base: "no"}}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: emptied}
aggregationRule: {}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
"""
    roles = cluster_roles(build([load_bytes("f.yaml", text.encode())]))
    pods = (Rule(("get",), ("pods",), ("",)),)
    assert (roles["top"], roles["middle"], roles["bottom"], roles["emptied"]) == (pods, pods, pods, ())


@pytest.mark.parametrize(
    ("selector", "labels", "expected"),
    [
        (Selector(), {}, True),
        (Selector((("a", "1"),)), {"a": "1", "b": "2"}, True),
        (Selector((("a", "1"),)), {"a": "2"}, False),
        (Selector((), (("a", "In", ("1", "2")),)), {"a": "2"}, True),
        (Selector((), (("a", "In", ("1",)),)), {}, False),
        (Selector((), (("a", "NotIn", ("1",)),)), {}, True),
        (Selector((), (("a", "NotIn", ("1",)),)), {"a": "1"}, False),
        (Selector((), (("a", "Exists", ()),)), {"a": ""}, True),
        (Selector((), (("a", "DoesNotExist", ()),)), {"a": "x"}, False),
        (Selector((), (("a", "Matches", ()),)), {"a": "x"}, False),
    ],
)
def test_selector(selector: Selector, labels: dict[str, str], expected: bool) -> None:
    """Label selectors as Kubernetes reads them (an empty one selects everything)."""
    assert selector.matches(labels) is expected


def test_labels_and_selectors_are_read_and_pickled() -> None:
    """The loader reads ClusterRoles' labels and aggregationRule; worker processes get them back intact."""
    idx = index("aggregation-rule.yaml")
    mon = next(r for r in idx.roles if r.name == "monitoring")
    assert mon.aggregation == (
        Selector((("example.com/aggregate-to-monitoring", "true"),)),
        Selector((), (("example.com/tier", "In", ("extra", "more")), ("example.com/retired", "DoesNotExist", ()))),
    )
    assert next(r for r in idx.roles if r.name == "monitoring-retired").labels == (
        ("example.com/tier", "more"), ("example.com/retired", "yes"))
    assert pickle.loads(pickle.dumps(idx.roles)) == idx.roles


@pytest.mark.parametrize(
    ("policy", "expected_level", "held"),
    [
        ("AmazonEKSClusterAdminPolicy", "cluster-admin", ALL),
        ("AmazonEKSAdminPolicy", "admin", [*WORKLOAD, "modify-rbac", "modify-aws-auth"]),
        ("AmazonEKSEditPolicy", "edit", [*WORKLOAD, "modify-aws-auth"]),
        ("AmazonEKSViewPolicy", "view", []),
        # get on every resource includes pods/exec and nodes/proxy: a websocket exec is a GET
        ("AmazonEKSAdminViewPolicy", "view",
         ["read-secrets", "pods-exec", "pods-attach", "pods-portforward", "wildcard", "nodes-proxy"]),
        ("AmazonEKSSecretReaderPolicy", "custom", ["read-secrets"]),
        ("arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "view", []),
    ],
)
def test_policies_cluster_wide(bindings: Index, policy: str, expected_level: str, held: list[str]) -> None:
    """Each access policy associated with cluster scope."""
    g = grants(bindings)
    assert add_policy(g, policy) is True
    assert g.levels() == {None: expected_level}
    assert g.sensitive() == [(s, (None,)) for s in held]


@pytest.mark.parametrize(
    ("policy", "expected_level", "held"),
    [
        ("AmazonEKSClusterAdminPolicy", "admin", [s for s in ALL if s != "modify-aws-auth"]),
        ("AmazonEKSAdminPolicy", "admin", [*WORKLOAD, "modify-rbac"]),
        ("AmazonEKSEditPolicy", "edit", WORKLOAD),
        ("AmazonEKSViewPolicy", "view", []),
        ("AmazonEKSAdminViewPolicy", "view",
         ["read-secrets", "pods-exec", "pods-attach", "pods-portforward", "wildcard", "nodes-proxy"]),
        ("AmazonEKSSecretReaderPolicy", "custom", ["read-secrets"]),
    ],
)
def test_policies_in_namespaces(bindings: Index, policy: str, expected_level: str, held: list[str]) -> None:
    """A namespace-scoped policy: its namespaces as written (a pattern too); cluster-admin only cluster-wide."""
    g = grants(bindings)
    add_policy(g, policy, ["team-a", "dev-*"])
    assert g.levels() == {None: "nothing", "dev-*": expected_level, "team-a": expected_level}
    assert g.level("dev-payments") == expected_level
    assert g.level("team-b") == "nothing"
    assert g.sensitive() == [(s, ("dev-*", "team-a")) for s in held]


def test_policy_in_kube_system_reaches_aws_auth(bindings: Index) -> None:
    """Edit in kube-system (by name or pattern) can change aws-auth; combined with a RoleBinding elsewhere."""
    g = grants(bindings, "team-a-devs")
    add_policy(g, "AmazonEKSEditPolicy", ["kube-*"])
    assert g.levels() == {None: "nothing", "kube-*": "edit", "team-a": "edit"}
    assert g.level("kube-system") == "edit"
    assert g.sensitive() == [*((s, ("kube-*", "team-a")) for s in WORKLOAD), ("modify-aws-auth", ("kube-*",))]


def test_unknown_policies_grant_nothing_known(bindings: Index) -> None:
    """A policy whose rules are not data here is None (unknown), not empty, and noted."""
    assert k8s_roles.policy_rules("AmazonEKSAutoNodePolicy") is None
    assert k8s_roles.policy_rules("AmazonEKSSecretReaderPolicy") == (Rule(("get", "list", "watch"), ("secrets",), ("",)),)
    g = grants(bindings)
    assert add_policy(g, "AmazonEKSAutoNodePolicy", ["x"]) is False
    assert g.unknown_policies == ["AmazonEKSAutoNodePolicy"]
    assert g.namespaces == {}
    assert g.levels() == {None: "nothing"}


def R(verbs: str, resources: str = "", groups: str = "", names: str = "", urls: str = "") -> Rule:
    """A rule from space-separated lists ("-" is the core group)."""
    return Rule(tuple(verbs.split()), tuple(resources.split()), tuple(g.replace("-", "") for g in groups.split()) or ("",),
                tuple(names.split()), tuple(urls.split()))


@pytest.mark.parametrize(
    ("granted", "wanted", "expected"),
    [
        ([R("*", "*", "*")], [R("get list", "pods secrets", "- apps")], True),
        ([R("get", "pods")], [R("list", "pods")], False),
        ([R("get", "pods"), R("list", "pods")], [R("get list", "pods")], True),
        ([R("get", "pods")], [R("get", "pods/log")], False),
        ([R("get", "*/scale", "apps")], [R("get", "deployments/scale", "apps")], True),
        ([R("get", "*/scale", "apps")], [R("get", "deployments", "apps")], False),
        ([R("get", "*/scale", "apps")], [R("get", "deployments/status", "apps")], False),
        ([R("get", "deployments/scale", "apps")], [R("get", "*/scale", "apps")], False),
        ([R("get", "*", "apps")], [R("get", "deployments/scale", "apps")], True),
        ([R("get", "pods")], [R("get", "pods", "apps")], False),
        ([R("get", "pods", "*")], [R("get", "pods", "apps")], True),
        ([R("get list", "pods")], [R("*", "pods")], False),
        ([R("*", "pods")], [R("*", "pods")], True),
        ([R("get", "configmaps", names="a")], [R("get", "configmaps", names="a")], True),
        ([R("get", "configmaps", names="a")], [R("get", "configmaps")], False),
        ([R("get", "configmaps", names="a")], [R("get", "configmaps", names="a b")], False),
        ([R("get", "configmaps")], [R("get", "configmaps", names="a b")], True),
        ([R("get", urls="/healthz/*")], [R("get", urls="/healthz/etcd")], True),
        ([R("get", urls="/healthz/*")], [R("get", urls="/healthz")], False),
        ([R("get", urls="/healthz*")], [R("get", urls="/healthz /healthzz")], True),
        ([R("get", urls="/api")], [R("get", urls="/api/v1")], False),
        ([R("get", urls="*")], [R("get", urls="/anything /api/*")], True),
        ([R("get", urls="*")], [R("get", "pods")], False),
        ([R("*", "*", "*")], [R("get", urls="/healthz")], False),
        ([R("get", urls="/version")], [R("post", urls="/version")], False),
        ([], [], True),
        ([], [R("get", "pods")], False),
    ],
)
def test_covers(granted: list[Rule], wanted: list[Rule], expected: bool) -> None:
    """Kubernetes' coverage: each wanted verb/group/resource/name/URL allowed by some granted rule."""
    assert covers(granted, wanted) is expected


@pytest.mark.parametrize(
    ("rules", "namespaced", "expected"),
    [
        (k8s_roles.CLUSTER_ADMIN, False, "cluster-admin"),
        (k8s_roles.CLUSTER_ADMIN, True, "admin"),
        ((Rule(("*",), ("*",), ("*",)),), False, "admin"),
        (k8s_roles.ADMIN, False, "admin"),
        (k8s_roles.EDIT, True, "edit"),
        (k8s_roles.VIEW[1:], True, "custom"),
        (k8s_roles.DISCOVERY_RULES, False, "nothing"),
        ((R("get", urls="/metrics"),), False, "custom"),
        ((R("get", urls="/metrics"),), True, "nothing"),
        ((), False, "nothing"),
    ],
)
def test_level(rules: tuple[Rule, ...], namespaced: bool, expected: str) -> None:
    """The highest built-in role covered; URLs never count in a namespace."""
    assert level(rules, namespaced) == expected


@pytest.mark.parametrize(
    ("rules", "namespace", "expected"),
    [
        ([R("update", "configmaps", names="aws-auth")], "kube-system", ["modify-aws-auth"]),
        ([R("update", "configmaps", names="other")], "kube-system", []),
        ([R("patch", "configmaps")], None, ["modify-aws-auth"]),
        ([R("delete", "configmaps")], "team-a", []),
        ([R("get", "configmaps")], None, []),
        ([R("create", "pods", names="x")], None, []),
        ([R("create", "pods/exec", names="x")], None, ["pods-exec"]),
        ([R("get", "secrets", names="x")], None, ["read-secrets"]),
        ([R("create", "jobs", "batch")], None, ["create-workloads"]),
        ([R("create", "jobs")], None, []),
        ([R("update", "certificatesigningrequests/approval", "certificates.k8s.io")], None, []),
        ([R("update", "certificatesigningrequests/approval", "certificates.k8s.io"),
          R("approve", "signers", "certificates.k8s.io", names="kubernetes.io/kube-apiserver-client")], None, ["approve-csr"]),
        ([R("create", "rolebindings", "rbac.authorization.k8s.io")], None, ["modify-rbac"]),
        ([R("impersonate", "userextras/scopes", "authentication.k8s.io")], None, ["impersonate"]),
        ([R("*", urls="*")], None, ["wildcard"]),
    ],
)
def test_sensitive(rules: list[Rule], namespace: str | None, expected: list[str]) -> None:
    """Sensitive permissions of rules at a scope (resourceNames narrow them; a create of a named pod is nothing)."""
    assert sensitive(rules, namespace) == expected


def test_sensitive_labels_are_plain_words() -> None:
    """Ids are stable and ordered; every label is words (aws-auth's says why it matters)."""
    assert ALL == ["read-secrets", "pods-exec", "pods-attach", "pods-portforward", "create-workloads", "escalate",
                   "bind", "impersonate", "wildcard", "nodes-proxy", "approve-csr", "modify-rbac", "modify-aws-auth"]
    assert SENSITIVE["modify-aws-auth"] == "modify the aws-auth ConfigMap (a path to cluster-admin)"

