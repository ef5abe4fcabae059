"""Access entries read from every format into the shared model: values, exact spans,
JSON paths, values unknown at lint time (CloudFormation intrinsics, references) and the
shape problems AE001 reports; loading, relevance, the engine's "access" rule scope."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest
from awsauth_lint import access, engine, markers, parallel
from awsauth_lint.accessentry import AccessEntry, Declared, Text
from awsauth_lint.config import Config
from awsauth_lint.loader import SourceFile, load_bytes
from awsauth_lint.model import Rule, RuleMeta, Severity, Span, Violation
from awsauth_lint.source import compose
from helpers import FIXTURES

ACCESS = FIXTURES / "access"


def pos(s: Span | None) -> str:
    return "-" if s is None else f"{s.start.line}:{s.start.column}-{s.end.line}:{s.end.column}"


def show(t: Text | None) -> str:
    if t is None:
        return "-"
    out = f"{t.value!r} {pos(t.span)} {t.json_path}"
    if t.kind != "str":
        out += f" kind={t.kind}"
    if t.pattern is not None:
        out += f" pattern={t.pattern}"
    if t.ref is not None:
        out += f" ref={t.ref}"
    return out


def render(d: Declared) -> str:
    """Everything the model holds, one value a line: `value line:col-line:col json-path`."""
    lines = []
    for c in d.configs:
        lines.append(f"config {c.format} {pos(c.span)} {c.json_path} name={c.name} default={c.default_mode}")
        lines += [f"  cluster {show(c.cluster)}", f"  mode {show(c.mode)}", f"  bootstrap {show(c.bootstrap_admin)}"]
        lines += [f"  problem {pos(s)} {p} | {m}" for s, m, p in c.problems]
    for e in d.all_entries:
        lines.append(f"{'association' if e.association else 'entry'} {e.format} {pos(e.span)} {e.json_path} name={e.name}")
        lines += [f"  {k} {show(getattr(e, k))}" for k in ("cluster", "principal", "type", "username") if getattr(e, k)]
        lines += [f"  group {show(g)}" for g in e.groups]
        for p in e.policies:
            lines.append(f"  policy {pos(p.span)} {p.json_path}: {show(p.arn)}")
            for s in p.scopes:
                lines.append(f"    scope {pos(s.span)} {s.json_path}: {show(s.type)}")
                lines += [f"      namespace {show(n)}" for n in s.namespaces]
        lines += [f"  problem {pos(s)} {p} | {m}" for s, m, p in e.problems]
    return "\n".join(lines)


def load(name: str) -> SourceFile:
    path = ACCESS / name
    sf = load_bytes(str(path), path.read_bytes())
    assert isinstance(sf, SourceFile)
    return sf


EXPECTED = {
    "ack/access-entry.yaml": """\
config ack 10:5-10:43 $.spec.accessConfig name=shop-prod default=CONFIG_MAP
  cluster 'shop-production' 7:9-7:24 $.spec.name
  mode 'API_AND_CONFIG_MAP' 10:25-10:43 $.spec.accessConfig.authenticationMode
  bootstrap -
config ack 44:1-49:17 $ name=shop-dev default=CONFIG_MAP
  cluster 'shop-dev' 49:9-49:17 $.spec.name
  mode -
  bootstrap -
entry ack 12:1-29:27 $ name=shop-developers
  cluster None 20:13-20:22 $.spec.clusterRef.from.name kind=ref ref=shop-prod
  principal 'arn:aws:iam::444455556666:role/shop-developers' 21:17-21:63 $.spec.principalARN
  type 'STANDARD' 22:9-22:17 $.spec.type
  username 'shop-dev:{{SessionName}}' 23:13-23:39 $.spec.username
  group 'shop-developers' 24:22-24:37 $.spec.kubernetesGroups[0]
  policy 26:7-29:27 $.spec.accessPolicies[0]: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy' 26:18-26:76 $.spec.accessPolicies[0].policyARN
    scope 28:9-29:27 $.spec.accessPolicies[0].accessScope: 'namespace' 28:15-28:24 $.spec.accessPolicies[0].accessScope.type
      namespace 'shop' 29:22-29:26 $.spec.accessPolicies[0].accessScope.namespaces[0]
entry ack 31:1-42:76 $ name=shop-ci
  cluster 'shop-production' 37:16-37:31 $.spec.clusterName
  policy 41:7-42:5 $.spec.accessPolicies[0]: -
    scope 41:20-41:35 $.spec.accessPolicies[0].accessScope: 'cluster' 41:27-41:34 $.spec.accessPolicies[0].accessScope.type
  policy 42:7-42:76 $.spec.accessPolicies[1]: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy' 42:18-42:76 $.spec.accessPolicies[1].policyARN
  problem 38:3-38:15 $.spec.principalArn | unknown key 'principalArn': an ACK AccessEntry spec has no such field, the API server drops it; did you mean 'principalARN'?
  problem 39:3-39:11 $.spec.userName | unknown key 'userName': an ACK AccessEntry spec has no such field, the API server drops it; did you mean 'username'?
  problem 41:7-42:5 $.spec.accessPolicies[0].policyARN | access policy without 'policyARN': the controller stops with 'All Access Policy entries must specify a Policy ARN.'
  problem 42:7-42:76 $.spec.accessPolicies[1].accessScope | access policy without 'accessScope': EKS requires a scope to associate a policy
