"""Which fixes `--fix` applies alone: only those that keep the effective access identical.

RULES.md, "Safe and unsafe fixes": a fix that changes who gets in, or with which
username and groups, on either authenticator line needs `--unsafe-fixes`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from awsauth_lint.cli import cli, main
from awsauth_lint.registry import all_rules
from click.testing import CliRunner
from helpers import FIXTURES, NODE_HEAD, lint_cli, lint_paths, lint_text

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


def test_summary_counts_hidden_fixes(cwd: Path) -> None:
    """Like ruff: unsafe fixes are not marked `[*]` and are counted as hidden, unless enabled."""
    f = cwd / "aws-auth.yaml"
    f.write_text(UNSAFE["AA104"])  # one safe-looking duplicate (unsafe here) and one AA004 rename
    proc = lint_cli(["-q", "aws-auth.yaml"], cwd)
    assert "[*]" not in proc.stdout
    assert "No fixes available (2 hidden fixes can be enabled with the `--unsafe-fixes` option)." in proc.stdout
    proc = lint_cli(["-q", "--unsafe-fixes", "aws-auth.yaml"], cwd)
    assert "AA004 [*]" in proc.stdout
    assert "[*] 2 fixable with the `--fix` option." in proc.stdout
    assert "hidden" not in proc.stdout
    entry = "    - rolearn: arn:aws:iam::111122223333:role/ops\n      username: ops\n      groups: [ops]\n"
    f.write_text(NODE_HEAD + entry + entry + "    - rolearn: arn:aws:iam::111122223333:role/x\n      username: yes\n")
    proc = lint_cli(["-q", "aws-auth.yaml"], cwd)
    assert "[*] 1 fixable with the `--fix` option (1 hidden fix can be enabled with the `--unsafe-fixes` option)." in proc.stdout


def test_rules_show_whether_fixes_are_safe() -> None:
    """`rules` has a fix column and a `fixable` field: safe, unsafe or none."""
    text = CliRunner().invoke(cli, ["rules"]).output.splitlines()
    assert text[0].split() == ["code", "name", "severity", "fix", "summary"]
    table = text[1 : text.index("")]  # then a note on cross-file rules
    rows = {line.split()[0]: line.split()[3] for line in table}
    assert text[-1] == "RB001-RB005 look across files and are evaluated per cluster (docs/clusters.md)."
    assert rows["AA101"] == "unsafe"
    assert rows["AA104"] == "safe"
    data = {r["code"]: r["fixable"] for r in json.loads(CliRunner().invoke(cli, ["rules", "--format", "json"]).output)}
    assert (data["AA101"], data["AA104"], data["AA301"]) == ("unsafe", "safe", None)


def test_rule_metadata_agrees_with_the_fixes_rules_offer() -> None:
    """Over every fixture: a rule offers a fix only if its META says so, never a safe one
    when it says unsafe; and every rule that declares a fix offers one somewhere."""
    result = lint_paths([FIXTURES / "rules", FIXTURES / "fix"])
    meta = {r.meta.code: r.meta.fixable for r in all_rules()}
    seen: dict[str, set[bool]] = {}
    for f in result.findings:
        if f.fix is not None:
            seen.setdefault(f.code, set()).add(f.fix.safe)
    for code, safety in seen.items():
        assert meta[code], code
        assert meta[code] == "safe" or safety == {False}, code
    assert {c for c, v in meta.items() if v} == set(seen)
    assert {c for c, v in meta.items() if v == "safe"} == {c for c, s in seen.items() if True in s}
