"""`awsauth-lint access`: the access table of a multi-cluster repository, and what a
change does to it (`--base`), exactly.

The fixture repository (`fixtures/review/repo`) has two clusters: `prod` (an aws-auth and
an eksctl ClusterConfig in API_AND_CONFIG_MAP with one access entry) and `dev` (an
aws-auth), sharing `rbac/`. The change made on top of it covers every case of the issue:
a role gaining system:masters, a group rebound from view to edit, a ClusterRole gaining
`secrets` `get`, an aggregated ClusterRole picking up a rule, a node role removed, a
mapping that becomes dead (an IAM path added) and a principal added through an access
entry.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from awsauth_lint.cli import _load_clusters
from awsauth_lint.cli_access import _base_groups
from awsauth_lint.review_build import review
from awsauth_lint.review_diff import compare, fails
from helpers import FIXTURES

REPO = FIXTURES / "review" / "repo"
ACCT = "arn:aws:iam::111122223333"

EDITS = [  # (file, old, new): the change under review
    ("clusters/prod/aws-auth.yaml", "username: ci:{{SessionName}}\n      groups: [deployers]",
     "username: ci:{{SessionName}}\n      groups: [deployers, system:masters]"),
    ("rbac/bindings.yaml", "namespace: apps\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}",
     "namespace: apps\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}"),
    ("rbac/roles.yaml", "    resources: [pods, nodes, events]\n    verbs: [get, list, watch]\n",
     "    resources: [pods, nodes, events]\n    verbs: [get, list, watch]\n  - apiGroups: [\"\"]\n    resources: [secrets]\n    verbs: [get]\n"),
    ("rbac/roles.yaml", "    resources: [pods, services, endpoints]\n    verbs: [get, list, watch]\n",
     "    resources: [pods, services, endpoints]\n    verbs: [get, list, watch]\n  - apiGroups: [\"\"]\n    resources: [nodes/proxy]\n    verbs: [get]\n"),
    ("clusters/dev/aws-auth.yaml", "    - rolearn: arn:aws:iam::111122223333:role/dev-nodes\n      username: system:node:{{EC2PrivateDNSName}}\n"
     "      groups: [system:bootstrappers, system:nodes]\n", ""),
    ("clusters/prod/aws-auth.yaml", "role/deployer", "role/teams/deployer"),
    ("clusters/prod/cluster.yaml", "            type: cluster\n",
     "            type: cluster\n    - principalARN: arn:aws:iam::111122223333:role/incident-response\n      accessPolicies:\n"
     "        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy\n          accessScope:\n"
     "            type: cluster\n"),
]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.com", "PATH": "/usr/bin:/bin:/usr/local/bin"})


def committed(tmp_path: Path) -> Path:
    """The fixture repository as a git repository of one commit."""
    root = tmp_path / "repo"
    shutil.copytree(REPO, root)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    return root


def apply(root: Path, edits: list[tuple[str, str, str]]) -> None:
    for rel, old, new in edits:
        p = root / rel
        text = p.read_text()
        assert old in text, (rel, old)
        p.write_text(text.replace(old, new))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture repository committed, then changed in the working tree."""
    root = committed(tmp_path)
    apply(root, EDITS)
    monkeypatch.chdir(root)
    return root


def _table(path: str) -> list[tuple[object, ...]]:
    return [
        (c.name, c.mode, h.principal, h.via, h.where[0].rsplit("/", 1)[-1], h.where[1], h.username, h.groups, h.policies,
         h.levels, list(h.sensitive))
        for c in review(_load_clusters((path,)))
        for h in c.holders
    ]


EDIT_SENSITIVE = ["read-secrets", "pods-exec", "pods-attach", "pods-portforward", "create-workloads", "impersonate"]
NODE = ("system:node:{{EC2PrivateDNSName}}", ["system:bootstrappers", "system:nodes"], [], {"cluster": "custom"}, [])