""",
    "cloudformation/malformed.yaml": """\
config cloudformation 21:9-23:55 $.Resources.BadCluster.Properties.AccessConfig name=BadCluster default=CONFIG_MAP
  cluster -
  mode 'CONFIG_MAP' 21:29-21:39 $.Resources.BadCluster.Properties.AccessConfig.AuthenticationMode
  bootstrap 'maybe' 23:50-23:55 $.Resources.BadCluster.Properties.AccessConfig.BootstrapClusterCreatorAdminPermissions
  problem 22:9-22:18 $.Resources.BadCluster.Properties.AccessConfig.Bootstrap | unknown key 'Bootstrap': AccessConfig has no such field (it has AuthenticationMode, BootstrapClusterCreatorAdminPermissions)
  problem 23:50-23:55 $.Resources.BadCluster.Properties.AccessConfig.BootstrapClusterCreatorAdminPermissions | 'BootstrapClusterCreatorAdminPermissions' must be true or false, not the string 'maybe'
entry cloudformation 3:5-4:3 $.Resources.NoProperties name=NoProperties
  problem 3:5-4:3 $.Resources.NoProperties.Properties | AWS::EKS::AccessEntry 'NoProperties' without Properties: ClusterName and PrincipalArn are required
entry cloudformation 5:5-17:3 $.Resources.Misspelt name=Misspelt
  cluster 'shop' 7:20-7:24 $.Resources.Misspelt.Properties.ClusterName
  type '1' 12:13-12:14 $.Resources.Misspelt.Properties.Type kind=int
  username None 10:17-10:20 $.Resources.Misspelt.Properties.Username kind=seq
  policy 14:11-16:9 $.Resources.Misspelt.Properties.AccessPolicies[0]: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy' 14:22-14:80 $.Resources.Misspelt.Properties.AccessPolicies[0].PolicyArn
    scope 15:24-15:60 $.Resources.Misspelt.Properties.AccessPolicies[0].AccessScope: 'namespace' 15:31-15:40 $.Resources.Misspelt.Properties.AccessPolicies[0].AccessScope.Type
  policy 16:11-17:3 $.Resources.Misspelt.Properties.AccessPolicies[1]: -
  problem 9:7-9:21 $.Resources.Misspelt.Properties.AccessEntryArn | 'AccessEntryArn' is read-only: CloudFormation sets it, a template cannot
  problem 8:7-8:19 $.Resources.Misspelt.Properties.principalArn | unknown key 'principalArn': AWS::EKS::AccessEntry has no such field; did you mean 'PrincipalArn'?
  problem 10:17-10:20 $.Resources.Misspelt.Properties.Username | 'Username' must be a string, not a list
  problem 11:25-11:29 $.Resources.Misspelt.Properties.KubernetesGroups | 'KubernetesGroups' must be a list of strings, not the string 'shop'
  problem 15:42-15:51 $.Resources.Misspelt.Properties.AccessPolicies[0].AccessScope.Namespace | unknown key 'Namespace': AccessScope has no such field (it has Type, Namespaces)
  problem 16:11-17:3 $.Resources.Misspelt.Properties.AccessPolicies[1].PolicyArn | access policy without 'PolicyArn', which is required
  problem 16:24-16:31 $.Resources.Misspelt.Properties.AccessPolicies[1].AccessScope | 'AccessScope' must be a mapping, not the string 'cluster'
""",
    "cloudformation/template.json": """\
config cloudformation 4:16-7:6 $.Resources.Cluster name=Cluster default=CONFIG_MAP
  cluster 'shop-json' 6:30-6:41 $.Resources.Cluster.Properties.Name
  mode -
  bootstrap -
entry cloudformation 8:15-21:6 $.Resources.Admins name=Admins
  cluster None 11:24-11:42 $.Resources.Admins.Properties.ClusterName kind=intrinsic ref=Cluster
  principal None 12:25-12:96 $.Resources.Admins.Properties.PrincipalArn kind=intrinsic pattern=arn:*:iam::*:role/admins
  type 'STANDARD' 13:17-13:27 $.Resources.Admins.Properties.Type
  policy 15:11-18:12 $.Resources.Admins.Properties.AccessPolicies[0]: None 16:26-16:152 $.Resources.Admins.Properties.AccessPolicies[0].PolicyArn kind=intrinsic pattern=arn:*:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy
    scope 17:28-17:47 $.Resources.Admins.Properties.AccessPolicies[0].AccessScope: 'cluster' 17:37-17:46 $.Resources.Admins.Properties.AccessPolicies[0].AccessScope.Type
""",
    "cloudformation/template.yaml": """\
config cloudformation 14:9-16:3 $.Resources.ShopCluster.Properties.AccessConfig name=ShopCluster default=CONFIG_MAP
  cluster None 11:13-11:29 $.Resources.ShopCluster.Properties.Name kind=intrinsic ref=ClusterName
  mode 'API' 14:29-14:32 $.Resources.ShopCluster.Properties.AccessConfig.AuthenticationMode
  bootstrap 'false' 15:50-15:55 $.Resources.ShopCluster.Properties.AccessConfig.BootstrapClusterCreatorAdminPermissions kind=bool
