"""action.yml and the documented workflow are wired correctly; the action's script runs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from awsauth_lint.nodes import to_python
from awsauth_lint.source import compose
from helpers import FIXTURES, ROOT


def load_yaml(text: str) -> dict:  # type: ignore[type-arg]
    composed = compose(text)
    assert composed.error is None
    data = to_python(composed.docs[0])
    assert isinstance(data, dict)
    return data


ACTION = load_yaml((ROOT / "action.yml").read_text())


def test_action_structure() -> None:
    """A composite action whose inputs all reach the script through env vars only."""
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) >= {"paths", "base", "fail-on", "sarif-file"}
    steps = ACTION["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    scripts = [s for s in steps if "run" in s]
    for step in scripts:
        assert step["shell"] == "bash"
        assert "${{" not in step["run"], "inputs must not be interpolated into shell"
    env = {k: v for s in scripts for k, v in (s.get("env") or {}).items()}
    for name in ("paths", "base", "fail-on", "sarif-file", "access-summary", "fail-on-escalation"):
        var = "INPUT_" + name.upper().replace("-", "_")
        assert env[var] == f"${{{{ inputs.{name} }}}}"
        assert var in scripts[-1]["run"]
    assert env["PULL_REQUEST_BASE"] == "${{ github.event.pull_request.base.sha }}"
    assert "github.action_path" in json.dumps(scripts[0]["env"])
    assert ACTION["inputs"]["access-summary"]["default"] == "true"
    assert ACTION["inputs"]["fail-on-escalation"]["default"] == "false"


def test_documented_workflow() -> None:
    """docs/github-actions.md holds a complete PR workflow that uploads SARIF even on failure."""
    doc = (ROOT / "docs" / "github-actions.md").read_text()
    block = re.search(r"```yaml\n(name: awsauth-lint\n.*?)```", doc, re.S)
    assert block is not None
    wf = load_yaml(block.group(1))
    assert "pull_request" in wf["on"]
    assert wf["permissions"]["security-events"] == "write"
    steps = wf["jobs"]["awsauth-lint"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert steps[0]["with"]["fetch-depth"] == 0
    lint = steps[1]
    assert set(lint["with"]) <= set(ACTION["inputs"])
    assert lint["with"]["base"] == "${{ github.event.pull_request.base.sha }}"  # empty on push
    upload = steps[2]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["if"] == "always()"
    assert upload["with"]["sarif_file"] == lint["with"]["sarif-file"]


def test_action_script_runs_locally(tmp_path: Path) -> None:
    """The run step, executed by bash with the inputs as env, lints and writes SARIF."""
    script = ACTION["runs"]["steps"][-1]["run"]
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "aws-auth.yaml").write_text((FIXTURES / "rules" / "AA101" / "fail" / "crlf.yaml").read_text())
    env = {
        **script_env(),
        "INPUT_PATHS": "bad",
        "INPUT_BASE": "",
        "INPUT_FAIL_ON": "error",
        "INPUT_SARIF_FILE": "out.sarif",
        "GITHUB_ACTIONS": "true",
    }
    proc = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert "::error file=bad/aws-auth.yaml,line=8,col=16,endLine=8,endColumn=" in proc.stdout
    sarif = json.loads((tmp_path / "out.sarif").read_text())
    assert sarif["runs"][0]["results"][0]["ruleId"] == "AA101"
    env["INPUT_FAIL_ON"] = "never"
    ok = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert ok.returncode == 0


def test_every_input_is_used() -> None:
    """Each declared input is read by a step (through `inputs.<name>`), and has a description."""
    text = json.dumps(ACTION["runs"])
    for name, spec in ACTION["inputs"].items():
        assert f"inputs.{name}" in text, name
        assert spec["description"]


def script_env(**inputs: str) -> dict[str, str]:
    """The step's environment: inputs as keyword arguments (`fail_on=...`), every other input
    at its default but `sarif-file` (none); `pull_request_base` is the event's base commit.
    No job summary unless a test gives one (never the real one of a CI running these tests)."""
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    env.update({"GITHUB_ACTIONS": "true", "PRE_COMMIT": "", "PULL_REQUEST_BASE": ""})
    env.update({"INPUT_PATHS": ".", "INPUT_BASE": "", "INPUT_FAIL_ON": "", "INPUT_SARIF_FILE": ""})
    env.update({"INPUT_ACCESS_SUMMARY": "true", "INPUT_FAIL_ON_ESCALATION": "false"})
    for k, v in inputs.items():
        env[k.upper() if k == "pull_request_base" else "INPUT_" + k.upper()] = v
    return env


def run_as_github(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a `shell: bash` step the way the runner does: a script file under `bash -eo pipefail`."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "step.sh"
        path.write_text(script)
        argv = ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(path)]
        return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def run_script(cwd: Path, **inputs: str) -> subprocess.CompletedProcess[str]:
    return run_as_github(ACTION["runs"]["steps"][-1]["run"], cwd, script_env(**inputs))


FAKE = """#!/usr/bin/env bash
printf '%s\\0' "${GITHUB_STEP_SUMMARY-}" "$#" "$@" >> "$FAKE_ARGV"
if [ "$1" = access ]; then exit "${FAKE_ACCESS_EXIT:-0}"; fi
exit "${FAKE_CHECK_EXIT:-0}"
"""


def fake_linter(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An `awsauth-lint` first on PATH that records each invocation (the job summary it was
    given, then its arguments; NUL-separated) and exits with $FAKE_ACCESS_EXIT for `access`,
    $FAKE_CHECK_EXIT otherwise (default 0)."""
    bindir = tmp_path / "fake-bin"
    bindir.mkdir(exist_ok=True)
    exe = bindir / "awsauth-lint"
    exe.write_text(FAKE)
    exe.chmod(0o755)
    log = tmp_path / "argv"
    return {"PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}", "FAKE_ARGV": str(log)}, log


