"""The ARN parser: parts, paths, Identity Center roles and what makes an ARN unusable."""

from __future__ import annotations

import pytest
from awsauth_lint.arn import PARTITIONS, Arn, ArnError, analyse, is_example_account, parse, problem


@pytest.mark.parametrize(
    ("text", "partition", "service", "type_", "path", "name"),
    [
        ("arn:aws:iam::111122223333:role/ops", "aws", "iam", "role", "", "ops"),
        ("arn:aws:iam::111122223333:role/team/dev/ops", "aws", "iam", "role", "team/dev", "ops"),
        ("arn:aws-cn:iam::111122223333:user/eng/alice", "aws-cn", "iam", "user", "eng", "alice"),
        ("arn:aws-us-gov:iam::111122223333:role/a.b@c+d", "aws-us-gov", "iam", "role", "", "a.b@c+d"),
        ("arn:aws:iam::111122223333:role/x_y=z,w-v", "aws", "iam", "role", "", "x_y=z,w-v"),
        ("arn:aws:iam::111122223333:role/XRay-Daemon", "aws", "iam", "role", "", "XRay-Daemon"),
        ("arn:aws:sts::111122223333:assumed-role/ops/alice", "aws", "sts", "assumed-role", "ops", "alice"),
        ("arn:aws:sts::111122223333:federated-user/bob", "aws", "sts", "federated-user", "", "bob"),
        ("arn:aws:iam::111122223333:root", "aws", "iam", "root", "", ""),
        ("arn:aws:iam::111122223333:instance-profile/nodes", "aws", "iam", "instance-profile", "", "nodes"),
        ("arn:aws:eks:eu-west-1:111122223333:fargateprofile/prod/default/0a1b", "aws", "eks", "fargateprofile", "prod/default", "0a1b"),
        ("arn:aws:s3:::bucket", "aws", "s3", "bucket", "", ""),
        # matching is case-insensitive: the prefix, partition, service and type are normalised
        ("ARN:AWS:IAM::111122223333:Role/Ops", "aws", "iam", "role", "", "Ops"),
    ]
    + [(f"arn:{p}:iam::111122223333:role/ops", p, "iam", "role", "", "ops") for p in PARTITIONS],
)
def test_parse_parts(text: str, partition: str, service: str, type_: str, path: str, name: str) -> None:
    """Well-formed ARNs split into partition, service, resource type, IAM path and name."""
    arn = analyse(text)
    assert isinstance(arn, Arn), arn
    assert (arn.partition, arn.service, arn.type, arn.path, arn.name) == (partition, service, type_, path, name)
    assert arn.text == text
    assert parse(text) == arn
    assert problem(text) is None


@pytest.mark.parametrize(
    ("text", "sso", "stripped"),
    [
        ("arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123abcd", True, "arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123abcd"),
        ("arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123abcd", True, "arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123abcd"),
        ("arn:aws:iam::111122223333:role/AWS-Reserved/SSO.amazonaws.com/AWSReservedSSO_A_0a", True, "arn:aws:iam::111122223333:role/AWSReservedSSO_A_0a"),
        ("arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123abcd", False, "arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123abcd"),
        ("arn:aws:iam::111122223333:role/team/dev/Ops", False, "arn:aws:iam::111122223333:role/Ops"),
        ("ARN:aws:iam::111122223333:Role/team/Ops", False, "ARN:aws:iam::111122223333:Role/Ops"),
        ("arn:aws:iam::111122223333:role/service-role/deployer", False, "arn:aws:iam::111122223333:role/deployer"),
        ("arn:aws:iam::111122223333:user/eng/alice", False, "arn:aws:iam::111122223333:user/alice"),
    ],
)
def test_sso_and_path_stripping(text: str, sso: bool, stripped: str) -> None:
    """Identity Center roles are recognised; stripping a path keeps everything else as written."""
    arn = parse(text)
    assert arn is not None
    assert arn.sso is sso
    assert arn.without_path() == stripped


def test_canonical_key() -> None:
    """The comparison key is lower case; roles lose their path (callers are seen without it), users keep it."""
    role = parse("arn:aws:iam::111122223333:role/Team/Ops")
    user = parse("arn:aws:iam::111122223333:user/Eng/Alice")
    assert role is not None
    assert user is not None
    assert role.canonical == "arn:aws:iam::111122223333:role/ops"
    assert user.canonical == "arn:aws:iam::111122223333:user/eng/alice"


