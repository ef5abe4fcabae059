"""Hostile names end to end: a repository whose aws-auth, access entries, RBAC, file and
cluster names carry links, HTML, workflow commands, Mermaid directives and edges, terminal
escapes, pipes and newlines, run through the CLI as a pull request's workflow would.

`check` runs under GitHub Actions (text report, annotations, job summary, and the
annotations written to a file); `access --base` runs in every format, and under GitHub
Actions appends to the job summary. Every output must show the names and obey none: no
live link, image or HTML in Markdown, no workflow command in a log, no Mermaid edge,
directive or node from a name, no raw control character. The same repository with plain
names is the control: hostile names change no output's structure (lines, table columns,
Mermaid statements, annotations).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from awsauth_lint import schemas
from hostile.test_access_hostile import strip_code
from jsonschema import Draft202012Validator

HOSTILE = {
    "LINK": "[x](https://evil)",
    "HTML": "<img src=x onerror=alert(1)>",
    "CMD": "::error::pwned",
    "DIRECTIVE": "%%{init: {}}%%",
    "EDGE": '"]-->evil["',
    "ANSI": "\x1b[31m",
    "PIPE_NL": "a|b\n::error::pwned",
    "CSI": "\x9b2J",
}
PLAIN = {k: f"plain-{k.lower().replace('_', '-')}" for k in HOSTILE}
# Names that become directory and file names (no `/`, no newline there).
PATHS = {"CLUSTER_A": "HTML", "CLUSTER_B": "DIRECTIVE", "FILE": "CMD"}

NODES = """apiVersion: v1
kind: ConfigMap
metadata: {{name: aws-auth, namespace: kube-system}}
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/nodes
      username: system:node:{{{{EC2PrivateDNSName}}}}
      groups: [system:bootstrappers, system:nodes]
    - rolearn: arn:aws:iam::111122223333:role/ops
      username: {ANSI}
      groups: [{DIRECTIVE}]
"""
ADDED_ROWS = """    - rolearn: arn:aws:iam::111122223333:role/ci
      username: {LINK}
      groups: [{EDGE}, {PIPE_NL}, {HTML}, {CSI}]
    - rolearn: arn:aws:iam::111122223333:role/teams/{LINK_ARN}
      username: x
      groups: [{EDGE}]
"""
EKSCTL = """apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: {HTML}
  region: eu-west-1
accessConfig:
  authenticationMode: API_AND_CONFIG_MAP
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/entry
      kubernetesUsername: {CMD}
      kubernetesGroups: [{LINK}, {PIPE_NL}, {ANSI}, {CSI_UNBOUND}]
"""
RBAC = """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {{name: {CMD}}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: {DIRECTIVE}}}
subjects:
  - {{kind: Group, name: {EDGE}, apiGroup: rbac.authorization.k8s.io}}
  - {{kind: Group, name: {PIPE_NL}, apiGroup: rbac.authorization.k8s.io}}
  - {{kind: Group, name: {LINK}, apiGroup: rbac.authorization.k8s.io}}
  - {{kind: User, name: {ANSI}, apiGroup: rbac.authorization.k8s.io}}
  - {{kind: Group, name: system:masters, apiGroup: rbac.authorization.k8s.io}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {{name: {DIRECTIVE}}}
rules:
  - apiGroups: [""]
    resources: [secrets]
    verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {{name: {HTML}, namespace: {LINK}}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}}
subjects:
  - {{kind: Group, name: {HTML}, apiGroup: rbac.authorization.k8s.io}}
  - {{kind: Group, name: {DIRECTIVE}, apiGroup: rbac.authorization.k8s.io}}
  - {{kind: Group, name: {CSI}, apiGroup: rbac.authorization.k8s.io}}
