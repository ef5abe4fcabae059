"""Cluster-level access-entry rules: AE405 against real git history, the exact EKS
refusals in the messages of AE003 and AE401-AE404, and AE401/AE403 when only the aws-auth
is linted and the cluster's declaration is context (pre-commit)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from awsauth_lint import engine
from awsauth_lint.cache import cache_file
from awsauth_lint.config import Config
from awsauth_lint.model import Finding
from helpers import lint_paths, shared_path

# --- AE405 with a git base ------------------------------------------------------------

EKSCTL = """apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: prod
  region: eu-west-1
"""
CFN = """AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Mode: {Type: String}
  Subnets: {Type: "List<AWS::EC2::Subnet::Id>"}
Resources:
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      Name: prod
      RoleArn: !GetAtt ClusterRole.Arn
      ResourcesVpcConfig: {SubnetIds: !Ref Subnets}
"""
ACK = """apiVersion: eks.services.k8s.aws/v1alpha1
kind: Cluster
metadata:
  name: prod
  namespace: infra
spec:
  name: prod
  roleARN: arn:aws:iam::111122223333:role/eks-cluster
"""
CROSSPLANE = """apiVersion: eks.aws.upbound.io/v1beta1
kind: Cluster
metadata:
  name: prod
spec:
  forProvider:
    region: eu-west-1
    roleArn: arn:aws:iam::111122223333:role/eks-cluster
"""


def eksctl(mode: str | None) -> str:
    return EKSCTL + ("accessConfig:\n  authenticationMode: " + mode + "\n" if mode else "")


def cfn(mode: str | None) -> str:
    return CFN + ("      AccessConfig:\n        AuthenticationMode: " + mode + "\n" if mode else "")


def ack(mode: str) -> str:
    return ACK + "  accessConfig:\n    authenticationMode: " + mode + "\n"


def crossplane(mode: str) -> str:
    return CROSSPLANE + "    accessConfig:\n      - authenticationMode: " + mode + "\n"


LINE = re.compile(r"^(?P<file>\S+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]{2}\d{3}) (?P<message>.*) \[[a-z0-9-]+\]$")


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def cli(repo: Path, *args: str, pre_commit: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsauth_lint", "--no-color", "--quiet", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PRE_COMMIT": "1" if pre_commit else "", "GITHUB_ACTIONS": ""},
    )


def reported(proc: subprocess.CompletedProcess[str], code: str) -> list[tuple[str, int, int, str]]:
    """(file, line, column, message) of every `code` finding the CLI printed."""
    assert "Traceback" not in proc.stderr, proc.stderr
    out = []
    for raw in proc.stdout.splitlines():
        m = LINE.match(raw)
        if m and m["code"] == code:
            out.append((m["file"], int(m["line"]), int(m["col"]), m["message"]))
    return out


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q")
    return tmp_path


def committed(repo: Path, name: str, text: str) -> Path:
    path = repo / name
    path.write_text(text)
    git(repo, "add", name)
    git(repo, "commit", "-q", "-m", f"base {name}")
    return path


# (case, file, text at the base, text now, (line, column) of the finding, message fragments)
MOVES = [
    ("config-map-to-api", "cluster.yaml", eksctl("CONFIG_MAP"), eksctl("API"), (7, 23),
     ("the authentication mode skips API_AND_CONFIG_MAP: CONFIG_MAP at HEAD, now API",)),
    ("api-to-api-and-config-map", "template.yaml", cfn("API"), cfn("API_AND_CONFIG_MAP"), (13, 29),
     ("the authentication mode moves backwards: API at HEAD, now API_AND_CONFIG_MAP",)),
    ("eksctl-default-to-config-map", "cluster.yaml",
     EKSCTL + "accessConfig:\n  bootstrapClusterCreatorAdminPermissions: true\n",
     EKSCTL + "accessConfig:\n  authenticationMode: CONFIG_MAP\n  bootstrapClusterCreatorAdminPermissions: true\n", (7, 23),
     ("moves backwards: API_AND_CONFIG_MAP (its default) at HEAD, now CONFIG_MAP",)),
    ("cloudformation-default-to-api", "template.yaml", cfn(None), cfn("API"), (13, 29),
     ("skips API_AND_CONFIG_MAP: CONFIG_MAP (its default) at HEAD, now API",)),
    ("access-config-removed", "template.yaml", cfn("API"), cfn(None), (7, 5),  # no mode left: the resource
     ("moves backwards: API at HEAD, now CONFIG_MAP",)),
    ("ack-backwards", "cluster.yaml", ack("API_AND_CONFIG_MAP"), ack("CONFIG_MAP"), (10, 25),
     ("moves backwards: API_AND_CONFIG_MAP at HEAD, now CONFIG_MAP",)),
    ("crossplane-skip", "cluster.yaml", crossplane("CONFIG_MAP"), crossplane("API"), (10, 29),
     ("skips API_AND_CONFIG_MAP: CONFIG_MAP at HEAD, now API",)),
]


@pytest.mark.parametrize(("case", "name", "before", "after", "where", "fragments"), MOVES, ids=[m[0] for m in MOVES])
def test_mode_moved_backwards_or_skipped(
    repo: Path, case: str, name: str, before: str, after: str, where: tuple[int, int], fragments: tuple[str, ...]
) -> None:
    """A mode that moved backwards or skipped API_AND_CONFIG_MAP since --base: AE405, exit 1."""
    committed(repo, name, before).write_text(after)
    proc = cli(repo, "--select", "AE405", "--base", "HEAD", name)
    found = reported(proc, "AE405")
    assert [(f, ln, col) for f, ln, col, _ in found] == [(name, *where)], proc.stdout
    message = found[0][3]
    for fragment in fragments:
        assert fragment in message
    assert "'Once the access entry method is enabled, it cannot be disabled'" in message
    assert "(CONFIG_MAP -> API_AND_CONFIG_MAP -> API)" in message
    assert proc.returncode == 1


def test_eksctl_without_access_config_to_config_map(repo: Path) -> None:
    """eksctl's default (API_AND_CONFIG_MAP, no accessConfig at all) at the base, CONFIG_MAP now: backwards."""
    committed(repo, "cluster.yaml", eksctl(None)).write_text(eksctl("CONFIG_MAP"))
    found = reported(cli(repo, "--select", "AE405", "--base", "HEAD", "cluster.yaml"), "AE405")
    assert [(f, ln, col) for f, ln, col, _ in found] == [("cluster.yaml", 7, 23)]


