"""AE103 eks-managed-principal: the roles of managed node groups and Fargate profiles as
the loaders read them, how they join their cluster, and the message (the exact 409 error,
which node group or profile, where)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from awsauth_lint import engine
from awsauth_lint.access import declared
from awsauth_lint.accessentry import Declared
from awsauth_lint.config import Config
from awsauth_lint.eksaccess import clusters
from awsauth_lint.loader import InputError, load_bytes
from awsauth_lint.model import Finding
from awsauth_lint.source import compose

IN_USE = "'The specified access entry resource is already in use on this cluster.' (409 ResourceInUseException)"

EKSCTL = """\
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: payments-prod
managedNodeGroups:
  - name: ng-1
    iam:
      instanceRoleARN: arn:aws:iam::111122223333:role/payments-nodes
fargateProfiles:
  - name: fp-default
    podExecutionRoleARN: arn:aws:iam::111122223333:role/fargate-pods
accessConfig:
  authenticationMode: API
  accessEntries:
    - principalARN: {principal}
      type: {type}
"""


def lint(*files: tuple[str, str]) -> list[Finding]:
    """AE103's findings of in-memory files linted together."""
    sources = [load_bytes(name, text.encode()) for name, text in files]
    return [f for f in engine.lint(sources, Config()).findings if f.code == "AE103"]


def read(name: str, text: str) -> Declared:
    return declared(name, compose(text).docs)


def test_message_quotes_eks_and_names_the_node_group() -> None:
    """The exact 409 string, the node group's name and where its role is, and that EKS's entry stays."""
    text = EKSCTL.format(principal="arn:aws:iam::111122223333:role/payments-nodes", type="EC2_LINUX")
    (f,) = lint(("cluster.yaml", text))
    assert (f.span.start.line, f.span.start.column) == (15, 21)
    assert f.json_path == "$.accessConfig.accessEntries[0].principalARN"
    assert "managed node group 'ng-1' (cluster.yaml:8)" in f.message
    assert "of cluster 'payments-prod'" in f.message
    assert "keeps it after the node group is deleted" in f.message
    assert IN_USE in f.message
    assert f.severity.value == "warning"


def test_fargate_profile_message() -> None:
    """A Fargate profile's role: named with its line; nothing said of node groups."""
    text = EKSCTL.format(principal="arn:aws:iam::111122223333:role/fargate-pods", type="STANDARD")
    (f,) = lint(("cluster.yaml", text))
    assert "Fargate profile 'fp-default' (cluster.yaml:11)" in f.message
    assert "node group" not in f.message
    assert IN_USE in f.message


@pytest.mark.parametrize(
    "principal",
    [
        "arn:aws:iam::111122223333:role/payments-nodes",
        "arn:aws:iam::111122223333:role/eks/nodes/Payments-Nodes",  # another path and case
    ],
)
@pytest.mark.parametrize("type_", ["STANDARD", "EC2_LINUX", "EC2"])
def test_any_type_any_path_fires(principal: str, type_: str) -> None:
    """The principal is what collides: the entry's type and the role's IAM path do not matter."""
    assert len(lint(("c.yaml", EKSCTL.format(principal=principal, type=type_)))) == 1


@pytest.mark.parametrize(
    "principal",
    [
        "arn:aws:iam::444455556666:role/payments-nodes",  # another account
        "arn:aws:iam::111122223333:user/payments-nodes",  # a user of that name
        "arn:aws-cn:iam::111122223333:role/payments-nodes",  # another partition
        "arn:aws:iam::111122223333:role/payments-nodes-2",
    ],
)
def test_other_principals_pass(principal: str) -> None:
    """Only the same role of the same account and partition collides."""
    assert lint(("c.yaml", EKSCTL.format(principal=principal, type="EC2_LINUX"))) == []