entry cloudformation 17:5-33:3 $.Resources.ShopDevelopers name=ShopDevelopers
  cluster None 19:20-19:36 $.Resources.ShopDevelopers.Properties.ClusterName kind=intrinsic ref=ShopCluster
  principal None 20:21-20:91 $.Resources.ShopDevelopers.Properties.PrincipalArn kind=intrinsic pattern=arn:*:iam::*:role/shop-developers
  username 'shop-dev:{{SessionName}}' 21:17-21:43 $.Resources.ShopDevelopers.Properties.Username
  group 'shop-developers' 23:11-23:26 $.Resources.ShopDevelopers.Properties.KubernetesGroups[0]
  group None 24:11-24:26 $.Resources.ShopDevelopers.Properties.KubernetesGroups[1] kind=intrinsic ref=ExtraGroup
  policy 26:11-30:9 $.Resources.ShopDevelopers.Properties.AccessPolicies[0]: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy' 26:22-26:87 $.Resources.ShopDevelopers.Properties.AccessPolicies[0].PolicyArn kind=intrinsic pattern=arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy
    scope 28:13-30:9 $.Resources.ShopDevelopers.Properties.AccessPolicies[0].AccessScope: 'namespace' 28:19-28:28 $.Resources.ShopDevelopers.Properties.AccessPolicies[0].AccessScope.Type
      namespace 'shop' 29:26-29:30 $.Resources.ShopDevelopers.Properties.AccessPolicies[0].AccessScope.Namespaces[0]
  policy 30:11-32:9 $.Resources.ShopDevelopers.Properties.AccessPolicies[1]: None 30:22-30:111 $.Resources.ShopDevelopers.Properties.AccessPolicies[1].PolicyArn kind=intrinsic pattern=arn:*:eks::aws:cluster-access-policy/*
    scope 31:24-31:90 $.Resources.ShopDevelopers.Properties.AccessPolicies[1].AccessScope: None 31:24-31:90 $.Resources.ShopDevelopers.Properties.AccessPolicies[1].AccessScope kind=intrinsic
  policy 32:11-32:88 $.Resources.ShopDevelopers.Properties.AccessPolicies[2]: None 32:11-32:88 $.Resources.ShopDevelopers.Properties.AccessPolicies[2] kind=intrinsic
entry cloudformation 34:5-43:3 $.Resources.ShopNodes name=ShopNodes
  cluster None 36:20-36:44 $.Resources.ShopNodes.Properties.ClusterName kind=intrinsic
  principal None 37:21-41:7 $.Resources.ShopNodes.Properties.PrincipalArn kind=intrinsic pattern=arn:aws:iam::444455556666:role/*-${Literal}
  type 'EC2_LINUX' 41:13-41:22 $.Resources.ShopNodes.Properties.Type
  group None 42:25-42:61 $.Resources.ShopNodes.Properties.KubernetesGroups kind=intrinsic
""",
    "crossplane/cluster-scoped.yaml": """\
config crossplane 10:9-11:54 $.spec.forProvider.accessConfig[0] name=shop-xp default=CONFIG_MAP
  cluster 'shop-xp' 4:9-4:16 $.metadata.name
  mode 'API' 10:29-10:32 $.spec.forProvider.accessConfig[0].authenticationMode
  bootstrap 'true' 11:50-11:54 $.spec.forProvider.accessConfig[0].bootstrapClusterCreatorAdminPermissions kind=bool
entry crossplane 13:1-25:40 $ name=shop-developers
  cluster None 21:13-21:20 $.spec.forProvider.clusterNameRef.name kind=ref ref=shop-xp
  principal 'arn:aws:iam::444455556666:role/shop-developers' 22:19-22:65 $.spec.forProvider.principalArn
  type 'STANDARD' 23:11-23:19 $.spec.forProvider.type
  username 'shop-dev:{{SessionName}}' 24:15-24:41 $.spec.forProvider.userName
  group 'shop-developers' 25:24-25:39 $.spec.forProvider.kubernetesGroups[0]
association crossplane 27:1-41:38 $ name=shop-developers-view
  cluster None 35:13-35:20 $.spec.forProvider.clusterNameRef.name kind=ref ref=shop-xp
  principal None 37:13-37:28 $.spec.forProvider.principalArnRef.name kind=ref ref=shop-developers
  policy 33:5-41:38 $.spec.forProvider: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy' 38:16-38:74 $.spec.forProvider.policyArn
    scope 40:9-41:38 $.spec.forProvider.accessScope[0]: 'namespace' 40:15-40:24 $.spec.forProvider.accessScope[0].type
      namespace 'shop' 41:22-41:26 $.spec.forProvider.accessScope[0].namespaces[0]
      namespace 'shop-jobs' 41:28-41:37 $.spec.forProvider.accessScope[0].namespaces[1]
""",
    "crossplane/namespaced.yaml": """\
config crossplane 13:7-13:45 $.spec.initProvider.accessConfig name=shop-ns default=CONFIG_MAP
  cluster 'shop-eu' 7:34-7:41 $.metadata.annotations["crossplane.io/external-name"]
  mode 'API_AND_CONFIG_MAP' 13:27-13:45 $.spec.initProvider.accessConfig.authenticationMode
  bootstrap -
entry crossplane 15:1-28:20 $ name=shop-nodes
  cluster 'shop-eu' 23:18-23:25 $.spec.forProvider.clusterName
  principal None 25:13-25:27 $.spec.forProvider.principalArnFromRoleRef.name kind=ref ref=shop-node-role
  type 'EC2_LINUX' 28:11-28:20 $.spec.initProvider.type
association crossplane 30:1-43:20 $ name=shop-auditors
  cluster None 39:7-40:5 $.spec.forProvider.clusterNameSelector kind=selector
  principal 'arn:aws:iam::444455556666:role/shop-auditors' 40:19-40:63 $.spec.forProvider.principalArn
  policy 37:5-43:20 $.spec.forProvider: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy' 41:16-41:79 $.spec.forProvider.policyArn
    scope 43:7-43:20 $.spec.forProvider.accessScope: 'cluster' 43:13-43:20 $.spec.forProvider.accessScope.type
association crossplane 45:1-51:51 $ name=broken
  policy 51:5-51:51 $.spec.forProvider: -
  problem 51:5-51:17 $.spec.forProvider.principalARN | unknown key 'principalARN': a Crossplane AccessPolicyAssociation has no such field, the API server drops it; did you mean 'principalArn'?
  problem 51:5-51:51 $.spec.forProvider.region | no 'region' in spec.forProvider, which is required
  problem 51:5-51:51 $.spec.forProvider.clusterName | no cluster: set clusterName, clusterNameRef or clusterNameSelector
  problem 51:5-51:51 $.spec.forProvider.policyArn | no 'policyArn' in spec.forProvider, which is required
  problem 51:5-51:51 $.spec.forProvider.accessScope | no 'accessScope': spec.forProvider.accessScope is a required parameter
""",
    "eksctl/cluster.yaml": """\
config eksctl 7:3-23:22 $.accessConfig name=orders-prod default=API_AND_CONFIG_MAP
  cluster 'orders-prod' 4:9-4:20 $.metadata.name
  mode 'API_AND_CONFIG_MAP' 7:23-7:41 $.accessConfig.authenticationMode
  bootstrap 'false' 8:44-8:46 $.accessConfig.bootstrapClusterCreatorAdminPermissions kind=bool
entry eksctl 10:7-14:5 $.accessConfig.accessEntries[0] name=
  cluster 'orders-prod' 4:9-4:20 $.metadata.name
  principal 'arn:aws:iam::444455556666:role/ops/orders-admin' 10:21-10:68 $.accessConfig.accessEntries[0].principalARN
  policy 12:11-14:5 $.accessConfig.accessEntries[0].accessPolicies[0]: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy' 12:22-12:88 $.accessConfig.accessEntries[0].accessPolicies[0].policyARN
    scope 13:24-13:39 $.accessConfig.accessEntries[0].accessPolicies[0].accessScope: 'cluster' 13:31-13:38 $.accessConfig.accessEntries[0].accessPolicies[0].accessScope.type
entry eksctl 14:7-22:5 $.accessConfig.accessEntries[1] name=
  cluster 'orders-prod' 4:9-4:20 $.metadata.name
  principal 'arn:aws:iam::444455556666:role/orders-dev' 14:21-14:64 $.accessConfig.accessEntries[1].principalARN
  username 'orders-dev:{{SessionName}}' 15:27-15:55 $.accessConfig.accessEntries[1].kubernetesUsername
  group 'orders-developers' 16:26-16:43 $.accessConfig.accessEntries[1].kubernetesGroups[0]
  group 'orders-readers' 16:45-16:59 $.accessConfig.accessEntries[1].kubernetesGroups[1]
  policy 18:11-22:5 $.accessConfig.accessEntries[1].accessPolicies[0]: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy' 18:22-18:80 $.accessConfig.accessEntries[1].accessPolicies[0].policyARN
    scope 20:13-22:5 $.accessConfig.accessEntries[1].accessPolicies[0].accessScope: 'namespace' 20:19-20:28 $.accessConfig.accessEntries[1].accessPolicies[0].accessScope.type
      namespace 'orders-*' 21:26-21:36 $.accessConfig.accessEntries[1].accessPolicies[0].accessScope.namespaces[0]
      namespace 'orders' 21:38-21:44 $.accessConfig.accessEntries[1].accessPolicies[0].accessScope.namespaces[1]
entry eksctl 22:7-23:22 $.accessConfig.accessEntries[2] name=
  cluster 'orders-prod' 4:9-4:20 $.metadata.name
  principal 'arn:aws:iam::444455556666:role/orders-nodes' 22:21-22:64 $.accessConfig.accessEntries[2].principalARN
  type 'EC2_LINUX' 23:13-23:22 $.accessConfig.accessEntries[2].type
""",
    "eksctl/malformed.yaml": """\
config eksctl 6:3-19:19 $.accessConfig name=orders-dev default=API_AND_CONFIG_MAP
  cluster 'orders-dev' 4:9-4:19 $.metadata.name
  mode -
  bootstrap 'false' 7:44-7:51 $.accessConfig.bootstrapClusterCreatorAdminPermissions
  problem 6:3-6:21 $.accessConfig.authenticationmode | unknown key 'authenticationmode': eksctl's accessConfig has no such field; did you mean 'authenticationMode'?
  problem 7:44-7:51 $.accessConfig.bootstrapClusterCreatorAdminPermissions | 'bootstrapClusterCreatorAdminPermissions' must be true or false, not the string 'false'
entry eksctl 9:7-12:5 $.accessConfig.accessEntries[0] name=
  cluster 'orders-dev' 4:9-4:19 $.metadata.name
  problem 9:7-9:19 $.accessConfig.accessEntries[0].principalArn | unknown key 'principalArn': an eksctl access entry has no such field; did you mean 'principalARN'?
  problem 10:7-10:15 $.accessConfig.accessEntries[0].username | unknown key 'username': an eksctl access entry has no such field; did you mean 'kubernetesUsername'?
  problem 11:25-11:31 $.accessConfig.accessEntries[0].kubernetesGroups | 'kubernetesGroups' must be a list of strings, not the string 'orders'
entry eksctl 12:7-19:5 $.accessConfig.accessEntries[1] name=
  cluster 'orders-dev' 4:9-4:19 $.metadata.name
  principal None 12:21-12:55 $.accessConfig.accessEntries[1].principalARN kind=seq
  type '7' 13:13-13:14 $.accessConfig.accessEntries[1].type kind=int
  group 'ok' 14:26-14:28 $.accessConfig.accessEntries[1].kubernetesGroups[0]
  group 'on' 14:30-14:32 $.accessConfig.accessEntries[1].kubernetesGroups[1] kind=bool
  policy 16:11-17:9 $.accessConfig.accessEntries[1].accessPolicies[0]: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy' 16:22-16:80 $.accessConfig.accessEntries[1].accessPolicies[0].policyARN
  policy 17:11-18:9 $.accessConfig.accessEntries[1].accessPolicies[1]: -
    scope 17:24-17:56 $.accessConfig.accessEntries[1].accessPolicies[1].accessScope: 'cluster' 17:31-17:38 $.accessConfig.accessEntries[1].accessPolicies[1].accessScope.type
  policy 18:11-18:24 $.accessConfig.accessEntries[1].accessPolicies[2]: -
  problem 12:21-12:55 $.accessConfig.accessEntries[1].principalARN | 'principalARN' must be a string, not a list
  problem 13:13-13:14 $.accessConfig.accessEntries[1].type | 'type' must be a string, not the number '7': quote it
  problem 14:30-14:32 $.accessConfig.accessEntries[1].kubernetesGroups[1] | 'kubernetesGroups[1]' must be a string, not the boolean 'on': quote it
  problem 16:11-17:9 $.accessConfig.accessEntries[1].accessPolicies[0].accessScope | access policy without 'accessScope': eksctl refuses it ('accessScope.type must be set to either "namespace" or "cluster"')
  problem 17:11-18:9 $.accessConfig.accessEntries[1].accessPolicies[1].policyARN | access policy without 'policyARN': eksctl needs a cluster-access-policy ARN
  problem 17:40-17:50 $.accessConfig.accessEntries[1].accessPolicies[1].accessScope.Namespaces | unknown key 'Namespaces': an eksctl access scope has no such field; did you mean 'namespaces'?
  problem 18:11-18:24 $.accessConfig.accessEntries[1].accessPolicies[2] | 'accessPolicies[]' must be a mapping, not the string 'just-a-string'
entry eksctl 19:7-19:19 $.accessConfig.accessEntries[2] name=
  cluster 'orders-dev' 4:9-4:19 $.metadata.name
  problem 19:7-19:19 $.accessConfig.accessEntries[2] | 'accessEntries[]' must be a mapping, not the string 'not an entry'
""",
    "eksctl/outposts.yaml": """\
config eksctl 1:1-11:26 $ name=edge default=CONFIG_MAP
  cluster 'edge' 4:9-4:13 $.metadata.name
  mode -
  bootstrap -
""",
    "list/list.yaml": """\
entry ack 7:5-13:3 $.items[1] name=listed
  cluster 'shop-production' 11:20-11:35 $.items[1].spec.clusterName
  principal 'arn:aws:iam::444455556666:role/listed' 12:21-12:58 $.items[1].spec.principalARN
entry crossplane 13:5-20:63 $.items[2] name=listed-xp
  cluster 'shop-xp' 19:22-19:29 $.items[2].spec.forProvider.clusterName
  principal 'arn:aws:iam::444455556666:role/listed-xp' 20:23-20:63 $.items[2].spec.forProvider.principalArn
""",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_model(name: str) -> None:
    sf = load(name)
    assert sf.relevant
    assert sf.template is None
    assert sf.composed.error is None
    assert render(sf.access) == EXPECTED[name].rstrip("\n")


def test_every_fixture_is_checked() -> None:
    on_disk = {p.relative_to(ACCESS).as_posix() for p in ACCESS.rglob("*") if p.is_file()}
    assert on_disk == set(EXPECTED)


def test_crossplane_associations_pair_the_entry_with_its_policy() -> None:
    d = load("crossplane/cluster-scoped.yaml").access
    assert [e.name for e in d.entries] == ["shop-developers"]
    ((who, policy),) = d.associations
    assert who.association
    assert who.policies == [policy]
    assert who not in d.entries
    assert who.principal is not None
    assert who.principal.ref == "shop-developers"
    assert d.all_entries == [*d.entries, who]


def test_references_name_what_configs_are_named() -> None:
    """A reference (`!Ref`, ACK clusterRef, Crossplane clusterNameRef) names the cluster object
    the way the config's `name` does, so the two can be joined."""
    for name in ("cloudformation/template.yaml", "ack/access-entry.yaml", "crossplane/cluster-scoped.yaml"):
        d = load(name).access
        names = {c.name for c in d.configs}
        refs = {e.cluster.ref for e in d.all_entries if e.cluster is not None and e.cluster.ref}
        assert refs, name
        assert refs <= names, name


def test_cloudformation_yaml_and_json_agree() -> None:
    """The short-form tags and the long forms make the same values."""
    yaml_text = """\
Resources:
  E:
    Type: AWS::EKS::AccessEntry
    Properties:
      ClusterName: !Ref C
      PrincipalArn: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/x"
      Username: !Join [":", [a, !Ref AWS::Region, b]]
      KubernetesGroups: [!GetAtt G.Name, !Select [0, !Ref L]]
"""
    json_text = """\
{"Resources": {"E": {"Type": "AWS::EKS::AccessEntry", "Properties": {
  "ClusterName": {"Ref": "C"},
  "PrincipalArn": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/x"},
  "Username": {"Fn::Join": [":", ["a", {"Ref": "AWS::Region"}, "b"]]},
  "KubernetesGroups": [{"Fn::GetAtt": ["G", "Name"]}, {"Fn::Select": ["0", {"Ref": "L"}]}]}}}}
"""

    def values(text: str) -> list[tuple[object, ...]]:
        (entry,) = load_bytes("t.yaml", text.encode()).access.entries  # type: ignore[union-attr]
        texts = [entry.cluster, entry.principal, entry.username, *entry.groups]
        return [(t.value, t.pattern, t.kind, t.ref) for t in texts if t is not None]

    assert values(yaml_text) == values(json_text) == [
        (None, None, "intrinsic", "C"),
        (None, "arn:*:iam::*:role/x", "intrinsic", None),
        (None, "a:*:b", "intrinsic", None),
        (None, None, "intrinsic", None),
        (None, None, "intrinsic", None),
    ]


@pytest.mark.parametrize(
    ("value", "known", "pattern"),
    [
        ("!Ref Role", None, None),
        ("!Sub arn:aws:iam::111122223333:role/x", "arn:aws:iam::111122223333:role/x", "arn:aws:iam::111122223333:role/x"),
        ("!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/x", None, "arn:*:iam::*:role/x"),
        ("!Sub arn:aws:iam::${Account}:role/${!Keep}", None, "arn:aws:iam::*:role/${Keep}"),
        ("!Sub ['arn:aws:iam::${A}:role/${N}', {A: '111122223333', N: !Ref R}]", None, "arn:aws:iam::111122223333:role/*"),
        ("!Sub ['arn:aws:iam::${A}:role/x', {A: '111122223333'}]", "arn:aws:iam::111122223333:role/x", None),
        ('!Join ["", [arn, ":", !Ref "AWS::Partition", ":iam::1:role/", !Sub "${N}-x"]]', None, "arn:*:iam::1:role/*-x"),
        ("!Join [\"\", !Ref Parts]", None, None),
        ("!If [C, a, b]", None, None),
        ('{"Fn::Sub": "${AWS::Region}"}', None, "*"),
        ("!Base64 {Fn::Sub: x}", None, None),
    ],
)
def test_intrinsic_values(value: str, known: str | None, pattern: str | None) -> None:
    text = f"Resources:\n  E:\n    Type: AWS::EKS::AccessEntry\n    Properties:\n      PrincipalArn: {value}\n"
    (entry,) = load_bytes("t.yaml", text.encode()).access.entries  # type: ignore[union-attr]
    p = entry.principal
    assert p is not None
    assert p.kind == "intrinsic"
    assert p.span == Span.at(5, 21, 21 + len(value))
    assert (p.value, p.pattern) == (known, pattern if pattern is not None or known is None else known)


def test_cloudformation_sub_is_not_a_template_but_terraform_is() -> None:
    """`${...}` is Fn::Sub's syntax in a CloudFormation template: the file is linted, not
    skipped as a Terraform/shell template (AL003), as an aws-auth rendered by Terraform is."""
    cfn = load("cloudformation/template.yaml")
    assert cfn.template is None
    assert cfn.access.entries
    tf = load_bytes("aws-auth.yaml", b"kind: ConfigMap\nmetadata: {name: aws-auth}\ndata:\n  mapRoles: ${roles}\n")
    assert isinstance(tf, SourceFile)
    assert tf.template is not None
    assert tf.template[1] == "Terraform/shell"
    both = load_bytes("t.yaml", b"Resources: {C: {Type: AWS::EKS::Cluster}}\nY: ${a}\nX: '{{ .Values.x }}'\n")
    assert isinstance(both, SourceFile)
    assert both.template is not None
    assert both.template[1] == "Helm/Go"


@pytest.mark.parametrize(
    ("text", "relevant"),
    [
        (b"kind: AccessEntry", True),
        (b"accessConfig: {}", True),
        (b"Type: AWS::EKS::Cluster", True),
        (b'"Type": "AWS::EKS::AccessEntry"', True),
        (b"kind: AccessPolicyAssociation", True),
        (b"apiVersion: eks.services.k8s.aws/v1alpha1\nkind: Cluster", True),
        (b"apiVersion: eks.aws.upbound.io/v1beta2\nkind: Cluster", True),
        (b"apiVersion: eks.aws.m.upbound.io/v1beta1\nkind: Cluster", True),
        (b"apiVersion: s3.aws.upbound.io/v1beta1\nkind: Bucket", False),
        (b"apiVersion: apps/v1\nkind: Deployment\nspec: {accessModes: [ReadWriteOnce]}", False),
    ],
)
def test_marker_words(text: bytes, relevant: bool) -> None:
    assert markers.relevant(text) is relevant
    assert all(w in markers.FULL for w in ("ccessEntr", "ccessConfig", "AWS::EKS::Cluster", "eks.aws.upbound.io"))


def test_only_access_documents_of_a_stream_are_read() -> None:
    text = "apiVersion: apps/v1\nkind: Deployment\n---\n" + (ACCESS / "ack/access-entry.yaml").read_text()
    sf = load_bytes("multi.yaml", text.encode())
    assert isinstance(sf, SourceFile)
    assert [e.span.start.line for e in sf.access.entries] == [15, 34]  # three lines down, positions exact


@pytest.mark.parametrize(
    "doc",
    [
        {"apiVersion": "eksctl.io/v1alpha5", "kind": "ClusterConfig"},
        {"apiVersion": "eks.services.k8s.aws/v1alpha1", "kind": "AccessEntry"},
        {"apiVersion": "eks.services.k8s.aws/v1alpha1", "kind": "Cluster"},
        {"apiVersion": "eks.aws.upbound.io/v1beta1", "kind": "AccessPolicyAssociation"},
        {"apiVersion": "eks.aws.m.upbound.io/v1beta1", "kind": "AccessEntry"},
        {"apiVersion": "eks.m.aws.upbound.io/v1beta1", "kind": "Cluster"},
        {"Resources": {"A": {"Type": "AWS::EKS::Cluster"}}},
    ],
)
def test_dispatch(doc: dict[str, object]) -> None:
    import json

    node = compose(json.dumps(doc)).docs[0]
    assert node is not None
    assert access.reader(node) is not None


@pytest.mark.parametrize(
    "doc",
    [
        {"apiVersion": "eksctl.io/v1alpha5", "kind": "NodeGroup"},
        {"apiVersion": "eks.services.k8s.aws/v1alpha1", "kind": "Nodegroup"},
        {"apiVersion": "iam.aws.upbound.io/v1beta1", "kind": "AccessEntry"},
        {"apiVersion": "v1", "kind": "ConfigMap"},
        {"Resources": {"A": {"Type": "AWS::S3::Bucket"}}},
        {"Resources": "x"},
    ],
)
def test_no_dispatch(doc: dict[str, object]) -> None:
    import json

    node = compose(json.dumps(doc)).docs[0]
    assert node is not None
    assert access.reader(node) is None


MALFORMED = [
    "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\naccessConfig: [1]\n",
    "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: x\naccessConfig: {accessEntries: {a: 1}}\n",
    "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\naccessConfig: &a\n  accessEntries: [*a, {<<: *a}]\n",
    "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\naccessConfig: &a\n  <<: *a\n",
    "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\naccessConfig:\n  accessEntries:\n    - accessPolicies: [{accessScope: [x]}]\n",
    "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\naccessConfig:\n  accessEntries: [{type: !!int abc}]\n",
    "Resources: !Ref X\nAccessEntry: 1\n",
    "Resources: {A: {Type: AWS::EKS::AccessEntry, Properties: !If [c, {PrincipalArn: x}, {}]}}\n",
    "Resources: {A: {Type: AWS::EKS::AccessEntry, Properties: {AccessPolicies: !Ref P}}}\n",
    "Resources: {A: {Type: AWS::EKS::AccessEntry, Properties: {PrincipalArn: !Sub [1, 2, 3], Username: !Join x}}}\n",
    "Resources: {A: {Type: AWS::EKS::AccessEntry, Properties: {PrincipalArn: {Fn::Join: [',', {Ref: L}]}}}}\n",
    "Resources:\n  A:\n    Type: AWS::EKS::AccessEntry\n    Properties:\n"
    "      PrincipalArn: !Join ['', &p [!Join ['', *p], !Join ['', *p], !Join ['', *p]]]\n",
    "Resources: {A: {Type: AWS::EKS::Cluster, Properties: {AccessConfig: !If [c, {}, {}]}}}\n",
    "kind: List\nitems: [1, [2], {apiVersion: eks.services.k8s.aws/v1alpha1, kind: AccessEntry, spec: 3}]\n",
    "apiVersion: eks.services.k8s.aws/v1alpha1\nkind: AccessEntry\nspec: {clusterRef: {from: 1}, accessPolicies: x}\n",
    "apiVersion: eks.services.k8s.aws/v1alpha1\nkind: Cluster\nspec: {accessConfig: [API]}\n",
    "apiVersion: eks.aws.upbound.io/v1beta1\nkind: Cluster\nspec: {forProvider: {accessConfig: []}}\n",
    "apiVersion: eks.aws.upbound.io/v1beta2\nkind: Cluster\nmetadata: {annotations: [x]}\nspec: {forProvider: {accessConfig: [{}]}}\n",
    "apiVersion: eks.aws.upbound.io/v1beta1\nkind: AccessPolicyAssociation\n"
    "spec: {forProvider: {accessScope: [1, {type: [x]}], principalArnRef: {}}}\n",
    "apiVersion: eks.aws.m.upbound.io/v1beta1\nkind: AccessEntry\nspec: {forProvider: 1, initProvider: [x]}\n",
    "apiVersion: eks.aws.m.upbound.io/v1beta1\nkind: AccessEntry\n",
    '{"apiVersion": "eks.aws.upbound.io/v1beta1", "kind": "AccessEntry", "spec": {"forProvider": {"userName": 7}}}',
    "AccessEntry\n",
    "[AccessEntry]\n",
    "---\n...\naccessConfig: {\n",
]


@pytest.mark.parametrize("text", MALFORMED)
def test_malformed_input_never_raises(text: str) -> None:
    sf = load_bytes("bad.yaml", text.encode())
    assert isinstance(sf, SourceFile)
    for entry in sf.access.all_entries:
        assert all(isinstance(m, str) and p.startswith("$") for _, m, p in entry.problems)
    pickle.loads(pickle.dumps(sf))


def test_malformed_shapes_become_problems() -> None:
    def problems(text: str) -> list[str]:
        sf = load_bytes("bad.yaml", text.encode())
        assert isinstance(sf, SourceFile)
        d = sf.access
        return [m for x in (*d.configs, *d.all_entries) for _, m, _ in x.problems]

    assert problems(MALFORMED[0]) == ["'accessConfig' must be a mapping, not a list"]
    assert problems(MALFORMED[15]) == ["'accessConfig' must be a mapping, not a list"]
    assert problems(MALFORMED[17]) == [
        "'annotations' must be a mapping, not a list",
        "'accessConfig' in eks.aws.upbound.io/v1beta2 is an object",
    ]
    assert problems(MALFORMED[21]) == [
        "no 'region' in spec.forProvider, which is required",
        "no cluster: set clusterName, clusterNameRef or clusterNameSelector",
        "'userName' must be a string, not the number '7': quote it",
    ]
    unknown = load_bytes("bad.yaml", MALFORMED[7].encode()).access.entries[0]  # type: ignore[union-attr]
    assert unknown.principal is not None
    assert unknown.principal.kind == "intrinsic"
    assert not unknown.problems


def test_access_survives_worker_processes() -> None:
    """SourceFile is pickled back from workers: access entries come back whole, the nodes not."""
    sf = load("crossplane/cluster-scoped.yaml")
    back = pickle.loads(pickle.dumps(parallel.compact(sf)))
    assert isinstance(back, SourceFile)
    assert not back.composed.docs
    assert render(back.access) == render(sf.access)
    ((who, policy),) = back.access.associations
    assert who.policies[0] is policy  # shared objects stay shared


# --- the engine's "access" scope --------------------------------------------------------


def _example(entry: AccessEntry) -> Iterator[Violation]:
    if entry.principal is not None:
        yield Violation(entry.principal.span, f"entry {entry.principal.value}", json_path=entry.principal.json_path)


EXAMPLE = Rule(RuleMeta("AE999", "example-entry", "an example", Severity.WARNING, "access"), _example, "doc", __name__)


class OneRule(Config):
    def rules(self) -> list[Rule]:
        return [EXAMPLE]


def test_engine_applies_access_rules_to_every_entry_and_association() -> None:
    files = [load("crossplane/namespaced.yaml"), load("eksctl/cluster.yaml")]
    found = engine.lint(list(files), OneRule()).findings
    assert [(Path(f.file).name, f.span.start.line, f.span.start.column, f.code, f.message) for f in found] == [
        ("namespaced.yaml", 25, 13, "AE999", "entry None"),  # principalArnFromRoleRef: unknown, ref kept
        ("namespaced.yaml", 40, 19, "AE999", "entry arn:aws:iam::444455556666:role/shop-auditors"),  # association
        ("cluster.yaml", 10, 21, "AE999", "entry arn:aws:iam::444455556666:role/ops/orders-admin"),
        ("cluster.yaml", 14, 21, "AE999", "entry arn:aws:iam::444455556666:role/orders-dev"),
        ("cluster.yaml", 22, 21, "AE999", "entry arn:aws:iam::444455556666:role/orders-nodes"),
    ]
    assert all(f.severity is Severity.WARNING and f.json_path.startswith("$.") and f.fingerprint for f in found)


def test_suppression_comments_silence_access_findings() -> None:
    text = (ACCESS / "eksctl/cluster.yaml").read_text().replace(
        "role/orders-dev\"", "role/orders-dev\"  # awsauth-lint: disable=AE999 -- reviewed"
    )
    found = engine.lint([load_bytes("c.yaml", text.encode())], OneRule()).findings
    assert [(f.span.start.line, f.suppressed) for f in found] == [(10, None), (14, "reviewed"), (22, None)]