FINE = [
    ("config-map-to-api-and-config-map", "cluster.yaml", eksctl("CONFIG_MAP"), eksctl("API_AND_CONFIG_MAP")),
    ("api-and-config-map-to-api", "template.yaml", cfn("API_AND_CONFIG_MAP"), cfn("API")),
    ("eksctl-default-to-api", "cluster.yaml", EKSCTL + "accessConfig: {bootstrapClusterCreatorAdminPermissions: true}\n",
     eksctl("API")),
    ("cloudformation-default-to-api-and-config-map", "template.yaml", cfn(None), cfn("API_AND_CONFIG_MAP")),
    ("unchanged", "cluster.yaml", ack("API"), ack("API")),
    ("unknown-at-the-base", "template.yaml", cfn("!Ref Mode"), cfn("API")),
    ("unknown-now", "template.yaml", cfn("API"), cfn("!Ref Mode")),
    ("another-cluster-object", "template.yaml", cfn("API"), cfn("CONFIG_MAP").replace("  Cluster:", "  Legacy:")),
]


@pytest.mark.parametrize(("case", "name", "before", "after"), FINE, ids=[m[0] for m in FINE])
def test_one_step_forward_or_unknown_is_fine(repo: Path, case: str, name: str, before: str, after: str) -> None:
    """One step forward, no change, a mode unknown on either side, or a cluster object the
    base does not have: no AE405, exit 0."""
    committed(repo, name, before).write_text(after)
    proc = cli(repo, "--select", "AE405", "--base", "HEAD", name)
    assert reported(proc, "AE405") == []
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_new_file_has_no_base(repo: Path) -> None:
    """A file that is not at the base (untracked, then staged) has nothing to move from."""
    committed(repo, "other.yaml", "a: 1\n")
    (repo / "cluster.yaml").write_text(eksctl("API"))
    assert reported(cli(repo, "--select", "AE405", "--base", "HEAD", "cluster.yaml"), "AE405") == []
    git(repo, "add", "cluster.yaml")
    proc = cli(repo, "--select", "AE405", "--base", "HEAD", "cluster.yaml")
    assert reported(proc, "AE405") == []
    assert proc.returncode == 0


