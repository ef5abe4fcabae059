"""RB001, RB002, RB004 and AA401 read EKS access entries; AA101's fix never touches one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from awsauth_lint.config import Config
from awsauth_lint.engine import lint
from awsauth_lint.loader import load_bytes
from awsauth_lint.model import Finding
from awsauth_lint.registry import lookup
from helpers import FIXTURES, NODE_HEAD, lint_paths

RULES = FIXTURES / "rules"

AUTH_NO_NODES = """apiVersion: v1
kind: ConfigMap
metadata: {name: aws-auth, namespace: kube-system}
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/developers
      username: developer:{{SessionName}}
      groups: [developers]
"""
NODE_ENTRY = """apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: payments-prod, region: eu-central-1}
accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/platform/payments-nodes
      type: EC2_LINUX
"""


def messages(case: Path, code: str) -> dict[tuple[str, int], str]:
    found = lint_paths([case], select=(code,)).findings
    return {(Path(f.file).name, f.span.start.line): f.message for f in found if f.code == code}


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsauth_lint", "--no-color", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PRE_COMMIT": "", "GITHUB_ACTIONS": ""},
    )


def json_findings(cwd: Path, *args: str) -> list[tuple[str, str, int, str]]:
    """(file, code, line, message) of each finding the CLI reports as JSON."""
    proc = cli(cwd, "--format", "json", "--fail-on", "note", *args)
    assert "Traceback" not in proc.stderr, proc.stderr
    return [
        (f["file"], f["code"], f["span"]["start"]["line"], f["message"]) for f in json.loads(proc.stdout)["findings"]
    ]


# --- RB001 ---------------------------------------------------------------------------


def test_rb001_names_the_principal_and_the_near_miss() -> None:
    """The message says whose entry the group is on, that it has no policy, and the hint."""
    got = messages(RULES / "RB001" / "fail" / "access-entry-eksctl", "RB001")
    role = "of the access entry for arn:aws:iam::111122223333:role/payments-"
    unbound = "is bound by no RoleBinding or ClusterRoleBinding, and the entry has no access policy"
    case = "(RBAC names are case-sensitive)"
    assert got == {
        ("cluster.yaml", 13): f"group 'payments-developers' {role}developers {unbound}, so it grants nothing;"
        " did you mean 'payments-deployers'?",
        ("cluster.yaml", 17): f"group 'Payments-Readers' {role}readers {unbound}, so it grants nothing;"
        f" did you mean 'payments-readers' {case}?",
    }


def test_rb001_cloudformation_principal_shape() -> None:
    """A `!Sub` principal is named by its shape; a `!Ref` group is not checked."""
    got = messages(RULES / "RB001" / "fail" / "access-entry-cloudformation", "RB001")
    assert "for arn:*:iam::*:role/shop-developers " in got[("template.yaml", 19)]
    assert len(got) == 2


def test_rb001_external_groups_cover_access_entries() -> None:
    """`external-groups` exempts an access entry's group as it does an aws-auth one."""
    case = RULES / "RB001" / "fail" / "access-entry-eksctl"
    cfg = Config(select=("RB001",), options={"RB001": {"external-groups": ["payments-developers", "Payments-Readers"]}})
    assert [f for f in lint_paths([case], config=cfg).findings if f.code == "RB001"] == []


def test_rb001_role_name_used_as_group() -> None:
    """The aws-auth mix-ups are explained for access entries too."""
    entry = """apiVersion: eks.services.k8s.aws/v1alpha1
kind: AccessEntry
metadata: {name: shop-readers}
spec:
  clusterName: shop
  principalARN: arn:aws:iam::111122223333:role/shop-readers
  username: maria
  kubernetesGroups: [shop-reader]
"""
    rbac = """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: shop-reader}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: maria}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: shop-reader}
subjects: [{kind: User, name: maria, apiGroup: rbac.authorization.k8s.io}]
"""
    found = _lint({"entry.yaml": entry, "rbac.yaml": rbac}, "RB001")
    assert len(found) == 1
    assert "'shop-reader' names a ClusterRole" in found[0].message
    assert "the bindings name the username 'maria' (kind: User) instead" in found[0].message


