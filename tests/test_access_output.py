"""The access review and diff in every format: exact output for a small two-cluster example,
JSON valid against its schema, and the findings summary for the job summary."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from awsauth_lint import schemas
from awsauth_lint.engine import RunResult
from awsauth_lint.loader import InputError
from awsauth_lint.model import Finding, Severity, Span
from awsauth_lint.reporters.access_json import render_json
from awsauth_lint.reporters.access_markdown import render_findings_summary, render_markdown
from awsauth_lint.reporters.access_mermaid import render_mermaid
from awsauth_lint.reporters.access_text import render_diff_text, render_text
from awsauth_lint.reporters.escape import inert, md_code, md_text, mermaid
from awsauth_lint.review import Change, ClusterAccess, Dead, Diff, Holder, Reason
from awsauth_lint.sensitive import SENSITIVE
from jsonschema import Draft202012Validator

SNAPSHOTS = Path(__file__).parent / "snapshots" / "access"
Snapshot = Callable[[str, Path], None]
AUTH = "clusters/prod/aws-auth.yaml"


def example() -> list[ClusterAccess]:
    """prod: an aws-auth role, an access entry overriding a row, an account; staging: nobody."""
    ops = Holder(
        "role arn:aws:iam::111122223333:role/ops", "arn:aws:iam::111122223333:role/ops", "role",
        "aws-auth mapRoles", (AUTH, 7, 16), "ops:{{SessionName}}", ["ops"],
        levels={"cluster": "cluster-admin"},
        sensitive={"read-secrets": ["cluster"], "wildcard": ["cluster"]},
        reasons=[Reason("ClusterRole/cluster-admin (ClusterRoleBinding ops-admins)", "group ops",
                        "ClusterRole/cluster-admin", "cluster", "rbac/ops.yaml", 9)],
    )  # fmt: skip
    dev = Holder(
        "role arn:aws:iam::111122223333:role/dev", "arn:aws:iam::111122223333:role/dev", "role",
        "access entry (eksctl)", ("clusters/prod/cluster.yaml", 21, 24), "dev", ["devs", "viewers"],
        policies=[("AmazonEKSViewPolicy", "cluster"), ("AmazonEKSEditPolicy", "namespace team-a, team-b")],
        levels={"cluster": "view", "namespace team-a": "edit", "namespace team-b": "edit"},
        sensitive={"create-workloads": ["namespace team-a", "namespace team-b"]},
        reasons=[
            Reason("AmazonEKSViewPolicy (access policy)", "policy", "AmazonEKSViewPolicy", "cluster"),
            Reason("Role/deployer (RoleBinding deployers)", "user dev", "Role/deployer", "namespace team-a", "rbac/dev.yaml", 4),
        ],
        notes=[f"overrides the aws-auth row at {AUTH}:10 (AE403)"],
    )  # fmt: skip
    account = Holder(
        "account 444455556666", "444455556666", "account", "aws-auth mapAccounts", (AUTH, 14, 7), "",
        notes=["every IAM principal of the account gets in, as its own ARN, with no groups"],
    )  # fmt: skip
    dead = Dead("arn:aws:iam::111122223333:role/dev", (AUTH, 10, 16),
                "overridden by the access entry at clusters/prod/cluster.yaml:21 (AE403)", dev.key)  # fmt: skip
    prod = ClusterAccess("prod", "API_AND_CONFIG_MAP", "the eksctl ClusterConfig at clusters/prod/cluster.yaml:5",
                         [ops, dev, account], [dead])  # fmt: skip
    staging = ClusterAccess("staging", None, "no file declares the cluster's mode",
                            notes=["the API server refuses every aws-auth here: nobody gets in through it"])  # fmt: skip
    return [prod, staging]


def example_diff() -> Diff:
    """Out of order on purpose: the reporters put escalations first."""
    return Diff("origin/main", [
        Change("prod", "arn:aws:iam::111122223333:role/old", "removed", "cluster: view as 'old' with groups [viewers]", "",
               False, "deleted in this change", "its aws-auth mapRoles is gone"),
        Change("prod", "arn:aws:iam::111122223333:role/ops", "added", "",
               "cluster: cluster-admin as 'ops:{{SessionName}}' with groups [ops]", True, f"{AUTH}:7",
               "gets in via aws-auth mapRoles; can read Secrets"),
        Change("prod", "arn:aws:iam::111122223333:role/dev", "level", "namespace team-a: view", "namespace team-a: edit",
               True, "rbac/dev.yaml:4", "Role/deployer (RoleBinding deployers)"),
    ], ["prod", "staging"])  # fmt: skip


def test_text_snapshot(snapshot: Snapshot) -> None:
    """The text tables of both clusters, byte for byte."""
    snapshot(render_text(example()), SNAPSHOTS / "review.txt")


def test_diff_text_snapshot(snapshot: Snapshot) -> None:
    """The text diff, escalations first and marked."""
    out = render_diff_text(example_diff())
    snapshot(out, SNAPSHOTS / "diff.txt")
    marks = [line.startswith("+! ESCALATION") for line in out.splitlines() if "cluster prod" in line]
    assert marks == [True, True, False]


def test_markdown_snapshot(snapshot: Snapshot) -> None:
    """The pull-request comment: the diff section, then the tables, with graphs."""
    snapshot(render_markdown(example(), example_diff(), graphs=True), SNAPSHOTS / "review.md")


def test_mermaid_snapshot(snapshot: Snapshot) -> None:
    """prod's flowchart: principals -> groups and usernames -> roles and policies."""
    snapshot(render_mermaid(example()[0]), SNAPSHOTS / "prod.mmd")


