"""AA101-AA105 beyond positions: severities, messages, fixes, and one report per bad ARN."""

from __future__ import annotations

import pytest
from awsauth_lint.model import Finding, Position, Severity, Span
from helpers import NODE_HEAD, lint_text

HEAD = NODE_HEAD


def arn_findings(text: str, name: str = "aws-auth.yaml") -> list[Finding]:
    return [f for f in lint_text(text, name) if f.code.startswith("AA10") and f.suppressed is None]


def one(text: str, code: str) -> Finding:
    found = [f for f in arn_findings(text) if f.code == code]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("entry", "severity"),
    [
        ("- rolearn: arn:aws:iam::111122223333:user/bob", Severity.WARNING),
        ("- rolearn: arn:aws:iam::111122223333:instance-profile/nodes", Severity.ERROR),
        ("- rolearn: arn:aws:sts::111122223333:assumed-role/ops/alice", Severity.ERROR),
        ("- rolearn: arn:aws:iam::111122223333:root", Severity.ERROR),
    ],
)
def test_aa103_two_levels(entry: str, severity: Severity) -> None:
    """Matches-but-misleads is a warning; never-matches is an error."""
    assert one(HEAD + f"    {entry}\n      username: x\n      groups: [x]\n", "AA103").severity is severity


def test_aa103_role_under_map_users_is_a_warning() -> None:
    text = HEAD + "  mapUsers: |\n    - userarn: arn:aws:iam::111122223333:role/ci\n      username: ci\n"
    assert one(text, "AA103").severity is Severity.WARNING


def test_aa101_sso_message_and_fix() -> None:
    """Identity Center roles get their own explanation; the fix rewrites the inside of the quotes only."""
    arn = "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef"
    f = one(HEAD + f'    - rolearn: "{arn}"\n      username: "admin:{{{{SessionName}}}}"\n', "AA101")
    assert "IAM Identity Center" in f.message
    assert "'arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef'" in f.message
    assert f.fix is not None
    assert not f.fix.safe  # the mapping that matches nobody would go live
    (edit,) = f.fix.edits
    assert edit.span == Span(Position(9, 17), Position(9, 17 + len(arn)))
    assert edit.text == "arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef"


def test_aa101_plain_fix_replaces_the_scalar() -> None:
    f = one(HEAD + "    - rolearn: arn:aws:iam::111122223333:role/team/ops  # CI\n      username: ops\n", "AA101")
    assert f.fix is not None
    (edit,) = f.fix.edits
    assert edit.span == Span(Position(9, 16), Position(9, 55))
    assert edit.text == "arn:aws:iam::111122223333:role/ops"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # inner double quotes written as \" inside a JSON string: no one-character quotes to keep
        (
            '{"kind": "ConfigMap", "metadata": {"name": "aws-auth", "namespace": "kube-system"},'
            ' "data": {"mapRoles": "- rolearn: \\"arn:aws:iam::111122223333:role/team/ops\\"\\n  username: ops\\n"}}\n',
            "aws-auth.json",
        ),
        # an escape inside the ARN itself
        (HEAD + '    - rolearn: "arn:aws:iam::111122223333:role/team/\\x6Fps"\n      username: ops\n', "aws-auth.yaml"),
        # a folded map: positions are approximate
        (HEAD.replace("mapRoles: |", "mapRoles: >") + "\n    - rolearn: arn:aws:iam::111122223333:role/team/ops\n      username: ops\n", "aws-auth.yaml"),
    ],
    ids=["escaped-quotes-in-json", "escape-in-arn", "folded"],
)
def test_aa101_no_fix_when_not_exact(text: str, name: str) -> None:
    """The finding stays; the fix is offered only where the edit is certain."""
    found = [f for f in arn_findings(text, name) if f.code == "AA101"]
    assert len(found) == 1, found
    assert found[0].fix is None


