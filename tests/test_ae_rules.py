"""The entry-level access-entry rules (AE001-AE304) on access entries built directly.

Every rule gets the bad case, the good case and the near misses of the fact sheet: an
`EC2` entry with AmazonEKSAutoNodePolicy, a colon anywhere before `{{SessionName}}`,
`eks:` groups, wildcard namespaces, values unknown at lint time (skipped) and `!Sub`
patterns (checked in the parts they spell out). Findings are at the offending value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

import pytest
from awsauth_lint.accessentry import AccessEntry, Format, Policy, Scope, Text
from awsauth_lint.model import Position, Span, Violation

CHECKS: dict[str, Callable[..., Iterator[Violation]]] = {
    code: import_module(f"awsauth_lint.rules.{module}").check
    for code, module in {
        "AE001": "ae001_invalid_access_entry",
        "AE002": "ae002_node_type_with_kubernetes_access",
        "AE101": "ae101_sso_role_without_path",
        "AE102": "ae102_invalid_principal",
        "AE201": "ae201_system_group",
        "AE202": "ae202_reserved_access_entry_username",
        "AE203": "ae203_session_name_without_colon",
        "AE204": "ae204_undocumented_template",
        "AE301": "ae301_cluster_admin_policy",
        "AE302": "ae302_invalid_access_policy",
        "AE303": "ae303_unknown_access_policy",
        "AE304": "ae304_admin_view_reads_secrets",
    }.items()
}

ROLE = "arn:aws:iam::111122223333:role/developers"
POLICY = "arn:aws:eks::aws:cluster-access-policy/"
SSO = "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_0a1b2c3d4e5f6a7b"


@dataclass
class Lines:
    """Hands out one line per value, so each finding's span names the value it is about."""

    n: int = 1
    spans: dict[str, Span] = field(default_factory=dict)

    def text(self, value: str | None, *, key: str = "", pattern: str | None = None, kind: str = "str", quoted: bool = False) -> Text:
        self.n += 1
        width = len(value if value is not None else pattern or "x") + (2 if quoted else 0)
        span = Span(Position(self.n, 11), Position(self.n, 11 + width))
        if key:
            self.spans[key] = span
        return Text(value, span, f"$.v{self.n}", pattern, "intrinsic" if value is None else kind)


def entry(
    principal: str | None = ROLE,
    *,
    type: str | None = None,
    username: str | None = None,
    groups: tuple[str, ...] = (),
    policies: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (),
    fmt: Format = "eksctl",
    lines: Lines | None = None,
    **texts: Text,
) -> AccessEntry:
    """An entry; policies are (ARN, scope type, namespaces); `texts` override fields with prepared Text values."""
    ln = lines or Lines()
    e = AccessEntry("f.yaml", fmt, Span.at(1, 1), "$.e")
    e.principal = ln.text(principal, key="principal") if principal is not None else None
    e.type = ln.text(type, key="type") if type is not None else None
    e.username = ln.text(username, key="username") if username is not None else None
    e.groups = [ln.text(g, key=f"group{i}") for i, g in enumerate(groups)]
    for i, (arn, scope, namespaces) in enumerate(policies):
        span = Span.at(ln.n + 1, 9)
        pol = Policy(ln.text(arn, key=f"policy{i}"), span=span, json_path=f"$.p{i}")
        if scope is not None or namespaces:
            t = ln.text(scope, key=f"scope{i}") if scope is not None else None
            pol.scopes.append(Scope(t, [ln.text(ns, key=f"ns{i}.{k}") for k, ns in enumerate(namespaces)], Span.at(ln.n, 9)))
        e.policies.append(pol)
    for name, value in texts.items():
        setattr(e, name, value)
    return e


def run(code: str, e: AccessEntry, **options: Any) -> list[Violation]:
    return list(CHECKS[code](e, **options))


def one(code: str, e: AccessEntry, **options: Any) -> Violation:
    found = run(code, e, **options)
    assert len(found) == 1, found
    return found[0]


def unknown(pattern: str | None = None) -> Text:
    """A value unknown at lint time (a CloudFormation intrinsic), optionally with its `!Sub` pattern."""
    return Text(None, Span.at(40, 5, 20), "$.unknown", pattern, "intrinsic")


