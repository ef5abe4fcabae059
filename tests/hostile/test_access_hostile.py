"""Hostile names in the access review: every format shows them, none obeys them.

Each output is rendered twice from the same shape, once with hostile strings in every
slot a repository file can fill and once with plain ones; the hostile rendering must keep
the plain one's structure (lines, table columns, Mermaid statements) and hold no live
link, image, HTML, mention, Mermaid edge or directive, terminal escape or workflow command.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from awsauth_lint.engine import RunResult
from awsauth_lint.model import Finding, Severity, Span
from awsauth_lint.reporters.access_json import render_json
from awsauth_lint.reporters.access_markdown import render_findings_summary, render_markdown
from awsauth_lint.reporters.access_mermaid import render_mermaid
from awsauth_lint.reporters.access_text import render_diff_text, render_text
from awsauth_lint.review import Change, ClusterAccess, Dead, Diff, Holder, Reason

HOSTILE = [
    "[x](https://evil)",
    "![i](http://e/x.png)",
    "<img src=x onerror=alert(1)>",
    "a|b\nc | d",
    '"]-->evil["',
    "end",
    'click n1 "http://evil"',
    "%%{init: {'theme': 'dark'}}%%",
    "::error::pwned",
    "\x1b[31mred\x1b[0m",
    "`tick` ```fence",
    "##[error]legacy",
    "@org/team and #1",
    "https://evil.example www.evil.example a@evil.example",
    "$$x$$ \\| \\",
    "\r::warning::cr\u009b2J",
    "  ::notice::indented",
    "style x:#1; classDef y:#2;",
    "<br>line</br> &amp; &#34;",
    "subgraph s\nend\nn1-->n2",
    "role/ad\u200bmin \u202enimda",
]


def build(v: list[str]) -> tuple[list[ClusterAccess], Diff]:
    """A review and diff with `v[i]` in every repository-filled slot (cycling)."""
    it = iter(v * 4)

    def s() -> str:
        return next(it)

    reasons = [Reason(s(), f"group {s()}", s(), f"namespace {s()}", s(), 3), Reason(s(), f"user {s()}", s(), "cluster"),
               Reason(s(), "built-in", s(), "cluster"), Reason(s(), "policy", s(), "cluster")]  # fmt: skip
    h = Holder(s(), s(), "role", s(), (s(), 4, 5), s(), [s(), s(), s()], [(s(), f"namespace {s()}")],
               {"cluster": "view", f"namespace {s()}": "edit"}, {"read-secrets": ["cluster", f"namespace {s()}"], s(): [s()]},
               reasons, [s(), s()])  # fmt: skip
    account = Holder(s(), s(), "account", s(), (s(), 1, 1), "")
    c = ClusterAccess(s(), s(), s(), [h, account], [Dead(s(), (s(), 2, 3), s(), s())], [s(), s()])
    unnamed = ClusterAccess("", None, s(), [Holder(s(), s(), "user", s(), (s(), 9, 1), s(), [s()])])
    changes = [Change(s(), s(), s(), s(), s(), True, s(), s()), Change(s(), s(), "added", "", s(), False, f"{s()}:12", s()),
               Change("", s(), "removed", s(), "", True, "deleted in this change", "")]  # fmt: skip
    return [c, unnamed], Diff(s(), changes, [s(), ""])


PLAIN = [f"plain{i}" for i in range(len(HOSTILE))]
EVIL, EVIL_DIFF = build(HOSTILE)
GOOD, GOOD_DIFF = build(PLAIN)


def outputs(clusters: list[ClusterAccess], diff: Diff) -> dict[str, str]:
    return {
        "text": render_text(clusters),
        "diff": render_diff_text(diff),
        "json": render_json(clusters, diff),
        "markdown": render_markdown(clusters, diff, graphs=True),
        "mermaid": "".join(render_mermaid(c) for c in clusters),
    }


EVIL_OUT = outputs(EVIL, EVIL_DIFF)
GOOD_OUT = outputs(GOOD, GOOD_DIFF)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b]")


@pytest.mark.parametrize("fmt", sorted(EVIL_OUT))
def test_no_workflow_command_or_control_character(fmt: str) -> None:
    """No line a job log would read as a workflow command, no raw control character (nor,
    but in JSON, which is data, a bidi control or zero-width space)."""
    out = EVIL_OUT[fmt]
    assert not [line for line in out.splitlines() if line.lstrip().startswith("::")]
    assert "##[" not in out
    assert not (re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out) if fmt == "json" else CONTROL.search(out))


@pytest.mark.parametrize("fmt", ["text", "diff", "markdown", "mermaid"])
def test_structure_kept(fmt: str) -> None:
    """Hostile names change no line count: nothing from a name starts a line of its own."""
    assert len(EVIL_OUT[fmt].splitlines()) == len(GOOD_OUT[fmt].splitlines())


def test_text_shows_escapes() -> None:
    """ESC is shown as `\\x1b`, a leading `::` as `\\x3a:`, legacy `##[` as `#\\x23[`."""
    out = EVIL_OUT["text"] + EVIL_OUT["diff"]
    assert "\\x1b[31mred\\x1b[0m" in out
    assert "\\x3a:error::pwned" in out
    assert "#\\x23[error]legacy" in out
    assert "\\x0d::warning::cr\\x9b2J" in out
    assert "role/ad\\u200bmin \\u202enimda" in out


def test_json_keeps_the_data() -> None:
    """JSON is data: every value decodes to exactly what the file said (`##[` included)."""
    doc = json.loads(EVIL_OUT["json"])
    found = json.dumps(doc, ensure_ascii=False)
    for value in HOSTILE:
        assert json.dumps(value, ensure_ascii=False)[1:-1] in found
    assert doc["clusters"][0]["principals"][0]["principal"] in HOSTILE


# Mermaid: every statement is a node with a quoted, entity-encoded label or an edge
# between generated ids; nothing else can appear.
LABEL = r"(?:[A-Za-z0-9 _\-./:,@=+*'?!~^]|#\d+;)*"
NODE = re.compile(rf'  n\d+(?:\["{LABEL}"\]|\("{LABEL}"\)|\[\["{LABEL}"\]\]|\{{\{{"{LABEL}"\}}\}})')
EDGE = re.compile(rf'  n\d+ -->(?:\|"{LABEL}"\|)? n\d+')


def mermaid_ok(lines: list[str]) -> None:
    assert lines[0] == "flowchart LR"
    for line in lines[1:]:
        assert NODE.fullmatch(line) or EDGE.fullmatch(line), line
        assert "%%" not in line
        assert not [label for label in re.findall(r'"([^"]*)"', line) if "-->" in label or label.strip() == "end"]


def test_mermaid_statements() -> None:
    for c in EVIL:
        mermaid_ok(render_mermaid(c).splitlines())
    good = [len(render_mermaid(c).splitlines()) for c in GOOD]
    assert [len(render_mermaid(c).splitlines()) for c in EVIL] == good


def strip_code(line: str) -> str:
    """The line with CommonMark code spans replaced by `CODE` (backslash escapes kept)."""
    out, i = [], 0
    while i < len(line):
        if line[i] == "\\":
            out.append(line[i : i + 2])
            i += 2
            continue
        if line[i] == "`":
            n = len(line[i:]) - len(line[i:].lstrip("`"))
            close = re.compile(rf"(?<!`)`{{{n}}}(?!`)").search(line, i + n)
            if close:
                out.append("CODE")
                i = close.end()
                continue
            out.append(line[i : i + n])
            i += n
            continue
        out.append(line[i])
        i += 1
    return "".join(out)


def unescaped(text: str, pattern: str) -> list[str]:
    """Occurrences of `pattern` whose first character is not backslash-escaped."""
    return [m.group() for m in re.finditer(rf"(?<!\\){pattern}", text)]


def pipes(line: str) -> int:
    """Cell delimiters as GFM counts them: pipes not preceded by a backslash."""
    return len(re.findall(r"(?<!\\)\|", line))


def markdown_parts(md: str) -> tuple[list[str], list[list[str]]]:
    """Lines outside ```mermaid fences, and each fence's lines."""
    lines, fences, fence = [], [], None
    for line in md.splitlines():
        if fence is None and line == "```mermaid":
            fence = []
        elif fence is not None and line == "```":
            fences.append(fence)
            fence = None
        elif fence is not None:
            fence.append(line)
        else:
            lines.append(line)
    assert fence is None
    return lines, fences