def test_json_snapshot(snapshot: Snapshot) -> None:
    snapshot(render_json(example(), example_diff()), SNAPSHOTS / "review.json")


@pytest.mark.parametrize("diff", [None, example_diff(), Diff("HEAD~1")])
def test_json_valid_against_schema(diff: Diff | None) -> None:
    """The JSON validates against the shipped schema, with and without a diff."""
    doc = json.loads(render_json(example(), diff))
    errors = list(Draft202012Validator(schemas.load("access")).iter_errors(doc))
    assert errors == []
    assert doc["version"] == 1
    assert (doc["diff"] is None) == (diff is None)


def test_json_fields() -> None:
    """Empty strings and unknown lines are null; the diff counts its escalations."""
    doc = json.loads(render_json(example(), example_diff()))
    prod, staging = doc["clusters"]
    account = prod["principals"][2]
    assert account["username"] == ""
    assert account["level"] == "nothing"
    policy = prod["principals"][1]["reasons"][0]
    assert (policy["file"], policy["line"]) == (None, None)
    assert prod["principals"][1]["sensitive"] == [
        {"id": "create-workloads", "label": SENSITIVE["create-workloads"], "scopes": ["namespace team-a", "namespace team-b"]}
    ]
    assert staging["mode"] is None
    assert doc["diff"]["escalations"] == 2
    assert [c["escalation"] for c in doc["diff"]["changes"]] == [True, True, False]
    assert doc["diff"]["changes"][0]["before"] is not None
    assert doc["diff"]["changes"][1]["before"] is None


def test_schema_lists_every_sensitive_id() -> None:
    """The schema's enum of sensitive ids is `permissions.SENSITIVE`, in order."""
    assert schemas.load("access")["$defs"]["sensitive_id"]["enum"] == list(SENSITIVE)
    Draft202012Validator.check_schema(schemas.load("access"))


def test_no_changes() -> None:
    """An empty diff says so in every format."""
    empty = Diff("origin/main", [], ["prod"])
    assert render_diff_text(empty) == "No changes to who can do what (compared with origin/main; clusters prod).\n"
    assert "No changes to who can do what, compared with `origin/main`." in render_markdown([], empty)


def test_no_clusters() -> None:
    assert render_text([]).startswith("No cluster access found")
    assert "No cluster access found" in render_markdown([], None)
    assert json.loads(render_json([], None)) == {"version": 1, "clusters": [], "diff": None}
    assert render_mermaid(ClusterAccess("x", None, "")) == 'flowchart LR\n  n1["nobody gets in"]\n'