# --- AE001 invalid-access-entry ----------------------------------------------------------------


def test_ae001_reports_the_loaders_problems() -> None:
    e = entry()
    e.problems.append((Span.at(7, 3, 9), "unknown key 'principalArn' (eksctl spells it principalARN)", "$.e.principalArn"))
    (v,) = run("AE001", e)
    assert v.span == Span.at(7, 3, 9)
    assert v.json_path == "$.e.principalArn"


def test_ae001_missing_principal_at_the_entry() -> None:
    for fmt, key in (("eksctl", "principalARN"), ("cloudformation", "PrincipalArn"), ("crossplane", "principalArn")):
        v = one("AE001", entry(None, fmt=fmt))  # type: ignore[arg-type]
        assert v.span == Span.at(1, 1)
        assert key in v.message


def test_ae001_unknown_principal_is_not_missing() -> None:
    e = entry()
    e.principal = unknown()
    assert run("AE001", e) == []


@pytest.mark.parametrize(("written", "meant"), [("Standard", "STANDARD"), ("EC2_Linux", "EC2_LINUX"), ("ec2-windows", "EC2_WINDOWS")])
def test_ae001_type_case_is_fixed_unsafely(written: str, meant: str) -> None:
    ln = Lines()
    v = one("AE001", entry(type=written, lines=ln))
    assert v.span == ln.spans["type"]
    assert f"write '{meant}'" in v.message
    assert "eksctl refuses it" in v.message
    assert v.fix is not None
    assert not v.fix.safe  # the refused entry would start letting its principal in
    (edit,) = v.fix.edits
    assert edit.span == ln.spans["type"]
    assert edit.text == meant


def test_ae001_type_message_quotes_eks_and_fix_keeps_quotes() -> None:
    ln = Lines()
    e = entry(type=None, fmt="cloudformation", lines=ln)
    e.type = ln.text("Standard", key="type", quoted=True)
    v = one("AE001", e)
    assert "AccessEntry type must be one of [" in v.message
    assert v.fix is not None
    (edit,) = v.fix.edits
    start = ln.spans["type"].start
    assert edit.span == Span(Position(start.line, start.column + 1), Position(start.line, start.column + 9))


def test_ae001_type_not_a_type_has_no_fix() -> None:
    v = one("AE001", entry(type="NODE"))
    assert "is not an access entry type" in v.message
    assert v.fix is None


