"""Every workflow in the docs works on both `pull_request` and `push`, with the permissions it needs.

Each documented workflow is run step by step the way GitHub would for each event: `${{ }}`
expressions are evaluated against that event's context, the action's script or the `run:`
script is executed by bash with the environment GitHub sets, and a recording `awsauth-lint`
first on PATH shows the arguments the linter would have received.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT
from test_action import ACTION, fake_linter, load_yaml, recorded_invocations, run_as_github

DOCS = [ROOT / "README.md", ROOT / "docs" / "github-actions.md"]
BASE_SHA = "1111111111111111111111111111111111111111"
BEFORE_SHA = "2222222222222222222222222222222222222222"
MERGE_SHA = "3333333333333333333333333333333333333333"
ZERO_SHA = "0" * 40

# Event -> (github context, environment the runner sets, acceptable --base values; None: no --base).
EVENTS: dict[str, tuple[dict[str, Any], dict[str, str], set[str | None]]] = {
    "pull_request": (
        {
            "event_name": "pull_request",
            "base_ref": "main",
            "head_ref": "feature",
            "sha": MERGE_SHA,
            "ref": "refs/pull/7/merge",
            "event": {"pull_request": {"number": 7, "base": {"ref": "main", "sha": BASE_SHA}}},
        },
        {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_BASE_REF": "main", "GITHUB_HEAD_REF": "feature"},
        {BASE_SHA, "origin/main"},
    ),
    "push": (
        {
            "event_name": "push",
            "base_ref": "",
            "head_ref": "",
            "sha": MERGE_SHA,
            "ref": "refs/heads/main",
            "event": {"before": BEFORE_SHA, "after": MERGE_SHA},
        },
        {"GITHUB_EVENT_NAME": "push", "GITHUB_BASE_REF": "", "GITHUB_HEAD_REF": ""},
        {None, BEFORE_SHA},
    ),
    "push-new-branch": (
        {
            "event_name": "push",
            "base_ref": "",
            "head_ref": "",
            "sha": MERGE_SHA,
            "ref": "refs/heads/topic",
            "event": {"before": ZERO_SHA, "after": MERGE_SHA},
        },
        {"GITHUB_EVENT_NAME": "push", "GITHUB_BASE_REF": "", "GITHUB_HEAD_REF": ""},
        {None},
    ),
}


# --- a small evaluator for GitHub expressions: literals, context paths, ! == != && || ( ) format()

TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>\d+(?:\.\d+)?)|(?P<op>==|!=|&&|\|\||[!(),])"
    r"|(?P<name>[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*))"
)


def tokens(expr: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(expr.rstrip()):
        m = TOKEN.match(expr, pos)
        assert m is not None, f"cannot read expression at {expr[pos:]!r}"
        assert m.lastgroup is not None
        out.append((m.lastgroup, m.group(m.lastgroup)))
        pos = m.end()
    return out


def truthy(value: Any) -> bool:
    return value not in (None, False, 0, "")


def to_str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Expr:
    def __init__(self, text: str, context: dict[str, Any], inputs: dict[str, str] | None = None) -> None:
        self.toks = tokens(text)
        self.i = 0
        self.context = context
        self.inputs = inputs or {}

    def peek(self) -> str | None:
        return self.toks[self.i][1] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        self.i += 1
        return self.toks[self.i - 1]

    def parse(self) -> Any:
        value = self.or_()
        assert self.i == len(self.toks), f"trailing tokens {self.toks[self.i :]}"
        return value

    def or_(self) -> Any:
        left = self.and_()
        while self.peek() == "||":
            self.take()
            right = self.and_()
            left = left if truthy(left) else right
        return left

    def and_(self) -> Any:
        left = self.eq()
        while self.peek() == "&&":
            self.take()
            right = self.eq()
            left = right if truthy(left) else left
        return left

    def eq(self) -> Any:
        left = self.unary()
        while self.peek() in ("==", "!="):
            op = self.take()[1]
            right = self.unary()
            same = to_str(left).lower() == to_str(right).lower() if isinstance(left, str) else left == right
            left = same if op == "==" else not same
        return left

    def unary(self) -> Any:
        if self.peek() == "!":
            self.take()
            return not truthy(self.unary())
        return self.primary()

    def primary(self) -> Any:
        kind, text = self.take()
        if text == "(":
            value = self.or_()
            assert self.take()[1] == ")"
            return value
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "num":
            return float(text)
        assert kind == "name", text
        if text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text]
        if self.peek() == "(":
            self.take()
            args = []
            while self.peek() != ")":
                args.append(self.or_())
                if self.peek() == ",":
                    self.take()
            self.take()
            if text in STATUS:  # every earlier step succeeded: simulate() asserts it
                assert not args
                return STATUS[text]
            assert text == "format", f"function {text}() not supported by this test"
            return re.sub(r"\{(\d+)\}", lambda m: to_str(args[int(m.group(1)) + 1]), to_str(args[0]))
        value: Any = {"github": self.context, "inputs": self.inputs}
        for part in text.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value


STATUS = {"success": True, "always": True, "failure": False, "cancelled": False}


def render(value: Any, context: dict[str, Any], inputs: dict[str, str] | None = None) -> str:
    """A workflow value with every `${{ expr }}` replaced, as GitHub passes it to an input or env."""
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: to_str(Expr(m.group(1), context, inputs).parse()), to_str(value))


def runs(step: dict[str, Any], context: dict[str, Any]) -> bool:
    """Whether a step's `if:` (a bare expression or one `${{ }}`) lets it run."""
    cond = step.get("if")
    if cond is None:
        return True
    text = str(cond).strip()
    m = re.fullmatch(r"\$\{\{(.*)\}\}", text, re.S)
    return truthy(Expr(m.group(1) if m else text, context).parse())