def recorded(log: Path) -> list[tuple[str, list[str]]]:
    """Each invocation of the fake, in order: (GITHUB_STEP_SUMMARY as it saw it, argv)."""
    if not log.exists():
        return []
    items, out = log.read_text().split("\0")[:-1], []
    while items:
        summary, argc = items[0], int(items[1])
        out.append((summary, items[2 : 2 + argc]))
        items = items[2 + argc :]
    return out


def recorded_invocations(log: Path) -> list[list[str]]:
    return [argv for _, argv in recorded(log)]


def recorded_argv(log: Path) -> list[str]:
    """The arguments of the only invocation."""
    (argv,) = recorded_invocations(log)
    return argv


# The `paths` input as GitHub hands it over: a `paths: |` block keeps its newlines.
PATHS_BLOCK = load_yaml("paths: |\n  clusters/\n  rbac/\n")["paths"]


@pytest.mark.parametrize(
    "paths",
    [
        pytest.param("clusters/ rbac/", id="spaces"),
        pytest.param(PATHS_BLOCK, id="yaml-block"),
        pytest.param("clusters/\nrbac/", id="newline"),
        pytest.param("\n  clusters/\t\n\n rbac/  \n", id="mixed-blank-lines"),
    ],
)
def test_paths_input_splits_on_spaces_and_newlines(tmp_path: Path, paths: str) -> None:
    """Every path reaches awsauth-lint, whether the input is one line or a `paths: |` block."""
    assert PATHS_BLOCK == "clusters/\nrbac/\n"
    env, log = fake_linter(tmp_path)
    work = tmp_path / "repo"
    work.mkdir()
    proc = run_as_github(ACTION["runs"]["steps"][-1]["run"], work, {**script_env(paths=paths), **env})
    assert proc.returncode == 0, proc.stderr
    assert recorded_argv(log) == ["check", "--", "clusters/", "rbac/"]


def test_paths_input_is_not_glob_expanded(tmp_path: Path) -> None:
    """A `*` in paths reaches awsauth-lint as written, and options still come before `--`
    (for the access review against the base too)."""
    env, log = fake_linter(tmp_path)
    work = tmp_path / "repo"
    work.mkdir()
    (work / "a.yaml").write_text("")
    inputs = script_env(paths="*.yaml\n-x", base="HEAD", fail_on="error", sarif_file="out.sarif")
    proc = run_as_github(ACTION["runs"]["steps"][-1]["run"], work, {**inputs, **env})
    assert proc.returncode == 0, proc.stderr
    options = ["--fail-on", "error", "--sarif-file", "out.sarif", "--base", "HEAD"]
    assert recorded_invocations(log) == [
        ["check", *options, "--", "*.yaml", "-x"],
        ["access", "--base", "HEAD", "--", "*.yaml", "-x"],
    ]