def _lint(files: dict[str, str], code: str, **options: object) -> list[Finding]:
    cfg = Config(options={code: options}) if options else Config()
    result = lint([load_bytes(name, text.encode()) for name, text in files.items()], cfg)
    assert not result.errors
    return [f for f in result.findings if f.code == code]


# --- RB002 ---------------------------------------------------------------------------


def test_rb002_message_and_case_hint() -> None:
    got = messages(RULES / "RB002" / "fail" / "access-entries", "RB002")
    assert got[("template.yaml", 8)] == (
        "'Deployer' (the access entry for arn:*:iam::*:role/deployer) has no groups, no access policy, and no binding"
        " names it as a User: it authenticates but can do nothing; did you mean 'deployer' (case-sensitive)?"
    )
    assert set(got) == {
        ("cluster.yaml", 9),
        ("template.yaml", 8),
        ("ack-crossplane.yaml", 8),
        ("ack-crossplane.yaml", 20),
    }


# --- repository context --------------------------------------------------------------

ENTRY_WITH_GROUP = """apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: payments-prod, region: eu-central-1}
accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/payments-developers
      kubernetesGroups: [payments-developers, payments-unbound]
    - principalARN: arn:aws:iam::111122223333:user/auditor
      kubernetesUsername: auditor
"""
BINDING = """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: payments}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: Group, name: payments-developers, apiGroup: rbac.authorization.k8s.io}
  - {kind: Group, name: nobody-provides-this, apiGroup: rbac.authorization.k8s.io}
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "aws-auth.yaml").write_text(NODE_HEAD)
    (tmp_path / "cluster.yaml").write_text(ENTRY_WITH_GROUP)
    (tmp_path / "rbac.yaml").write_text(BINDING)
    return tmp_path


def test_context_entries_are_not_reported_but_provide_groups(repo: Path) -> None:
    """Linting only the binding file: the entry file is context, so its unbound group and
    username are not reported, and its group counts as provided for RB004."""
    rows = json_findings(repo, "rbac.yaml")
    assert [(file, code) for file, code, _, _ in rows] == [("rbac.yaml", "RB004")]
    assert "'nobody-provides-this'" in rows[0][3]


def test_the_whole_repository_reports_the_entry(repo: Path) -> None:
    rows = {(file, code, line) for file, code, line, _ in json_findings(repo, ".")}
    assert {r for r in rows if r[1].startswith("RB")} == {
        ("cluster.yaml", "RB001", 7),
        ("cluster.yaml", "RB002", 9),
        ("rbac.yaml", "RB004", 7),
    }


# --- AA401 ---------------------------------------------------------------------------


def test_aa401_is_evaluated_per_cluster() -> None:
    rule = lookup("AA401")
    assert rule is not None
    assert rule.meta.scope == "project"


def test_aa401_required_node_roles_match_node_entries_with_or_without_path() -> None:
    """A required node role mapped by a node-type access entry is mapped."""
    files = {"aws-auth.yaml": AUTH_NO_NODES, "cluster.yaml": NODE_ENTRY}
    for glob in ("*:role/payments-nodes", "*:role/platform/payments-nodes"):
        assert _lint(files, "AA401", **{"required-node-roles": [glob]}) == []
    (missing,) = _lint(files, "AA401", **{"required-node-roles": ["*:role/windows-nodes"]})
    assert "'*:role/windows-nodes'" in missing.message


def test_aa401_node_entry_counts_for_its_own_repository_cluster_only(tmp_path: Path) -> None:
    """Two repository clusters: dev's nodes join through an access entry, prod's cannot."""
    for name in ("prod", "dev"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "aws-auth.yaml").write_text(AUTH_NO_NODES)
    (tmp_path / "dev" / "cluster.yaml").write_text(NODE_ENTRY.replace("payments-prod", "dev"))
    found = [f for f in lint_paths([tmp_path]).findings if f.code == "AA401"]
    assert [(Path(f.file).parent.name, f.cluster) for f in found] == [("prod", "prod")]


# --- AA101's fix and access entries --------------------------------------------------

AUTH_WITH_PATH = (
    NODE_HEAD
    + """    - rolearn: arn:aws:iam::111122223333:role/platform/deployer
      username: deployer:{{SessionName}}
      groups: [deployers]