def test_pre_commit_compares_with_head(repo: Path) -> None:
    """Under pre-commit the base is HEAD without --base; without either, no base at all."""
    committed(repo, "cluster.yaml", eksctl("API")).write_text(eksctl("CONFIG_MAP"))
    assert reported(cli(repo, "--select", "AE405", "cluster.yaml"), "AE405") == []
    git(repo, "add", "cluster.yaml")
    found = reported(cli(repo, "--select", "AE405", "cluster.yaml", pre_commit=True), "AE405")
    assert [(f, ln, col) for f, ln, col, _ in found] == [("cluster.yaml", 7, 23)]
    assert "moves backwards: API at HEAD, now CONFIG_MAP" in found[0][3]


def test_each_cluster_of_a_file_against_its_own_base(repo: Path) -> None:
    """Two clusters in one template: only the one whose mode moved back is reported."""
    staging = cfn("API_AND_CONFIG_MAP").split("Resources:\n", 1)[1]
    two = cfn("API") + staging.replace("  Cluster:", "  Staging:").replace("Name: prod", "Name: staging")
    path = committed(repo, "template.yaml", two)
    path.write_text(two.replace("AuthenticationMode: API_AND_CONFIG_MAP", "AuthenticationMode: CONFIG_MAP"))
    found = reported(cli(repo, "--select", "AE405", "--base", "HEAD", "template.yaml"), "AE405")
    assert [(f, ln, col) for f, ln, col, _ in found] == [("template.yaml", 21, 29)]
    assert "API_AND_CONFIG_MAP at HEAD, now CONFIG_MAP" in found[0][3]


# --- messages: the exact EKS refusals ----------------------------------------------------

# ACCESS-ENTRIES.md §1.10, verbatim.
IN_USE = "The specified access entry resource is already in use on this cluster."
MODE_REFUSED = "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation."
CREATOR = "bootstrapClusterCreatorAdminPermissions must be true if cluster authentication mode is set to CONFIG_MAP"
EKSCTL_REFUSED = "accessConfig.authenticationMode must be set to either API_AND_CONFIG_MAP or API to use access entries"

AWS_AUTH = """apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/eks-node
      username: system:node:{{EC2PrivateDNSName}}
      groups: [system:bootstrappers, system:nodes]
    - rolearn: arn:aws:iam::111122223333:role/ops
      username: ops
      groups: [ops-admins]
  mapUsers: |
    - userarn: arn:aws:iam::111122223333:user/alice
      username: alice
      groups: [ops-admins]
"""
ENTRIES = """accessConfig:
  authenticationMode: {mode}
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/platform/ops
      kubernetesGroups: [ops-readers]
"""


def findings(tmp_path: Path, code: str, files: dict[str, str]) -> list[Finding]:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    result = lint_paths([tmp_path])
    assert not result.errors, [e.render() for e in result.errors]
    return [f for f in result.findings if f.code == code]


def test_sheet_has_the_strings() -> None:
    """The refusals quoted here are the sheet's, character for character."""
    sheet = shared_path("ACCESS-ENTRIES.md").read_text(encoding="utf-8")
    for text in (IN_USE, MODE_REFUSED, CREATOR, EKSCTL_REFUSED):
        assert text in sheet