@pytest.mark.parametrize(
    ("text", "kind", "why"),
    [
        ("arn:aws:iam::<ACCOUNT_ID>:role/ops", "placeholder", "placeholder '<ACCOUNT_ID>'"),
        ("arn:aws:iam::${account}:role/ops", "placeholder", "placeholder '${account}'"),
        ("arn:aws:iam::${AWS::AccountId}:role/ops", "placeholder", "placeholder '${AWS::AccountId}'"),
        ("arn:aws:iam::$ACCOUNT_ID:role/ops", "placeholder", "placeholder '$ACCOUNT_ID'"),
        ("arn:aws:iam::{{AccountID}}:role/ops", "placeholder", "placeholder '{{AccountID}}'"),
        ("arn:aws:iam::111122223333:role/<ROLE_NAME>", "placeholder", "placeholder '<ROLE_NAME>'"),
        ("arn:aws:iam::XXXXXXXXXXXX:role/ops", "placeholder", "placeholder 'XXXXXXXXXXXX'"),
        ("arn:aws:iam::xxxxxxxxxxxx:role/ops", "placeholder", "placeholder 'xxxxxxxxxxxx'"),
        ("arn:aws:iam::ACCOUNT_ID:role/ops", "placeholder", "placeholder 'ACCOUNT_ID'"),
        ("arn:aws:iam::AWS_ACCOUNT_ID:role/ops", "placeholder", "placeholder 'AWS_ACCOUNT_ID'"),
        ("arn:aws:iam::us-west-2:role/ops", "account", "not a 12-digit AWS account id"),
        ("arn:aws:iam::1234:role/ops", "account", "not a 12-digit AWS account id"),
        ("arn:aws:iam::11112222333:role/ops", "account", "not a 12-digit AWS account id"),
        ("arn:aws:iam:::role/ops", "account", "no account id"),
        ("arn:awz:iam::111122223333:role/ops", "partition", "unknown partition 'awz'"),
        ("arn::iam::111122223333:role/ops", "partition", "unknown partition ''"),
        ("arn:aws::::role/ops", "service", "no service"),
        ("arn:aws:iam:us-east-1:111122223333:role/ops", "region", "has region 'us-east-1'"),
        ("arn:aws:iam::111122223333:role/ops ", "whitespace", "leading or trailing whitespace"),
        (" arn:aws:iam::111122223333:role/ops", "whitespace", "leading or trailing whitespace"),
        ("arn:aws:iam::111122223333:role/ops\t", "whitespace", "leading or trailing whitespace"),
        ("arn:aws:iam::111122223333: role/ops", "whitespace", "contains whitespace"),
        ("arn:aws:iam::111122223333:role/ops\u00a0x", "whitespace", "contains whitespace"),
        ("arn:aws:iam::111122223333:role/ops\u200b", "character", "U+200B"),
        ("arn:aws:iam::111122223333:role/op\u00e9", "character", "U+00E9"),
        ("arn:aws:iam::111122223333:role/*", "character", "wildcard"),
        ("arn:aws:iam::111122223333:role/ops-*", "character", "wildcard"),
        ("arn:aws:iam::*:role/ops", "character", "wildcard"),
        ("arn:aws:iam:111122223333:role/ops", "form", "not of the form"),
        ("role/ops", "form", "not of the form"),
        ("NODE_INSTANCE_ROLE", "form", "not of the form"),
        ("", "form", "not of the form"),
        ("aws:iam::111122223333:role/ops:x", "form", "not of the form"),
        ("arn:aws:iam::111122223333:role/", "name", "no resource name"),
        ("arn:aws:iam::111122223333:", "name", "no resource name"),
        ("arn:aws:iam::111122223333:role", "name", "no role name"),
        ("arn:aws:iam::111122223333:user", "name", "no user name"),
        ("arn:aws:iam::111122223333:role//ops", "name", "empty IAM path segment"),
        ("arn:aws:iam::111122223333:role/a//ops", "name", "empty IAM path segment"),
        ("arn:aws:iam::111122223333:role/ops#1", "name", "IAM names use only"),
        ("arn:aws:iam::111122223333:role/" + "r" * 65, "name", "at most 64"),
    ],
)
def test_problems(text: str, kind: str, why: str) -> None:
    """Malformed ARNs and placeholders are explained, and do not parse."""
    got = analyse(text)
    assert isinstance(got, ArnError), got
    assert got.kind == kind
    assert why in got.reason
    assert problem(text) == got.reason == str(got)
    assert parse(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "arn:aws:iam::111122223333:role/ACCOUNT-admin",  # placeholder words only count in the account field
        "arn:aws:iam::111122223333:role/XXXX-reader",
        "arn:aws:iam::111122223333:role/" + "r" * 64,
        "arn:aws:iam::111122223333:role/team!1/a~b/ops",  # paths allow any printable ASCII ...
        "arn:aws:iam::111122223333:user/a.b@example.com",
        "arn:aws:iam::123456789012:role/ops",  # ... and documentation accounts parse (AA102 has an option)
    ],
)
def test_near_misses_parse(text: str) -> None:
    """Unusual but valid ARNs are not mistaken for placeholders or malformed ones."""
    assert problem(text) is None


def test_example_accounts() -> None:
    """The documentation accounts are known; real-looking ones are not."""
    assert is_example_account("111122223333")
    assert is_example_account("123456789012")
    assert not is_example_account("210987654321")
