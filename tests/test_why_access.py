"""`why` through access entries: the cluster's authentication mode decides which store
answers, and an access entry overrides the aws-auth row of its principal.

The fixture cluster (`fixtures/why/access-entries`) is in API_AND_CONFIG_MAP with the
role `platform` in aws-auth (no path) and in an eksctl access entry (with a path): AE403
at the aws-auth row, and `why` answers from the entry.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from awsauth_lint.cli import main
from awsauth_lint.eksaccess import at
from helpers import FIXTURES, lint_paths

CASE = FIXTURES / "why" / "access-entries"
PLATFORM = "arn:aws:sts::111122223333:assumed-role/platform/alice"
READER = "arn:aws:sts::111122223333:assumed-role/reader/bob"


def _why(capsys, *args: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    code = main(["why", *args])
    return code, capsys.readouterr().out


def test_lint_shows_ae403_at_the_aws_auth_row() -> None:
    found = [(Path(f.file).name, f.span.start.line, f.span.start.column, f.code) for f in lint_paths([CASE]).findings
             if f.code.startswith("AE")]
    assert found == [("aws-auth.yaml", 8, 16, "AE403")]
    f = next(f for f in lint_paths([CASE]).findings if f.code == "AE403")
    assert f.message == (
        "arn:aws:iam::111122223333:role/platform also has an access entry in cluster 'payments' "
        f"({at(str(CASE / 'cluster.yaml'), 9)}); the access entry wins (mode API_AND_CONFIG_MAP): this row would give username "
        "'platform:{{SessionName}}', groups [platform-admins], what applies is username 'platform-team:{{SessionName}}', "
        "groups [platform-viewers], AmazonEKSEditPolicy in namespaces payments"
    )


def test_why_answers_from_the_access_entry(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = _why(capsys, PLATFORM, str(CASE))
    assert code == 0
    assert "authentication mode: API_AND_CONFIG_MAP" in out
    assert f"authenticated via access entry ({at(str(CASE / 'cluster.yaml'), 9)})" in out
    assert "  username: platform-team:alice\n  groups:   platform-viewers\n" in out
    assert "overridden by the access entry (AE403): it would give username 'platform:alice', groups [platform-admins]" in out
    assert "cluster-wide, via group platform-viewers: ClusterRole/view" in out
    assert "platform-admins: ClusterRole/cluster-admin" not in out  # the aws-auth row's group no longer applies
    assert "  AmazonEKSEditPolicy namespaces payments: like the edit ClusterRole" in out


def test_why_json_names_the_entry_and_its_policies(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = _why(capsys, PLATFORM, str(CASE), "-f", "json")
    data = json.loads(out)
    assert code == 0
    assert (data["via"], data["username"], data["groups"]) == ("access entry", "platform-team:alice", ["platform-viewers"])
    assert data["authentication_mode"] == "API_AND_CONFIG_MAP"
    assert data["access_entry"] == {
        "file": str(CASE / "cluster.yaml"), "line": 9, "format": "eksctl",
        "principal": "arn:aws:iam::111122223333:role/teams/platform", "type": "STANDARD",
        "policies": [{"name": "AmazonEKSEditPolicy", "scope": "namespaces payments",
                      "meaning": "like the edit ClusterRole: read/write workloads, Secrets, exec; no RBAC objects"}],
    }


def test_a_principal_only_in_aws_auth_is_still_answered_by_it(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = _why(capsys, READER, str(CASE))
    assert code == 0
    assert "authenticated via mapRoles" in out
    assert "  username: reader:bob" in out


def _with_mode(tmp_path: Path, mode: str) -> Path:
    dst = tmp_path / "repo"
    shutil.copytree(CASE, dst)
    p = dst / "cluster.yaml"
    p.write_text(p.read_text().replace("authenticationMode: API_AND_CONFIG_MAP", f"authenticationMode: {mode}"))
    return dst


def test_api_mode_ignores_aws_auth(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = _with_mode(tmp_path, "API")
    code, out = _why(capsys, READER, str(repo))
    assert code == 1
    assert "NOT AUTHENTICATED: no access entry names this principal, and in API mode aws-auth is ignored" in out
    assert "cluster 'payments' is in API mode (set at " in out
    assert "EKS ignores aws-auth (AE401)" in out
    code, out = _why(capsys, PLATFORM, str(repo))
    assert code == 0
    assert "authenticated via access entry" in out
    codes = sorted(f.code for f in lint_paths([repo]).findings if f.code.startswith("AE"))
    assert codes == ["AE401"]


def test_config_map_mode_refuses_the_entry(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = _with_mode(tmp_path, "CONFIG_MAP")
    code, out = _why(capsys, PLATFORM, str(repo))
    assert code == 0
    assert "authenticated via mapRoles" in out
    assert "  username: platform:alice" in out
    assert "but cluster 'payments' is in CONFIG_MAP mode (set at " in out
    assert "EKS refuses access entries there (AE402)" in out
    codes = sorted(f.code for f in lint_paths([repo]).findings if f.code.startswith("AE"))
    assert codes == ["AE402"]


def test_entries_alone_make_a_section(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = _with_mode(tmp_path, "API")
    (repo / "aws-auth.yaml").unlink()
    code, out = _why(capsys, PLATFORM, str(repo))
    assert code == 0
    assert "authenticated via access entry" in out
    assert "username: platform-team:alice" in out
    code, out = _why(capsys, "arn:aws:sts::111122223333:assumed-role/nobody/x", str(repo))
    assert code == 1
    assert "no access entry names this principal" in out