def test_ae003_duplicate_entry_quotes_the_409(tmp_path: Path) -> None:
    """A principal twice (another case and path): both places, each naming the other, with EKS's 409."""
    found = findings(tmp_path, "AE003", {"cluster.yaml": EKSCTL + """accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/ops
    - principalARN: arn:aws:iam::111122223333:role/team/OPS
"""})
    assert [(f.span.start.line, f.span.start.column) for f in found] == [(8, 21), (9, 21)]
    for f, other in zip(found, (9, 8), strict=True):
        assert f.message.startswith("this principal has an access entry more than once in cluster 'prod'")
        assert f"(also at {tmp_path / 'cluster.yaml'}:{other})" in f.message
        assert f"'{IN_USE}' (409 ResourceInUseException)" in f.message
    assert [f.json_path for f in found] == [f"$.accessConfig.accessEntries[{i}].principalARN" for i in (0, 1)]


def test_ae003_policy_twice_says_the_scope_is_replaced(tmp_path: Path) -> None:
    """A policy twice: EKS does not refuse the second association, it replaces the scope."""
    found = findings(tmp_path, "AE003", {"cluster.yaml": EKSCTL + """accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/ops
      accessPolicies:
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy
          accessScope: {type: namespace, namespaces: [a]}
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy
          accessScope: {type: namespace, namespaces: [b]}
"""})
    assert [(f.span.start.line, f.span.start.column) for f in found] == [(12, 22)]
    message = found[0].message
    assert message.startswith("policy AmazonEKSViewPolicy is associated twice with this entry (first at line 10)")
    assert "associating it again replaces the access scope, so only one of the two scopes applies" in message
    assert "409" not in message


def test_ae003_crossplane_associations(tmp_path: Path) -> None:
    """Two Crossplane associations of one policy for one principal (one by reference to the entry)."""
    head = "apiVersion: eks.aws.upbound.io/v1beta1\nkind: {kind}\nmetadata: {{name: {name}}}\nspec:\n  forProvider:\n" \
           "    region: eu-west-1\n    clusterName: prod\n"
    view = "    policyArn: arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy\n    accessScope: [{type: cluster}]\n"
    text = "---\n".join((
        head.format(kind="AccessEntry", name="ops") + "    principalArn: arn:aws:iam::111122223333:role/ops\n",
        head.format(kind="AccessPolicyAssociation", name="a") + "    principalArnRef: {name: ops}\n" + view,
        head.format(kind="AccessPolicyAssociation", name="b") + "    principalArn: arn:aws:iam::111122223333:role/ops\n" + view,
    ))
    found = findings(tmp_path, "AE003", {"access.yaml": text})
    assert [(f.span.start.line, f.span.start.column) for f in found] == [(18, 16), (29, 16)]
    assert found[0].message.startswith("policy AmazonEKSViewPolicy is associated with this principal more than once")
    assert "deleting either one removes the policy" in found[0].message


def test_ae402_quotes_the_refusal_and_the_default(tmp_path: Path) -> None:
    """CloudFormation without AccessConfig: CONFIG_MAP by default, and EKS's InvalidRequestException."""
    found = findings(tmp_path, "AE402", {"template.yaml": cfn(None) + """  Ops:
    Type: AWS::EKS::AccessEntry
    Properties:
      ClusterName: !Ref Cluster
      PrincipalArn: arn:aws:iam::111122223333:role/ops
"""})
    assert [(f.span.start.line, f.span.start.column) for f in found] == [(16, 21)]
    message = found[0].message
    assert message.startswith("this access entry is for cluster 'prod', whose authentication mode is CONFIG_MAP "
                              f"(the CloudFormation default, {tmp_path / 'template.yaml'}:7 sets no mode)")
    assert f"'{MODE_REFUSED}' (InvalidRequestException)" in message
    assert message.endswith("set the mode to API_AND_CONFIG_MAP")


def test_ae402_eksctl_quotes_eksctl_too(tmp_path: Path) -> None:
    """eksctl with CONFIG_MAP written refuses the entries itself, before EKS would."""
    found = findings(tmp_path, "AE402", {"cluster.yaml": EKSCTL + ENTRIES.format(mode="CONFIG_MAP")})
    assert [(f.span.start.line, f.span.start.column) for f in found] == [(9, 21)]
    assert f"'{EKSCTL_REFUSED}'" in found[0].message
    assert f"'{MODE_REFUSED}'" in found[0].message


