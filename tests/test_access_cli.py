"""`awsauth-lint access` end to end: the command over the two-cluster fixture repository in
every format, its exit codes (`--fail-on-escalation`, bad refs, paths outside git), and the
job summary under GitHub Actions, for `access --base` and for `check`.

The command runs in-process through `awsauth_lint.cli.main` (the exit code it returns, what
it printed), and once as a subprocess (`python -m awsauth_lint`) to show that no traceback
escapes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from awsauth_lint import schemas
from awsauth_lint.cli import main
from jsonschema import Draft202012Validator
from test_access_review import ACCT, EDITS, REPO, apply, committed

PROD = [f"{ACCT}:role/security/auditor", f"{ACCT}:role/ci", f"{ACCT}:role/deployer", f"{ACCT}:role/ops",
        f"{ACCT}:role/prod-nodes", f"{ACCT}:role/sre", f"{ACCT}:user/alice"]  # fmt: skip
DEV = [f"{ACCT}:role/dev-nodes", f"{ACCT}:role/developer"]
VALIDATOR = Draft202012Validator(schemas.load("access"))

# The EDITS one at a time, and whether `--fail-on-escalation` fails on it.
FAILS = [
    pytest.param(0, 1, id="role-gains-system-masters"),
    pytest.param(1, 1, id="group-rebound-view-to-edit"),
    pytest.param(2, 1, id="clusterrole-gains-secrets-get"),
    pytest.param(3, 1, id="aggregated-role-gains-nodes-proxy"),
    pytest.param(4, 0, id="node-role-removed"),
    pytest.param(5, 0, id="mapping-made-dead-by-an-iam-path"),
    pytest.param(6, 1, id="principal-added-by-access-entry"),
]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture repository committed, unchanged, as the working directory; no GitHub."""
    root = committed(tmp_path)
    monkeypatch.chdir(root)
    for var in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "PRE_COMMIT"):
        monkeypatch.delenv(var, raising=False)
    return root


def edit(root: Path, *which: int) -> None:
    apply(root, [EDITS[i] for i in which])


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err, err
    return code, out, err


def principals_by_cluster(doc: dict) -> dict[str | None, list[str]]:  # type: ignore[type-arg]
    return {c["name"]: [p["principal"] for p in c["principals"]] for c in doc["clusters"]}


def valid(out: str) -> dict:  # type: ignore[type-arg]
    doc = json.loads(out)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(doc)]
    assert not errors, errors
    return doc  # type: ignore[no-any-return]


# --- the review in each format


def test_text(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "access")
    assert (code, err) == (0, "")
    sections = re.split(r"^== cluster ", out, flags=re.M)[1:]
    assert [s.split(":", 1)[0] for s in sections] == ["dev", "prod"]
    assert sections[1].startswith("prod: authentication mode API_AND_CONFIG_MAP (set at clusters/prod/cluster.yaml:7) ==")
    for section, expected in zip(sections, [DEV, PROD], strict=True):
        assert re.findall(r"^  (arn:\S+)", section, re.M) == expected


def test_json_validates_and_is_exact(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "access", "-f", "json")
    assert code == 0
    doc = valid(out)
    assert doc["diff"] is None
    assert principals_by_cluster(doc) == {"dev": DEV, "prod": PROD}
    ci = next(p for p in doc["clusters"][1]["principals"] if p["principal"].endswith("role/ci"))
    assert (ci["file"], ci["line"], ci["groups"], ci["levels"], ci["level"]) == (
        "clusters/prod/aws-auth.yaml", 11, ["deployers"], {"cluster": "nothing", "namespace apps": "edit"}, "edit")
    code, out, _ = run(capsys, "access", "-f", "json", "--cluster", "dev", "clusters", "rbac")
    assert code == 0
    assert principals_by_cluster(valid(out)) == {"dev": DEV}


def test_json_diff_validates(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo, *range(len(EDITS)))
    code, out, _ = run(capsys, "access", "-f", "json", "--base", "HEAD")
    assert code == 0
    doc = valid(out)
    assert doc["diff"]["base"] == "HEAD"
    changes = doc["diff"]["changes"]
    assert len(changes) == 12
    assert sum(c["escalation"] for c in changes) == 10
    got = principals_by_cluster(doc)
    assert got["dev"] == [f"{ACCT}:role/developer"]  # the node role removed
    assert got["prod"] == [*PROD[:2], f"{ACCT}:role/incident-response", *PROD[3:]]  # deployer dead, incident-response added
    assert [d["principal"] for d in doc["clusters"][1]["dead"]] == [f"{ACCT}:role/teams/deployer"]


