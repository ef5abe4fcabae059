"""action.yml and the documented workflow are wired correctly; the action's script runs."""

from __future__ import annotations

import json
import os
import re
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
    for name in ("paths", "base", "fail-on", "sarif-file"):
        var = "INPUT_" + name.upper().replace("-", "_")
        assert env[var] == f"${{{{ inputs.{name} }}}}"
        assert f"${var}" in scripts[-1]["run"]
    assert "github.action_path" in json.dumps(scripts[0]["env"])


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
        **os.environ,
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
    env = {**os.environ, "GITHUB_ACTIONS": "true", "PRE_COMMIT": ""}
    env.update({"INPUT_PATHS": ".", "INPUT_BASE": "", "INPUT_FAIL_ON": "", "INPUT_SARIF_FILE": ""})
    env.update({"INPUT_" + k.upper(): v for k, v in inputs.items()})
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


def fake_linter(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An `awsauth-lint` first on PATH that records its arguments (NUL-separated) and exits 0."""
    bindir = tmp_path / "fake-bin"
    bindir.mkdir(exist_ok=True)
    exe = bindir / "awsauth-lint"
    exe.write_text('#!/usr/bin/env bash\nprintf \'%s\\0\' "$@" > "$FAKE_ARGV"\n')
    exe.chmod(0o755)
    log = tmp_path / "argv"
    return {"PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}", "FAKE_ARGV": str(log)}, log


def recorded_argv(log: Path) -> list[str]:
    return log.read_text().split("\0")[:-1]


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
    """A `*` in paths reaches awsauth-lint as written, and options still come before `--`."""
    env, log = fake_linter(tmp_path)
    work = tmp_path / "repo"
    work.mkdir()
    (work / "a.yaml").write_text("")
    inputs = script_env(paths="*.yaml\n-x", base="HEAD", fail_on="error", sarif_file="out.sarif")
    proc = run_as_github(ACTION["runs"]["steps"][-1]["run"], work, {**inputs, **env})
    assert proc.returncode == 0, proc.stderr
    options = ["--fail-on", "error", "--sarif-file", "out.sarif", "--base", "HEAD"]
    assert recorded_argv(log) == ["check", *options, "--", "*.yaml", "-x"]


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