def test_ae404_quotes_the_refusal(tmp_path: Path) -> None:
    found = findings(tmp_path, "AE404", {"cluster.yaml": EKSCTL + """accessConfig:
  authenticationMode: CONFIG_MAP
  bootstrapClusterCreatorAdminPermissions: false
"""})
    assert [(f.span.start.line, f.span.start.column) for f in found] == [(8, 44)]
    message = found[0].message
    assert message.startswith("the authentication mode is CONFIG_MAP (set at line 7)")
    assert f"'{CREATOR}' (InvalidParameterException)" in message
    assert message.endswith("set the mode to API_AND_CONFIG_MAP or API, or this to true")


def test_ae401_lists_what_the_aws_auth_would_have_mapped(tmp_path: Path) -> None:
    found = findings(tmp_path, "AE401", {"aws-auth.yaml": AWS_AUTH, "cluster.yaml": EKSCTL + ENTRIES.format(mode="API")})
    assert [(f.file, f.span.start.line, f.span.start.column) for f in found] == [(str(tmp_path / "aws-auth.yaml"), 4, 9)]
    assert found[0].message == (
        f"cluster 'prod' authenticates with access entries only (mode API, set at {tmp_path / 'cluster.yaml'}:7): "
        "EKS ignores this aws-auth; it would have mapped arn:aws:iam::111122223333:role/eks-node, "
        "arn:aws:iam::111122223333:role/ops, arn:aws:iam::111122223333:user/alice; "
        "declare them as access entries and delete it"
    )
    assert found[0].json_path == "$.metadata.name"


def test_ae401_shortens_a_long_list(tmp_path: Path) -> None:
    rows = "".join(
        f"    - rolearn: arn:aws:iam::111122223333:role/r{i}\n      username: r{i}\n      groups: [g]\n" for i in range(8)
    )
    auth = AWS_AUTH.split("  mapUsers:")[0] + rows
    found = findings(tmp_path, "AE401", {"aws-auth.yaml": auth, "cluster.yaml": eksctl("API")})
    assert len(found) == 1
    assert "role/r2 and 5 more; declare them" in found[0].message


def test_ae403_says_what_the_row_gave_and_what_applies(tmp_path: Path) -> None:
    found = findings(tmp_path, "AE403", {"aws-auth.yaml": AWS_AUTH, "cluster.yaml": EKSCTL + ENTRIES.format(mode="API_AND_CONFIG_MAP")})
    assert [(f.span.start.line, f.span.start.column) for f in found] == [(11, 16)]
    assert found[0].message == (
        f"arn:aws:iam::111122223333:role/ops also has an access entry in cluster 'prod' ({tmp_path / 'cluster.yaml'}:9); "
        "the access entry wins (mode API_AND_CONFIG_MAP): this row would give username 'ops', groups [ops-admins], "
        "what applies is username 'arn:aws:sts::111122223333:assumed-role/ops/{{SessionName}}' (EKS's default), "
        "groups [ops-readers]"
    )
    assert found[0].json_path == "$.data.mapRoles[1].rolearn"


def test_several_repository_clusters(tmp_path: Path) -> None:
    """A declaration in a shared file is the cluster named like it, not every cluster's."""
    shared = eksctl("API").replace("name: prod", "name: staging")
    found = findings(tmp_path, "AE401", {
        "clusters/prod/aws-auth.yaml": AWS_AUTH,
        "clusters/staging/aws-auth.yaml": AWS_AUTH,
        "eksctl/staging.yaml": shared,
    })
    assert [Path(f.file).relative_to(tmp_path).as_posix() for f in found] == ["clusters/staging/aws-auth.yaml"]


# --- pre-commit: the cluster declaration as context ---------------------------------------


