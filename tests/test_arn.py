"""The ARN parser: parts, paths, Identity Center roles and what makes an ARN unusable."""

from __future__ import annotations

import pytest
from awsauth_lint.arn import parse, problem


@pytest.mark.parametrize(
    ("text", "partition", "type_", "path", "name"),
    [
        ("arn:aws:iam::111122223333:role/ops", "aws", "role", "", "ops"),
        ("arn:aws:iam::111122223333:role/team/dev/ops", "aws", "role", "team/dev", "ops"),
        ("arn:aws-cn:iam::111122223333:user/eng/alice", "aws-cn", "user", "eng", "alice"),
        ("arn:aws-us-gov:iam::111122223333:role/a.b@c+d", "aws-us-gov", "role", "", "a.b@c+d"),
        ("arn:aws:sts::111122223333:assumed-role/ops/alice", "aws", "assumed-role", "ops", "alice"),
        ("arn:aws:iam::111122223333:root", "aws", "root", "", ""),
        ("arn:aws:iam::111122223333:instance-profile/nodes", "aws", "instance-profile", "", "nodes"),
    ],
)
def test_parse_parts(text: str, partition: str, type_: str, path: str, name: str) -> None:
    """Well-formed ARNs split into partition, resource type, IAM path and name."""
    arn = parse(text)
    assert arn is not None
    assert (arn.partition, arn.type, arn.path, arn.name) == (partition, type_, path, name)


def test_sso_role_and_path_stripping() -> None:
    """Identity Center roles are recognised and lose their whole reserved path."""
    arn = parse("arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123abcd")
    assert arn is not None
    assert arn.sso
    assert arn.without_path() == "arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123abcd"
    plain = parse("arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123abcd")
    assert plain is not None
    assert not plain.sso
    assert plain.path == ""


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("arn:aws:iam::<ACCOUNT_ID>:role/ops", "placeholder '<ACCOUNT_ID>'"),
        ("arn:aws:iam::${account}:role/ops", "placeholder '${account}'"),
        ("arn:aws:iam::XXXXXXXXXXXX:role/ops", "placeholder 'XXXXXXXXXXXX'"),
        ("arn:aws:iam::us-west-2:role/ops", "not a 12-digit AWS account id"),
        ("arn:aws:iam::1234:role/ops", "not a 12-digit AWS account id"),
        ("arn:awz:iam::111122223333:role/ops", "unknown partition 'awz'"),
        ("arn:aws:iam::111122223333:role/ops ", "whitespace"),
        ("arn:aws:iam:111122223333:role/ops", "not of the form"),
        ("role/ops", "not of the form"),
        ("arn:aws:iam::111122223333:role/", "no resource name"),
    ],
)
def test_problems(text: str, why: str) -> None:
    """Malformed ARNs and placeholders are explained, and do not parse."""
    got = problem(text)
    assert got is not None
    assert why in got
    assert parse(text) is None


def test_good_arns_have_no_problem() -> None:
    """Every partition the authenticator knows is accepted."""
    for partition in ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"):
        assert problem(f"arn:{partition}:iam::111122223333:role/ops") is None
