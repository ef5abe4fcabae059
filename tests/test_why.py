"""`awsauth-lint why`: the authenticator's verdict for a caller, and what RBAC then allows."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import FIXTURES

REPO = FIXTURES / "why" / "repo"
BROKEN = FIXTURES / "why" / "broken"


def why(identity: str, *args: str, path=REPO) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    proc = subprocess.run(
        [sys.executable, "-m", "awsauth_lint", "why", identity, str(path), "--format", "json", *args],
        capture_output=True, text=True, check=False,
    )
    assert "Traceback" not in proc.stderr
    return proc.returncode, (json.loads(proc.stdout) if proc.stdout else {"stderr": proc.stderr})


def test_role_with_session_name_rendering_and_namespace_scope() -> None:
    """The last of two dev entries wins; {{SessionName}} renders with @ -> -; RoleBinding limits to its namespace."""
    code, a = why("arn:aws:sts::111122223333:assumed-role/dev/jane@example.com")
    assert code == 0
    assert a["via"] == "mapRoles"
    assert a["mapping"]["line"] == 26  # the later entry shadows line 11
    assert a["username"] == "dev-shadow"
    assert a["groups"] == ["viewers"]
    assert "2 mapRoles entries match; the last one (shown) wins" in a["notes"]
    assert [g["role"] for g in a["grants"]] == ["ClusterRole/pod-reader"]
    assert a["grants"][0]["scope"] == "cluster-wide"
    assert a["grants"][0]["rules"][0]["verbs"] == ["get", "list", "watch"]


def test_cluster_role_through_role_binding_is_limited_to_its_namespace() -> None:
    code, a = why("arn:aws:sts::111122223333:assumed-role/engineers/sam")
    assert code == 0
    assert a["username"] == "eng:sam"
    assert [(g["scope"], g["role"], g["via"]) for g in a["grants"]] == [("namespace dev", "ClusterRole/edit", "group developers")]
    assert "read/write" in a["grants"][0]["meaning"]


def test_path_mismatch_is_explained() -> None:
    code, a = why("arn:aws:sts::111122223333:assumed-role/platform/ops")
    assert code == 1
    assert not a["authenticated"]
    assert any("mapped with an IAM path (arn:aws:iam::111122223333:role/teams/platform)" in n for n in a["notes"])


def test_sso_path_is_explained() -> None:
    code, a = why("arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/kim")
    assert code == 1
    assert any("IAM Identity Center path" in n for n in a["notes"])


def test_case_variant_user_matches() -> None:
    """User ARNs match case-insensitively."""
    code, a = why("arn:aws:iam::111122223333:user/alice")
    assert code == 0
    assert (a["via"], a["username"]) == ("mapUsers", "alice")
    assert a["unbound_groups"] == ["auditors"]  # mapped, but this group grants nothing


def test_system_masters_can_do_everything() -> None:
    code, a = why("arn:aws:sts::111122223333:assumed-role/breakglass/ops@corp")
    assert code == 0
    assert a["everything"] is True
    assert a["username"] == "breakglass:ops@corp"  # SessionNameRaw keeps the @


def test_map_accounts_fallback() -> None:
    code, a = why("arn:aws:sts::444455556666:assumed-role/anything/s")
    assert code == 0
    assert a["via"] == "mapAccounts"
    assert a["username"] == "arn:aws:iam::444455556666:role/anything"
    assert a["groups"] == []


def test_mapped_but_unbound() -> None:
    """A user with no groups and no User binding authenticates and can do nothing."""
    code, a = why("arn:aws:iam::111122223333:user/bob")
    assert code == 0
    assert a["grants"] == []
    assert a["everything"] is False


def test_parse_error_empties_map_roles_and_invalid_entries_are_dropped() -> None:
    code, a = why("arn:aws:sts::111122223333:assumed-role/dev/x", path=BROKEN)
    assert code == 1
    assert any(n.startswith("both authenticator lines drop every entry of mapRoles: YAML error:") and n.endswith("(AA001 at " + str(BROKEN / "aws-auth.yaml") + ":10:6)") for n in a["notes"]), a["notes"]
    code, a = why("arn:aws:iam::111122223333:user/carol", path=BROKEN)
    assert code == 1
    assert any("surrounding whitespace" in n for n in a["notes"])


def test_unbound_group_text_output() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "awsauth_lint", "why", "arn:aws:iam::111122223333:role/dev", "--session-name", "x", str(REPO)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0
    assert "authenticated via mapRoles" in proc.stdout


@pytest.mark.parametrize("bad", ["not-an-arn", "arn:aws:s3:::bucket", "arn:aws:sts::111122223333:assumed-role/onlyrole"])
def test_bad_identity_is_exit_2(bad: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "awsauth_lint", "why", bad, str(REPO)], capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "error:" in proc.stderr


UNQUOTED = FIXTURES / "why" / "unquoted"
MISCASED = FIXTURES / "why" / "miscased"


def test_dropped_map_is_not_authenticated_with_the_finding_that_drops_it() -> None:
    """Unquoted {{SessionName}}: the current line drops all of mapRoles (node role included)."""
    for who in ("arn:aws:sts::111122223333:assumed-role/ReadOnly/bob", "arn:aws:sts::111122223333:assumed-role/eks-node/i-0123456789abcdef0"):
        code, a = why(who, path=UNQUOTED)
        assert code == 1
        assert a["authenticated"] is False
        assert a["lines"]["v0.7"]["authenticated"] is False
        assert a["lines"]["v0.5"]["authenticated"] is True  # the legacy line keeps the entries
        assert a["lines_differ"] is True
        assert any(n.startswith("the current authenticator (v0.6.30+) drops every entry of mapRoles")
                   and n.endswith(f"(AA006 at {UNQUOTED / 'aws-auth.yaml'}:12:17)") for n in a["notes"]), a["notes"]


def test_text_shows_both_lines_when_they_differ() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "awsauth_lint", "why", "arn:aws:sts::111122223333:assumed-role/ReadOnly/bob", str(UNQUOTED)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 1
    assert "NOT AUTHENTICATED: no mapRoles, mapUsers or mapAccounts entry matches (kubectl: Unauthorized)" in proc.stdout
    assert ("the legacy authenticator (v0.5.x) decides differently: authenticated via mapRoles as '' with groups [viewers]"
            in proc.stdout)


def test_mis_cased_data_key_and_field() -> None:
    code, a = why("arn:aws:iam::111122223333:user/alice", path=MISCASED)
    assert code == 1
    assert any("data key 'MapUsers' is never read" in n and n.endswith(":14:3") for n in a["notes"]), a["notes"]
    code, a = why("arn:aws:sts::111122223333:assumed-role/Deployer/ci", path=MISCASED)
    assert code == 0
    assert (a["lines"]["v0.7"]["username"], a["lines"]["v0.5"]["authenticated"]) == ("deployer", False)
    assert any(n.startswith("the two lines read this entry differently: AA004 at") for n in a["notes"]), a["notes"]


def test_node_role_gets_the_node_authorizer_and_bootstrap_grants() -> None:
    code, a = why("arn:aws:sts::111122223333:assumed-role/eks-node/i-0123456789abcdef0")
    assert code == 0
    assert a["username"] == "system:node:<private DNS name of i-0123456789abcdef0>"
    bindings = [(b["subject"], b["binding"]) for b in a["builtin_grants"]]
    assert ("group system:nodes", "Node authorizer") in bindings
    assert ("group system:bootstrappers", "eks:node-bootstrapper") in bindings
    assert ("group system:authenticated", "system:basic-user") in bindings


def test_node_role_with_a_session_that_is_not_an_instance_id_is_denied() -> None:
    code, a = why("arn:aws:sts::111122223333:assumed-role/eks-node/botocore-session-1")
    assert code == 1
    assert "{{EC2PrivateDNSName}} needs an EC2 instance id as the session name" in a["lines"]["v0.7"]["reason"]


def test_system_masters_is_cluster_admin_through_the_builtin_binding() -> None:
    code, a = why("arn:aws:sts::111122223333:assumed-role/breakglass/ops@corp")
    assert code == 0
    assert ("group system:masters", "cluster-admin", "ClusterRole/cluster-admin") in [
        (b["subject"], b["binding"], b["role"]) for b in a["builtin_grants"]
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "awsauth_lint", "why", "arn:aws:sts::111122223333:assumed-role/breakglass/ops@corp", str(REPO)],
        capture_output=True, text=True, check=False,
    )
    assert "may do: EVERYTHING (cluster-admin via the built-in binding of system:masters, which bypasses RBAC)" in proc.stdout


def test_unknown_partition_fails_at_the_sts_step() -> None:
    code, a = why("arn:aws-xx:sts::111122223333:assumed-role/dev/x")
    assert code == 1
    assert a["caller"]["sts_error"] == "arn 'arn:aws-xx:sts::111122223333:assumed-role/dev/x' does not have a recognized partition"


def test_unbound_group_hint_is_case_sensitive(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "aws-auth.yaml").write_text((REPO / "aws-auth.yaml").read_text())
    (tmp_path / "rbac.yaml").write_text(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: dev}\n"
        "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\n"
        "subjects: [{kind: Group, name: Developers, apiGroup: rbac.authorization.k8s.io}]\n"
    )
    code, a = why("arn:aws:sts::111122223333:assumed-role/engineers/sam", path=tmp_path)
    assert code == 0
    assert a["unbound_hints"] == {"developers": "did you mean 'Developers' (RBAC names are case-sensitive)?"}
