"""Clusters in a repository: cross-file verdicts are per cluster (issue 14).

Repositories are built in tmp_path as git checkouts: a plain `clusters/<name>/` layout
with a shared `rbac/`, the same described by `clusters:` in the config, and kustomize
overlays over a shared base.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from awsauth_lint.clusters import assemble
from helpers import shared_path

AWS_AUTH = """apiVersion: v1
kind: ConfigMap
metadata: {{name: aws-auth, namespace: kube-system}}
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/eks-node-{c}
      username: system:node:{{{{EC2PrivateDNSName}}}}
      groups: [system:bootstrappers, system:nodes]
    - rolearn: arn:aws:iam::111122223333:role/Admin
      username: admin-{c}:{{{{SessionName}}}}
      groups: [{c}-admins]
"""
BINDING = """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {{name: {name}}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: {role}}}
subjects:
{subjects}"""


def binding(name: str, role: str, *groups: str) -> str:
    subjects = "".join(f"  - {{kind: Group, name: {g}, apiGroup: rbac.authorization.k8s.io}}\n" for g in groups)
    return BINDING.format(name=name, role=role, subjects=subjects)


def repo(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "repo"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(root), "-c", "user.email=t@example.invalid", "-c", "user.name=t", "commit", "-qm", "init"], check=True)
    return root


def lint(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "awsauth_lint", "--no-cache", *args], cwd=root, capture_output=True, text=True, check=False)


PLAIN = {
    "clusters/prod/kube-system/aws-auth.yaml": AWS_AUTH.format(c="prod"),
    "clusters/staging/kube-system/aws-auth.yaml": AWS_AUTH.format(c="staging"),
    # staging deploys a binding for prod's group too: it must not satisfy prod's RB001
    "clusters/staging/rbac.yaml": binding("admins", "cluster-admin", "staging-admins", "prod-admins"),
    "rbac/shared.yaml": binding("viewers", "view", "viewers"),
}
RB001_PROD = "clusters/prod/kube-system/aws-auth.yaml:11:16: RB001 group 'prod-admins' is bound by no RoleBinding or ClusterRoleBinding, so it grants nothing (cluster prod) [group-without-binding]"


def test_a_binding_of_another_cluster_does_not_satisfy_rb001(tmp_path: Path) -> None:
    root = repo(tmp_path, PLAIN)
    out = lint(root, "--select", "RB", "-q", ".")
    assert out.returncode == 1
    assert out.stdout.splitlines()[:3] == [
        RB001_PROD,
        "clusters/staging/rbac.yaml:7:25: RB004 group 'prod-admins' is bound here but no aws-auth mapping or access entry provides it (cluster staging) [unmapped-binding-subject]",
        "rbac/shared.yaml:6:25: RB004 group 'viewers' is bound here but no aws-auth mapping or access entry provides it (every cluster) [unmapped-binding-subject]",
    ]


@pytest.mark.parametrize("target", ["clusters/prod", "clusters/prod/kube-system", "clusters/prod/kube-system/aws-auth.yaml"])
def test_a_directory_and_the_files_in_it_give_the_same_findings(tmp_path: Path, target: str) -> None:
    root = repo(tmp_path, PLAIN)
    out = lint(root, "--select", "RB", "-q", target)
    assert out.stdout.splitlines()[0] == RB001_PROD
    assert out.stdout.splitlines()[1] == "Found 1 problem (1 error) in 1 file."


def test_outputs_name_the_cluster(tmp_path: Path) -> None:
    root = repo(tmp_path, PLAIN)
    data = json.loads(lint(root, "--select", "RB001", "-f", "json", ".").stdout)
    assert [(f["code"], f["cluster"]) for f in data["findings"]] == [("RB001", "prod")]
    sarif = json.loads(lint(root, "--select", "RB", "-f", "sarif", ".").stdout)
    jsonschema.validate(sarif, json.loads(shared_path("schemas", "sarif-schema-2.1.0.json").read_text()))
    clusters = [r.get("properties", {}).get("cluster") for r in sarif["runs"][0]["results"]]
    assert clusters == ["prod", "staging", "every cluster"]


def test_configured_clusters(tmp_path: Path) -> None:
    """Config wins over the layout: here prod also deploys staging's folder, so the binding counts."""
    config = "clusters:\n  prod:\n    include: ['clusters/prod/**', 'clusters/staging/rbac.yaml', 'rbac/**']\n" \
             "  staging:\n    include: ['clusters/staging/**', 'rbac/**']\n"
    root = repo(tmp_path, {**PLAIN, ".awsauth-lint.yaml": config})
    out = lint(root, "--select", "RB001", "-q", ".")
    assert out.returncode == 0, out.stdout


