"""Loose ends of the access-entry work: which files are read (any eksctl ClusterConfig,
node-group-only templates), the no-RBAC notice for access entries, context files named
relative to the working directory in messages, and `ruledocs` refusing options."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from awsauth_lint import engine, ruledocs
from awsauth_lint.config import Config
from awsauth_lint.eksaccess import at
from awsauth_lint.loader import InputError, SourceFile, load_bytes
from awsauth_lint.markers import DECLARES, FULL, WANTED, relevant
from helpers import lint_paths

EKSCTL = """apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: prod
  region: eu-west-1
"""
NODE_GROUP = b"Resources:\n  Nodes:\n    Type: AWS::EKS::Nodegroup\n    Properties:\n      ClusterName: prod\n"
FARGATE = b'{"Resources": {"Pods": {"Type": "AWS::EKS::FargateProfile", "Properties": {"ClusterName": "prod",' \
          b' "PodExecutionRoleArn": "arn:aws:iam::111122223333:role/p"}}}}'


def loaded(name: str, data: bytes) -> SourceFile:
    sf = load_bytes(name, data)
    assert not isinstance(sf, InputError)
    return sf


# --- which files are read ---------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        EKSCTL.encode(),  # no accessConfig at all: eksctl's default mode still applies
        EKSCTL.replace("v1alpha5", "v1alpha6").encode(),
        NODE_GROUP,
        FARGATE,
        b"Resources:\n  C:\n    Type: AWS::EKS::Cluster\n",
        b"apiVersion: eks.services.k8s.aws/v1alpha1\nkind: Cluster\n",
        b"apiVersion: eks.aws.upbound.io/v1beta1\nkind: Cluster\n",
        b"apiVersion: eks.aws.m.upbound.io/v1beta1\nkind: Cluster\n",
        b"apiVersion: eks.m.aws.upbound.io/v1beta1\nkind: Cluster\n",
        b"kind: X\nspec: {accessEntries: []}\n",
    ],
)
def test_eks_objects_are_relevant(data: bytes) -> None:
    assert relevant(data)


@pytest.mark.parametrize(
    "data",
    [
        b"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n",
        # IRSA: `eks` in an annotation is no EKS object
        b"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  annotations: {eks.amazonaws.com/role-arn: x}\n",
        b"Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n",
        b"Resources:\n  Addon:\n    Type: AWS::EKS::Addon\n",  # EKS, but nothing of access
        b"apiVersion: ec2.aws.upbound.io/v1beta1\nkind: VPC\n",
    ],
)
def test_other_files_are_not(data: bytes) -> None:
    assert not relevant(data)


def test_every_word_relevant_looks_for_is_composed_and_read() -> None:
    """A word that makes a file relevant also makes its document composed, converted and,
    for EKS objects, read by the format modules (else the file is read for nothing)."""
    for word in ("eksctl.io", "AWS::EKS::Nodegroup", "AWS::EKS::FargateProfile", "AWS::EKS::Cluster"):
        assert relevant(word.encode())
        assert word in WANTED
        assert word in FULL
        assert word in DECLARES


def test_eksctl_without_access_config_declares_its_cluster() -> None:
    """A ClusterConfig with no accessConfig: its cluster, in eksctl's default mode."""
    sf = loaded("cluster.yaml", EKSCTL.encode())
    (config,) = sf.access.configs
    assert config.mode is None
    assert config.effective_mode == "API_AND_CONFIG_MAP"
    assert config.cluster is not None
    assert config.cluster.value == "prod"


def test_node_group_stack_is_read_as_a_template() -> None:
    """YAML and JSON node-group-only templates: read, no problems, only their managed roles."""
    for name, data in (("nodes.yaml", NODE_GROUP + b"      NodeRole: arn:aws:iam::111122223333:role/n\n"), ("pods.json", FARGATE)):
        sf = loaded(name, data)
        assert sf.relevant
        assert sf.composed.error is None
        assert sf.access.entries == []
        assert sf.access.configs == []
        assert [(m.format, m.cluster.value if m.cluster else None) for m in sf.access.managed] == [("cloudformation", "prod")]


def test_ae405_sees_eksctl_default_at_the_base(tmp_path: Path) -> None:
    """The base file had no accessConfig: its mode is eksctl's default, and CONFIG_MAP now moves back."""
    env = {**os.environ, "GITHUB_ACTIONS": "", "PRE_COMMIT": ""}

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                       cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "cluster.yaml").write_text(EKSCTL)
    git("add", "cluster.yaml")
    git("commit", "-q", "-m", "base")
    (tmp_path / "cluster.yaml").write_text(EKSCTL + "accessConfig:\n  authenticationMode: CONFIG_MAP\n")
    proc = subprocess.run([sys.executable, "-m", "awsauth_lint", "--no-color", "--select", "AE405", "--base", "HEAD",
                           "cluster.yaml"], cwd=tmp_path, capture_output=True, text=True, env=env, check=False)
    assert "cluster.yaml:7:23: AE405 the authentication mode moves backwards: API_AND_CONFIG_MAP (its default) at HEAD, " \
           "now CONFIG_MAP" in proc.stdout
    assert proc.returncode == 1