def test_self_managed_node_groups_are_not_managed() -> None:
    """`nodeGroups[]` (self-managed) and `instanceRoleName` give no managed role."""
    d = read("c.yaml", """\
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: payments-prod}
nodeGroups:
  - name: self
    iam: {instanceRoleARN: "arn:aws:iam::111122223333:role/self-nodes"}
managedNodeGroups:
  - name: by-name
    iam: {instanceRoleName: payments-nodes}
  - iam: {instanceRoleARN: "arn:aws:iam::111122223333:role/unnamed"}
""")
    assert [(m.what, m.role.value, m.cluster.value if m.cluster else None) for m in d.managed] == [
        ("unnamed managed node group", "arn:aws:iam::111122223333:role/unnamed", "payments-prod")
    ]
    assert d.configs[0].problems == []  # node groups are not linted as access entries


def test_eksctl_without_access_config_still_has_its_node_groups() -> None:
    """The node groups are read even when the file declares no access config."""
    d = read("c.yaml", """\
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: payments-prod}
managedNodeGroups:
  - name: ng-1
    iam: {instanceRoleARN: "arn:aws:iam::111122223333:role/payments-nodes"}
""")
    assert [m.what for m in d.managed] == ["managed node group 'ng-1'"]


CFN = """\
Resources:
  Cluster:
    Type: AWS::EKS::Cluster
    Properties: {{Name: payments-prod}}
  Nodes:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: {cluster}
      NodeRole: {role}
  Access:
    Type: AWS::EKS::AccessEntry
    Properties:
      ClusterName: !Ref Cluster
      PrincipalArn: {principal}
"""


@pytest.mark.parametrize(
    ("role", "principal", "fires"),
    [
        ("!GetAtt NodeRole.Arn", "!GetAtt NodeRole.Arn", True),
        ("!GetAtt NodeRole.Arn", "!GetAtt [NodeRole, Arn]", True),
        ('{"Fn::GetAtt": [NodeRole, Arn]}', "!GetAtt NodeRole.Arn", True),
        ("!Ref NodeRoleArn", '{"Ref": NodeRoleArn}', True),
        ("!Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/n'", "!Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/n'", True),
        ("!GetAtt NodeRole.Arn", "!GetAtt OtherRole.Arn", False),
        ("!Ref NodeRoleArn", "!Ref OtherRoleArn", False),
        ("!Sub 'arn:aws:iam::111122223333:role/${A}'", "!Sub 'arn:aws:iam::111122223333:role/${B}'", False),
        ("!GetAtt NodeRole.Arn", "arn:aws:iam::111122223333:role/nodes", False),  # never guessed
        ("arn:aws:iam::111122223333:role/nodes", "!Sub 'arn:aws:iam::${AWS::AccountId}:role/nodes'", False),
        ("arn:aws:iam::111122223333:role/nodes", "!Sub arn:aws:iam::111122223333:role/nodes", True),  # no substitution: text
    ],
)
def test_cloudformation_intrinsics_match_only_the_same_expression(role: str, principal: str, fires: bool) -> None:
    """An intrinsic role is the entry's principal only when both are one expression (short or long form)."""
    text = CFN.format(cluster="!Ref Cluster", role=role, principal=principal)
    assert bool(lint(("t.yaml", text))) == fires


def test_intrinsics_never_match_across_templates() -> None:
    """`!GetAtt NodeRole.Arn` of two templates names two roles."""
    nodes = CFN.format(cluster="payments-prod", role="!GetAtt NodeRole.Arn", principal="!GetAtt X.Arn")
    access = CFN.format(cluster="payments-prod", role="!GetAtt Y.Arn", principal="!GetAtt NodeRole.Arn")
    assert lint(("a.yaml", nodes), ("b.yaml", access)) == []