def test_markdown(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "access", "-f", "markdown")
    assert code == 0
    assert out.startswith("## Who can get into each cluster\n")
    sections = re.split(r"^### Cluster ", out, flags=re.M)[1:]
    assert [s.split("\n", 1)[0] for s in sections] == ["`dev`", "`prod`"]
    for section, expected in zip(sections, [DEV, PROD], strict=True):
        assert re.findall(r"^\| `(arn:[^`]+)` \|", section, re.M) == expected
    assert "```mermaid" not in out


def test_mermaid_needs_one_cluster(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "access", "-f", "mermaid")
    assert (code, out) == (2, "")
    assert err == "awsauth-lint: error: -f mermaid draws one cluster; name it with --cluster (the clusters are: dev, prod)\n"
    code, out, err = run(capsys, "access", "-f", "mermaid", "--cluster", "prod")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "flowchart LR"
    labels = re.findall(r'^  n\d+\["(?:role|user) ([^"]+)"\]$', out, re.M)
    assert labels == PROD
    assert all(re.fullmatch(r'  n\d+(\W.*)?', line) for line in lines[1:])


def test_unknown_cluster(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "access", "--cluster", "staging")
    assert (code, out) == (2, "")
    assert err == "awsauth-lint: error: no cluster named 'staging'; the clusters are: dev, prod\n"


# --- --base and --fail-on-escalation


def test_fail_on_escalation_needs_base(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "access", "--fail-on-escalation")
    assert (code, out) == (2, "")
    assert err == "awsauth-lint: error: --fail-on-escalation needs --base REF (what the change is compared with)\n"


def test_escalating_change(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The whole change: exit 1 with --fail-on-escalation, 0 without; escalations first."""
    edit(repo, *range(len(EDITS)))
    code, out, _ = run(capsys, "access", "--base", "HEAD", "--fail-on-escalation")
    assert code == 1
    assert out.startswith("12 changes to who can do what, 10 escalations (compared with HEAD; clusters dev, prod):\n")
    marks = re.findall(r"^(\+! ESCALATION|  change)  cluster ", out, re.M)
    assert marks == ["+! ESCALATION"] * 10 + ["  change"] * 2
    code, again, _ = run(capsys, "access", "--base", "HEAD")
    assert (code, again) == (0, out)


@pytest.mark.parametrize(("which", "expected"), FAILS)
def test_fail_on_escalation_exit_code(repo: Path, capsys: pytest.CaptureFixture[str], which: int, expected: int) -> None:
    """Each change of the issue alone: 1 only for a gain of cluster-admin or a sensitive
    permission, or a new principal with more than view; without the flag always 0."""
    edit(repo, which)
    assert run(capsys, "access", "--base", "HEAD", "--fail-on-escalation")[0] == expected
    assert run(capsys, "access", "--base", "HEAD")[0] == 0


def test_lowered_access_does_not_fail(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A group rebound from edit down to view loses power: a change, no escalation, exit 0."""
    rel = "rbac/bindings.yaml"
    text = (repo / rel).read_text()
    old = "namespace: apps\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}"
    assert old in text
    (repo / rel).write_text(text.replace(old, old.replace("name: edit", "name: view")))
    code, out, _ = run(capsys, "access", "--base", "HEAD", "--fail-on-escalation")
    assert code == 0
    assert out.startswith("4 changes to who can do what, 0 escalations (compared with HEAD; clusters dev, prod):\n")
    assert "ESCALATION" not in out
    assert "  change  cluster prod  arn:aws:iam::111122223333:role/ci  level\n      before: namespace apps: edit\n      after:  namespace apps: view\n" in out


def test_no_change(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "access", "--base", "HEAD", "--fail-on-escalation")
    assert (code, out) == (0, "No changes to who can do what (compared with HEAD; clusters dev, prod).\n")


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        pytest.param("no-such-branch", "--base 'no-such-branch' is not a commit in ", id="unknown-ref"),
        pytest.param("0123456789abcdef0123456789abcdef01234567", "--base '0123456789abcdef0123456789abcdef01234567' is not a commit in ",
                     id="missing-commit"),
        pytest.param("HEAD~5", "--base 'HEAD~5' is not a commit in ", id="before-the-first-commit"),
        pytest.param("origin/", "--base 'origin/' names no commit (an unset CI variable?)", id="empty-variable"),
        pytest.param("-x", "--base '-x' is not a git ref", id="option-like"),
    ],
)
def test_unknown_ref(repo: Path, capsys: pytest.CaptureFixture[str], ref: str, message: str) -> None:
    """A ref git does not know is exit 2 with one line saying which, never a traceback."""
    edit(repo, 0)
    for flags in ([], ["--fail-on-escalation"]):
        code, out, err = run(capsys, "access", f"--base={ref}", *flags)
        assert (code, out) == (2, "")
        assert err.startswith("awsauth-lint: error: " + message), err
        assert err.count("\n") == 1