"""


def _git(cwd: Path, *args: str) -> None:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "PATH": os.environ["PATH"]}  # fmt: skip
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def make_repo(root: Path, names: dict[str, str]) -> None:
    """Base commit: both clusters' aws-auth with the node role and `ops`; the working tree
    adds rows, an access entry and RBAC, and changes `ops`, all with `names` in them."""
    quoted = {k: json.dumps(v) for k, v in names.items()}  # a JSON string is a YAML double-quoted scalar
    quoted["LINK_ARN"] = "x" if names is PLAIN else names["LINK"]
    quoted["CSI_UNBOUND"] = json.dumps(names["CSI"] + "-unbound")
    clusters = [root / "clusters" / names[PATHS["CLUSTER_A"]], root / "clusters" / names[PATHS["CLUSTER_B"]]]
    for d in clusters:
        d.mkdir(parents=True)
        (d / "aws-auth.yaml").write_text(NODES.format(**quoted))
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    for d in clusters:
        text = (d / "aws-auth.yaml").read_text()
        text = text.replace(f"groups: [{quoted['DIRECTIVE']}]", f"groups: [{quoted['DIRECTIVE']}, {quoted['CMD']}]")
        (d / "aws-auth.yaml").write_text(text + ADDED_ROWS.format(**quoted))
    (clusters[0] / "cluster.yaml").write_text(EKSCTL.format(**quoted))
    (root / f"{names[PATHS['FILE']]}.yaml").write_text(RBAC.format(**quoted))


def cli(cwd: Path, *args: str, summary: Path | None = None) -> tuple[int, str, str]:
    """The installed CLI in a subprocess; under GitHub Actions when `summary` is given."""
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "PRE_COMMIT", "NO_COLOR")}
    if summary is not None:
        env.update({"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    proc = subprocess.run([sys.executable, "-m", "awsauth_lint", *args], cwd=cwd, env=env, capture_output=True, timeout=120, check=False)
    out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert "Traceback" not in err, err
    return proc.returncode, out, err


def run_all(root: Path, names: dict[str, str]) -> dict[str, str]:
    """Every output of the pull request's commands, by name."""
    make_repo(root, names)
    out: dict[str, str] = {}
    summary = root.parent / f"{root.name}-summary.md"
    annotations = root.parent / f"{root.name}-annotations.txt"
    code, out["check"], _ = cli(root, "check", "--fail-on", "never", ".", summary=summary)
    assert code == 0
    code, _, _ = cli(root, "check", "--fail-on", "never", "-f", "github", "-o", str(annotations), ".")
    assert code == 0
    out["annotations"] = annotations.read_text(encoding="utf-8")
    out["check-summary"] = summary.read_text(encoding="utf-8")
    summary.unlink()
    code, out["diff"], _ = cli(root, "access", "--base", "HEAD", "--fail-on-escalation", summary=summary)
    assert code == 1
    out["access-summary"] = summary.read_text(encoding="utf-8")
    for fmt in ("text", "json", "markdown"):
        code, out[fmt], _ = cli(root, "access", "-f", fmt)
        assert code == 0
    for fmt in ("markdown", "json"):
        code, out[f"{fmt}-diff"], _ = cli(root, "access", "--base", "HEAD", "-f", fmt)
        assert code == 0
    for key in ("CLUSTER_A", "CLUSTER_B"):
        code, out[f"mermaid-{key}"], err = cli(root, "access", "-f", "mermaid", "--cluster", names[PATHS[key]])
        assert code == 0, err
    return out


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str]]:
    base = tmp_path_factory.mktemp("hostile-cli")
    return run_all(base / "hostile", HOSTILE), run_all(base / "plain", PLAIN)


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b]")
ANNOTATION = re.compile(
    r"::(error|warning|notice) file=[^:,\n]*,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[A-Z]{2}\d{3} [a-z0-9-]+::[^\n\r]*"
)


def log_lines_ok(text: str) -> None:
    """No line a runner would read as a workflow command, no raw control character."""
    assert not CONTROL.search(text), repr(CONTROL.search(text))
    assert not [line for line in text.splitlines() if line.lstrip().startswith("::")]
    assert "##[" not in text


@pytest.mark.parametrize("name", ["text", "diff"])
def test_access_text_inert(outputs: tuple[dict[str, str], dict[str, str]], name: str) -> None:
    """The text review and diff: names shown escaped, nothing a terminal or a log obeys."""
    evil, plain = outputs
    log_lines_ok(evil[name])
    assert len(evil[name].splitlines()) == len(plain[name].splitlines())
    assert "\\x1b[31m" in evil[name]
    assert "a|b\\x0a::error::pwned" in evil[name]  # the newline shown: `::` starts no line
    assert "\\x9b2J" in evil[name]
    if name == "text":  # a cell of its own: the leading `::` is shown as `\\x3a:`
        assert re.search(r"^ +.*  \\x3a:error::pwned\b", evil[name], re.M)


def shielded(log: str) -> tuple[str, list[str], list[str]]:
    """`check`'s log under GitHub Actions: (token, report lines, lines after the report)."""
    lines = log.splitlines()
    m = re.fullmatch(r"::stop-commands::(awsauth-lint-[0-9a-f]{32})", lines[0])
    assert m, lines[0]
    end = lines.index(f"::{m.group(1)}::")
    return m.group(1), lines[1:end], lines[end + 1 :]


def test_check_log_inert(outputs: tuple[dict[str, str], dict[str, str]]) -> None:
    """`check` under GitHub Actions: the text report between `stop-commands` and its token
    (which the report does not contain), then only well-formed annotations, one per
    finding, whose properties are escaped; no raw control character anywhere."""
    evil, plain = outputs
    token, report, after = shielded(evil["check"])
    assert token not in "\n".join(report)
    assert not CONTROL.search(evil["check"]), repr(CONTROL.search(evil["check"]))
    assert "##[" not in evil["check"]
    for line in after:
        assert ANNOTATION.fullmatch(line), line
    assert len(after) == len(shielded(plain["check"])[2]) > 0
    assert any(line.startswith("::warning file=%3A%3Aerror%3A%3Apwned.yaml,line=10,") for line in after)
    assert any(line.startswith("::error file=clusters/%25%25{init%3A {}}%25%25/aws-auth.yaml,") for line in after)
    assert any("'a|b%0A::error::pwned'" in line for line in after)  # the newline escaped: no second line