def test_cloudformation_message_names_the_node_group() -> None:
    """NodegroupName when written, else the logical id; the role's line."""
    text = CFN.format(cluster="!Ref Cluster", role="!GetAtt NodeRole.Arn", principal="!GetAtt NodeRole.Arn")
    (f,) = lint(("t.yaml", text))
    assert "managed node group of resource 'Nodes' (t.yaml:9)" in f.message
    assert (f.span.start.line, f.span.start.column) == (14, 21)
    named = text.replace("      NodeRole:", "      NodegroupName: general\n      NodeRole:")
    (f,) = lint(("t.yaml", named))
    assert "managed node group 'general' (t.yaml:10)" in f.message


@pytest.mark.parametrize(
    ("cluster", "fires"),
    [
        ("!Ref Cluster", True),
        ("payments-prod", True),
        ("batch-prod", False),  # another cluster
        ("!ImportValue payments-cluster", False),  # unknown: never guessed
    ],
)
def test_cluster_of_the_node_group(cluster: str, fires: bool) -> None:
    """The node group's ClusterName is matched as an entry's: by name or by reference."""
    role = "arn:aws:iam::111122223333:role/nodes"
    assert bool(lint(("t.yaml", CFN.format(cluster=cluster, role=role, principal=role)))) == fires


def test_a_node_group_of_an_undeclared_cluster_makes_no_cluster() -> None:
    """Managed roles join the clusters files declare; they never add one (aws-auth finds its cluster by their number)."""
    d = read("t.yaml", CFN.format(cluster="batch-prod", role="arn:aws:iam::111122223333:role/n", principal="!GetAtt X.Arn"))
    found = clusters([d])
    assert [(c.name, len(c.managed)) for c in found] == [("payments-prod", 0)]


def test_fargate_profile_in_cloudformation() -> None:
    """AWS::EKS::FargateProfile's PodExecutionRoleArn, named by FargateProfileName."""
    text = """\
Resources:
  Cluster:
    Type: AWS::EKS::Cluster
    Properties: {Name: payments-prod, AccessConfig: {AuthenticationMode: API}}
  Pods:
    Type: AWS::EKS::FargateProfile
    Properties:
      ClusterName: !Ref Cluster
      FargateProfileName: default
      PodExecutionRoleArn: arn:aws:iam::111122223333:role/pods
      Selectors: [{Namespace: default}]
  Access:
    Type: AWS::EKS::AccessEntry
    Properties:
      ClusterName: payments-prod
      PrincipalArn: arn:aws:iam::111122223333:role/pods
      Type: FARGATE_LINUX
"""
    (f,) = lint(("t.yaml", text))
    assert "Fargate profile 'default' (t.yaml:10)" in f.message
    assert IN_USE in f.message


def test_managed_roles_survive_pickling() -> None:
    """Context files are cached pickled: the managed roles come back whole."""
    d = read("t.yaml", CFN.format(cluster="!Ref Cluster", role="!GetAtt NodeRole.Arn", principal="!GetAtt NodeRole.Arn"))
    back = pickle.loads(pickle.dumps(d))
    assert back.managed == d.managed
    assert back.managed[0].same == ("$.Resources.Access",)


def test_an_expression_made_of_itself_is_not_compared() -> None:
    """An alias cycle in a node role's intrinsic neither raises nor matches."""
    role = "!Join ['', &p [!Join ['', *p], !Join ['', *p]]]"
    text = CFN.format(cluster="!Ref Cluster", role=role, principal="!GetAtt NodeRole.Arn")
    d = read("t.yaml", text)
    assert [m.same for m in d.managed] == [()]
    assert lint(("t.yaml", text)) == []


# --- a node-group stack of its own (cross-file) -----------------------------------------

NODE_GROUP_STACK = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Nodes:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: payments-prod
      NodegroupName: general
      NodeRole: arn:aws:iam::111122223333:role/payments-nodes
      Subnets: [subnet-0a]
