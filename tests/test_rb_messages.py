"""RB001 says which mix-up it sees: case, a User subject, a near miss, a role's name, the username."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FIXTURES, lint_paths

RB001 = FIXTURES / "rules" / "RB001" / "fail"


@pytest.mark.parametrize(
    ("case", "phrases"),
    [
        ("case-mismatch", ["did you mean 'data-science' (RBAC names are case-sensitive)?"]),
        ("user-instead-of-group", ["a binding names 'roboshop-trainee' as kind: User"]),
        (
            "username-bound-instead",
            ["'shop-reader' names a Role", "the bindings name the username 'maria' (kind: User) instead"],
        ),
    ],
)
def test_rb001_hints(case: str, phrases: list[str]) -> None:
    messages = [f.message for f in lint_paths([RB001 / case], select=("RB001",)).findings]
    assert len(messages) == 1
    for phrase in phrases:
        assert phrase in messages[0]


def test_no_hint_without_evidence() -> None:
    """eksctl case: 'ops-team' against 'ops' is not close enough to guess."""
    (message,) = [f.message for f in lint_paths([RB001 / "eksctl"], select=("RB001",)).findings]
    assert message.endswith("so it grants nothing")


def test_no_rbac_notice_once(tmp_path: Path) -> None:
    """Two aws-auth files and no RBAC at all: one notice, no RB001/RB002 findings."""
    src = (RB001 / "case-mismatch" / "aws-auth.yaml").read_text()
    (tmp_path / "a.yaml").write_text(src)
    (tmp_path / "b.yaml").write_text(src)
    result = lint_paths([tmp_path])
    assert [f for f in result.findings if f.code in ("RB001", "RB002")] == []
    assert len([n for n in result.notices if "no RBAC" in n]) == 1


def test_rb003_names_the_namespace_the_binding_looks_in() -> None:
    """A RoleBinding's Role is looked up in the binding's namespace: the message says which."""
    case = FIXTURES / "rules" / "RB003" / "fail" / "missing-role"
    messages = sorted(f.message for f in lint_paths([case], select=("RB003",)).findings)
    assert messages == [
        "Role 'event-reader' is defined nowhere in the repository: the RoleBinding has no namespace, "
        "so it looks in the namespace it is applied to",
        "Role 'log-reader' is defined nowhere in the repository: the RoleBinding looks for it in namespace 'monitoring'",
    ]