def test_access_table_is_exact() -> None:
    assert _table(str(REPO)) == [
        ("dev", None, f"{ACCT}:role/dev-nodes", "aws-auth mapRoles", "aws-auth.yaml", 8, *NODE),
        ("dev", None, f"{ACCT}:role/developer", "aws-auth mapRoles", "aws-auth.yaml", 11, "dev:{{SessionName}}", ["developers"], [],
         {"cluster": "nothing", "namespace apps": "view"}, []),
        ("prod", "API_AND_CONFIG_MAP", f"{ACCT}:role/security/auditor", "access entry (eksctl)", "cluster.yaml", 9,
         "arn:aws:sts::111122223333:assumed-role/auditor/{{SessionName}}", [], [("AmazonEKSViewPolicy", "cluster")],
         {"cluster": "view"}, []),
        ("prod", "API_AND_CONFIG_MAP", f"{ACCT}:role/ci", "aws-auth mapRoles", "aws-auth.yaml", 11, "ci:{{SessionName}}", ["deployers"], [],
         {"cluster": "nothing", "namespace apps": "edit"}, EDIT_SENSITIVE),
        ("prod", "API_AND_CONFIG_MAP", f"{ACCT}:role/deployer", "aws-auth mapRoles", "aws-auth.yaml", 17, "deployer:{{SessionName}}",
         ["deployers"], [], {"cluster": "nothing", "namespace apps": "edit"}, EDIT_SENSITIVE),
        ("prod", "API_AND_CONFIG_MAP", f"{ACCT}:role/ops", "aws-auth mapRoles", "aws-auth.yaml", 14, "ops:{{SessionName}}", ["ops"], [],
         {"cluster": "custom"}, []),
        ("prod", "API_AND_CONFIG_MAP", f"{ACCT}:role/prod-nodes", "aws-auth mapRoles", "aws-auth.yaml", 8, *NODE),
        ("prod", "API_AND_CONFIG_MAP", f"{ACCT}:role/sre", "aws-auth mapRoles", "aws-auth.yaml", 20, "sre:{{SessionName}}", ["sre"], [],
         {"cluster": "custom"}, []),
        ("prod", "API_AND_CONFIG_MAP", f"{ACCT}:user/alice", "aws-auth mapUsers", "aws-auth.yaml", 24, "alice", ["ops"], [],
         {"cluster": "custom"}, []),
    ]


def _diff(repo: Path) -> list[tuple[str, str, str, str, str, bool, str, bool]]:
    groups = _load_clusters((".",))
    d = compare(review(_base_groups("HEAD", groups, (".",), None)), review(groups), "HEAD")
    return [(c.cluster, c.principal.rsplit(":", 1)[1], c.what, c.before, c.after, c.escalation, c.where, fails(c)) for c in d.changes]


def test_diff_is_exact(repo: Path) -> None:
    edit_gains = ("read Secrets (namespace apps); run commands in pods (exec) (namespace apps); attach to running containers "
                  "(namespace apps); forward ports to pods (namespace apps); create pods or workloads that run pods (which can "
                  "mount the namespace's Secrets) (namespace apps); act as other users, groups or service accounts "
                  "(impersonate) (namespace apps)")
    got = _diff(repo)
    assert got[:2] == [
        ("dev", "role/developer", "level", "namespace apps: view", "namespace apps: edit", True, "rbac/bindings.yaml:6", False),
        ("dev", "role/developer", "sensitive", "", edit_gains, True, "rbac/bindings.yaml:6", True),
    ]
    ci = [g for g in got if g[1] == "role/ci"]
    assert [g[:3] + g[5:] for g in ci] == [
        ("prod", "role/ci", "groups", True, "clusters/prod/aws-auth.yaml:11", False),
        ("prod", "role/ci", "level", True, "clusters/prod/aws-auth.yaml:11", True),
        ("prod", "role/ci", "level", True, "clusters/prod/aws-auth.yaml:11", False),
        ("prod", "role/ci", "sensitive", True, "clusters/prod/aws-auth.yaml:11", True),
    ]
    assert ci[0][3:5] == ("deployers", "deployers, system:masters")
    assert ci[1][3:5] == ("cluster: nothing", "cluster: cluster-admin")
    assert ci[2][3:5] == ("namespace apps: edit", "namespace apps: admin")
    rest = [g for g in got[2:] if g[1] != "role/ci"]
    assert [(g[1], g[2], g[5], g[6], g[7]) for g in rest] == [
        ("role/incident-response", "added", True, "clusters/prod/cluster.yaml:14", True),
        ("role/ops", "sensitive", True, "rbac/roles.yaml:4", True),  # ClusterRole ops-reader gained secrets get
        ("role/sre", "sensitive", True, "rbac/roles.yaml:16", True),  # the aggregated ClusterRole picked up nodes/proxy
        ("user/alice", "sensitive", True, "rbac/roles.yaml:4", True),
        ("role/dev-nodes", "removed", False, "deleted in this change", False),
        ("role/deployer", "removed", False, "clusters/prod/aws-auth.yaml:17", False),
    ]
    assert rest[1][4] == "read Secrets (cluster)"
    assert rest[2][4] == "reach the kubelet API through nodes/proxy (exec into any pod on the node) (cluster)"
    assert rest[0][4] == "cluster: view as 'arn:aws:sts::111122223333:assumed-role/incident-response/{{SessionName}}' with groups []"


def test_no_change_no_diff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = committed(tmp_path)
    monkeypatch.chdir(root)
    assert _diff(root) == []
