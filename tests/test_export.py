"""`export access-entries`: every format byte for byte; JSON valid against its schema."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from awsauth_lint.schemas import load
from helpers import FIXTURES

SRC = FIXTURES / "export"
SNAPSHOTS = Path(__file__).parent / "snapshots" / "export"


def export(fmt: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "awsauth_lint", "export", "access-entries", "--format", fmt, "--cluster", "prod", "aws-auth.yaml"],
        cwd=SRC, capture_output=True, text=True, check=True,
    )
    return proc.stdout


@pytest.mark.parametrize(("fmt", "ext"), [("json", "json"), ("aws-cli", "sh"), ("eksctl", "yaml"), ("terraform", "tf")])
def test_format_snapshot(fmt: str, ext: str, snapshot) -> None:  # type: ignore[no-untyped-def]
    snapshot(export(fmt), SNAPSHOTS / f"access-entries.{ext}")


def test_json_validates_and_translates() -> None:
    data = json.loads(export("json"))
    jsonschema.Draft202012Validator(load("access-entries")).validate(data)
    creates = {r["request"]["principalArn"]: r["request"] for r in data["requests"] if r["operation"] == "CreateAccessEntry"}
    types = {arn.rsplit("/", 1)[-1]: req["type"] for arn, req in creates.items()}
    assert types == {
        "eks-linux": "EC2_LINUX", "eks-windows": "EC2_WINDOWS", "fargate-pods": "FARGATE_LINUX", "hybrid": "HYBRID_LINUX",
        "admins": "STANDARD", "ci": "STANDARD", "DEV": "STANDARD", "alice": "STANDARD",
    }
    assert "kubernetesGroups" not in creates["arn:aws:iam::111122223333:role/eks-linux"]
    admins = creates["arn:aws:iam::111122223333:role/admins"]
    assert admins["kubernetesGroups"] == ["platform"]
    assert admins["username"] == "admin:{{SessionName}}"
    policy = next(r for r in data["requests"] if r["operation"] == "AssociateAccessPolicy")
    assert policy["request"]["policyArn"] == "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
    assert policy["request"]["accessScope"] == {"type": "cluster"}
    ci = creates["arn:aws:iam::111122223333:role/ci"]
    assert "username" not in ci  # reserved prefix: left to EKS
    assert ci["kubernetesGroups"] == ["deployers"]
    assert any("mapAccounts 444455556666 cannot be an access entry" in s for s in data["not_migrated"])
    assert any("mapped again later; the later entry is used" in s and "eksctl's migrator keeps the first" in s for s in data["not_migrated"])


def test_aws_cli_script_is_valid_shell_with_safe_quoting() -> None:
    script = export("aws-cli")
    subprocess.run(["bash", "-n"], input=script, text=True, check=True)
    assert "--username 'dev'\"'\"'s:{{SessionName}}'" in script


def test_terraform_is_structurally_valid() -> None:
    tf = export("terraform")
    body = re.sub(r'"(?:[^"\\]|\\.)*"', '""', tf)  # strings cannot unbalance braces
    body = "\n".join(line for line in body.splitlines() if not line.lstrip().startswith("#"))
    assert body.count("{") == body.count("}")
    names = re.findall(r'^resource "aws_eks_access_entry" "([A-Za-z_][A-Za-z0-9_-]*)" \{$', tf, re.M)
    assert sorted(names) == sorted(
        ["role_eks-linux", "role_eks-windows", "role_fargate-pods", "role_hybrid", "role_admins", "role_ci", "role_DEV", "user_alice"]
    )
    assert len(re.findall(r'^resource "aws_eks_access_policy_association" ', tf, re.M)) == 1
    for m in re.finditer(r'=\s*("(?:[^"\\]|\\.)*")', tf):
        json.loads(m.group(1))  # every string literal is a valid escaped string
    assert "${" not in tf.replace("$${", "")


def test_newlines_in_names_cannot_escape_comments(tmp_path: Path) -> None:
    """A username with a newline cannot end a `#` comment and inject a shell command."""
    (tmp_path / "aws-auth.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\ndata:\n  mapRoles: |\n"
        '    - rolearn: arn:aws:iam::111122223333:role/x\n      username: "system:x\\nrm -rf ~"\n      groups: [g]\n'
    )
    out = subprocess.run(
        [sys.executable, "-m", "awsauth_lint", "export", "access-entries", "--format", "aws-cli", "aws-auth.yaml"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout
    assert not any(line.startswith("rm ") for line in out.splitlines())
    assert "# NOTE: username 'system:x rm -rf ~' has a prefix EKS refuses" in out


def test_terraform_parses_as_hcl() -> None:
    """The Terraform output parses with a real HCL2 parser (python-hcl2, a test dependency)."""
    import hcl2

    doc = hcl2.loads(export("terraform"))
    resources = [r for block in doc["resource"] for r in block]
    assert resources.count('"aws_eks_access_entry"') == 8
    assert resources.count('"aws_eks_access_policy_association"') == 1


def _export_text(tmp_path: Path, text: str, fmt: str = "json") -> subprocess.CompletedProcess[str]:
    (tmp_path / "aws-auth.yaml").write_text(text)
    return subprocess.run(
        [sys.executable, "-m", "awsauth_lint", "export", "access-entries", "--format", fmt, "aws-auth.yaml"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )


HEAD_CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\ndata:\n"
NODE = "    - rolearn: arn:aws:iam::111122223333:role/eks-node\n      username: system:node:{{EC2PrivateDNSName}}\n      groups: [system:bootstrappers, system:nodes]\n"


def test_a_dropped_map_exports_nothing_of_it_and_exits_1(tmp_path: Path) -> None:
    """Unquoted {{SessionName}}: the current authenticator drops all of mapRoles."""
    proc = _export_text(tmp_path, HEAD_CM + "  mapRoles: |\n" + NODE
                        + "    - rolearn: arn:aws:iam::111122223333:role/ops\n      username: {{SessionName}}\n      groups: [ops]\n"
                        + "  mapUsers: |\n    - userarn: arn:aws:iam::111122223333:user/alice\n      username: alice\n      groups: [viewers]\n")
    assert proc.returncode == 1
    assert "part of aws-auth is dropped by the authenticator" in proc.stderr
    data = json.loads(proc.stdout)
    principals = [r["request"]["principalArn"] for r in data["requests"] if r["operation"] == "CreateAccessEntry"]
    assert principals == ["arn:aws:iam::111122223333:user/alice"]  # nothing from mapRoles, node role included
    assert any("the authenticator drops all of mapRoles" in s and "nothing from it is exported" in s for s in data["not_migrated"])


def test_mappings_that_never_matched_are_not_exported(tmp_path: Path) -> None:
    """An STS session ARN, a role with an IAM path, a service-linked role: never matched in aws-auth."""
    proc = _export_text(tmp_path, HEAD_CM + "  mapRoles: |\n" + NODE
                        + "    - rolearn: arn:aws:sts::111122223333:assumed-role/ops/bob\n      username: ops\n      groups: [ops]\n"
                        + "    - rolearn: arn:aws:iam::111122223333:role/team/dev\n      username: dev\n      groups: [dev]\n"
                        + "    - rolearn: arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS\n"
                        + "      username: svc\n      groups: [svc]\n")
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    principals = [r["request"]["principalArn"] for r in data["requests"] if r["operation"] == "CreateAccessEntry"]
    assert principals == ["arn:aws:iam::111122223333:role/eks-node"]
    reasons = "\n".join(data["not_migrated"])
    assert "assumed-role/ops/bob never matched any caller in aws-auth (it is not an IAM role or user ARN" in reasons
    assert "role/team/dev never matched any caller in aws-auth (its role ARN has an IAM path (AA101)" in reasons
    assert "AWSServiceRoleForAmazonEKS never matched any caller" in reasons


def test_terraform_names_survive_reordering(tmp_path: Path) -> None:
    a = "    - rolearn: arn:aws:iam::111122223333:role/admins\n      username: admin\n      groups: [platform]\n"
    b = "    - userarn: arn:aws:iam::111122223333:user/alice\n      username: alice\n      groups: [viewers]\n"
    c = "    - rolearn: arn:aws:iam::444455556666:role/admins\n      username: admin2\n      groups: [platform]\n"

    def names(order: list[str]) -> dict[str, str]:
        roles = [x for x in order if "rolearn" in x]
        users = [x for x in order if "userarn" in x]
        tf = _export_text(tmp_path, HEAD_CM + "  mapRoles: |\n" + NODE + "".join(roles) + "  mapUsers: |\n" + "".join(users),
                          "terraform").stdout
        found = re.findall(r'resource "aws_eks_access_entry" "([^"]+)" \{\n  cluster_name  = [^\n]+\n  principal_arn = "([^"]+)"', tf)
        return {arn: name for name, arn in found}

    first, second = names([a, b, c]), names([c, b, a])
    assert first == second
    assert first["arn:aws:iam::111122223333:user/alice"] == "user_alice"
    assert first["arn:aws:iam::111122223333:role/admins"] == "role_admins_111122223333"  # same name in two accounts
    assert first["arn:aws:iam::444455556666:role/admins"] == "role_admins_444455556666"