def test_kustomize_overlays_with_a_shared_base(tmp_path: Path) -> None:
    files = {
        "base/kustomization.yaml": "resources: [rbac.yaml]\n",
        "base/rbac.yaml": binding("viewers", "view", "viewers"),
        "env/prod/kustomization.yaml": "resources: [../../base, aws-auth.yaml]\n",
        "env/prod/aws-auth.yaml": AWS_AUTH.format(c="prod"),
        "env/staging/kustomization.yaml": "resources: [../../base, aws-auth.yaml, admins.yaml]\n",
        "env/staging/aws-auth.yaml": AWS_AUTH.format(c="staging"),
        "env/staging/admins.yaml": binding("admins", "cluster-admin", "staging-admins", "prod-admins"),
    }
    root = repo(tmp_path, files)
    out = lint(root, "--select", "RB001", "-q", ".")
    assert out.stdout.splitlines()[0] == (
        "env/prod/aws-auth.yaml:11:16: RB001 group 'prod-admins' is bound by no RoleBinding or ClusterRoleBinding, "
        "so it grants nothing (cluster prod) [group-without-binding]"
    )
    assert "Found 1 problem" in out.stdout


def test_layout_rule() -> None:
    layout = assemble(
        ["clusters/prod/kube-system/aws-auth.yaml", "clusters/prod/rbac.yaml", "clusters/staging/kube-system/aws-auth.yaml",
         "rbac/shared.yaml"],
        ["clusters/prod/kube-system/aws-auth.yaml", "clusters/staging/kube-system/aws-auth.yaml"],
    )
    assert [(c.name, c.root) for c in layout.clusters] == [("prod", "clusters/prod"), ("staging", "clusters/staging")]
    assert [c.name for c in layout.of("clusters/prod/rbac.yaml")] == ["prod"]
    assert [c.name for c in layout.of("rbac/shared.yaml")] == ["prod", "staging"]
    one = assemble(["a/aws-auth.yaml", "rbac/x.yaml"], ["a/aws-auth.yaml"])
    assert [(c.name, c.root) for c in one.clusters] == [("", "")]  # one aws-auth: the whole repository


def test_cluster_names_stay_apart_when_directory_names_clash() -> None:
    holders = ["eu/dev/aws-auth.yaml", "eu/prod/aws-auth.yaml", "us/dev/aws-auth.yaml", "us/prod/aws-auth.yaml"]
    assert [c.name for c in assemble([], holders).clusters] == ["eu/dev", "eu/prod", "us/dev", "us/prod"]
    assert [c.name for c in assemble([], ["eu/prod/aws-auth.yaml", "us/prod/aws-auth.yaml"]).clusters] == ["eu", "us"]


def test_why_answers_a_section_per_cluster(tmp_path: Path) -> None:
    root = repo(tmp_path, PLAIN)
    out = subprocess.run([sys.executable, "-m", "awsauth_lint", "why", "arn:aws:sts::111122223333:assumed-role/Admin/bob",
                          "-f", "json"], cwd=root, capture_output=True, text=True, check=False)
    assert out.returncode == 0
    data = json.loads(out.stdout)
    sections = [(s["cluster"], s["aws_auth"], s["username"], s["groups"], s["unbound_groups"]) for s in data["sections"]]
    assert sections == [
        ("prod", "clusters/prod/kube-system/aws-auth.yaml", "admin-prod:bob", ["prod-admins"], ["prod-admins"]),
        ("staging", "clusters/staging/kube-system/aws-auth.yaml", "admin-staging:bob", ["staging-admins"], []),
    ]
    text = subprocess.run([sys.executable, "-m", "awsauth_lint", "why", "arn:aws:sts::111122223333:assumed-role/Admin/bob"],
                          cwd=root, capture_output=True, text=True, check=False).stdout
    assert "== cluster prod: clusters/prod/kube-system/aws-auth.yaml ==" in text
    assert "== cluster staging: clusters/staging/kube-system/aws-auth.yaml ==" in text
    one = json.loads(subprocess.run([sys.executable, "-m", "awsauth_lint", "why", "arn:aws:sts::111122223333:assumed-role/Admin/bob",
                                     "--cluster", "staging", "-f", "json"], cwd=root, capture_output=True, text=True, check=False).stdout)
    assert [s["cluster"] for s in one["sections"]] == ["staging"]