"""
FARGATE_STACK_JSON = """\
{"Resources": {"Pods": {"Type": "AWS::EKS::FargateProfile", "Properties": {
  "ClusterName": "payments-prod",
  "PodExecutionRoleArn": "arn:aws:iam::111122223333:role/fargate-pods",
  "Selectors": [{"Namespace": "default"}]}}}}
"""
ENTRY_FILE = EKSCTL.split("managedNodeGroups:")[0] + "accessConfig:" + EKSCTL.split("accessConfig:")[1]


@pytest.mark.parametrize(("name", "text", "what"), [
    ("nodegroup.yaml", NODE_GROUP_STACK, "managed node group 'general'"),
    ("fargate.json", FARGATE_STACK_JSON, "Fargate profile of resource 'Pods'"),
])
def test_a_node_group_only_template_is_read(name: str, text: str, what: str) -> None:
    """A template with only a node group or Fargate profile (no cluster, no entry) is
    relevant and read: its managed role, nothing else."""
    sf = load_bytes(name, text.encode())
    assert not isinstance(sf, InputError)
    assert sf.relevant
    assert [m.what for m in sf.access.managed] == [what]
    assert sf.access.entries == sf.access.configs == []


@pytest.mark.parametrize(("stack", "principal", "what"), [
    (("nodegroup.yaml", NODE_GROUP_STACK), "arn:aws:iam::111122223333:role/payments-nodes",
     "managed node group 'general' (nodegroup.yaml:8)"),
    (("fargate.json", FARGATE_STACK_JSON), "arn:aws:iam::111122223333:role/fargate-pods",
     "Fargate profile of resource 'Pods' (fargate.json:3)"),
])
def test_node_group_stack_and_entry_file(stack: tuple[str, str], principal: str, what: str) -> None:
    """The stack's role and an entry for it in the eksctl file declaring the cluster: AE103
    at the entry, naming the stack's node group or profile where it is."""
    (f,) = lint(stack, ("cluster.yaml", ENTRY_FILE.format(principal=principal, type="EC2_LINUX")))
    assert f.file == "cluster.yaml"
    assert (f.span.start.line, f.span.start.column) == (8, 21)
    assert what in f.message
    assert IN_USE in f.message


def test_eksctl_cluster_without_access_config_and_a_cloudformation_entry() -> None:
    """An eksctl ClusterConfig with no accessConfig (read all the same) has the managed node
    group; an entry for its role in a CloudFormation stack of its own collides."""
    cluster = EKSCTL.split("fargateProfiles:")[0]
    access = """\
Resources:
  NodeAccess:
    Type: AWS::EKS::AccessEntry
    Properties:
      ClusterName: payments-prod
      PrincipalArn: arn:aws:iam::111122223333:role/payments-nodes
      Type: EC2_LINUX
"""
    (f,) = lint(("cluster.yaml", cluster), ("access.yaml", access))
    assert (f.file, f.span.start.line) == ("access.yaml", 6)
    assert "managed node group 'ng-1' (cluster.yaml:8)" in f.message


@pytest.mark.parametrize("use_cache", [True, False])
def test_node_group_stack_as_context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_cache: bool) -> None:
    """Under pre-commit only the entry file is linted; the stack is repository context,
    whose managed roles alone make it worth keeping (and caching): AE103 on every run."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nodegroup.yaml").write_text(NODE_GROUP_STACK)
    principal = "arn:aws:iam::111122223333:role/payments-nodes"
    (tmp_path / "cluster.yaml").write_text(ENTRY_FILE.format(principal=principal, type="EC2_LINUX"))
    for _ in range(2):  # the second run reads the stack from the cache
        result = engine.run(["cluster.yaml"], Config(), context=[("nodegroup.yaml", None)], use_cache=use_cache)
        assert not result.errors
        found = [f for f in result.findings if f.code == "AE103"]
        assert [(f.file, f.span.start.line) for f in found] == [("cluster.yaml", 8)]
        assert "managed node group 'general' (nodegroup.yaml:8)" in found[0].message