def test_annotations_file_inert(outputs: tuple[dict[str, str], dict[str, str]]) -> None:
    """`-f github -o FILE`: one well-formed annotation per line, control characters shown
    as `\\xNN` (the file may be printed to a log later), the names kept."""
    evil, plain = outputs
    text = evil["annotations"]
    assert not CONTROL.search(text), repr(CONTROL.search(text))
    for line in text.splitlines():
        assert ANNOTATION.fullmatch(line), line
    assert len(text.splitlines()) == len(plain["annotations"].splitlines())
    assert "names '\\x1b[31m' as kind: User" in text
    assert "\\x9b2J" in text


@pytest.mark.parametrize("name", ["json", "json-diff"])
def test_json_is_data(outputs: tuple[dict[str, str], dict[str, str]], name: str) -> None:
    """JSON keeps every name exactly (it is data), validates, and prints nothing a log obeys."""
    evil, _ = outputs
    doc = json.loads(evil[name])
    assert not list(Draft202012Validator(schemas.load("access")).iter_errors(doc))
    log_lines_ok(evil[name])
    found = json.dumps(doc, ensure_ascii=False)
    for key, value in HOSTILE.items():
        if key != "CSI" or name == "json":
            assert json.dumps(value, ensure_ascii=False)[1:-1] in found, key
    assert sorted(c["name"] for c in doc["clusters"]) == sorted([HOSTILE["DIRECTIVE"], HOSTILE["HTML"]])


# --- Markdown: the access review, the diff and both job summaries


def pipes(line: str) -> int:
    """Cell delimiters as GFM counts them: pipes not preceded by a backslash (in code too)."""
    return len(re.findall(r"(?<!\\)\|", line))


def markdown_ok(md: str, plain: str) -> None:
    """Line for line the plain output's kind of line and table columns; outside code spans no
    link, image, HTML, autolink, mention, issue reference, math or entity; no raw control
    character and no workflow command (a summary is also read as a log by some tools)."""
    log_lines_ok(md)
    lines, good = md.splitlines(), plain.splitlines()
    assert len(lines) == len(good)
    for line, ref in zip(lines, good, strict=True):
        assert line[:1] == ref[:1], (line, ref)
        assert pipes(line) == pipes(ref), line
        rest = strip_code(line)
        assert "](" not in rest, line
        assert "://" not in rest, line
        for pattern in (r"<", r"!\[", r"\[", r"\$\$", r"https?:", r"www\.", r"&", r"@\w", r"#\d", r"%%"):
            assert not re.findall(rf"(?<!\\){pattern}", rest), (pattern, line)


@pytest.mark.parametrize("name", ["markdown", "markdown-diff", "access-summary", "check-summary"])
def test_markdown_inert(outputs: tuple[dict[str, str], dict[str, str]], name: str) -> None:
    evil, plain = outputs
    markdown_ok(evil[name], plain[name])


def test_markdown_shows_the_names(outputs: tuple[dict[str, str], dict[str, str]]) -> None:
    """The names are there, in code spans, not dropped."""
    evil, _ = outputs
    md = evil["access-summary"]
    assert md.startswith("## What this change does to who can do what\n")
    assert "`<img src=x onerror=alert(1)>`" in md
    assert "`%%{init: {}}%%`" in md
    assert "`[x](https://evil)`" in md
    assert '`"]-->evil["`' in md
    assert "`\\x1b[31m`" in md
    assert "a\\|b\\x0a::error::pwned" in md
    assert "| `clusters/<img src=x onerror=alert(1)>/aws-auth.yaml` |" in evil["check-summary"]
    assert "| `::error::pwned.yaml` |" in evil["check-summary"]


# --- Mermaid

LABEL = r"(?:[A-Za-z0-9 _\-./:,@=+*'?!~^]|#\d+;)*"
NODE = re.compile(rf'  n\d+(?:\["{LABEL}"\]|\("{LABEL}"\)|\[\["{LABEL}"\]\]|\{{\{{"{LABEL}"\}}\}})')
EDGE = re.compile(rf'  n\d+ -->(?:\|"{LABEL}"\|)? n\d+')


@pytest.mark.parametrize("key", ["CLUSTER_A", "CLUSTER_B"])
def test_mermaid_inert(outputs: tuple[dict[str, str], dict[str, str]], key: str) -> None:
    """Every statement a node with a quoted, entity-encoded label or an edge between
    generated ids; as many of each as with plain names."""
    evil, plain = outputs
    lines, good = evil[f"mermaid-{key}"].splitlines(), plain[f"mermaid-{key}"].splitlines()
    assert lines[0] == good[0] == "flowchart LR"
    for line in lines[1:]:
        assert NODE.fullmatch(line) or EDGE.fullmatch(line), line
        assert "%%" not in line
        assert not [label for label in re.findall(r'"([^"]*)"', line) if "-->" in label or label.strip() == "end"]
    assert [bool(EDGE.fullmatch(line)) for line in lines] == [bool(EDGE.fullmatch(line)) for line in good]
    assert 'n2("group #34;#93;--#62;evil#91;#34;")' in evil[f"mermaid-{key}"]