def test_export_needs_a_cluster_when_there_are_several(tmp_path: Path) -> None:
    root = repo(tmp_path, PLAIN)

    def export(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "awsauth_lint", "export", "access-entries", "-f", "json", *args],
                              cwd=root, capture_output=True, text=True, check=False)

    refused = export()
    assert refused.returncode == 2
    assert "the paths hold 2 clusters (prod, staging): name one with --cluster" in refused.stderr
    prod = json.loads(export("--cluster", "prod").stdout)
    principals = {r["request"]["principalArn"] for r in prod["requests"] if r["operation"] == "CreateAccessEntry"}
    assert principals == {"arn:aws:iam::111122223333:role/eks-node-prod", "arn:aws:iam::111122223333:role/Admin"}
    assert {r["request"]["clusterName"] for r in prod["requests"]} == {"prod"}
    unknown = export("--cluster", "qa")
    assert unknown.returncode == 2
    assert "no cluster named 'qa'; the clusters are: prod, staging" in unknown.stderr


def hook(root: Path, *files: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in __import__("os").environ.items() if k != "PRE_COMMIT"}
    return subprocess.run([sys.executable, "-m", "awsauth_lint", "--no-cache", "-q", *files], cwd=root,
                          capture_output=True, text=True, check=False, env={**env, "PRE_COMMIT": "1"})


QA = {
    **PLAIN,
    "rbac/qa.yaml": binding("prod-admins", "cluster-admin", "prod-admins"),
}


def test_hook_reports_a_group_a_renamed_binding_leaves_unbound(tmp_path: Path) -> None:
    root = repo(tmp_path, QA)
    (root / "rbac" / "qa.yaml").write_text(binding("prod-admins", "cluster-admin", "prod-admin"))
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    out = hook(root, "rbac/qa.yaml")
    assert out.returncode == 1
    assert out.stdout.splitlines()[0] == (
        "clusters/prod/kube-system/aws-auth.yaml:11:16: RB001 group 'prod-admins' is bound by no RoleBinding or "
        "ClusterRoleBinding, so it grants nothing; did you mean 'prod-admin'?; no longer bound: rbac/qa.yaml was changed "
        "in this commit (cluster prod) [group-without-binding]"
    )


def test_hook_reports_a_deleted_binding_and_stays_quiet_on_what_was_broken_before(tmp_path: Path) -> None:
    root = repo(tmp_path, {**QA, "clusters/staging/kube-system/aws-auth.yaml": AWS_AUTH.format(c="staging").replace(
        "[staging-admins]", "[staging-admins, never-bound]")})
    subprocess.run(["git", "-C", str(root), "rm", "-q", "rbac/qa.yaml"], check=True)
    out = hook(root)  # pre-commit passes no file for a deletion
    assert out.returncode == 1
    lines = [line for line in out.stdout.splitlines() if "RB001" in line]
    assert lines == [
        "clusters/prod/kube-system/aws-auth.yaml:11:16: RB001 group 'prod-admins' is bound by no RoleBinding or "
        "ClusterRoleBinding, so it grants nothing; no longer bound: rbac/qa.yaml was deleted in this commit (cluster prod) "
        "[group-without-binding]"
    ]  # staging's never-bound group was unbound before the commit: not this commit's doing
    subprocess.run(["git", "-C", str(root), "reset", "-q", "--hard"], check=True)
    assert hook(root).returncode == 0  # nothing staged: nothing to say


def test_a_configured_clusters_external_groups_count_for_it_only(tmp_path: Path) -> None:
    config = "clusters:\n  prod:\n    include: ['clusters/prod/**', 'rbac/**']\n    external-groups: [prod-admins]\n" \
             "  staging:\n    include: ['clusters/staging/**', 'rbac/**']\n"
    files = {**PLAIN, "clusters/staging/kube-system/aws-auth.yaml": AWS_AUTH.format(c="staging").replace("[staging-admins]", "[prod-admins]"),
             "clusters/staging/rbac.yaml": binding("admins", "cluster-admin", "nobody"), ".awsauth-lint.yaml": config}
    out = lint(repo(tmp_path, files), "--select", "RB001", "-q", ".")
    assert [line.split(": RB001")[0] for line in out.stdout.splitlines() if "RB001" in line] == [
        "clusters/staging/kube-system/aws-auth.yaml:11:16"  # prod's external group is bound elsewhere for prod only
    ]