def test_paths_block_lints_every_directory(tmp_path: Path) -> None:
    """The real linter, given a `paths: |` block of two directories, reports a file in each."""
    bad = (FIXTURES / "rules" / "AA101" / "fail" / "crlf.yaml").read_text()
    for name in ("clusters", "rbac", "elsewhere"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "aws-auth.yaml").write_text(bad)
    proc = run_script(tmp_path, paths=PATHS_BLOCK.replace("/", ""), fail_on="error")
    assert proc.returncode == 1, proc.stderr
    reported = set(re.findall(r"::error file=([^/,]+)/aws-auth\.yaml", proc.stdout))
    assert reported == {"clusters", "rbac"}


def test_empty_fail_on_leaves_it_to_the_config(tmp_path: Path) -> None:
    """Without the fail-on input, the repository's .awsauth-lint.yaml decides."""
    (tmp_path / "aws-auth.yaml").write_text((FIXTURES / "rules" / "AA101" / "fail" / "crlf.yaml").read_text())
    assert run_script(tmp_path).returncode == 1
    (tmp_path / ".awsauth-lint.yaml").write_text("fail-on: never\n")
    assert run_script(tmp_path).returncode == 0


def test_inputs_are_data_not_code(tmp_path: Path) -> None:
    """Shell syntax in an input reaches awsauth-lint as text and is never executed."""
    proc = run_script(tmp_path, paths="$(touch pwned) `touch pwned2`", sarif_file="x; touch pwned3")
    assert proc.returncode == 2
    assert "no such file or directory: $(touch" in proc.stderr
    assert not list(tmp_path.glob("pwned*"))


def test_base_input_reaches_the_linter(tmp_path: Path) -> None:
    """The base input becomes --base: removing a node role since that ref is AA402."""
    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=tmp_path, check=True, capture_output=True)

    head = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\ndata:\n  mapRoles: |\n"
    node = (
        "    - rolearn: arn:aws:iam::111122223333:role/eks-node\n"
        "      username: system:node:{{EC2PrivateDNSName}}\n"
        "      groups: [system:bootstrappers, system:nodes]\n"
    )
    other = "    - rolearn: arn:aws:iam::111122223333:role/eks-node-2\n" + node.split("\n", 1)[1]
    git("init", "-q")
    (tmp_path / "aws-auth.yaml").write_text(head + node + other)
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    (tmp_path / "aws-auth.yaml").write_text(head + other)
    assert "AA402" not in run_script(tmp_path).stdout
    proc = run_script(tmp_path, base="HEAD")
    assert proc.returncode == 1
    assert "AA402" in proc.stdout
    assert run_script(tmp_path, base="no-such-ref").returncode == 2


# --- the access review: on a pull request, `access --base` writes the change to the job summary

PR_BASE = "1111111111111111111111111111111111111111"


