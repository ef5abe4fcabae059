"""Positions inside embedded maps land on the exact line and column of the file.

Each row is a manifest holding one mapRoles entry whose `rolearn` value is
ARN; the table gives where that value must be found (1-based line, column) and whether
the position is exact. For exact rows the file text at the span must read the value.
"""

from __future__ import annotations

import pytest
from awsauth_lint.awsauth import find
from awsauth_lint.source import compose
from awsauth_lint.text import SourceText, decode

ARN = "arn:aws:iam::111122223333:role/a"
HEAD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n"

CASES = [
    ("literal |", HEAD + f"  mapRoles: |\n    - rolearn: {ARN}\n      username: a\n", 8, 16, True),
    ("literal |-", HEAD + f"  mapRoles: |-\n    - rolearn: {ARN}\n", 8, 16, True),
    ("literal |+", HEAD + f"  mapRoles: |+\n    - rolearn: {ARN}\n\n", 8, 16, True),
    ("explicit indent |2", HEAD + f"  mapRoles: |2\n      - rolearn: {ARN}\n", 8, 18, True),
    (
        "comment and blank lines first",
        HEAD + f"  mapRoles: |\n    # managed by the platform team\n\n    - rolearn: {ARN}\n",
        10,
        16,
        True,
    ),
    ("deeper block indent", HEAD + f"  mapRoles: |\n        - rolearn: {ARN}\n", 8, 20, True),
    ("tab inside a value", HEAD + f"  mapRoles: |\n    - username: \"a\\tb\"\n      rolearn: {ARN}\n", 9, 16, True),
    (
        "double-quoted with \\n escapes (kubectl JSON)",
        '{"kind": "ConfigMap", "metadata": {"name": "aws-auth"}, "data": {"mapRoles": "- username: x\\n  rolearn: '
        + ARN
        + '\\n"}}\n',
        1,
        105,
        True,
    ),
    (
        "single-quoted over two lines",
        HEAD + f"  mapRoles: '[{{username: x,\n\n    rolearn: {ARN}}}]'\n",
        9,
        14,
        True,
    ),
    ("folded > (approximate)", HEAD + f"  mapRoles: >\n    - rolearn: {ARN}\n", 7, 13, False),
    ("CRLF line endings", (HEAD + f"  mapRoles: |\n    - rolearn: {ARN}\n").replace("\n", "\r\n"), 8, 16, True),
    ("BOM", "\ufeff" + HEAD + f"  mapRoles: |\n    - rolearn: {ARN}\n", 8, 16, True),
    (
        "second document",
        "kind: Namespace\nmetadata: {name: x}\n---\n" + HEAD + f"  mapRoles: |\n    - rolearn: {ARN}\n",
        11,
        16,
        True,
    ),
    (
        "kind: List",
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: aws-auth\n"
        f"  data:\n    mapRoles: |\n      - rolearn: {ARN}\n",
        10,
        18,
        True,
    ),
    (
        "non-ASCII before the value (code points)",
        HEAD + f"  mapRoles: |\n    - {{username: \"Zoë ☃\", rolearn: {ARN}}}\n",
        8,
        36,
        True,
    ),
]


@pytest.mark.parametrize(("name", "text", "line", "column", "exact"), CASES, ids=[c[0] for c in CASES])
def test_rolearn_position(name: str, text: str, line: int, column: int, exact: bool, parser: str) -> None:
    """The rolearn value is located exactly (or flagged approximate) in the file."""
    src = SourceText.of(decode(text.encode("utf-8")))
    composed = compose(src.text)
    assert composed.error is None
    docs = find("f.yaml", composed, src)
    assert len(docs) == 1
    roles = docs[0].map_roles
    assert roles, name
    arn = roles[0].arn
    assert arn is not None
    assert arn.value == ARN
    assert (arn.span.start.line, arn.span.start.column, arn.span.exact) == (line, column, exact)
    if exact:
        assert arn.span.end.line == line
        assert src.line(line)[column - 1 : arn.span.end.column - 1] == ARN


def test_block_end_is_not_an_empty_next_line() -> None:
    """Block nodes end on their last written line, not at column 0 of the next."""
    text = HEAD + f"  mapRoles: |\n    - rolearn: {ARN}\n      groups:\n        - ops\n\n"
    src = SourceText.of(text)
    docs = find("f.yaml", compose(text), src)
    groups = docs[0].map_roles[0].groups_node
    assert groups is not None
    assert (groups.span.end.line, groups.span.end.column) == (10, 14)


def test_multi_document_positions_are_absolute() -> None:
    """Spans in later documents count lines from the start of the file."""
    text = "a: 1\n---\nb: 2\n---\nc: 3\n"
    docs = compose(text).docs
    assert [d.span.start.line for d in docs if d is not None] == [1, 3, 5]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "\r\r\n"])
def test_template_position_counts_every_line_break(newline: str) -> None:
    """AL003 points at the template wherever lines end in LF, CRLF or a lone CR."""
    from awsauth_lint.loader import load_bytes

    text = HEAD + "  mapRoles: |\n    - rolearn: {{ .Values.arn }}\n"
    sf = load_bytes("f.yaml", text.replace("\n", newline).encode())
    assert not isinstance(sf, Exception)
    assert sf.template is not None
    span = sf.template[0]
    per_break = 2 if newline == "\r\r\n" else 1
    assert (span.start.line, span.start.column) == (7 * per_break + 1, 16)
    assert sf.src.line(span.start.line)[15:17] == "{{"
