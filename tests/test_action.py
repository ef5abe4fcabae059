"""action.yml and the documented workflow are wired correctly; the action's script runs."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

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
    assert "github.base_ref" in lint["with"]["base"]
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