# --- the documented workflows


def workflow_snippets() -> list[tuple[str, str]]:
    """Every YAML block in the docs that runs awsauth-lint in a workflow (not pre-commit config)."""
    found = []
    for doc in DOCS:
        for n, block in enumerate(re.findall(r"```ya?ml\n(.*?)```", doc.read_text(), re.S)):
            runs_linter = re.search(r"uses:\s*awsauth-lint/awsauth-lint@|run:.*\bawsauth-lint\b", block)
            if runs_linter and "repos:" not in block:
                found.append((f"{doc.relative_to(ROOT)}#{n}", block))
    return found


SNIPPETS = workflow_snippets()


def is_lint_run(step: dict[str, Any]) -> bool:
    script = step.get("run")
    return isinstance(script, str) and re.search(r"^\s*awsauth-lint\s", script, re.M) is not None


def simulate(workflow: dict[str, Any], event: str, tmp_path: Path) -> list[list[str]]:
    """The awsauth-lint command lines one job of the workflow runs for an event."""
    context, runner_env, _ = EVENTS[event]
    (job,) = workflow["jobs"].values()
    invocations = []
    for n, step in enumerate(job["steps"]):
        work = tmp_path / f"{event}-{n}"
        work.mkdir()
        fake_env, log = fake_linter(work)
        env = {"GITHUB_ACTIONS": "true", "GITHUB_SHA": MERGE_SHA, "PRE_COMMIT": "", **runner_env, **fake_env}
        env["GITHUB_STEP_SUMMARY"] = str(work / "summary.md")
        uses = step.get("uses", "")
        if not runs(step, context):
            continue
        if uses.startswith("awsauth-lint/awsauth-lint@"):
            given = {k: render(v, context) for k, v in (step.get("with") or {}).items()}
            assert set(given) <= set(ACTION["inputs"]), "unknown action input"
            inputs = {name: given.get(name, str(spec.get("default", ""))) for name, spec in ACTION["inputs"].items()}
            action_step = ACTION["runs"]["steps"][-1]
            env.update({k: render(v, context, inputs) for k, v in action_step["env"].items()})
            script = action_step["run"]
        elif is_lint_run(step):
            env.update({k: render(v, context) for k, v in (step.get("env") or {}).items()})
            script = step["run"]
            assert "${{" not in script, "expressions belong in env:, not in the script"
        else:
            continue
        proc = run_as_github(script, work, env)
        assert proc.returncode == 0, proc.stderr
        invocations += recorded_invocations(log)
    return invocations


def base_of(argv: list[str]) -> str | None:
    return argv[argv.index("--base") + 1] if "--base" in argv else None


def test_docs_have_workflows() -> None:
    """The docs show a workflow with code scanning, one with annotations only, one without the action."""
    assert len(SNIPPETS) >= 3