# --- the no-RBAC notice -------------------------------------------------------------------

ENTRY = EKSCTL + """accessConfig:
  authenticationMode: API
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/ops
{fields}"""
NOTICE = "no RBAC (Role/ClusterRole/RoleBinding/ClusterRoleBinding) found, so RB001/RB002 did not run"


@pytest.mark.parametrize(
    ("fields", "notice"),
    [
        ("      kubernetesGroups: [ops]\n", True),
        ("      kubernetesUsername: ops\n", True),
        ("      kubernetesGroups: [ops]\n      type: STANDARD\n", True),
        ("      type: EC2_LINUX\n", False),  # a node identity: nothing for RBAC to bind
        ("", False),  # EKS's default username and no groups: RB001/RB002 check nothing
    ],
)
def test_access_entries_without_rbac_say_so(tmp_path: Path, fields: str, notice: bool) -> None:
    """No aws-auth and no RBAC, only access entries: the same notice as for aws-auth."""
    (tmp_path / "cluster.yaml").write_text(ENTRY.format(fields=fields))
    result = lint_paths([tmp_path])
    assert not result.errors
    assert [f for f in result.findings if f.code in ("RB001", "RB002")] == []
    assert [n for n in result.notices if n.startswith(NOTICE)] == ([NOTICE + "; set `rbac.paths` to where bindings live"]
                                                                   if notice else [])


def test_access_entries_without_rbac_when_rbac_is_required(tmp_path: Path) -> None:
    (tmp_path / "cluster.yaml").write_text(ENTRY.format(fields="      kubernetesGroups: [ops]\n"))
    result = lint_paths([tmp_path], rbac_required=True)
    assert [e.render() for e in result.errors] == [f"(rbac): error: {NOTICE} and the config says `rbac: {{required: true}}`"]


def test_access_entries_with_rbac_have_no_notice(tmp_path: Path) -> None:
    (tmp_path / "cluster.yaml").write_text(ENTRY.format(fields="      kubernetesGroups: [ops]\n"))
    (tmp_path / "rbac.yaml").write_text("""apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}]
""")
    result = lint_paths([tmp_path])
    assert not [n for n in result.notices if "no RBAC" in n]


# --- paths in messages ----------------------------------------------------------------------


def test_at_relative_to_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Absolute paths under the working directory lose it; others are kept as given."""
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    assert at(str(tmp_path / "work" / "eks" / "cluster.yaml"), 7) == "eks/cluster.yaml:7"
    assert at(str(tmp_path / "elsewhere.yaml"), 7) == f"{tmp_path / 'elsewhere.yaml'}:7"
    assert at(str(tmp_path / "work-2" / "c.yaml"), 3) == f"{tmp_path / 'work-2' / 'c.yaml'}:3"  # not under it
    assert at("../c.yaml", 1) == "../c.yaml:1"
    assert at("c.yaml", 1) == "c.yaml:1"


AWS_AUTH = """apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/ops
      username: ops
      groups: [ops-admins]
"""


def test_context_file_by_absolute_path_is_named_relatively(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI gives repository context by absolute path: messages quoting it name it from
    the working directory, as the report names files."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kube-system").mkdir()
    (tmp_path / "kube-system" / "aws-auth.yaml").write_text(AWS_AUTH)
    (tmp_path / "eks").mkdir()
    (tmp_path / "eks" / "cluster.yaml").write_text(EKSCTL + "accessConfig:\n  authenticationMode: API\n")
    result = engine.run(["kube-system/aws-auth.yaml"], Config(), context=[(str(tmp_path / "eks" / "cluster.yaml"), None)])
    (found,) = [f for f in result.findings if f.code == "AE401"]
    assert "(mode API, set at eks/cluster.yaml:7)" in found.message
    assert str(tmp_path) not in found.message


# --- ruledocs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["-"], ["docs/rules", "extra"]])
def test_ruledocs_refuses_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                  argv: list[str]) -> None:
    """An option is a usage error (exit 2), never the name of a directory to write into."""
    monkeypatch.chdir(tmp_path)
    assert ruledocs.main(argv) == 2
    assert list(tmp_path.iterdir()) == []
    assert capsys.readouterr().err.startswith("usage: python -m awsauth_lint.ruledocs [DIRECTORY]")


def test_ruledocs_help_as_a_module(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "awsauth_lint.ruledocs", "--help"], cwd=tmp_path, capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 2
    assert "usage:" in proc.stderr
    assert not (tmp_path / "--help").exists()


def test_ruledocs_writes_the_directory_given(tmp_path: Path) -> None:
    assert ruledocs.main([str(tmp_path / "out")]) == 0
    assert {p.name for p in (tmp_path / "out").iterdir()} == set(ruledocs.render_all())