"""
)
AUTH_FIXED = (
    NODE_HEAD
    + """    - rolearn: arn:aws:iam::111122223333:role/deployer
      username: deployer:{{SessionName}}
      groups: [deployers]
"""
)
EKSCTL_WITH_PATH = """apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: payments-prod
  region: eu-central-1
accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/platform/deployer
      kubernetesUsername: "deployer:{{SessionName}}"
      kubernetesGroups: [deployers]
    - principalARN: arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_Admins_0a1b2c3d4e5f6a7b
      accessPolicies:
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy
          accessScope: {type: cluster}
"""
CFN_WITH_PATH = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Deployer:
    Type: AWS::EKS::AccessEntry
    Properties:
      ClusterName: payments-prod
      PrincipalArn: arn:aws:iam::111122223333:role/platform/deployer
      Username: "deployer:{{SessionName}}"
      KubernetesGroups: [deployers]
  Ops:
    Type: AWS::EKS::AccessEntry
    Properties:
      ClusterName: !Ref PaymentsCluster
      PrincipalArn: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/team/ops/operator"
      AccessPolicies:
        - PolicyArn: !Sub "arn:${AWS::Partition}:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
          AccessScope: {Type: cluster}
"""
RBAC = """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: deployers}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: Group, name: deployers, apiGroup: rbac.authorization.k8s.io}]
"""


@pytest.mark.parametrize("flags", [("--fix",), ("--fix", "--unsafe-fixes")], ids=["fix", "unsafe-fixes"])
def test_aa101_fix_rewrites_only_the_aws_auth(tmp_path: Path, flags: tuple[str, ...]) -> None:
    """Access entries need the real ARN, path included: the fix strips it in aws-auth only."""
    files = {
        "aws-auth.yaml": AUTH_WITH_PATH,
        "cluster.yaml": EKSCTL_WITH_PATH,
        "template.yaml": CFN_WITH_PATH,
        "rbac.yaml": RBAC,
    }
    for name, text in files.items():
        (tmp_path / name).write_bytes(text.encode())
    before = {name: (tmp_path / name).read_bytes() for name in files}
    found = lint_paths([tmp_path]).findings
    assert {(Path(f.file).name, f.code) for f in found if f.code == "AA101"} == {("aws-auth.yaml", "AA101")}

    proc = cli(tmp_path, *flags, "--quiet", ".")
    assert "Traceback" not in proc.stderr, proc.stderr
    for name in ("cluster.yaml", "template.yaml", "rbac.yaml"):
        assert (tmp_path / name).read_bytes() == before[name], name
    unsafe = "--unsafe-fixes" in flags  # AA101's fix changes who is let in: unsafe
    assert (tmp_path / "aws-auth.yaml").read_text() == (AUTH_FIXED if unsafe else AUTH_WITH_PATH)

    again = cli(tmp_path, *flags, "--quiet", ".")  # nothing left that a fix could change
    assert "Traceback" not in again.stderr, again.stderr
    for name in ("cluster.yaml", "template.yaml", "rbac.yaml"):
        assert (tmp_path / name).read_bytes() == before[name], name


def test_aa101_fix_in_a_file_holding_both(tmp_path: Path) -> None:
    """One file with the aws-auth and an ACK access entry: only the aws-auth line changes."""
    entry = """---
apiVersion: eks.services.k8s.aws/v1alpha1
kind: AccessEntry
metadata: {name: deployer}
spec:
  clusterName: payments-prod
  principalARN: arn:aws:iam::111122223333:role/platform/deployer
  username: "deployer:{{SessionName}}"
  kubernetesGroups: [deployers]
"""
    target = tmp_path / "all.yaml"
    target.write_text(AUTH_WITH_PATH + entry)
    proc = cli(tmp_path, "--fix", "--unsafe-fixes", "--quiet", "all.yaml")
    assert "Traceback" not in proc.stderr, proc.stderr
    assert target.read_text() == AUTH_FIXED + entry
