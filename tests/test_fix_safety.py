"""`--fix` without `--unsafe-fixes` never changes the effective access, on either line.

The effective-access model says, for a text, who gets in and as whom on the current and
the legacy authenticator. Safe fixes must leave that identical: over every fixture, the
shared real-world corpus, and generated aws-auth maps built from the mistakes the rules
fix. The unsafe fixes' examples do change it (so the comparison can fail).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from awsauth_lint import effective
from awsauth_lint.fixer import fix_text
from awsauth_lint.loader import SourceFile, load_bytes
from helpers import FIXTURES, NODE_HEAD, SHARED, lint_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_unsafe_fixes import UNSAFE


def access(text: str) -> Any:
    """Who gets in, as whom, per line: the stores of the aws-auth the authenticator keeps,
    and eksctl's mappings as written (eksctl copies them into aws-auth)."""
    sf = load_bytes("aws-auth.yaml", text.encode("utf-8"))
    assert isinstance(sf, SourceFile)
    st_ = effective.current(sf.awsauth)
    stores = None
    if st_ is not None:
        stores = {
            line: (
                {k: (e.arn, e.username, tuple(e.groups or ()), e.sso and e.sso.arn_like()) for k, e in ls.roles.items()},
                {k: (e.arn, e.username, tuple(e.groups or ())) for k, e in ls.users.items()},
                sorted(ls.accounts),
            )
            for line, ls in st_.lines.items()
        }
    eksctl = [
        (m.arn.value if m.arn else None, m.username.value if m.username else None, m.group_names)
        for d in sf.awsauth
        for m in d.eksctl
    ]
    return stores, eksctl


def safely_fixed(text: str) -> str:
    return fix_text(text, lambda t: lint_text(t), unsafe=False).text


def _corpus() -> list[Path]:
    files = [p for p in FIXTURES.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file()]
    real = SHARED / "corpus" / "realworld"
    if real.exists():
        files += [p for p in real.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".json")]
    return sorted(files)


def test_safe_fixes_keep_access_on_every_fixture_and_corpus_file() -> None:
    changed = 0
    for path in _corpus():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        fixed = safely_fixed(text)
        if fixed != text:
            changed += 1
            assert access(fixed) == access(text), path
    assert changed > 0  # some safe fix was applied: the property was exercised


@pytest.mark.parametrize("rule", sorted(UNSAFE))
def test_unsafe_fixes_do_change_access(rule: str) -> None:
    """The examples of each unsafe fix change who is who when applied (AA104's in v0.5)."""
    text = UNSAFE[rule]
    assert fix_text(text, lambda t: lint_text(t), unsafe=False).text == text
    unsafe = fix_text(text, lambda t: lint_text(t), unsafe=True).text
    assert unsafe != text
    if rule != "AA002":  # the API server refuses the original: nothing to compare with
        assert access(unsafe) != access(text)


ARNS = st.sampled_from([
    "arn:aws:iam::111122223333:role/ops", "arn:aws:iam::111122223333:role/OPS", "arn:aws:iam::111122223333:role/team/ops",
    "arn:aws:iam::111122223333:role/dev", "arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:user/Alice",
])
KEYS = st.sampled_from(["rolearn", "roleARN", "RoleArn"])
NAMES = st.sampled_from(["ops", "Ops", "yes", '"yes"', "'{{SessionName}}'", "{{SessionName}}", "dev:{{SessionName}}", '""'])
GROUPS = st.sampled_from(["[ops]", "[ops, on]", "ops", "[]", "[system:masters]", "[Ops, ops]", "['0755']"])


@st.composite
def maps(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        lines.append(f"    - {draw(KEYS)}: {draw(ARNS)}")
        if draw(st.booleans()):
            lines.append(f"      username: {draw(NAMES)}")
        lines.append(f"      groups: {draw(GROUPS)}")
    return NODE_HEAD + "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maps())
def test_safe_fixes_keep_access_on_generated_maps(text: str) -> None:
    assert access(safely_fixed(text)) == access(text)
