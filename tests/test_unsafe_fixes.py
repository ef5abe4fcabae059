"""Which fixes `--fix` applies alone: only those that keep the effective access identical.

RULES.md, "Safe and unsafe fixes": a fix that changes who gets in, or with which
username and groups, on either authenticator line needs `--unsafe-fixes`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from awsauth_lint.cli import main
from helpers import NODE_HEAD, lint_text

HEAD = NODE_HEAD.split("  mapRoles: |\n")[0]

# rule -> an aws-auth whose only fix is that rule's, and why that fix changes access
UNSAFE = {
    # the API server rejects the ConfigMap: adding `|` makes its entries live
    "AA002": HEAD + "  mapRoles:\n    - rolearn: arn:aws:iam::111122223333:role/eks-node\n"
    "      username: system:node:{{EC2PrivateDNSName}}\n      groups: [system:bootstrappers, system:nodes]\n",
    # v0.5 ignores `roleARN`: the entry matches nobody there until it is renamed
    "AA004": NODE_HEAD + "    - roleARN: arn:aws:iam::111122223333:role/ops\n      username: ops\n      groups: [ops]\n",
    # v0.7 reads `yes` as "" in a string field: quoting it changes the username
    "AA005": NODE_HEAD + "    - rolearn: arn:aws:iam::111122223333:role/ops\n      username: yes\n      groups: [ops]\n",
    # v0.7 drops the whole mapRoles: quoting the template brings every entry back
    "AA006": NODE_HEAD
    + "    - rolearn: arn:aws:iam::111122223333:role/admin\n      username: {{SessionName}}\n      groups: [system:masters]\n",
    # the mapping matches nobody: without the path it grants cluster-admin
    "AA101": NODE_HEAD
    + "    - rolearn: arn:aws:iam::111122223333:role/team/admin\n      username: admin\n      groups: [system:masters]\n",
    # v0.5 ignores the winner's `roleARN`, so there the earlier copy is the live one
    "AA104": NODE_HEAD + "    - rolearn: arn:aws:iam::111122223333:role/ops\n      username: ops\n      groups: [ops]\n"
    "    - roleARN: arn:aws:iam::111122223333:role/ops\n      username: ops\n      groups: [ops]\n",
    # RBAC names are case-sensitive: lower-casing renames the user
    "AA201": NODE_HEAD + "    - rolearn: arn:aws:iam::111122223333:role/ops\n      username: Ops\n      groups: [ops]\n",
}


def fix(path: Path, *flags: str) -> str:
    main(["--fix", "--quiet", "--no-color", *flags, path.name])
    return path.read_text()


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


@pytest.mark.parametrize("code", sorted(UNSAFE))
def test_fix_that_changes_access_needs_unsafe_fixes(code: str, cwd: Path) -> None:
    """`--fix` alone leaves the file as it was; with `--unsafe-fixes` the fix is applied."""
    text = UNSAFE[code]
    (finding,) = [f for f in lint_text(text) if f.code == code and f.fix is not None]
    assert finding.fix is not None
    assert not finding.fix.safe
    f = cwd / "aws-auth.yaml"
    f.write_text(text)
    assert fix(f) == text
    fixed = fix(f, "--unsafe-fixes")
    assert fixed != text
    assert not [x for x in lint_text(fixed) if x.code == code]


def test_dead_copy_written_alike_is_removed_by_fix_alone(cwd: Path) -> None:
    """An earlier entry written like the winner (comments aside) is dead on every line."""
    entry = "    - rolearn: arn:aws:iam::111122223333:role/ops\n      username: ops\n      groups: [ops]\n"
    text = NODE_HEAD + entry.replace("/ops\n", "/ops  # old\n", 1) + entry
    (finding,) = [f for f in lint_text(text) if f.code == "AA104"]
    assert finding.fix is not None
    assert finding.fix.safe
    f = cwd / "aws-auth.yaml"
    f.write_text(text)
    assert fix(f) == NODE_HEAD + entry


@pytest.mark.parametrize(
    ("earlier", "winner"),
    [
        ("username: ops", 'username: "ops"'),  # quoting: a YAML 1.1 scalar would differ
        ("groups: [ops]", "Groups: [ops]"),  # key case: v0.5 reads only one of them
        ("groups: [ops]", "groups: [ops]\n      sso: {permissionSetName: x, accountID: '111122223333'}"),
    ],
)
def test_copy_with_equal_values_but_written_differently_is_unsafe(earlier: str, winner: str) -> None:
    entry = "    - rolearn: arn:aws:iam::111122223333:role/ops\n      username: ops\n      groups: [ops]\n"
    text = NODE_HEAD + entry + entry.replace(earlier, winner)
    fixes = [f.fix for f in lint_text(text) if f.code == "AA104" and f.fix is not None]
    assert fixes
    assert not any(x.safe for x in fixes)
