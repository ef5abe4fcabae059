"""RBAC objects read from unconverted documents equal those read from our nodes.

Documents that can only matter for RBAC are composed but never converted
(`compose_relevant(..., full=...)`); the index must not tell the two paths apart.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from awsauth_lint.loader import FULL, WANTED, SourceFile, load_bytes
from awsauth_lint.nodes import NODES, Map
from awsauth_lint.rbac import Contribution, extract
from awsauth_lint.source import compose_relevant
from helpers import IN_CI, SHARED

FIXTURES = Path(__file__).parent / "fixtures"

TRICKY = {
    "list-dump": """apiVersion: v1
kind: List
items:
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata: {name: a}
    roleRef: {kind: ClusterRole, name: view}
    subjects: [{kind: Group, name: viewers}, not-a-map, {kind: User}]
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: Role
    metadata: {name: r, namespace: ns}
    rules:
      - {verbs: [get, list], resources: pods}
      - just-a-string
      - {verbs: ["*"], nonResourceURLs: ["/healthz"], apiGroups: []}
""",
    "duplicate-keys-anchors": """apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: first
  name: second
  namespace: ~
roleRef: &ref {kind: Role, name: edit}
subjects:
  - &s {kind: Group, name: "quoted group"}
  - *s
  - {kind: ServiceAccount, name: '', namespace: kube-system}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: again}
roleRef: &other {kind: ClusterRole, name: view}
subjects: bad
extra: *other
""",
    "json-and-crlf": '{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",\r\n'
    ' "metadata": {"name": "x"}, "rules": [{"verbs": ["get"], "resources": ["secrets"]}]}\r\n',
    "block-and-empties": """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: empty
roleRef:
subjects:
  -
  - kind: Group
    name: |
      multi
""",
}


def both(text: str) -> tuple[Contribution, Contribution]:
    converted = compose_relevant(text, WANTED)
    mixed = compose_relevant(text, WANTED, FULL)
    assert converted.error is None
    return (
        extract("f.yaml", [(d, NODES) for d in converted.docs]),
        extract("f.yaml", [*((d, NODES) for d in mixed.docs), *mixed.raw]),
    )


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_documents(name: str) -> None:
    converted, raw = both(TRICKY[name])
    assert raw == converted
    assert converted != ([], [])


def test_positions_of_names() -> None:
    _, (_, bindings) = both(TRICKY["list-dump"])
    name = bindings[0].subjects[0].name
    assert (name.value, name.span.start.line, name.span.start.column, name.span.end.column) == ("viewers", 8, 36, 43)


def rbac_files() -> list[Path]:
    found = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and b"rbac.authorization" in p.read_bytes())
    corpus = SHARED / "corpus" / "realworld"
    if corpus.is_dir():
        found += sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".json"))
    elif IN_CI:
        pytest.fail(f"{corpus} is required under CI")
    return found


def test_every_rbac_file_reads_the_same() -> None:
    """Fixtures and the real-world corpus: both paths find the same roles and bindings."""
    checked = 0
    for path in rbac_files():
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        if compose_relevant(text, WANTED).error is not None:
            continue
        converted, raw = both(text)
        assert raw == converted, path
        checked += bool(converted[0] or converted[1])
    assert checked >= 10


def test_loaded_files_survive_pickling() -> None:
    """What worker processes send back equals what was loaded, lookups included."""
    text = (FIXTURES / "rules" / "AA101" / "fail" / "path-and-sso.yaml").read_text()
    sf = load_bytes("f.yaml", (text + "---\n" + TRICKY["list-dump"]).encode())
    assert isinstance(sf, SourceFile)
    back = pickle.loads(pickle.dumps(sf))
    assert back.rbac == sf.rbac
    assert len(back.awsauth) == len(sf.awsauth) == 1
    doc, orig = back.awsauth[0], sf.awsauth[0]
    assert isinstance(doc.root, Map)
    assert doc.root.get("data") is not None  # the key index is rebuilt
    assert [(m.arn.value, m.arn.span) for m in doc.map_roles if m.arn] == [(m.arn.value, m.arn.span) for m in orig.map_roles if m.arn]
