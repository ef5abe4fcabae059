"""Messages of the username/template rules: the "did you mean" and the why, not only positions."""

from __future__ import annotations

import pytest
from helpers import NODE_HEAD, lint_text

HEAD = NODE_HEAD


def messages(text: str, code: str) -> list[str]:
    return [f.message for f in lint_text(text) if f.code == code]


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("{{sessionname}}", "{{SessionName}}"),
        ("{{SessionID}}", "{{SessionName}}"),
        ("{{ SessionName }}", "{{SessionName}}"),
        ("{{sessionNameRaw}}", "{{SessionNameRaw}}"),
        ("{{EC2PrivateDnsName}}", "{{EC2PrivateDNSName}}"),
        ("{{AccountId}}", "{{AccountID}}"),
        ("{SessionName}", "{{SessionName}}"),
        ("{{SessionName}", "{{SessionName}}"),
    ],
)
def test_unknown_template_suggests_the_template(written: str, meant: str) -> None:
    text = (
        HEAD
        + f"    - rolearn: arn:aws:iam::111122223333:role/ops\n      username: 'ops:{written}'\n      groups: [ops]\n"
    )
    (msg,) = messages(text, "AA202")
    assert f"'{written}'" in msg
    assert "stays literally in the name" in msg
    assert f"did you mean '{meant}'?" in msg


def test_unknown_template_without_near_miss_lists_the_templates() -> None:
    text = (
        HEAD
        + "    - rolearn: arn:aws:iam::111122223333:role/ops\n      username: 'ops:{{InstanceID}}'\n      groups: [ops]\n"
    )
    (msg,) = messages(text, "AA202")
    assert "stays literally in the name" in msg
    assert "did you mean" not in msg
    assert "{{SessionNameRaw}}" in msg


def test_known_templates_and_single_braces_around_other_words_are_quiet() -> None:
    text = HEAD + (
        "    - rolearn: arn:aws:iam::111122223333:role/ops\n"
        "      username: 'ops:{{SessionNameRaw}}:{{AccountID}}:{{AccessKeyID}}:{team}'\n"
        "      groups: ['{{SessionName}}']\n"
    )
    assert messages(text, "AA202") == []


def test_lowercase_fix_is_unsafe_and_keeps_templates() -> None:
    text = HEAD + "    - rolearn: arn:aws:iam::111122223333:role/ops\n      username: 'Ops-Team:{{SessionName}}'\n"
    (f,) = [f for f in lint_text(text) if f.code == "AA201"]
    assert f.fix is not None
    assert not f.fix.safe
    (edit,) = f.fix.edits
    assert edit.text == "ops-team:{{SessionName}}"
    assert (edit.span.start.line, edit.span.start.column) == (10, 18)  # inside the quotes


def test_session_name_for_users_and_ec2_name_for_non_nodes() -> None:
    text = HEAD + (
        "    - rolearn: arn:aws:iam::111122223333:role/ops\n      username: 'ops-{{EC2PrivateDNSName}}'\n"
        "  mapUsers: |\n    - userarn: arn:aws:iam::111122223333:user/alice\n      username: 'alice-{{SessionName}}'\n"
    )
    msgs = messages(text, "AA203")
    assert len(msgs) == 2
    assert "denies every other caller" in msgs[0]
    assert "renders empty" in msgs[1]