@pytest.mark.parametrize(("where", "block"), SNIPPETS, ids=[w for w, _ in SNIPPETS])
@pytest.mark.parametrize("event", list(EVENTS))
def test_workflow_is_right_for_the_event(where: str, block: str, event: str, tmp_path: Path) -> None:
    """A complete workflow; --base is the pull request's base on pull_request and never empty or
    made of an empty variable on push; a checkout that --base relies on has the whole history."""
    workflow = load_yaml(block)
    assert {"on", "jobs"} <= set(workflow), f"{where}: not a complete workflow"
    assert {"pull_request", "push"} <= set(workflow["on"]), f"{where}: should run on pull_request and push"
    invocations = simulate(workflow, event, tmp_path)
    assert invocations, f"{where}: awsauth-lint never runs"
    allowed = EVENTS[event][2]
    for argv in invocations:
        assert base_of(argv) in allowed, f"{where} on {event}: {argv}"
    reviews = [argv for argv in invocations if argv[0] == "access"]
    if event == "pull_request":  # the access review (job summary) runs on every pull request
        assert [base_of(argv) for argv in reviews] == [BASE_SHA], f"{where}: {invocations}"
    else:
        assert reviews == [], f"{where} on {event}: {reviews}"
    if event == "pull_request":
        (job,) = workflow["jobs"].values()
        checkout = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
        assert checkout, f"{where}: no checkout"
        assert (checkout[0].get("with") or {}).get("fetch-depth") == 0, f"{where}: --base needs fetch-depth: 0"


def test_documented_escalation_gate(tmp_path: Path) -> None:
    """A documented workflow fails pull requests that escalate access: on a pull request its
    access review gets --fail-on-escalation and the pull request's base; on push it does
    not run (nothing to compare with)."""
    gates = [(w, b) for w, b in SNIPPETS if re.search(r"^\s*fail-on-escalation:\s*true\b", b, re.M)]
    assert gates
    for n, (where, block) in enumerate(gates):
        workflow = load_yaml(block)
        (tmp_path / f"pr{n}").mkdir()
        (tmp_path / f"push{n}").mkdir()
        reviews = [a for a in simulate(workflow, "pull_request", tmp_path / f"pr{n}") if a[0] == "access"]
        assert reviews == [["access", "--base", BASE_SHA, "--fail-on-escalation", "--", "."]], where
        assert [a[0] for a in simulate(workflow, "push", tmp_path / f"push{n}")] == ["check"], where


def permissions(workflow: dict[str, Any]) -> dict[str, str]:
    (job,) = workflow["jobs"].values()
    return {**(workflow.get("permissions") or {}), **(job.get("permissions") or {})}


@pytest.mark.parametrize(("where", "block"), SNIPPETS, ids=[w for w, _ in SNIPPETS])
def test_workflow_permissions(where: str, block: str, tmp_path: Path) -> None:
    """Uploading SARIF: security-events: write, actions: read (private repositories) and
    contents: read, the upload runs when the lint step failed and reads the file the linter
    wrote. Without an upload: read-only, and no SARIF is written for nobody."""
    workflow = load_yaml(block)
    perms = permissions(workflow)
    (job,) = workflow["jobs"].values()
    uploads = [s for s in job["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    (argv,) = [a for a in simulate(workflow, "pull_request", tmp_path) if a[0] != "access"]
    if uploads:
        assert perms == {"contents": "read", "security-events": "write", "actions": "read"}, where
        (upload,) = uploads
        assert "always()" in upload["if"]
        assert "--sarif-file" in argv
        assert upload["with"]["sarif_file"] == argv[argv.index("--sarif-file") + 1]
        assert upload["with"].get("category")
    else:
        assert perms == {"contents": "read"}, where
        assert "--sarif-file" not in argv


def test_code_scanning_and_annotations_paths_are_explained() -> None:
    """Both paths are shown: code scanning (with what it requires) and annotations alone."""
    with_upload = [b for _, b in SNIPPETS if "upload-sarif" in b]
    without = [b for _, b in SNIPPETS if "upload-sarif" not in b]
    assert with_upload
    assert without
    doc = " ".join((ROOT / "docs" / "github-actions.md").read_text().split())
    assert "private or internal repository it needs GitHub Advanced Security" in doc
    assert "`actions: read`" in doc
    assert "`security-events: write`" in doc
    assert "--format github" in doc
    readme = " ".join((ROOT / "README.md").read_text().split())
    section = readme[readme.index("## GitHub Actions and code scanning") :]
    section = section[: section.index("## ", 3)]
    for words in ("security-events: write", "actions: read", "GitHub Advanced Security", "annotations"):
        assert words in section, words


def test_expression_evaluator() -> None:
    """The evaluator above agrees with GitHub on the forms the docs use (and the old ones)."""
    pr, push = EVENTS["pull_request"][0], EVENTS["push"][0]
    assert render("${{ github.event.pull_request.base.sha }}", pr) == BASE_SHA
    assert render("${{ github.event.pull_request.base.sha }}", push) == ""
    old = "${{ github.event_name == 'pull_request' && format('origin/{0}', github.base_ref) || '' }}"
    assert render(old, pr) == "origin/main"
    assert render(old, push) == ""
    assert render("x-${{ !github.event.pull_request }}", push) == "x-true"