def test_unknown_ref_in_a_subprocess(repo: Path) -> None:
    """The same through the installed entry point: one message, exit 2, no traceback."""
    argv = [sys.executable, "-m", "awsauth_lint", "access", "--base", "no-such-branch", "--fail-on-escalation"]
    proc = subprocess.run(argv, cwd=repo, capture_output=True, text=True, timeout=120, check=False)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr.startswith("awsauth-lint: error: --base 'no-such-branch' is not a commit in ")
    assert "fetch-depth: 0" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_path_outside_git(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """--base needs git: a directory outside any repository is exit 2, saying so; without
    --base the same directory is reviewed."""
    plain = tmp_path / "plain"
    shutil.copytree(REPO, plain)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code, out, err = run(capsys, "access", "--base", "HEAD", "plain")
    assert (code, out) == (2, "")
    assert err == "awsauth-lint: error: --base needs a git repository, and plain is not in one\n"
    code, out, _ = run(capsys, "access", "-f", "json", "plain")
    assert code == 0
    assert principals_by_cluster(valid(out)) == {"dev": DEV, "prod": PROD}


def test_missing_path(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "access", "--base", "HEAD", "clusters/staging")
    assert (code, out) == (2, "")
    assert err == "awsauth-lint: error: no such file or directory: clusters/staging\n"


# --- the job summary under GitHub Actions


@pytest.fixture
def summary(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "step-summary.md"
    path.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(path))
    return path


def test_access_base_appends_the_diff(repo: Path, summary: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`access --base` appends the Markdown diff (and the review after it), in every format
    it prints; what the step printed before is kept."""
    edit(repo, 0)
    code, out, _ = run(capsys, "access", "--base", "HEAD", "--fail-on-escalation", "-f", "json")
    assert code == 1
    valid(out)
    text = summary.read_text()
    assert text.startswith("earlier step\n## What this change does to who can do what\n\n**4 escalations** in 4 changes, compared with `HEAD`.\n")
    rows = re.findall(r"^\| \*\*\\\+\\! ESCALATION\*\* \| `prod` \| `([^`]+)` \| (\w+) \|", text, re.M)
    assert rows == [(f"{ACCT}:role/ci", "groups"), (f"{ACCT}:role/ci", "level"), (f"{ACCT}:role/ci", "level"),
                    (f"{ACCT}:role/ci", "sensitive")]  # fmt: skip
    assert "## Who can get into each cluster" in text
    run(capsys, "access", "--base", "HEAD")
    assert summary.read_text().count("## What this change does to who can do what") == 2


def test_access_without_base_writes_no_summary(repo: Path, summary: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "access", "-f", "markdown")[0] == 0
    assert summary.read_text() == "earlier step\n"


def test_no_summary_outside_github(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """GITHUB_STEP_SUMMARY alone (no GITHUB_ACTIONS=true) writes nothing."""
    path = tmp_path / "s.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(path))
    edit(repo, 0)
    assert run(capsys, "access", "--base", "HEAD")[0] == 0
    assert run(capsys, "check", "--fail-on", "never", ".")[0] == 0
    assert not path.exists()


def test_unwritable_summary_is_a_warning(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "no-such-dir" / "s.md"))
    edit(repo, 0)
    code, _, err = run(capsys, "access", "--base", "HEAD", "--fail-on-escalation")
    assert code == 1
    assert err.startswith("awsauth-lint: warning: cannot write the job summary: ")


def test_check_appends_the_findings_summary(repo: Path, summary: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo, 0)
    code, out, _ = run(capsys, "check", ".")
    assert code == 1
    assert "::warning file=clusters/prod/aws-auth.yaml,line=13,col=27," in out
    assert summary.read_text() == (
        "earlier step\n"
        "### awsauth-lint: 1 problem (1 warning) in 1 of 5 files\n\n"
        "| Rule | Severity | Findings |\n| --- | --- | --- |\n| `AA301` system\\-masters\\-group | warning | 1 |\n\n"
        "| File | Findings |\n| --- | --- |\n| `clusters/prod/aws-auth.yaml` | 1 |\n\n"
    )


def test_check_clean_summary(repo: Path, summary: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", ".")[0] == 0
    assert summary.read_text() == "earlier step\n### awsauth-lint: all checks passed, 5 files\n\n"