def test_aa102_keeps_the_other_rules_quiet() -> None:
    """A malformed ARN is reported once, by AA102, whatever else is wrong with it."""
    text = HEAD + (
        "    - rolearn: arn:aws-cn:iam::<ACCOUNT_ID>:role/team/ops\n      username: ops\n"
        "    - rolearn: arn:aws-cn:iam::<ACCOUNT_ID>:role/team/ops\n      username: ops\n"
        "    - rolearn: 'arn:aws:iam::111122223333:instance-profile/a/b '\n      username: b\n"
    )
    assert sorted((f.code, f.span.start.line) for f in arn_findings(text)) == [("AA102", 9), ("AA102", 11), ("AA102", 13)]


def test_aa101_only_for_iam_roles() -> None:
    """Slashes in sessions, instance profiles and users are not role paths; a role under mapUsers still is."""
    text = HEAD + (
        "    - rolearn: arn:aws:sts::111122223333:assumed-role/ops/alice\n      username: alice\n"
        "    - rolearn: arn:aws:iam::111122223333:instance-profile/nodes/eks-node\n      username: n\n"
        "    - rolearn: arn:aws:sts::111122223333:role/team/ops\n      username: o\n"
        "  mapUsers: |\n"
        "    - userarn: arn:aws:iam::111122223333:user/engineering/alice\n      username: alice\n"
        "    - userarn: arn:aws:iam::111122223333:role/ci/deployer\n      username: deployer\n"
    )
    found = sorted((f.span.start.line, f.code) for f in arn_findings(text))
    assert found == [(9, "AA103"), (11, "AA103"), (13, "AA103"), (18, "AA101"), (18, "AA103")]


def test_aa102_shows_invisible_characters() -> None:
    f = one(HEAD + '    - rolearn: "arn:aws:iam::111122223333:role/ops\\u200b"\n', "AA102")
    assert "role/ops\\u200b'" in f.message
    assert "U+200B" in f.message


def test_aa104_messages() -> None:
    """Roles: the earlier entry is dead and the winner's line is named. Users: case variants are random."""
    text = HEAD + (
        "    - rolearn: arn:aws:iam::111122223333:role/ops\n      username: ops\n"
        "    - rolearn: arn:aws:iam::111122223333:role/OPS\n      username: ops2\n"
        "  mapUsers: |\n"
        "    - userarn: arn:aws:iam::111122223333:user/Alice\n      username: alice\n"
        "    - userarn: arn:aws:iam::111122223333:user/alice\n      username: alice2\n"
    )
    roles, users = sorted((f for f in arn_findings(text) if f.code == "AA104"), key=lambda f: f.span.start.line)
    assert roles.span.start.line == 9
    assert "mapped again on line 11" in roles.message
    assert "only the last entry" in roles.message
    assert roles.fix is None  # not an exact copy: removing it is a choice, not a fix
    assert users.span.start.line == 16
    assert "random per request" in users.message
    assert "line 14" in users.message


def test_aa104_exact_copy_is_removed_by_the_fix() -> None:
    entry = "    - rolearn: arn:aws:iam::111122223333:role/ops\n      username: ops\n      groups: [ops]\n"
    f = one(HEAD + entry + entry, "AA104")
    assert f.fix is not None
    (edit,) = f.fix.edits
    assert edit.span == Span(Position(9, 1), Position(12, 1))
    assert edit.text == ""


def test_aa105_tie_and_majority() -> None:
    """With no `partition` option the most used partition (the first on a tie) is the cluster's."""
    tie = HEAD + "    - rolearn: arn:aws-cn:iam::111122223333:role/ops\n"
    f = one(tie, "AA105")
    assert f.span.start.line == 9
    assert "(line 6) uses 'aws'" in f.message
    majority = tie + "    - rolearn: arn:aws-cn:iam::111122223333:role/dev\n"
    assert [x.span.start.line for x in arn_findings(majority) if x.code == "AA105"] == [6]