def run_fake(tmp_path: Path, fake_exit: dict[str, str] | None = None, **inputs: str) -> tuple[subprocess.CompletedProcess[str], list[tuple[str, list[str]]]]:
    env, log = fake_linter(tmp_path)
    work = tmp_path / "repo"
    work.mkdir()
    summary = str(tmp_path / "summary.md")
    full = {**script_env(**inputs), **env, "GITHUB_STEP_SUMMARY": summary, **(fake_exit or {})}
    proc = run_as_github(ACTION["runs"]["steps"][-1]["run"], work, full)
    return proc, [(s.replace(summary, "SUMMARY"), argv) for s, argv in recorded(log)]


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        pytest.param({"pull_request_base": PR_BASE}, [("SUMMARY", ["check", "--", "."]), ("SUMMARY", ["access", "--base", PR_BASE, "--", "."])],
                     id="pull-request-default"),
        pytest.param({"pull_request_base": PR_BASE, "base": "origin/main"},
                     [("SUMMARY", ["check", "--base", "origin/main", "--", "."]), ("SUMMARY", ["access", "--base", "origin/main", "--", "."])],
                     id="base-input-wins"),
        pytest.param({"pull_request_base": PR_BASE, "fail_on_escalation": "true"},
                     [("SUMMARY", ["check", "--", "."]), ("SUMMARY", ["access", "--base", PR_BASE, "--fail-on-escalation", "--", "."])],
                     id="fail-on-escalation"),
        pytest.param({"pull_request_base": PR_BASE, "access_summary": "false"}, [("SUMMARY", ["check", "--", "."])], id="summary-off"),
        pytest.param({"pull_request_base": PR_BASE, "access_summary": "false", "fail_on_escalation": "true"},
                     [("SUMMARY", ["check", "--", "."]), ("", ["access", "--base", PR_BASE, "--fail-on-escalation", "--", "."])],
                     id="gate-without-summary"),
        pytest.param({}, [("SUMMARY", ["check", "--", "."])], id="push"),
        pytest.param({"fail_on_escalation": "true"}, [("SUMMARY", ["check", "--", "."])], id="push-fail-on-escalation"),
        pytest.param({"base": "HEAD~1", "paths": "a b"},
                     [("SUMMARY", ["check", "--base", "HEAD~1", "--", "a", "b"]), ("SUMMARY", ["access", "--base", "HEAD~1", "--", "a", "b"])],
                     id="push-with-base-input"),
    ],
)
def test_access_review_invocation(tmp_path: Path, inputs: dict[str, str], expected: list[tuple[str, list[str]]]) -> None:
    """`check` always runs; `access --base` runs after it when there is a base (the input,
    else the pull request's base commit) and either input asks for it. Without
    access-summary the job summary is hidden from it (its exit code still counts)."""
    proc, calls = run_fake(tmp_path, **inputs)
    assert proc.returncode == 0, proc.stderr
    assert calls == expected
    if not any(argv[0] == "access" for _, argv in calls) and inputs.get("access_summary") != "false":
        assert "no access review: nothing to compare with" in proc.stdout


@pytest.mark.parametrize(
    ("inputs", "check_exit", "access_exit", "step_exit", "warned"),
    [
        pytest.param({}, "1", "0", 1, False, id="findings"),
        pytest.param({"fail_on_escalation": "true"}, "0", "1", 1, False, id="escalation"),
        pytest.param({"fail_on_escalation": "true"}, "1", "1", 1, False, id="both"),
        pytest.param({}, "2", "0", 2, False, id="check-error-skips-access"),
        pytest.param({}, "0", "2", 0, True, id="base-commit-missing"),
        pytest.param({}, "1", "2", 1, True, id="base-commit-missing-findings"),
        pytest.param({"fail_on_escalation": "true"}, "0", "2", 2, False, id="gate-cannot-compare"),
        pytest.param({"base": PR_BASE}, "0", "2", 2, False, id="base-input-cannot-compare"),
    ],
)
def test_access_review_exit_codes(tmp_path: Path, inputs: dict[str, str], check_exit: str, access_exit: str, step_exit: int,
                                  warned: bool) -> None:
    """The step fails with the worse of the two. An access review that cannot read the
    base it took from the event (a shallow checkout) is a warning, unless the step is to
    fail on escalation or the base was given: then it is exit 2."""
    exits = {"FAKE_CHECK_EXIT": check_exit, "FAKE_ACCESS_EXIT": access_exit}
    proc, calls = run_fake(tmp_path, exits, pull_request_base=PR_BASE, **inputs)
    assert proc.returncode == step_exit, proc.stderr
    assert [argv[0] for _, argv in calls] == (["check"] if check_exit == "2" else ["check", "access"])
    warning = [line for line in proc.stdout.splitlines() if line.startswith("::warning")]
    assert warning == (["::warning title=awsauth-lint::no access review: the pull request's base commit could not be read "
                        "(see the error above; actions/checkout needs fetch-depth: 0)"] if warned else [])