def test_markdown_is_bounded() -> None:
    """A cluster of 500 principals shows 100 rows and says how many more there are."""
    many = [Holder(f"role r{i}", f"arn:aws:iam::111122223333:role/r{i}", "role", "aws-auth mapRoles", (AUTH, i + 1, 1), "u")
            for i in range(500)]  # fmt: skip
    out = render_markdown([ClusterAccess("big", None, "", many)], None)
    assert out.count("| `arn:aws:iam::111122223333:role/r") == 100
    assert "*…and 400 more principals.*" in out
    long = render_markdown([ClusterAccess("big", None, "", [Holder("k", "x" * 100_000, "role", "v", ("f", 1, 1), "u")])], None)
    assert len(long) < 2_000


def _finding(file: str, code: str, name: str, severity: Severity, suppressed: str | None = None) -> Finding:
    return Finding(file, Span.at(1, 1), code, name, severity, "message", suppressed=suppressed)


def test_findings_summary() -> None:
    """Findings counted by rule and by file, suppressed ones left out, errors mentioned."""
    findings = [
        _finding("a.yaml", "AA101", "role-arn-with-path", Severity.ERROR),
        _finding("a.yaml", "AA101", "role-arn-with-path", Severity.ERROR),
        _finding("b.yaml", "AA201", "username-not-lowercase", Severity.WARNING),
        _finding("b.yaml", "AA201", "username-not-lowercase", Severity.WARNING, suppressed=""),
    ]
    result = RunResult(findings, [], files=["a.yaml", "b.yaml", "c.yaml"], errors=[InputError("d.yaml", "binary")])
    assert render_findings_summary(result) == (
        "### awsauth-lint: 3 problems (2 errors, 1 warning) in 2 of 3 files\n"
        "\n"
        "| Rule | Severity | Findings |\n"
        "| --- | --- | --- |\n"
        "| `AA101` role\\-arn\\-with\\-path | error | 2 |\n"
        "| `AA201` username\\-not\\-lowercase | warning | 1 |\n"
        "\n"
        "| File | Findings |\n"
        "| --- | --- |\n"
        "| `a.yaml` | 2 |\n"
        "| `b.yaml` | 1 |\n"
        "\n"
        "1 suppressed.\n"
        "1 input could not be read or checked: see the log.\n"
    )


def test_findings_summary_bounded_and_clean() -> None:
    """Long tables are cut with a count of what is left out; a clean run is one line."""
    findings = [_finding(f"f{i:03}.yaml", f"AA{i:03}", "x", Severity.NOTE) for i in range(50)]
    out = render_findings_summary(RunResult(findings, [], files=[f.file for f in findings]), limit=5)
    assert out.count("| `f0") == 5
    assert "*…and 45 more rules.*" in out
    assert "*…and 45 more files.*" in out
    assert render_findings_summary(RunResult([], [], files=["a.yaml"])) == "### awsauth-lint: all checks passed, 1 file\n"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a`b", "``a`b``"),
        ("`x`", "`` `x` ``"),
        (" a ", "`  a  `"),
        ("", ""),
        ("a|b", "`a|b`"),
    ],
)
def test_md_code(value: str, expected: str) -> None:
    """Code spans: a fence longer than any backtick run, padding where CommonMark strips it."""
    assert md_code(value) == expected


def test_escapers() -> None:
    """Each escaper on the characters that matter to its format."""
    assert md_code("a|b", table=True) == "`a\\|b`"
    assert md_text("[x](y) @team #1") == "\\[x\\]\\(y\\) \\@\u2060team \\#\u20601"
    assert mermaid('a"]-->b') == "a#34;#93;--#62;b"
    assert mermaid("style x:y") == "style x#58;y"
    assert inert("  ::error::x") == "  \\x3a:error::x"
    assert inert("a ##[error]x") == "a #\\x23[error]x"


def test_docs_show_real_output() -> None:
    """docs/access-review.md lists every sensitive id with its label, and its text, diff
    and Mermaid examples are what the reporters print for the example here."""
    doc = (Path(__file__).parent.parent / "docs" / "access-review.md").read_text(encoding="utf-8")
    for sid, label in SENSITIVE.items():
        assert f"| `{sid}` | {label} |" in doc
    assert render_text(example()) in doc
    assert render_diff_text(example_diff()) in doc
    assert render_mermaid(example()[0]) in doc
