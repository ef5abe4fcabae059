"""The authentication mode `clusters:` gives a cluster in the config counts where no file
of the repository declares one: AE401/AE402, `why` and `access` follow it; a mode a
file writes is never overridden."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from awsauth_lint.cli import main

AWS_AUTH = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/ops
      username: ops:{{SessionName}}
      groups: [ops]
    - rolearn: arn:aws:iam::111122223333:role/nodes
      username: system:node:{{EC2PrivateDNSName}}
      groups: [system:bootstrappers, system:nodes]
"""
ACK_ENTRY = """\
apiVersion: eks.services.k8s.aws/v1alpha1
kind: AccessEntry
metadata:
  name: auditor
  namespace: infra
spec:
  clusterName: prod
  principalARN: arn:aws:iam::111122223333:role/auditor
"""
EKSCTL = """\
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: prod
  region: eu-west-1
accessConfig:
  authenticationMode: API_AND_CONFIG_MAP
"""


def repo(tmp_path: Path, mode: str, **files: str) -> Path:
    root = tmp_path / "repo"
    (root / "prod").mkdir(parents=True)
    (root / ".awsauth-lint.yaml").write_text(f"clusters:\n  prod:\n    include: ['prod/**']\n    authentication-mode: {mode}\n")
    for name, text in files.items():
        (root / "prod" / f"{name}.yaml").write_text(text)
    return root


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    here = os.getcwd()
    os.chdir(root)
    try:
        capsys.readouterr()
        code = main(["--no-color", *args] if args[0] not in ("why", "access") else list(args))
        return code, capsys.readouterr().out
    finally:
        os.chdir(here)


def findings(root: Path, capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str, int, int, str]]:
    _, out = run(root, capsys, "--format", "json", "--no-cache", ".")
    return [(f["code"], f["file"], f["span"]["start"]["line"], f["span"]["start"]["column"], f["message"]) for f in json.loads(out)["findings"]
            if f["code"].startswith("AE")]


def test_config_api_mode_ignores_aws_auth(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = repo(tmp_path, "API", **{"aws-auth": AWS_AUTH})
    [(code, file, line, column, message)] = findings(root, capsys)
    assert (code, file, line, column) == ("AE401", "prod/aws-auth.yaml", 4, 9)
    assert message.startswith("cluster 'prod' authenticates with access entries only (mode API, set by the config's clusters: entry)")
    assert "arn:aws:iam::111122223333:role/ops, arn:aws:iam::111122223333:role/nodes" in message
    code, out = run(root, capsys, "why", "arn:aws:sts::111122223333:assumed-role/ops/alice", ".")
    assert code == 1
    assert "NOT AUTHENTICATED: no access entry names this principal, and in API mode aws-auth is ignored" in out
    code, out = run(root, capsys, "access", "-f", "json", ".")
    [cluster] = json.loads(out)["clusters"]
    assert (cluster["mode"], cluster["principals"]) == ("API", [])
    assert [d["principal"] for d in cluster["dead"]] == ["arn:aws:iam::111122223333:role/ops", "arn:aws:iam::111122223333:role/nodes"]


def test_config_map_mode_refuses_entries_of_a_cluster_no_file_defines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = repo(tmp_path, "CONFIG_MAP", **{"aws-auth": AWS_AUTH, "auditor": ACK_ENTRY})
    [(code, file, line, column, message)] = findings(root, capsys)
    assert (code, file, line, column) == ("AE402", "prod/auditor.yaml", 8, 17)
    assert "whose authentication mode is CONFIG_MAP (set by the config's clusters: entry)" in message


def test_a_mode_a_file_writes_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = repo(tmp_path, "API", **{"aws-auth": AWS_AUTH, "cluster": EKSCTL})
    assert findings(root, capsys) == []
    code, out = run(root, capsys, "why", "arn:aws:sts::111122223333:assumed-role/ops/alice", ".")
    assert code == 0
    assert "authentication mode: API_AND_CONFIG_MAP" in out


def test_without_a_configured_mode_nothing_is_assumed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = repo(tmp_path, "API", **{"aws-auth": AWS_AUTH})
    (root / ".awsauth-lint.yaml").write_text("clusters:\n  prod:\n    include: ['prod/**']\n")
    assert findings(root, capsys) == []
