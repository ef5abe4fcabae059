"""Every finding inside an aws-auth map carries the JSON path of what it points at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from awsauth_lint.loader import SourceFile, load_path
from awsauth_lint.model import Finding, Position, Span
from awsauth_lint.nodes import Map, Node, Scalar, Seq
from helpers import FIXTURES, lint_paths

CASES = sorted(p for p in (FIXTURES / "rules").glob("AA[0-3]*/*/*") if not p.name.endswith(".expect"))
STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def _inside(p: Position, span: Span) -> bool:
    return span.start <= p <= span.end


def _step(node: Node | None, step: re.Match[str]) -> Node | None:
    if step.group(2) is not None:
        i = int(step.group(2))
        return node.items[i] if isinstance(node, Seq) and i < len(node.items) else None
    return node.get(step.group(1)) if isinstance(node, Map) else None


def _check(f: Finding, root: Node | None, rest: str) -> None:
    """The path resolves inside the map down to the finding's parent node, which holds the finding."""
    steps = list(STEP.finditer(rest))
    assert "".join(s.group(0) for s in steps) == rest, (f.code, f.json_path)
    node = root
    for step in steps[:-1]:
        node = _step(node, step)
        assert node is not None, (f.code, f.json_path)
    if steps and node is not None:  # a path to the whole map: any place in its string
        assert _inside(f.span.start, node.span), (f.code, f.json_path, f.span)


@pytest.mark.parametrize("case", CASES, ids=lambda p: "/".join(p.parts[-3:]))
def test_findings_inside_maps_have_json_paths(case: Path) -> None:
    result = lint_paths([case])
    files = {f.file for f in result.findings}
    for name in files:
        sf = load_path(name, name)
        assert isinstance(sf, SourceFile)
        maps = [em for doc in sf.awsauth for em in doc.maps.values() if isinstance(em.value, Scalar)]
        entries = [m for doc in sf.awsauth for m in doc.eksctl]
        for f in result.findings:
            if f.file != name or not re.match(r"AA[0-3]\d\d$", f.code):
                continue
            em = next((em for em in maps if _inside(f.span.start, em.value.span)), None)
            m = next((m for m in entries if _inside(f.span.start, m.node.span)), None)
            if em is None and m is None:
                continue  # the outer manifest
            assert f.json_path, (f.code, f.file, f.span.start, f.message)
            if em is not None:
                at = f.json_path.find(f".data.{em.key}")
                assert at >= 0, (f.code, f.json_path)
                _check(f, em.root, f.json_path[at + len(f".data.{em.key}") :])
            elif m is not None:
                assert f.json_path.startswith(m.json_path), (f.code, f.json_path)
                _check(f, m.node, f.json_path[len(m.json_path) :])