def markdown_ok(md: str, plain: str) -> None:
    lines, fences = markdown_parts(md)
    plain_lines, plain_fences = markdown_parts(plain)
    assert len(fences) == len(plain_fences)
    for f in fences:
        mermaid_ok(f)
    for line, good in zip(lines, plain_lines, strict=True):
        assert line[:1] == good[:1], (line, good)  # the same kind of line: table row, item, heading
        assert pipes(line) == pipes(good), line  # table rows keep their column count
        rest = strip_code(line)
        assert "](" not in rest
        for pattern in (r"<", r"!\[", r"\[", r"\$\$", r"https?:", r"www\.", r"&", r"@\w", r"#\d", r"\*\*\*"):
            assert not unescaped(rest, pattern), (pattern, line)
        assert "://" not in rest


def test_markdown_inert() -> None:
    """No live link, image, HTML, mention, issue reference or math; tables keep their columns."""
    markdown_ok(EVIL_OUT["markdown"], GOOD_OUT["markdown"])


def test_markdown_code_spans_hold_the_names() -> None:
    """Names are shown (in code spans), not dropped: the syntax is there, inert."""
    h = Holder("k", "<img src=x onerror=alert(1)>", "role", "v", ("![i](http://e/x.png)", 3, 1), "u", ["a|b\nc | d"])
    md = render_markdown([ClusterAccess("c", None, "", [h])], None)
    assert "`<img src=x onerror=alert(1)>`" in md
    assert "`![i](http://e/x.png):3`" in md
    assert "`a\\|b\\x0ac \\| d`" in md


def summary_result(names: list[str], tmp_path: Path) -> RunResult:
    findings = [Finding(n, Span.at(1, 1), f"AA{i:03}", n, Severity.ERROR, n) for i, n in enumerate(names)]
    return RunResult(findings, [], files=list(names), root=tmp_path)


def test_findings_summary_inert(tmp_path: Path) -> None:
    """File paths and rule names in the job summary are as inert as in the access tables."""
    evil = render_findings_summary(summary_result(HOSTILE, tmp_path), limit=100)
    good = render_findings_summary(summary_result(PLAIN, tmp_path), limit=100)
    markdown_ok(evil, good)
    assert not [line for line in evil.splitlines() if line.lstrip().startswith("::")]
    assert "##[" not in evil
    assert not CONTROL.search(evil)