@pytest.mark.parametrize("name", ["access_summary", "fail_on_escalation"])
@pytest.mark.parametrize("value", ["yes", "True", "", "$(touch pwned)\n::error::x"])
def test_access_inputs_take_true_or_false(tmp_path: Path, name: str, value: str) -> None:
    """Anything but true or false is exit 2 before anything runs, and the value is not echoed."""
    proc, calls = run_fake(tmp_path, pull_request_base=PR_BASE, **{name: value})
    assert proc.returncode == 2
    assert calls == []
    assert "the access-summary and fail-on-escalation inputs take true or false" in proc.stderr
    assert "::error::x" not in proc.stdout + proc.stderr
    assert not list(tmp_path.rglob("pwned"))


def access_repo(tmp_path: Path) -> tuple[Path, str]:
    """The two-cluster fixture repository committed (returns its directory and the commit)."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "review" / "repo", root)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=root, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, check=True, capture_output=True, text=True).stdout.strip()
    return root, head


def edit(root: Path, rel: str, old: str, new: str) -> None:
    text = (root / rel).read_text()
    assert old in text
    (root / rel).write_text(text.replace(old, new))


def test_access_review_reaches_the_job_summary(tmp_path: Path) -> None:
    """The real linter on a pull request: the findings and then the access diff land in the
    job summary; fail-on-escalation fails the step on a role gaining system:masters and not
    on a node role removed; access-summary: false leaves only the findings."""
    root, base = access_repo(tmp_path)
    summary = tmp_path / "summary.md"

    def step(**inputs: str) -> subprocess.CompletedProcess[str]:
        summary.write_text("")
        env = {**script_env(fail_on="never", pull_request_base=base, **inputs), "GITHUB_STEP_SUMMARY": str(summary)}
        return run_as_github(ACTION["runs"]["steps"][-1]["run"], root, env)

    edit(root, "clusters/dev/aws-auth.yaml", "    - rolearn: arn:aws:iam::111122223333:role/dev-nodes\n"
         "      username: system:node:{{EC2PrivateDNSName}}\n      groups: [system:bootstrappers, system:nodes]\n", "")
    proc = step(fail_on_escalation="true")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = summary.read_text()
    assert text.startswith("### awsauth-lint: ")
    assert "No escalation in 1 change, compared with `" + base + "`." in text
    edit(root, "clusters/prod/aws-auth.yaml", "groups: [deployers]\n    - rolearn: arn:aws:iam::111122223333:role/ops",
         "groups: [deployers, system:masters]\n    - rolearn: arn:aws:iam::111122223333:role/ops")
    proc = step()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = summary.read_text()
    findings, _, diff = text.partition("## What this change does to who can do what")
    assert "`AA301` system\\-masters\\-group | warning | 1 |" in findings
    assert "**4 escalations** in 5 changes" in diff
    assert "| **\\+\\! ESCALATION** | `prod` | `arn:aws:iam::111122223333:role/ci` | groups |" in diff
    assert "+! ESCALATION  cluster prod  arn:aws:iam::111122223333:role/ci  groups" in proc.stdout  # the log has it too
    assert step(fail_on_escalation="true").returncode == 1
    proc = step(access_summary="false")
    assert proc.returncode == 0
    assert "What this change does" not in summary.read_text()
    assert "ESCALATION" not in proc.stdout
    proc = step(access_summary="false", fail_on_escalation="true")
    assert proc.returncode == 1
    assert "What this change does" not in summary.read_text()


def test_access_review_without_the_base_commit(tmp_path: Path) -> None:
    """A checkout without the pull request's base (fetch-depth 1): a warning and the lint's
    exit code; with fail-on-escalation, exit 2 (the gate cannot say the change is safe)."""
    root, _ = access_repo(tmp_path)
    missing = "0123456789abcdef0123456789abcdef01234567"
    env = {**script_env(fail_on="never", pull_request_base=missing), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}
    script = ACTION["runs"]["steps"][-1]["run"]
    proc = run_as_github(script, root, env)
    assert proc.returncode == 0
    assert f"--base '{missing}' is not a commit" in proc.stderr
    assert "::warning title=awsauth-lint::no access review" in proc.stdout
    assert "What this change does" not in (tmp_path / "summary.md").read_text()
    proc = run_as_github(script, root, {**env, "INPUT_FAIL_ON_ESCALATION": "true"})
    assert proc.returncode == 2
    assert "::warning" not in proc.stdout