@pytest.fixture
def staged(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with an aws-auth and an eksctl ClusterConfig, committed; cwd is its top."""
    (repo / "kube-system").mkdir()
    (repo / "kube-system" / "aws-auth.yaml").write_text(AWS_AUTH)
    (repo / "cluster.yaml").write_text(EKSCTL + ENTRIES.format(mode="API_AND_CONFIG_MAP"))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "init")
    monkeypatch.chdir(repo)
    return repo


def context_run(use_cache: bool = True) -> list[Finding]:
    result = engine.run(["kube-system/aws-auth.yaml"], Config(), context=[("cluster.yaml", None)], use_cache=use_cache)
    assert not result.errors, [e.render() for e in result.errors]
    assert result.files == ["kube-system/aws-auth.yaml"]
    return [f for f in result.findings if f.code in ("AE401", "AE403")]


def where(found: list[Finding]) -> list[tuple[str, str, int, int]]:
    return [(f.code, f.file, f.span.start.line, f.span.start.column) for f in found]


def test_context_cluster_declaration_reaches_ae403(staged: Path) -> None:
    """Only the aws-auth is linted; the ClusterConfig beside it is context, read once and
    then from the cache, with the same verdict."""
    assert where(context_run()) == [("AE403", "kube-system/aws-auth.yaml", 11, 16)]
    assert cache_file(staged).exists()
    again = context_run()
    assert where(again) == [("AE403", "kube-system/aws-auth.yaml", 11, 16)]
    assert "cluster.yaml:9)" in again[0].message
    assert where(context_run(use_cache=False)) == where(again)


def test_context_cluster_declaration_reaches_ae401(staged: Path) -> None:
    """The context says API: AE401 instead of AE403; the cache follows the content."""
    assert where(context_run())[0][0] == "AE403"  # fills the cache with the old content
    (staged / "cluster.yaml").write_text(EKSCTL + ENTRIES.format(mode="API"))
    found = context_run()
    assert where(found) == [("AE401", "kube-system/aws-auth.yaml", 4, 9)]
    assert "(mode API, set at " in found[0].message
    assert "cluster.yaml:7)" in found[0].message


def test_pre_commit_hook_run(staged: Path) -> None:
    """As the hook runs: PRE_COMMIT set, only the staged aws-auth given; the repository is
    the context, as staged."""
    (staged / "cluster.yaml").write_text(EKSCTL + ENTRIES.format(mode="API"))  # not staged: not in the commit
    proc = cli(staged, "--select", "AE401,AE403", "kube-system/aws-auth.yaml", pre_commit=True)
    assert [(f, ln, col) for f, ln, col, _ in reported(proc, "AE403")] == [("kube-system/aws-auth.yaml", 11, 16)]
    assert reported(proc, "AE401") == []
    git(staged, "add", "cluster.yaml")
    proc = cli(staged, "--select", "AE401,AE403", "kube-system/aws-auth.yaml", pre_commit=True)
    assert [(f, ln, col) for f, ln, col, _ in reported(proc, "AE401")] == [("kube-system/aws-auth.yaml", 4, 9)]
    assert reported(proc, "AE403") == []
    assert proc.returncode == 1


def test_context_moved_file_is_named_where_it_is(staged: Path) -> None:
    """A ClusterConfig moved (same content): messages name where it is now."""
    assert where(context_run())[0][0] == "AE403"
    (staged / "eks").mkdir()
    (staged / "cluster.yaml").rename(staged / "eks" / "cluster.yaml")
    result = engine.run(["kube-system/aws-auth.yaml"], Config(), context=[("eks/cluster.yaml", None)])
    found = [f for f in result.findings if f.code == "AE403"]
    assert len(found) == 1
    assert "(eks/cluster.yaml:9)" in found[0].message


def test_pre_commit_message_names_context_file_relatively(staged: Path) -> None:
    """A report names files relative to the repository, in messages too (no machine paths)."""
    (staged / "cluster.yaml").write_text(EKSCTL + ENTRIES.format(mode="API"))
    git(staged, "add", "cluster.yaml")
    found = reported(cli(staged, "--select", "AE401", "kube-system/aws-auth.yaml", pre_commit=True), "AE401")
    assert len(found) == 1
    assert "(mode API, set at cluster.yaml:7)" in found[0][3]