@pytest.mark.parametrize("good", ["STANDARD", "EC2", "EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "HYBRID_LINUX"])
def test_ae001_exact_types_pass(good: str) -> None:
    assert run("AE001", entry(type=good, policies=((POLICY + "AmazonEKSAutoNodePolicy", "cluster", ()),))) == []


def test_ae001_hyperpod_is_refused_by_eksctl_only() -> None:
    assert "eksctl does not accept" in one("AE001", entry(type="HYPERPOD_LINUX")).message
    assert run("AE001", entry(type="HYPERPOD_LINUX", fmt="cloudformation")) == []


def test_ae001_unknown_or_wrongly_typed_type_is_skipped() -> None:
    e = entry()
    e.type = unknown()
    assert run("AE001", e) == []
    ln = Lines()
    e = entry(lines=ln)
    e.type = ln.text("1", kind="int")  # a wrong type is the loader's problem, reported once
    assert run("AE001", e) == []


def test_ae001_namespace_scope_without_namespaces() -> None:
    ln = Lines()
    v = one("AE001", entry(policies=((POLICY + "AmazonEKSEditPolicy", "namespace", ()),), lines=ln))
    assert v.span == ln.spans["scope0"]
    assert "at least one namespace must be specified" in v.message


def test_ae001_cluster_scope_with_namespaces_at_the_first_namespace() -> None:
    ln = Lines()
    v = one("AE001", entry(policies=((POLICY + "AmazonEKSEditPolicy", "cluster", ("payments", "ops")),), lines=ln))
    assert v.span == ln.spans["ns0.0"]
    assert "cannot specify accessScope.namespaces" in v.message


def test_ae001_scope_type_spelling() -> None:
    ln = Lines()
    v = one("AE001", entry(policies=((POLICY + "AmazonEKSEditPolicy", "Cluster", ()),), lines=ln))
    assert v.span == ln.spans["scope0"]
    assert "write 'cluster'" in v.message
    assert v.fix is not None
    assert not v.fix.safe


def test_ae001_scope_without_type() -> None:
    ln = Lines()
    v = one("AE001", entry(policies=((POLICY + "AmazonEKSEditPolicy", None, ("payments",)),), lines=ln))
    assert "must be set to either" in v.message


@pytest.mark.parametrize("namespaces", [("dev-*",), ("*",), ("payments", "payments-*")])
def test_ae001_wildcard_namespaces_pass(namespaces: tuple[str, ...]) -> None:
    assert run("AE001", entry(policies=((POLICY + "AmazonEKSEditPolicy", "namespace", namespaces),))) == []


def test_ae001_unknown_namespaces_count_as_given() -> None:
    e = entry(policies=((POLICY + "AmazonEKSEditPolicy", "namespace", ()),))
    e.policies[0].scopes[0].namespaces.append(unknown())
    assert run("AE001", e) == []


# --- AE002 node-type-with-kubernetes-access ----------------------------------------------------


@pytest.mark.parametrize("t", ["EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "HYBRID_LINUX", "HYPERPOD_LINUX"])
def test_ae002_node_types_take_nothing(t: str) -> None:
    ln = Lines()
    e = entry(
        type=t,
        username="system:node:{{EC2PrivateDNSName}}",
        groups=("system:bootstrappers", "system:nodes"),
        policies=((POLICY + "AmazonEKSViewPolicy", "cluster", ()),),
        lines=ln,
    )
    found = run("AE002", e)
    assert [v.span for v in found] == [ln.spans["username"], ln.spans["group0"], ln.spans["policy0"]]
    assert 'This operation can only be performed on Access Entries with a type of "STANDARD".' in found[2].message
    assert all(t in v.message for v in found)


def test_ae002_eksctl_message() -> None:
    v = one("AE002", entry(type="EC2_LINUX", groups=("system:nodes",)))
    assert "cannot specify accessEntries[i].kubernetesGroups nor accessEntries[i].kubernetesUsername" in v.message
    v = one("AE002", entry(type="EC2_LINUX", groups=("system:nodes",), fmt="ack"))
    assert "eksctl" not in v.message


def test_ae002_bare_node_type_passes() -> None:
    assert run("AE002", entry(type="EC2_LINUX")) == []
    assert run("AE002", entry(type="FARGATE_LINUX", username="")) == []  # an empty username is no username


def test_ae002_ec2_needs_auto_node_policy() -> None:
    ln = Lines()
    v = one("AE002", entry(type="EC2", lines=ln))
    assert v.span == ln.spans["type"]
    assert "AmazonEKSAutoNodePolicy" in v.message
    v = one("AE002", entry(type="EC2", policies=((POLICY + "AmazonEKSViewPolicy", "cluster", ()),)))
    assert "AmazonEKSAutoNodePolicy" in v.message


def test_ae002_ec2_with_auto_node_policy_passes() -> None:
    assert run("AE002", entry(type="EC2", policies=((POLICY + "AmazonEKSAutoNodePolicy", "cluster", ()),))) == []
    pattern = "arn:*:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy"  # !Sub arn:${AWS::Partition}:...
    e = entry(type="EC2", policies=((POLICY + "AmazonEKSViewPolicy", "cluster", ()),))
    e.policies[0].arn = unknown(pattern)
    assert run("AE002", e) == []


def test_ae002_ec2_with_a_policy_unknown_at_lint_time_is_skipped() -> None:
    e = entry(type="EC2", policies=((POLICY + "AmazonEKSViewPolicy", "cluster", ()),))
    e.policies[0].arn = unknown()
    assert run("AE002", e) == []


def test_ae002_standard_entries_pass() -> None:
    e = entry(username="dev:{{SessionName}}", groups=("devs",), policies=((POLICY + "AmazonEKSViewPolicy", "cluster", ()),))
    assert run("AE002", e) == []


# --- AE101 sso-role-without-path ---------------------------------------------------------------


def test_ae101_stripped_sso_role() -> None:
    ln = Lines()
    v = one("AE101", entry("arn:aws:iam::111122223333:role/AWSReservedSSO_Dev_0a1b2c3d4e5f6a7b", lines=ln))
    assert v.span == ln.spans["principal"]
    assert "The specified principalArn is invalid: invalid principal." in v.message
    assert "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/<region>/AWSReservedSSO_Dev_0a1b2c3d4e5f6a7b" in v.message


def test_ae101_passes() -> None:
    assert run("AE101", entry(SSO)) == []
    assert run("AE101", entry("arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_0a1b")) == []
    assert run("AE101", entry(ROLE)) == []
    assert run("AE101", entry("arn:aws:iam::111122223333:user/AWSReservedSSO_x")) == []


def test_ae101_patterns_and_unknown_values() -> None:
    e = entry()
    e.principal = unknown("arn:*:iam::*:role/AWSReservedSSO_Dev_*")
    v = one("AE101", e)
    assert "role/aws-reserved/sso.amazonaws.com/<region>/AWSReservedSSO_Dev_*" in v.message
    e.principal = unknown("arn:*:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Dev_*")
    assert run("AE101", e) == []
    e.principal = unknown("arn:*:iam::*:role/*")
    assert run("AE101", e) == []
    e.principal = unknown()
    assert run("AE101", e) == []


# --- AE102 invalid-principal -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arn", "words"),
    [
        ("arn:aws:sts::111122223333:assumed-role/deployer/ci-42", "STS session"),
        ("arn:aws:iam::111122223333:instance-profile/nodes", "instance-profile"),
        ("arn:aws:iam::111122223333:root", "account root"),
        ("arn:aws:iam::111122223333:group/admins", "IAM group"),
        ("arn:aws:eks:eu-west-1:111122223333:cluster/prod", "'eks:cluster'"),
        ("arn:aws:iam::<ACCOUNT_ID>:role/deployer", "placeholder"),
        ("arn:aws:iam::1111:role/deployer", "12-digit"),
        ("arn:aws:iam::111122223333:role/dev-*", "wildcard"),
        ("arn:aws-xx:iam::111122223333:role/deployer", "unknown partition"),
        (" arn:aws:iam::111122223333:role/deployer", "whitespace"),
        ("deployer", "not of the form"),
    ],
)
def test_ae102_not_a_role_or_user(arn: str, words: str) -> None:
    ln = Lines()
    v = one("AE102", entry(arn, lines=ln))
    assert v.span == ln.spans["principal"]
    assert words in v.message
    assert "The specified principalArn is invalid: invalid principal." in v.message


def test_ae102_sts_session_names_the_role() -> None:
    v = one("AE102", entry("arn:aws:sts::111122223333:assumed-role/deployer/ci-42"))
    assert "arn:aws:iam::111122223333:role/[PATH/]deployer" in v.message


def test_ae102_service_linked_role() -> None:
    v = one("AE102", entry("arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS"))
    assert "Service Linked Role" in v.message


@pytest.mark.parametrize("t", ["EC2_LINUX", "FARGATE_LINUX", "HYBRID_LINUX", "EC2"])
def test_ae102_user_on_a_node_type(t: str) -> None:
    assert "node types accept IAM roles only" in one("AE102", entry("arn:aws:iam::111122223333:user/alice", type=t)).message


@pytest.mark.parametrize(
    "arn",
    [
        ROLE,
        SSO,
        "arn:aws:iam::111122223333:role/team/dev/deployer",  # a path is right for access entries
        "arn:aws:iam::111122223333:user/alice",
        "arn:aws:iam::111122223333:user/people/alice",
        "arn:aws-cn:iam::111122223333:role/deployer",
    ],
)
def test_ae102_roles_and_users_pass(arn: str) -> None:
    assert run("AE102", entry(arn)) == []


def test_ae102_patterns_are_checked_in_shape() -> None:
    e = entry()
    for good in ("arn:*:iam::*:role/deployer", "arn:aws:iam::*:role/*", "*", "arn:*:iam::*:*"):
        e.principal = unknown(good)
        assert run("AE102", e) == [], good
    for bad, words in (
        ("arn:*:sts::*:assumed-role/deployer/*", "STS session"),
        ("arn:*:iam::*:role/aws-service-role/*", "Service Linked Role"),
        ("arn:*:iam::*:instance-profile/*", "instance-profile"),
        ("arn:*:iam::1111:role/*", "12-digit"),
    ):
        e.principal = unknown(bad)
        assert words in one("AE102", e).message, bad
    e.principal = unknown()
    assert run("AE102", e) == []


# --- AE201 system-group ------------------------------------------------------------------------


def test_ae201_system_masters() -> None:
    ln = Lines()
    v = one("AE201", entry(groups=("ops", "system:masters"), lines=ln))
    assert v.span == ln.spans["group1"]
    assert "The kubernetes group name system:masters is invalid, it cannot start with system:" in v.message
    assert "use AmazonEKSClusterAdminPolicy at cluster scope" in v.message


def test_ae201_node_and_other_system_groups() -> None:
    found = run("AE201", entry(groups=("system:nodes", "system:developers")))
    assert "node type" in found[0].message
    assert "without the prefix" in found[1].message


def test_ae201_passes() -> None:
    assert run("AE201", entry(groups=("eks:kube-proxy-windows", "eks:custom", "developers", "systems:x"))) == []
    e = entry(groups=("developers",))
    e.groups.append(unknown())
    assert run("AE201", e) == []
    assert run("AE201", entry(type="EC2_LINUX", groups=("system:nodes",))) == []  # AE002's


def test_ae201_pattern() -> None:
    e = entry()
    e.groups = [unknown("system:*")]
    assert len(run("AE201", e)) == 1


# --- AE202 reserved-access-entry-username ------------------------------------------------------


@pytest.mark.parametrize("name", ["system:ci", "eks:ci", "aws:ci", "amazon:ci", "iam:ci", "system:node:{{EC2PrivateDNSName}}"])
def test_ae202_reserved(name: str) -> None:
    ln = Lines()
    v = one("AE202", entry(username=name, lines=ln))
    assert v.span == ln.spans["username"]
    assert "reserved prefix" in v.message
    if name.startswith("system:"):
        assert "The username must not begin with system:" in v.message


def test_ae202_node_username_advice() -> None:
    assert "node type" in one("AE202", entry(username="system:node:{{SessionName}}")).message


def test_ae202_passes() -> None:
    for name in ("ci:{{SessionName}}", "ci-system:x", "awsome:{{SessionName}}", "iamx"):
        assert run("AE202", entry(username=name)) == [], name
    e = entry()
    e.username = unknown()
    assert run("AE202", e) == []
    assert run("AE202", entry(type="EC2_LINUX", username="system:node:{{EC2PrivateDNSName}}")) == []  # AE002's


# --- AE203 session-name-without-colon ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "better"),
    [
        ("dev-{{SessionName}}", "dev:{{SessionName}}"),
        ("john{{SessionName}}", "john:{{SessionName}}"),
        ("{{SessionNameRaw}}", "<name>:{{SessionNameRaw}}"),
        ("{{SessionName}}:x", "<name>:{{SessionName}}:x"),
    ],
)
def test_ae203_no_colon_before(name: str, better: str) -> None:
    ln = Lines()
    v = one("AE203", entry(username=name, lines=ln))
    assert v.span == ln.spans["username"]
    assert "the username must include a colon before" in v.message
    assert f"write e.g. '{better}'" in v.message


@pytest.mark.parametrize(
    "name", [":john{{SessionName}}", "jo:hn{{SessionName}}", "dev:{{SessionName}}", "a:b-{{SessionNameRaw}}", "developer", "x:{{AccountID}}"]
)
def test_ae203_colon_anywhere_before_passes(name: str) -> None:
    assert run("AE203", entry(username=name)) == []


def test_ae203_unknown_and_patterns() -> None:
    e = entry()
    e.username = unknown()
    assert run("AE203", e) == []
    e.username = unknown("*{{SessionName}}")  # the unknown part may hold the colon
    assert run("AE203", e) == []
    e.username = unknown("dev-{{SessionName}}-*")
    assert len(run("AE203", e)) == 1


# --- AE204 undocumented-template ---------------------------------------------------------------


def test_ae204_undocumented_templates() -> None:
    ln = Lines()
    found = run("AE204", entry(username="ci:{{AccountID}}:{{AccessKeyID}}", lines=ln))
    assert [v.span for v in found] == [ln.spans["username"]] * 2
    assert "'{{AccountID}}'" in found[0].message
    assert "{{SessionName}} and {{SessionNameRaw}}" in found[0].message


def test_ae204_case_slip() -> None:
    assert "did you mean '{{SessionName}}'" in one("AE204", entry(username="dev:{{sessionname}}")).message


def test_ae204_passes() -> None:
    for name in ("dev:{{SessionName}}", "dev:{{SessionNameRaw}}", "plain", "x:{{resolve:ssm:/eks/user}}"):
        assert run("AE204", entry(username=name)) == [], name
    e = entry()
    e.username = unknown()
    assert run("AE204", e) == []


# --- AE301 cluster-admin-policy ----------------------------------------------------------------

ADMIN = POLICY + "AmazonEKSClusterAdminPolicy"


def test_ae301_cluster_scope() -> None:
    ln = Lines()
    v = one("AE301", entry(policies=((ADMIN, "cluster", ()),), lines=ln))
    assert v.span == ln.spans["policy0"]
    assert "system:masters equivalent" in v.message


def test_ae301_passes() -> None:
    assert run("AE301", entry(policies=((ADMIN, "namespace", ("ops",)),))) == []
    assert run("AE301", entry(policies=((POLICY + "AmazonEKSAdminPolicy", "cluster", ()),))) == []
    e = entry(policies=((ADMIN, "cluster", ()),))
    e.policies[0].scopes[0].type = unknown()
    assert run("AE301", e) == []


def test_ae301_pattern() -> None:
    e = entry(policies=((ADMIN, "cluster", ()),))
    e.policies[0].arn = unknown("arn:*:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy")
    assert len(run("AE301", e)) == 1


def test_ae301_allow_list() -> None:
    e = entry("arn:aws:iam::111122223333:role/platform/break-glass", policies=((ADMIN, "cluster", ()),))
    assert run("AE301", e, allow=["arn:aws:iam::111122223333:role/platform/break-glass"]) == []
    assert run("AE301", e, allow=["ARN:AWS:IAM::111122223333:ROLE/*/BREAK-GLASS"]) == []
    assert run("AE301", e, allow=["arn:aws:iam::111122223333:role/break-glass"]) == []  # written for aws-auth
    assert len(run("AE301", e, allow=["arn:aws:iam::111122223333:role/other"])) == 1
    e.principal = unknown()
    assert len(run("AE301", e, allow=["*"])) == 1  # an unknown principal cannot be shown allowed


# --- AE302 invalid-access-policy ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("arn", "words"),
    [
        ("arn:aws:iam::aws:policy/AmazonEKSViewPolicy", "is an IAM policy"),
        ("AmazonEKSViewPolicy", "bare policy name"),
        ("arn:aws:eks:eu-west-1:aws:cluster-access-policy/AmazonEKSViewPolicy", "has region"),
        ("arn:aws:eks::111122223333:cluster-access-policy/AmazonEKSViewPolicy", "not the literal 'aws'"),
        ("arn:aws:eks::aws:access-policy/AmazonEKSViewPolicy", "cluster-access-policy resource"),
        ("arn:aws-xx:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "unknown partition"),
        ("arn:aws:eks::aws:cluster-access-policy/", "no valid policy name"),
        ("arn:aws:eks::aws:cluster-access-policy/a/b", "no valid policy name"),
    ],
)
def test_ae302_malformed(arn: str, words: str) -> None:
    ln = Lines()
    v = one("AE302", entry(policies=((arn, "cluster", ()),), lines=ln))
    assert v.span == ln.spans["policy0"]
    assert words in v.message
    assert "must be a cluster-access-policy resource" in v.message  # eksctl's own refusal


def test_ae302_service_linked_role_policies() -> None:
    for name in ("AmazonEKSComputePolicy", "AmazonEKSBlockStoragePolicy", "AmazonEKSHybridPolicy", "AmazonEKSClusterInsightsPolicy"):
        v = one("AE302", entry(policies=((POLICY + name, "cluster", ()),)))
        assert "designated for AWS service-linked roles only" in v.message


def test_ae302_passes() -> None:
    for arn in (POLICY + "AmazonEKSViewPolicy", "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy", POLICY + "AmazonEKSMadeUp"):
        assert run("AE302", entry(policies=((arn, "cluster", ()),))) == [], arn


def test_ae302_patterns() -> None:
    e = entry(policies=((POLICY + "AmazonEKSViewPolicy", "cluster", ()),))
    for good in ("arn:*:eks::aws:cluster-access-policy/*", "arn:*:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "*", "arn:*:*"):
        e.policies[0].arn = unknown(good)
        assert run("AE302", e) == [], good
    e.policies[0].arn = unknown("arn:*:iam::aws:policy/AmazonEKSViewPolicy")
    assert "is an IAM policy" in one("AE302", e).message
    e.policies[0].arn = unknown()
    assert run("AE302", e) == []


def test_ae302_other_formats_say_eks_refuses() -> None:
    v = one("AE302", entry(policies=(("arn:aws:iam::aws:policy/AmazonEKSViewPolicy", "cluster", ()),), fmt="cloudformation"))
    assert "EKS refuses to associate it" in v.message


# --- AE303 unknown-access-policy ---------------------------------------------------------------


def test_ae303_unknown_name() -> None:
    ln = Lines()
    v = one("AE303", entry(policies=((POLICY + "AmazonEKSReadOnlyPolicy", "cluster", ()),), lines=ln))
    assert v.span == ln.spans["policy0"]
    assert "as of 2025-11-06" in v.message


def test_ae303_case_slip_and_near_miss() -> None:
    assert "did you mean 'AmazonEKSViewPolicy' (names are case-sensitive)" in one(
        "AE303", entry(policies=((POLICY + "AmazonEksViewPolicy", "cluster", ()),))
    ).message
    assert "did you mean 'AmazonEKSAdminPolicy'" in one("AE303", entry(policies=((POLICY + "AmazonEKSAdminPolcy", "cluster", ()),))).message


def test_ae303_passes() -> None:
    from awsauth_lint.rules.ae303_unknown_access_policy import KNOWN

    for name in sorted(KNOWN):
        assert run("AE303", entry(policies=((POLICY + name, "cluster", ()),))) == [], name
    e = entry(policies=((POLICY + "AmazonEKSViewPolicy", "cluster", ()),))
    e.policies[0].arn = unknown("arn:*:eks::aws:cluster-access-policy/*")
    assert run("AE303", e) == []
    e.policies[0].arn = unknown("arn:*:eks::aws:cluster-access-policy/AmazonEKSMadeUp")
    assert len(run("AE303", e)) == 1
    assert run("AE303", entry(policies=(("arn:aws:iam::aws:policy/AmazonEKSMadeUp", "cluster", ()),))) == []  # AE302's


# --- AE304 admin-view-reads-secrets ------------------------------------------------------------


def test_ae304() -> None:
    ln = Lines()
    v = one("AE304", entry(policies=((POLICY + "AmazonEKSAdminViewPolicy", "namespace", ("ops",)),), lines=ln))
    assert v.span == ln.spans["policy0"]
    assert "Secrets" in v.message
    assert run("AE304", entry(policies=((POLICY + "AmazonEKSViewPolicy", "cluster", ()),))) == []


# --- all ---------------------------------------------------------------------------------------


def test_a_clean_entry_passes_every_rule() -> None:
    e = entry(
        SSO,
        type="STANDARD",
        username="sso-dev:{{SessionName}}",
        groups=("payments-developers", "eks:custom"),
        policies=((POLICY + "AmazonEKSViewPolicy", "namespace", ("payments-*",)),),
    )
    for code in CHECKS:
        assert run(code, e) == [], code


def test_nothing_known_means_nothing_reported() -> None:
    """An entry whose every value is an intrinsic: every rule stays quiet."""
    e = entry(policies=((POLICY + "AmazonEKSViewPolicy", "cluster", ()),))
    e.principal, e.type, e.username, e.groups = unknown(), unknown(), unknown(), [unknown()]
    e.policies[0].arn = unknown()
    e.policies[0].scopes[0].type = unknown()
    for code in CHECKS:
        assert run(code, e) == [], code


def test_ae001_association_without_principal() -> None:
    """A Crossplane AccessPolicyAssociation that names no principal is told so in its own words."""
    e = entry(None, fmt="crossplane", policies=((POLICY + "AmazonEKSViewPolicy", "cluster", ()),))
    e.association = True
    v = one("AE001", e)
    assert v.message.startswith("policy association without a principal")
    assert "principalArnRef" in v.message
